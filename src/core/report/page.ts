/**
 * report.html: one self-contained page (the charting library, the script, the styles and the
 * data inlined; nothing fetched), with the metrics, the equity curve and drawdown, price with the
 * round trips per symbol and interval, quality and gaps, and the trades. Tables are rendered
 * here, as HTML with each number's exact value in `data-value`; charts are drawn in the browser.
 * The page depends only on the run's results (no timings, no paths), so equal runs give equal pages.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { METRIC_KINDS, METRIC_LABELS, esc, formatMetric, json, money, percent } from "./format.ts";
import type { Performance } from "../run/metrics.ts";
import type { ReportInput } from "./report-input.ts";

// The library's standalone build (it defines window.LightweightCharts), found through its package.
const LIBRARY = join(dirname(Bun.resolveSync("lightweight-charts/package.json", import.meta.dir)), "dist/lightweight-charts.standalone.production.js");
const SCRIPT = join(import.meta.dir, "page/report.js");
const STYLE = join(import.meta.dir, "page/report.css");

const DEFINITIONS = [
  "Daily returns are close-to-close changes of equity, the first from the initial equity.",
  "Sharpe = mean / standard deviation (sample) of daily returns x sqrt(252), risk-free rate 0.",
  "Sortino = mean daily return / sqrt(mean of squared negative daily returns) x sqrt(252), target 0.",
  "CAGR is shown for windows of a year or more. Max drawdown is the deepest fall from a running peak: over every merge step for the account, over daily closes for a strategy or a symbol.",
  "Exposure is the share of merge steps that ended with a position open; turnover is traded value over mean daily equity.",
  "A strategy's or a symbol's equity is the account's initial equity plus its own P&L (fills' cash flows, commissions, and its open position marked at the last price).",
];

/** The page. */
export function renderReport(input: ReportInput): string {
  const { summary } = input;
  const data = {
    initial_equity: summary.performance.initial_equity,
    equity: input.equity,
    daily_quality: summary.days.map((d) => [d.date, d.base_quality]),
    prices: input.prices,
  };
  const title = `${summary.session_name}: ${summary.window.start} to ${summary.window.end}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} - sessionflow report</title>
<style>${readFileSync(STYLE, "utf8")}</style>
</head>
<body>
<header>
  <h1>${esc(summary.session_name)}</h1>
  <p>${esc(summary.market.name)} · ${esc(summary.window.start)} to ${esc(summary.window.end)} · ${summary.totals.trading_days} trading days · ${summary.totals.bars.toLocaleString("en-US")} bars streamed, ${summary.totals.derived_bars.toLocaleString("en-US")} generated · times in ${esc(summary.market.timezone)} · config ${esc(summary.config_digest.slice(0, 12))}</p>
${incompleteNote(summary)}
  <nav><a href="#metrics">Metrics</a><a href="#equity">Equity</a><a href="#prices">Prices</a><a href="#quality">Quality</a><a href="#trades">Trades</a></nav>
</header>
<main>
${auditSection(input)}${metricsSection(input)}
<section id="equity">
  <h2>Equity and drawdown</h2>
  <div class="chart" id="chart-equity" data-chart="equity"></div>
  <div class="chart short" id="chart-drawdown" data-chart="drawdown"></div>
</section>
${pricesSection(input)}
${qualitySection(input)}
${tradesSection(input)}
</main>
<footer>Made by sessionflow. Charts: <a href="https://www.tradingview.com/lightweight-charts/">TradingView Lightweight Charts</a> (Apache-2.0), inlined.</footer>
<script type="application/json" id="report-data">${json(data)}</script>
<script>${readFileSync(LIBRARY, "utf8")}</script>
<script>${readFileSync(SCRIPT, "utf8")}</script>
</body>
</html>
`;
}

/** `--audit`: the look-ahead audit's verdict, and each finding. */
function auditSection(input: ReportInput): string {
  const audit = input.summary.audit;
  if (!audit) return "";
  const rows = audit.findings.map((f) => `<tr><td>${esc(f.strategy)}</td><td>${esc(f.symbol)}</td><td>${esc(f.time)}</td><td>${esc(f.cut)}</td><td>${esc(f.expected ?? "no order")}</td><td>${esc(f.got ?? "no order")}</td></tr>`).join("");
  const table = audit.findings.length ? `<table data-table="audit"><thead><tr><th>strategy</th><th>symbol</th><th>order time</th><th>data cut at</th><th>with all the data</th><th>with the data cut</th></tr></thead><tbody>${rows}</tbody></table>` : "";
  const verdict = audit.verdict === "pass" ? "pass: no strategy's orders depend on data after the instant they were placed" : "look-ahead found: orders differ when the data after them is removed";
  return `<section id="audit" data-verdict="${audit.verdict}">
  <h2>Look-ahead audit</h2>
  <p class="${audit.verdict === "pass" ? "note" : "incomplete"}">${esc(verdict)} (${audit.strategies.length} strategies, ${audit.cuts.length} cuts from ${esc(audit.cuts[0] ?? "-")} to ${esc(audit.cuts.at(-1) ?? "-")}, ${audit.compared_orders} orders compared).</p>
  ${table}
</section>
`;
}

/** A run that did not finish says so before anything else: its figures cover the days that reached the disk. */
function incompleteNote(summary: ReportInput["summary"]): string {
  const status = summary.incomplete;
  if (!status) return "";
  const why = status.state === "running" ? "its process ended before the session did" : status.state === "stopped" ? "it was stopped" : `it failed${status.error ? `: ${status.error.split("\n")[0]}` : ""}`;
  const done = status.days_complete === 0 ? "no trading day was complete" : `${status.days_complete} trading day${status.days_complete === 1 ? " is" : "s are"} complete, the last ${status.last_day}`;
  return `  <p class="incomplete" data-incomplete="${esc(status.state)}">Incomplete run: ${esc(why)}; ${esc(done)}. Every figure below covers those days only.</p>`;
}

function metricsSection(input: ReportInput): string {
  const { summary } = input;
  const metrics = Object.keys(METRIC_KINDS) as (keyof Performance)[];
  const scopes: { scope: string; name: string; perf: Performance }[] = [
    { scope: "account", name: "account", perf: summary.performance },
    ...Object.entries(summary.performance_by_strategy).map(([name, perf]) => ({ scope: "strategy", name, perf })),
  ];
  const head = `<tr><th>metric</th>${scopes.map((s) => `<th>${s.scope === "account" ? "Account" : esc(s.name)}</th>`).join("")}</tr>`;
  const rows = metrics.map((m) => `<tr><th>${esc(METRIC_LABELS[m])}</th>${scopes.map((s) => cell(s.scope, s.name, m, s.perf[m])).join("")}</tr>`).join("\n");
  const symbolMetrics: (keyof Performance)[] = ["final_equity", "total_return", "sharpe", "max_drawdown", "win_rate", "profit_factor", "exposure", "turnover", "trades", "commissions", "rejected_orders", "ambiguous_fills"];
  const symbolRows = Object.entries(summary.performance_by_symbol)
    .map(([name, perf]) => `<tr><th>${esc(name)}</th>${symbolMetrics.map((m) => cell("symbol", name, m, perf[m])).join("")}</tr>`)
    .join("\n");
  return `<section id="metrics">
  <h2>Metrics</h2>
  <table class="metrics" data-table="metrics"><thead>${head}</thead><tbody>
${rows}
  </tbody></table>
  <h3>By symbol</h3>
  <table class="metrics" data-table="metrics-by-symbol"><thead><tr><th>symbol</th>${symbolMetrics.map((m) => `<th>${esc(METRIC_LABELS[m])}</th>`).join("")}</tr></thead><tbody>
${symbolRows}
  </tbody></table>
  ${summary.totals.trading_days < FEW_DAYS ? `<p class="note" data-caveat="few-days">Sharpe and Sortino over ${summary.totals.trading_days} trading day${summary.totals.trading_days === 1 ? "" : "s"}: annualised from so few daily returns they say little (they need ${FEW_DAYS} or more to mean much).</p>` : ""}
  <ul class="definitions">${DEFINITIONS.map((d) => `<li>${esc(d)}</li>`).join("")}</ul>
</section>`;
}

/** Below this many trading days a Sharpe or Sortino ratio is shown with a caveat. */
const FEW_DAYS = 20;

function cell(scope: string, name: string, metric: keyof Performance, value: number | string | null): string {
  const kind = METRIC_KINDS[metric];
  const cls = kind === "date" ? "" : ` class="num${typeof value === "number" && value < 0 ? " neg" : ""}"`;
  return `<td${cls} data-scope="${esc(scope)}" data-name="${esc(name)}" data-metric="${metric}" data-value="${esc(JSON.stringify(value))}">${esc(formatMetric(metric, value))}</td>`;
}

function pricesSection(input: ReportInput): string {
  const charts = input.prices
    .map(
      (p) => `<div class="price" data-symbol="${esc(p.symbol)}">
    <h3>${esc(p.symbol)} <span class="buttons">${p.intervals.map((i) => `<button type="button">${esc(i.interval)}</button>`).join("")}</span></h3>
    <div class="chart" id="chart-price-${esc(p.symbol)}" data-chart="price-${esc(p.symbol)}"></div>
  </div>`,
    )
    .join("\n");
  const omitted = input.omitted.length
    ? `<p class="note">Not charted: ${input.omitted.map((o) => `${esc(o.symbol)} ${esc(o.interval)} (${esc(o.why)})`).join("; ")}.</p>`
    : "";
  return `<section id="prices">
  <h2>Prices and round trips</h2>
  <p class="note">Arrows mark each round trip's entry and exit on the bar that holds the fill (▲ buy, ▼ sell).</p>
${charts || `<p class="note">No bars to chart.</p>`}
  ${omitted}
</section>`;
}

function qualitySection(input: ReportInput): string {
  const { summary } = input;
  const streams = summary.streams
    .map(
      (s) =>
        `<tr><td>${esc(s.symbol)}</td><td>${esc(s.interval)}</td><td>${esc(s.source)}</td>${num(s.bars, s.bars.toLocaleString("en-US"))}${num(s.expected, s.expected.toLocaleString("en-US"))}${s.quality === null ? `<td class="num">-</td>` : num(s.quality, `${s.quality.toFixed(2)}%`, s.quality < 100 ? " warn" : "")}${num(s.gaps, String(s.gaps), s.gaps > 0 ? " warn" : "")}</tr>`,
    )
    .join("\n");
  const gaps = input.gaps
    .map((g) => `<tr><td>${esc(g.date)}</td><td>${esc(g.symbol)}</td><td>${esc(g.interval)}</td><td>${esc(g.start_utc)}</td><td>${esc(g.end_utc)}</td>${num(g.bars, String(g.bars))}</tr>`)
    .join("\n");
  const more = input.gapCount > input.gaps.length ? `<p class="note">The first ${input.gaps.length.toLocaleString("en-US")} of ${input.gapCount.toLocaleString("en-US")} gaps; gaps.csv has them all.</p>` : "";
  return `<section id="quality">
  <h2>Data quality</h2>
  <p class="note">Mean quality of the streamed (base) series per day: bars received over bars a complete feed has.</p>
  <div class="chart short" id="chart-quality" data-chart="quality"></div>
  <table data-table="streams"><thead><tr><th>symbol</th><th>interval</th><th>source</th><th>bars</th><th>expected</th><th>quality</th><th>gaps</th></tr></thead><tbody>
${streams}
  </tbody></table>
  <h3>Gaps</h3>
  ${input.gapCount === 0 ? `<p class="note">No gaps.</p>` : `<details><summary>${input.gapCount.toLocaleString("en-US")} gaps ([from, to) runs of missing bars)</summary><table data-table="gaps"><thead><tr><th>date</th><th>symbol</th><th>interval</th><th>from (UTC)</th><th>to (UTC)</th><th>bars</th></tr></thead><tbody>
${gaps}
  </tbody></table>${more}</details>`}
</section>`;
}

function tradesSection(input: ReportInput): string {
  const shown = input.trades.slice(0, input.limits.tableRows);
  // Times in the exchange's zone, like the charts; the exact UTC instant is each cell's data-value.
  const zone = input.summary.market.timezone;
  const format = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const local = (iso: string) => format.format(new Date(iso)).replace(",", "");
  const time = (iso: string) => `<td data-value="${esc(iso)}">${esc(local(iso))}</td>`;
  const rows = shown
    .map(
      (t) =>
        `<tr><td>${esc(t.strategy)}</td><td>${esc(t.symbol)}</td><td>${esc(t.side)}</td>${num(t.qty, String(t.qty))}${time(t.entry_time)}${num(t.entry_price, String(t.entry_price))}${time(t.exit_time)}${num(t.exit_price, String(t.exit_price))}${num(t.pnl, money(t.pnl), t.pnl < 0 ? " neg" : "")}${num(t.commission, money(t.commission))}</tr>`,
    )
    .join("\n");
  const more = input.trades.length > shown.length ? `<p class="note">The first ${shown.length.toLocaleString("en-US")} of ${input.trades.length.toLocaleString("en-US")} round trips; trades.csv has them all.</p>` : "";
  const total = input.trades.reduce((n, t) => n + t.pnl, 0);
  return `<section id="trades">
  <h2>Round trips</h2>
  <p class="note">${input.trades.length} round trips, P&amp;L ${money(total)} after commissions (win rate ${input.summary.performance.win_rate === null ? "-" : percent(input.summary.performance.win_rate)}).</p>
  ${input.trades.length === 0 ? "" : `<table data-table="trades"><thead><tr><th>strategy</th><th>symbol</th><th>side</th><th>qty</th><th>entry (${esc(zone)})</th><th>entry price</th><th>exit (${esc(zone)})</th><th>exit price</th><th>P&amp;L</th><th>commission</th></tr></thead><tbody>
${rows}
  </tbody></table>${more}`}
</section>`;
}

function num(value: number, text: string, extra = ""): string {
  return `<td class="num${extra}" data-value="${esc(JSON.stringify(value))}">${esc(text)}</td>`;
}
