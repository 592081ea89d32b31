#!/usr/bin/env bun
/**
 * `sessionflow <command> ...` (the package's `bin`): the same commands as `bun run <command>`,
 * from one entry point. Each command's module reads its own arguments, so this only picks it.
 */
const COMMANDS: Record<string, { file: string; description: string }> = {
  session: { file: "./session.ts", description: "run, validate or show a session; new-strategy" },
  data: { file: "./data.ts", description: "the bar store: import, list, quality, export, fetch, bundle" },
  calendar: { file: "./calendar.ts", description: "trading days, holidays and session times of a market" },
  indicator: { file: "./indicator.ts", description: "one indicator over a file of bars" },
  report: { file: "./report.ts", description: "rebuild a run's report; diff two runs" },
};

const [command, ...rest] = process.argv.slice(2);
const picked = command === undefined ? undefined : COMMANDS[command];
if (!picked) {
  const help = command === undefined || command === "--help" || command === "-h";
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.description}`);
  const text = `${help ? "" : `unknown command ${JSON.stringify(command)}\n\n`}Usage: sessionflow <command> [options]\n\nCOMMANDS\n\n${lines.join("\n")}\n\nUse sessionflow <command> --help for the options of each.\n`;
  (help ? process.stdout : process.stderr).write(text);
  process.exitCode = help ? 0 : 2;
} else {
  // The command's module parses process.argv from its third entry on, as `bun run <command>` gives it.
  process.argv = [process.argv[0]!, new URL(picked.file, import.meta.url).pathname, ...rest];
  await import(picked.file);
}
