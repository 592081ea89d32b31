/**
 * Streams per symbol: a symbol with second bars beside symbols with minutes, each streaming its
 * own base and generating its own intervals (session_data_config.symbol_streams).
 */
import { afterAll, expect, test } from "bun:test";
import { cpSync } from "node:fs";
import pl from "nodejs-polars";
import { Store } from "../../src/core/data/store.ts";
import { requireInterval } from "../../src/core/time/interval.ts";
import { ROOT } from "../helpers/cli.ts";
import { runTestSession } from "../helpers/session.ts";
import { tempDir } from "../helpers/tmp.ts";

const dir = tempDir("symbol-streams");
afterAll(() => dir[Symbol.dispose]());
const root = `${dir.path}/store`;
cpSync(`${ROOT}/data`, root, { recursive: true });
// SEC: a second bar for every second of 2025-07-02's regular session.
const open = Date.parse("2025-07-02T13:30:00Z");
const ts = Array.from({ length: 23_400 }, (_, i) => open + i * 1000);
const price = ts.map((_, i) => 50 + (i % 600) / 100);
new Store(root, "US_EQUITY").write({ kind: "bars", interval: requireInterval("1s") }, "SEC", pl.DataFrame([pl.Series("ts", ts).cast(pl.Int64), pl.Series("open", price), pl.Series("high", price), pl.Series("low", price), pl.Series("close", price), pl.Series("volume", ts.map(() => 10))]));

test("SEC streams its seconds and builds minutes; MSFT streams minutes and builds 5m; neither gets the other's", async () => {
  const run = await runTestSession("sessions/july.yaml", [
    `data.root=${root}`,
    "backtest_config.end_date=2025-07-02",
    "session_data_config.symbols=[MSFT, SEC]",
    "session_data_config.streams=[1m, 5m]",
    "session_data_config.symbol_streams={SEC: [1s, 1m]}",
    "session_data_config.indicators.session=[]",
    "session_data_config.indicators.historical=[]",
    "session_data_config.historical.data=[]",
    "strategies=[]",
  ]);
  const streams = run.summary.streams.map((s) => [s.symbol, s.interval, s.source, s.bars]);
  expect(streams).toEqual([
    ["MSFT", "1m", "streamed", 390],
    ["MSFT", "5m", "generated", 78],
    ["SEC", "1s", "streamed", 23_400],
    ["SEC", "1m", "generated", 390],
  ]);
});
