/** The package's `sessionflow` command (package.json `bin`): one entry point that dispatches to each command. */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { ROOT } from "../helpers/cli.ts";

const sessionflow = (...args: string[]) => {
  const result = Bun.spawnSync(["bun", `${ROOT}/src/cli/main.ts`, ...args], { cwd: ROOT, stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  return { exitCode: result.exitCode, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
};

test("package.json's bin is this file", () => {
  expect(JSON.parse(readFileSync(`${ROOT}/package.json`, "utf8")).bin).toEqual({ sessionflow: "./src/cli/main.ts" });
});

test("sessionflow <command> runs the command with its arguments, as bun run <command> does", () => {
  const result = sessionflow("session", "validate", "sessions/july.yaml");
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toContain(`sessions/july.yaml: valid. Session "july"`);
  const bad = sessionflow("session", "validate", "sessions/july.yaml", "--set", "mode=paper");
  expect(bad.exitCode).toBe(2);
  expect(bad.stderr).toContain("× api_config.data_api: mode paper streams live market data");
});

test("no command lists them; an unknown one is a usage error", () => {
  const help = sessionflow();
  expect(help.exitCode).toBe(0);
  for (const name of ["session", "data", "calendar", "indicator", "report"]) expect(help.stdout).toContain(`  ${name}`);
  const unknown = sessionflow("sesion");
  expect(unknown.exitCode).toBe(2);
  expect(unknown.stderr).toContain(`unknown command "sesion"`);
});
