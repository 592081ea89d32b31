/**
 * A strategy's setup runs once the first day's history is in: `ctx.session` is that day's and
 * `ctx.history()` holds the trailing days, so averages warmed up there count - the example
 * strategies trade differently with and without the 5m history july.yaml keeps for them.
 */
import { afterAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { runTestSession } from "../helpers/session.ts";
import { tempDir } from "../helpers/tmp.ts";

const dir = tempDir("setup-history");
afterAll(() => dir[Symbol.dispose]());

test("setup sees today's session and the trailing history", async () => {
  const run = await runTestSession("sessions/july.yaml", ["plugins.dirs=[src/plugins, strategies, test/fixtures/setup-probe]", "strategies=[{name: setup_probe}]"]);
  // 2 trailing days of 5m bars before 2025-07-02: 78 + 78.
  expect(run.log.some((l) => l.includes("setup: session open 2025-07-02T13:30:00.000Z, 156 history bars"))).toBe(true);
});

test("the examples warm up from history in setup: without the 5m history they trade differently", async () => {
  // Without the session's own indicators (whose warm-up would keep a 5m history anyway).
  const base = ["session_data_config.indicators.session=[]", "session_data_config.indicators.historical=[]"];
  const withHistory = await runTestSession("sessions/july.yaml", base, { keep: `${dir.path}/with` });
  const without = await runTestSession("sessions/july.yaml", [...base, "session_data_config.historical.data=[{trailing_days: 5, intervals: [1m], apply_to: all}, {trailing_days: 20, intervals: [1d], apply_to: all}]"], { keep: `${dir.path}/without` });
  const orders = (dir: string) => readFileSync(`${dir}/orders.csv`, "utf8");
  expect(orders(withHistory.runDir)).not.toBe(orders(without.runDir));
  // sma_crossover with warmed averages can act from the first bars of 2025-07-02; without, it waits for 20 bars of 5m.
  const first = (dir: string) => orders(dir).split("\n").find((l) => l.includes("sma_crossover"))?.split(",")[1];
  expect(first(withHistory.runDir)! < first(without.runDir)!).toBe(true);
});
