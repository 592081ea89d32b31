/**
 * What the page embeds of a big run, on sessions/july.yaml with small limits: symbols with round
 * trips charted first, the bar budget spent coarsest interval first and every stream left out
 * named, the equity curve thinned without losing its lowest point, long tables cut with a note.
 */
import { afterAll, expect, test } from "bun:test";
import pl from "nodejs-polars";
import { renderReport } from "../../src/core/report/page.ts";
import { loadReportInput, type ReportLimits } from "../../src/core/report/report-input.ts";
import { runTestSession } from "../helpers/session.ts";
import { tempDir } from "../helpers/tmp.ts";

const dir = tempDir("report-limits");
afterAll(() => dir[Symbol.dispose]());
const run = await runTestSession("sessions/july.yaml", [], { keep: `${dir.path}/run` });
const limits: ReportLimits = { charts: 3, bars: 1500, equityPoints: 100, tableRows: 5 };
const input = loadReportInput(run.runDir, limits);
const streams = run.summary.streams;
const traded = [...new Set(run.summary.streams.map((s) => s.symbol))].filter((s) => (run.summary.performance_by_symbol[s]?.trades ?? 0) > 0);

test("the first symbols with round trips are charted; the others are named as left out", () => {
  const charted = input.prices.map((p) => p.symbol);
  expect(charted).toEqual(traded.slice(0, 3));
  const all = [...new Set(streams.map((s) => s.symbol))];
  for (const symbol of all.filter((s) => !charted.includes(s))) expect(input.omitted).toContainEqual({ symbol, interval: "all", why: "only 3 symbols are charted (traded ones first)" });
});

test("the bar budget goes to coarser intervals first, and every stream that did not fit is named with its file", () => {
  const embedded = input.prices.flatMap((p) => p.intervals.map((i) => ({ symbol: p.symbol, interval: i.interval, bars: i.bars.length })));
  expect(embedded.reduce((n, e) => n + e.bars, 0)).toBeLessThanOrEqual(1500);
  for (const p of input.prices) {
    // Every embedded series is whole: as many bars as the stream has.
    for (const i of p.intervals) expect(i.bars.length).toBe(streams.find((s) => s.symbol === p.symbol && s.interval === i.interval)!.bars);
    const intervals = streams.filter((s) => s.symbol === p.symbol).map((s) => s.interval);
    expect(p.intervals.map((i) => i.interval)).toContain(intervals.at(-1)!); // the coarsest is always there
    for (const interval of intervals.filter((iv) => !p.intervals.some((i) => i.interval === iv))) {
      expect(input.omitted.find((o) => o.symbol === p.symbol && o.interval === interval)!.why).toContain(`over the page's budget of 1,500; see bars/${p.symbol}_${interval}.parquet`);
    }
  }
  // 3 x 15m (66) + 3 x 5m (198) fit in 1,500; no 1m series (990) does.
  expect(embedded.map((e) => e.interval).sort()).toEqual(["15m", "15m", "15m", "5m", "5m", "5m"]);
});

test("the equity curve is thinned to about 100 points and keeps its lowest one", () => {
  const equity = pl.readParquet(`${run.runDir}/equity.parquet`).getColumn("equity").toArray() as number[];
  expect(equity.length).toBe(390 + 210 + 390); // one mark a merge step
  expect(input.equity.length).toBe(Math.ceil(equity.length / Math.ceil(equity.length / 100)));
  expect(Math.min(...input.equity.map((p) => p[1]))).toBe(Math.min(...equity));
});

test("the trades and gaps tables show their first rows and say how many the files have", () => {
  const html = renderReport(input);
  expect(html).toContain(`The first 5 of ${run.summary.performance.trades} round trips; trades.csv has them all.`);
  expect(input.gaps.length).toBe(5);
  expect(html).toContain(`The first 5 of ${input.gapCount.toLocaleString("en-US")} gaps; gaps.csv has them all.`);
  const tradesTable = html.slice(html.indexOf('data-table="trades"'), html.indexOf("</table>", html.indexOf('data-table="trades"')));
  expect((tradesTable.match(/<tr>/g) ?? []).length).toBe(1 + 5); // the header and five rows
});
