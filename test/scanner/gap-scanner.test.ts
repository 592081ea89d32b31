/**
 * The gap scanner on the bundled data (sessions/july-scanner.yaml): at 09:31 each day it selects
 * the universe symbols whose 09:30 open was at least 0.3% from the previous close (the two largest
 * gaps), computed independently here from the store; selected symbols stream from 09:31 on (never
 * the bar before), and symbols no longer selected are removed.
 */
import { afterAll, describe, expect, test } from "bun:test";
import pl from "nodejs-polars";
import { barColumns } from "../../src/core/data/bars.ts";
import { DataManager } from "../../src/core/data/data-manager.ts";
import { Store } from "../../src/core/data/store.ts";
import { MarketCalendar } from "../../src/core/time/calendar.ts";
import { isoDay } from "../../src/core/time/dates.ts";
import { requireInterval } from "../../src/core/time/interval.ts";
import { ROOT } from "../helpers/cli.ts";
import { dayStreamRows } from "../helpers/rows.ts";
import { runTestSession } from "../helpers/session.ts";
import { tempDir } from "../helpers/tmp.ts";

const nyse = MarketCalendar.for("US_EQUITY", "EQUITY");
const data = new DataManager(new Store(`${ROOT}/data`, "US_EQUITY"), nyse);
const dir = tempDir("scanner");
afterAll(() => dir[Symbol.dispose]());
const run = await runTestSession("sessions/july-scanner.yaml", [], { keep: `${dir.path}/run` });

/** The gap of a symbol on a day: its first regular open against the previous session's last regular close. */
function gap(symbol: string, date: string): number | undefined {
  const day = isoDay(date);
  const today = barColumns(data.getBars(symbol, requireInterval("1m"), nyse.session(day)!.open, nyse.session(day)!.close));
  const previous = nyse.previousTradingDay(day);
  const before = barColumns(data.getBars(symbol, requireInterval("1m"), nyse.session(previous)!.open, nyse.session(previous)!.close));
  if (today.ts.length === 0 || before.ts.length === 0 || today.ts[0] !== nyse.session(day)!.open) return undefined;
  return (100 * (today.open[0]! - before.close[before.close.length - 1]!)) / before.close[before.close.length - 1]!;
}

describe("the gap scanner adds and removes symbols mid-session", () => {
  test("the selection each day equals the two largest gaps of at least 0.3%, computed from the store", () => {
    const universe = ["JPM", "XLK", "FXY", "DBB"];
    const expected = ["2025-07-02", "2025-07-03", "2025-07-07"].map((date) =>
      universe
        .map((symbol) => ({ symbol, gap: gap(symbol, date) }))
        .filter((g) => g.gap !== undefined && Math.abs(g.gap) >= 0.3)
        .sort((a, b) => Math.abs(b.gap!) - Math.abs(a.gap!))
        .slice(0, 2)
        .map((g) => g.symbol),
    );
    expect(run.summary.scans.map((s) => s.selected)).toEqual(expected);
    expect(run.summary.scans.map((s) => s.time)).toEqual(["2025-07-02T13:31:00.000Z", "2025-07-03T13:31:00.000Z", "2025-07-07T13:31:00.000Z"]);
  });

  test("a symbol added at 09:31 streams from the 09:31 bar on, and its quality counts from then", () => {
    const first = run.summary.scans[0]!;
    expect(first.added.length).toBeGreaterThan(0);
    for (const symbol of first.added) {
      const bars = barColumns(pl.readParquet(`${run.runDir}/bars/${symbol}_1m.parquet`));
      expect(bars.ts[0]).toBeGreaterThanOrEqual(Date.parse("2025-07-02T13:31:00Z"));
      const row = dayStreamRows(run.result.plan, run.result.days[0]!).find((s) => s.symbol === symbol && s.interval === "1m")!;
      expect(row.expected).toBe(389);
    }
  });

  test("symbols the scan no longer selects are removed; the session's own are kept", () => {
    const [a, b, c] = run.summary.scans;
    expect(b!.removed).toEqual(a!.selected.filter((s) => !b!.selected.includes(s)));
    expect(c!.removed).toEqual(b!.selected.filter((s) => !c!.selected.includes(s)));
    expect(run.summary.streams.find((s) => s.symbol === "MSFT" && s.interval === "1m")!.bars).toBe(990);
    expect(run.log.some((l) => l.startsWith("[SESSION_FLOW] PHASE_5.ADD:"))).toBe(true);
  });
});
