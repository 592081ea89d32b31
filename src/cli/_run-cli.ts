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
    // Colours only for a terminal that wants them.
    const plain = !process.stdout.isTTY || process.env.NO_COLOR !== undefined;
    const usage = await renderUsage(command, sub ? spec.main : undefined);
    process.stdout.write(`${plain ? stripAnsi(usage) : usage}\n`);
    if (!sub && spec.subCommands) {
      const lines = Object.entries(spec.subCommands).map(([key, def]) => `  ${key.padEnd(14)} ${String((def.meta as { description?: string })?.description ?? "").split("\n")[0]}`);
      process.stdout.write(`\nCOMMANDS\n\n${lines.join("\n")}\n\nUse <command> --help for the options of each.\n`);
    }
    return;
  }
  let code: number;
  try {
    await runCommand(command, { rawArgs });
    code = Number(process.exitCode ?? 0);
  } catch (error) {
    code = printError(error);
  }
  // The process ends on its own once stdout and stderr have drained: calling process.exit() here
  // would cut output still queued for a slow reader (under Bun 1.4.5 a wait for "drain" returns
  // early). Something left running by mistake still cannot hold the process for long.
  process.exitCode = code;
  setTimeout(() => process.exit(code), 30_000).unref();
}


/** Prints an error for a person and returns the exit code it calls for (2: the input must change; 1: a failure). */
export function printError(error: unknown): number {
  if (error instanceof SessionflowError) {
    process.stderr.write(`${error.message}\n`);
    return error.exitCode;
  }
  if (outOfMemory(error)) {
    // The machine's limit, not a usage mistake: a failure (1).
    process.stderr.write(`out of memory: ${(error as Error).message}\n`);
    return 1;
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

/** Text without ANSI colour codes. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, "");
}

/** An allocation the process could not make (the JS heap, an array buffer, the system). */
export function outOfMemory(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  if (code === "ENOMEM" || code === "ERR_OUT_OF_MEMORY") return true;
  return error instanceof RangeError && /out of memory|allocation failed|array buffer allocation|invalid array length/i.test(error.message);
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
