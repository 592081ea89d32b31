/**
 * The main job's report, end to end: `bun run session sessions/july.yaml --screenshot` as a real
 * process, report.html opened in headless Chromium (offline: any request fails the test), every
 * chart drawn, the tables equal to summary.json and trades.csv; the metrics recomputed from the
 * files equal the summary's; `bun run report` rebuilds the same page; two runs are the same by
 * `bun run report diff`, and a changed parameter is found with the first order or fill that moved.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { computePerformance, type Performance } from "../../src/core/run/metrics.ts";
import { formatMetric } from "../../src/core/report/format.ts";
import { readRunTables } from "../../src/core/run/read-run.ts";
import { launchBrowser, openReport } from "../../src/core/report/screenshot.ts";
import { runScript } from "../helpers/cli.ts";
import { tempDir } from "../helpers/tmp.ts";

const dir = tempDir("report");
afterAll(() => dir[Symbol.dispose]());
const runA = `${dir.path}/a`;
const runB = `${dir.path}/b`;
const first = runScript("session", ["sessions/july.yaml", "--out", runA, "--screenshot"]);
const second = runScript("session", ["sessions/july.yaml", "--out", runB, "--log-level", "warn"]);
const summary = JSON.parse(readFileSync(`${runA}/summary.json`, "utf8"));

const browser = await launchBrowser();
afterAll(() => browser.close());
const page = await openReport(browser, `${runA}/report.html`);

/** Pixels of each chart's canvases close to the colours its series are drawn in. */
const SERIES_COLOURS: Record<string, number[][]> = {
  equity: [[31, 111, 235]],
  drawdown: [[209, 36, 47]],
  quality: [[45, 164, 78], [191, 135, 0]],
  price: [[45, 164, 78], [209, 36, 47]],
};
const painted = (await page.evaluate(`(() => {
  const colours = ${JSON.stringify(SERIES_COLOURS)};
  return [...document.querySelectorAll("[data-chart]")].map((el) => {
    const kind = el.dataset.chart.startsWith("price-") ? "price" : el.dataset.chart;
    let pixels = 0;
    for (const canvas of el.querySelectorAll("canvas")) {
      if (canvas.width === 0 || canvas.height === 0) continue;
      const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] < 200) continue;
        if (colours[kind].some((c) => Math.abs(data[i] - c[0]) + Math.abs(data[i + 1] - c[1]) + Math.abs(data[i + 2] - c[2]) < 30)) pixels++;
      }
    }
    return { chart: el.dataset.chart, id: el.id, pixels };
  });
})()`)) as { chart: string; id: string; pixels: number }[];

describe("bun run session sessions/july.yaml: the report", () => {
  test("the run succeeds and the console's closing table has trades, return, drawdown, Sharpe and the report", () => {
    expect(first.exitCode).toBe(0);
    expect(second.exitCode).toBe(0);
    const p = summary.performance;
    expect(first.stdout).toContain(`trades    ${p.trades} round trips`);
    expect(first.stdout).toContain(`return    ${(100 * p.total_return).toFixed(2)}%`);
    expect(first.stdout).toContain(`drawdown  ${(100 * p.max_drawdown).toFixed(2)}%`);
    expect(first.stdout).toContain(`sharpe    ${p.sharpe.toFixed(2)}`);
    expect(first.stdout).toContain(`report    ${runA}/report.html`);
  });

  test("every chart is drawn: equity, drawdown, quality and a price chart per symbol, each with its series on the canvas", async () => {
    expect(painted.map((c) => c.chart)).toEqual(["equity", "drawdown", "price-MSFT", "price-JPM", "price-XLK", "price-FXY", "price-DBB", "quality"]);
    for (const c of painted) expect({ chart: c.chart, drawn: c.pixels > 50 }).toEqual({ chart: c.chart, drawn: true });
    // The page's script reports each chart it created; none is missing.
    expect(((await page.evaluate("window.__reportCharts")) as string[]).sort()).toEqual(painted.map((c) => c.id).sort());
  });

  test("the metrics tables hold summary.json's numbers, for the account, each strategy and each symbol", async () => {
    const cells = (await page.evaluate(`[...document.querySelectorAll("td[data-metric]")].map((td) => ({ scope: td.dataset.scope, name: td.dataset.name, metric: td.dataset.metric, value: JSON.parse(td.dataset.value), text: td.textContent }))`)) as { scope: string; name: string; metric: keyof Performance; value: number | string | null; text: string }[];
    const expected = (c: (typeof cells)[number]) =>
      c.scope === "account" ? summary.performance[c.metric] : c.scope === "strategy" ? summary.performance_by_strategy[c.name][c.metric] : summary.performance_by_symbol[c.name][c.metric];
    // 20 metrics x (account + 3 strategies) + 12 x 5 symbols.
    expect(cells.length).toBe(20 * 4 + 12 * 5);
    for (const c of cells) {
      expect({ at: `${c.scope} ${c.name} ${c.metric}`, value: c.value }).toEqual({ at: `${c.scope} ${c.name} ${c.metric}`, value: expected(c) });
      expect(c.text).toBe(formatMetric(c.metric, expected(c)));
    }
  });

  test("the trades table is trades.csv, and the streams table is summary.json's streams", async () => {
    const rows = (await page.evaluate(`[...document.querySelectorAll("[data-table=trades] tbody tr")].map((tr) => [...tr.children].map((td) => td.dataset.value ?? td.textContent))`)) as string[][];
    const csv = readFileSync(`${runA}/trades.csv`, "utf8").trim().split("\n").slice(1).map((line) => line.split(","));
    expect(rows.length).toBe(csv.length);
    expect(rows.length).toBe(summary.performance.trades);
    rows.forEach((row, i) => {
      const [symbol, side, qty, entryTime, entryPrice, exitTime, exitPrice, pnl, commission, strategy] = csv[i]!;
      expect(row).toEqual([strategy!, symbol!, side!, qty!, entryTime!, entryPrice!, exitTime!, exitPrice!, pnl!, commission!]);
    });
    const streams = (await page.evaluate(`[...document.querySelectorAll("[data-table=streams] tbody tr")].map((tr) => [...tr.children].map((td) => td.dataset.value ?? td.textContent))`)) as string[][];
    expect(streams).toEqual(summary.streams.map((s: Record<string, unknown>) => [s.symbol, s.interval, s.source, String(s.bars), String(s.expected), String(s.quality), String(s.gaps)]));
  });

  test("--screenshot writes report.png, a full-page PNG as wide as the browser's viewport", () => {
    const png = readFileSync(`${runA}/report.png`);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.readUInt32BE(16)).toBe(1400); // IHDR width
    expect(png.readUInt32BE(20)).toBeGreaterThan(3000); // the whole page, not one screen
  });

  test("the page is self-contained: no URL to load but the file itself", () => {
    const html = readFileSync(`${runA}/report.html`, "utf8");
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    expect(html).toContain("TradingView Lightweight Charts");
  });
});

describe("the report from the files", () => {
  test("the metrics recomputed from equity.parquet, equity_daily.parquet and the CSV files equal summary.json's", () => {
    const recomputed = computePerformance(readRunTables(runA), {
      initialEquity: summary.performance.initial_equity,
      dateOf: (ms) => new Date(ms).toISOString().slice(0, 10), // NYSE sessions are within one UTC day
      strategies: Object.keys(summary.performance_by_strategy),
      symbols: Object.keys(summary.performance_by_symbol),
    });
    expect(recomputed).toEqual({ performance: summary.performance, performance_by_strategy: summary.performance_by_strategy, performance_by_symbol: summary.performance_by_symbol });
    // The account's final equity is the broker's, and the scopes' P&L add up to the account's.
    expect(summary.performance.final_equity).toBe(summary.trading.final_equity);
    const pnl = (section: Record<string, Performance>) => Object.values(section).reduce((n, p) => n + p.final_equity - p.initial_equity, 0);
    const account = summary.performance.final_equity - summary.performance.initial_equity;
    expect(pnl(summary.performance_by_strategy)).toBeCloseTo(account, 2);
    expect(pnl(summary.performance_by_symbol)).toBeCloseTo(account, 2);
    expect(Object.values(summary.performance_by_strategy as Record<string, Performance>).reduce((n, p) => n + p.trades, 0)).toBe(summary.performance.trades);
  });

  test("report.formats with html but without the files it is built from is refused before anything runs", () => {
    const result = runScript("session", ["validate", "sessions/july.yaml", "--set", "report.formats=[json, html]"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("report.formats: html is built from the json, csv and parquet files; add csv, parquet or drop html");
  });

  test("bun run report <run-dir> rebuilds the same page", () => {
    const before = readFileSync(`${runA}/report.html`, "utf8");
    const rebuilt = runScript("report", [runA]);
    expect(rebuilt.exitCode).toBe(0);
    expect(rebuilt.stdout).toBe(`report: ${runA}/report.html\n`);
    expect(readFileSync(`${runA}/report.html`, "utf8")).toBe(before);
  });

  test("two runs of the same session: report diff finds nothing, and the pages are byte-identical", () => {
    const diff = runScript("report", ["diff", runA, runB]);
    expect(diff.stdout).toContain("no differences");
    expect(diff.exitCode).toBe(0);
    expect(readFileSync(`${runB}/report.html`, "utf8")).toBe(readFileSync(`${runA}/report.html`, "utf8"));
  });

  test("a changed parameter: report diff names the config line, the metrics, and the first order or fill that moved", () => {
    const changed = `${dir.path}/c`;
    expect(runScript("session", ["sessions/july.yaml", "--out", changed, "--log-level", "warn", "--set", "strategies[0].params.fast_period=5"]).exitCode).toBe(0);
    const diff = runScript("report", ["diff", runA, changed, "--json"]);
    expect(diff.exitCode).toBe(1);
    const result = JSON.parse(diff.stdout);
    expect(result.same).toBe(false);
    expect(result.config).toEqual([{ path: "strategies[0].params.fast_period", a: 10, b: 5 }]);
    expect(result.metrics.map((m: { path: string }) => m.path)).toContain("performance_by_strategy.sma_crossover.final_equity");
    // The first difference in orders.csv or fills.csv, and it is sma_crossover's.
    const d = result.divergence;
    expect(["order", "fill"]).toContain(d.kind);
    const rowsA = readFileSync(`${runA}/${d.file}`, "utf8").trim().split("\n").slice(1);
    const rowsB = readFileSync(`${changed}/${d.file}`, "utf8").trim().split("\n").slice(1);
    expect(rowsA.slice(0, d.row - 1)).toEqual(rowsB.slice(0, d.row - 1));
    expect(rowsA[d.row - 1]).not.toBe(rowsB[d.row - 1]);
    expect([d.a, d.b].some((row: string | null) => row?.includes("sma_crossover"))).toBe(true);
    const text = runScript("report", ["diff", runA, changed]);
    expect(text.stdout).toContain(`first divergence: ${d.kind} ${d.row}`);
  });

  test("a folder that is not a run directory is a clear error", () => {
    const result = runScript("report", [dir.path]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`${dir.path}: no summary.json; is it a run directory?`);
  });
});
