/**
 * The README's plugin examples are real: the strategy, indicator and scanner it shows are written
 * to a folder outside the repository and run in a session through the CLI.
 */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { ROOT, runScript } from "./helpers/cli.ts";
import { tempDir } from "./helpers/tmp.ts";

test("the README's strategy, indicator and scanner load, type-check and run", () => {
  const readme = readFileSync(`${ROOT}/README.md`, "utf8");
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  expect(blocks.length).toBe(3);
  using dir = tempDir("readme");
  blocks.forEach((code, i) => dir.write(`plugins/example_${i}.ts`, code));
  const result = runScript("session", [
    "sessions/july.yaml", "--json", "--out", `${dir.path}/run`,
    "--set", `plugins.dirs=[src/plugins, ${dir.path}/plugins]`,
    "--set", "strategies=[{name: mean_reversion}]",
    "--set", "session_data_config.indicators.session=[{name: bar_range, interval: 5m}]",
    "--set", "session_data_config.indicators.historical=[]",
    "--set", "scanners=[{name: volume_spike, universe: [AAPL], regular_session: [{start: '09:35', end: '10:00', interval: 5m}]}]",
  ]);
  expect({ code: result.exitCode, errors: result.stderr.split("\n").filter((l) => /error|plugin/i.test(l)) }).toEqual({ code: 0, errors: [] });
  const summary = JSON.parse(result.stdout);
  expect(summary.trading.orders).toBeGreaterThan(0);
  expect(summary.indicators.find((i: { key: string }) => i.key === "bar_range_5m").ready).toBe(true);
  expect(summary.scans.length).toBe(3 * 6);
});
