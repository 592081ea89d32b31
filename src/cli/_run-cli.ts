/**
 * The shared front of every CLI script: dispatch to a sub-command (or the default one), print
 * usage for --help, and turn errors into a message on stderr and the right exit code.
 */
import { renderUsage, runCommand, type CommandDef } from "citty";
import { SessionflowError } from "../core/errors.ts";

/** A script's commands: the default one (run when no sub-command is named) and the named ones. */
export interface CliSpec {
  main: CommandDef<any>;
  subCommands?: Record<string, CommandDef<any>>;
}

/** Runs the CLI with `argv` (defaults to the process arguments) and exits with its status. */
export async function runCli(spec: CliSpec, argv: string[] = process.argv.slice(2)): Promise<void> {
  const name = argv[0];
  const sub = name !== undefined && spec.subCommands ? spec.subCommands[name] : undefined;
  const command = sub ?? spec.main;
  const rawArgs = sub ? argv.slice(1) : argv;
  if (rawArgs.includes("--help") || rawArgs.includes("-h")) {
    process.stdout.write(`${await renderUsage(command, sub ? spec.main : undefined)}\n`);
    if (!sub && spec.subCommands) {
      const lines = Object.entries(spec.subCommands).map(([key, def]) => `  ${key.padEnd(14)} ${String((def.meta as { description?: string })?.description ?? "")}`);
      process.stdout.write(`\nCOMMANDS\n\n${lines.join("\n")}\n\nUse <command> --help for the options of each.\n`);
    }
    process.exit(0);
  }
  let code: number;
  try {
    await runCommand(command, { rawArgs });
    code = Number(process.exitCode ?? 0);
  } catch (error) {
    code = printError(error);
  }
  await flushed(process.stdout);
  await flushed(process.stderr);
  process.exit(code);
}

/** Resolves once everything written to the stream has been handed to the OS (pipes included). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => (stream.write("") ? resolve() : stream.once("drain", () => resolve())));
}

/** Prints an error for a person and returns the exit code it calls for (2: the input must change; 1: a failure). */
export function printError(error: unknown): number {
  if (error instanceof SessionflowError) {
    process.stderr.write(`${error.message}\n`);
    return error.exitCode;
  }
  if ((error as Error)?.name === "CLIError") {
    // citty's argument errors (missing positional, unknown command ...).
    process.stderr.write(`${(error as Error).message}\nUse --help for usage.\n`);
    return 2;
  }
  const code = (error as { code?: string })?.code;
  if (typeof code === "string" && SYSTEM_ERRORS[code]) {
    // The system refused (memory, disk, files): a failure of this run, not a usage mistake.
    process.stderr.write(`${SYSTEM_ERRORS[code]}: ${(error as Error).message}\n`);
    return 1;
  }
  process.stderr.write(`unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
  return 1;
}

/** System error codes and what they mean to a person. */
const SYSTEM_ERRORS: Record<string, string> = {
  ENOMEM: "out of memory",
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is used up",
  EMFILE: "too many open files",
  ENOENT: "a file or folder is missing",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "the file system is read-only",
  EIO: "an input/output error",
};

/** Every value of a repeatable `--flag value` / `--flag=value` option, in order. */
export function collectRepeated(rawArgs: readonly string[], flag: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!;
    if (arg === `--${flag}` && i + 1 < rawArgs.length) values.push(rawArgs[++i]!);
    else if (arg.startsWith(`--${flag}=`)) values.push(arg.slice(flag.length + 3));
  }
  return values;
}
