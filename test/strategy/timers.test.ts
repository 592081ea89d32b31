/**
 * Timers and market-on-close orders, on 2025-07-03 (the early close, 13:00 New York) with DBB
 * alone - an illiquid ETF with no bar at 12:55-12:57: a timer at 12:56 runs at 12:56 though no
 * bar comes then; a market order placed there waits for the next bar, a moc order fills at the
 * close at the day's last close (19.435, the 12:59 bar's), so the strategy is flat overnight.
 */
import { afterAll, expect, test } from "bun:test";
import { csvBody } from "../helpers/csv.ts";
import { ROOT } from "../helpers/cli.ts";
import { runTestSession } from "../helpers/session.ts";
import { tempDir } from "../helpers/tmp.ts";

const dir = tempDir("timers");
afterAll(() => dir[Symbol.dispose]());

const run = (mode: string) =>
  runTestSession(
    "sessions/july.yaml",
    [
      `plugins.dirs=[${ROOT}/test/fixtures/sweep-plugins]`,
      "session_data_config.symbols=[DBB]",
      "session_data_config.streams=[1m]",
      "session_data_config.indicators.session=[]",
      "session_data_config.indicators.historical=[]",
      "session_data_config.historical.data=[]",
      "backtest_config.start_date=2025-07-03",
      "backtest_config.end_date=2025-07-03",
      `strategies=[{name: close_out, params: {symbol: DBB, at: "12:56", mode: ${mode}}}]`,
    ],
    { keep: `${dir.path}/${mode}` },
  );

test("a timer runs at its minute though no bar comes then", async () => {
  const outcome = await run("market");
  expect(outcome.log.some((l) => l.includes("timer at 2025-07-03T16:56:00.000Z, holding 10"))).toBe(true);
  const orders = csvBody(`${dir.path}/market`, "orders.csv");
  const sell = orders.find((o) => o[4] === "sell")!;
  expect([sell[1], sell[5]]).toEqual(["2025-07-03T16:56:00.000Z", "market"]);
  // The next DBB bar is 12:58: the market order fills there.
  const fills = csvBody(`${dir.path}/market`, "fills.csv");
  expect(fills.find((f) => f[2] === "sell")![0]).toBe("2025-07-03T16:58:00.000Z");
});

test("a moc order fills at the close at the day's last close, and the strategy is flat", async () => {
  const outcome = await run("moc");
  const fills = csvBody(`${dir.path}/moc`, "fills.csv");
  const sell = fills.find((f) => f[2] === "sell")!;
  expect([sell[0], sell[3], sell[4]]).toEqual(["2025-07-03T17:00:00.000Z", "10", "19.435"]);
  expect(outcome.summary.trading.open_positions).toEqual([]);
});
