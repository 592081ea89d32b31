/**
 * A sweep's report.html: one self-contained page. The variants' table (every axis value and
 * metric; click a header to sort), the objective over any two axes as a heatmap (each cell the
 * best value over the other axes; pick the axes and the metric), each axis' sensitivity (the
 * objective's mean, best and worst per value), and for a walk-forward each fold's in-sample
 * against out-of-sample objective with the stitched out-of-sample equity curve. Tables are
 * rendered here with exact values in `data-value`; the script only sorts and redraws the heatmap.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Performance } from "../run/metrics.ts";
import { esc, json } from "./format.ts";

/** A row as the page needs it. */
export interface SweepReportRow {
  fold: number | null;
  variant: number;
  id: string;
  values: Record<string, unknown>;
  status: "ok" | "failed";
  error: string | null;
  performance: Performance | null;
  keep: boolean | null;
}

/** What the page shows. */
export interface SweepReportData {
  title: string;
  axes: string[];
  objective: { metric: string; goal: "max" | "min" };
  keep: string | null;
  results: SweepReportRow[];
  best: { variant: number; fold: number | null } | null;
  walkForward: {
    folds: { fold: number; train: [string, string]; test: [string, string]; variant: number | null; values: Record<string, unknown> | null; inSample: number | null; outOfSample: number | null }[];
    equity: { ts: number[]; equity: number[] };
  } | null;
}

const SCRIPT = join(import.meta.dir, "page/sweep.js");
const STYLE = join(import.meta.dir, "page/report.css");
const SHOWN = ["total_return", "sharpe", "sortino", "max_drawdown", "win_rate", "profit_factor", "trades", "exposure", "turnover"];

/** The page. */
export function renderSweepReport(data: SweepReportData): string {
  const ok = data.results.filter((r) => r.status === "ok");
  const failed = data.results.length - ok.length;
  const metrics = [...new Set([data.objective.metric, ...SHOWN])];
  const payload = {
    axes: data.axes,
    objective: data.objective,
    metrics,
    rows: data.results.map((r) => ({ fold: r.fold, variant: r.variant, values: r.values, ok: r.status === "ok", keep: r.keep, perf: r.performance ? Object.fromEntries(metrics.map((m) => [m, r.performance![m as keyof Performance]])) : null })),
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(data.title)} - sessionflow sweep</title>
<style>${readFileSync(STYLE, "utf8")}
.heat td.cell { text-align: right; min-width: 70px; }
th.sortable { cursor: pointer; }
th.sortable[data-order=asc]::after { content: " ▲"; }
th.sortable[data-order=desc]::after { content: " ▼"; }
tr.best td { font-weight: 700; }
svg.curve { width: 100%; height: 220px; }
</style>
</head>
<body>
<header>
  <h1>Sweep: ${esc(data.title)}</h1>
  <p>${data.results.length} runs (${ok.length} ok, ${failed} failed) · ${data.axes.length} axes · objective: ${data.objective.goal} ${esc(data.objective.metric)}${data.keep ? ` · keep: <code>${esc(data.keep)}</code>` : ""}</p>
  <nav>${data.walkForward ? '<a href="#walk-forward">Walk-forward</a>' : ""}<a href="#heatmap">Heatmap</a><a href="#sensitivity">Sensitivity</a><a href="#variants">Variants</a></nav>
</header>
<main>
${data.walkForward ? walkForwardSection(data) : ""}
<section id="heatmap">
  <h2>${esc(data.objective.metric)} over two axes</h2>
  <p class="note">Each cell is the ${data.objective.goal === "max" ? "highest" : "lowest"} value over the other axes' values${data.walkForward ? " and the folds" : ""}; variants that failed or did not pass keep are left out.</p>
  <p>x <select id="heat-x">${options(data.axes, data.axes[0])}</select> y <select id="heat-y">${options(data.axes, data.axes[1] ?? data.axes[0])}</select> metric <select id="heat-metric">${options(metrics, data.objective.metric)}</select></p>
  <table class="heat" data-table="heatmap"></table>
</section>
${sensitivitySection(data)}
${variantsSection(data, metrics)}
</main>
<footer>Made by sessionflow.</footer>
<script type="application/json" id="sweep-data">${json(payload)}</script>
<script>${readFileSync(SCRIPT, "utf8")}</script>
</body>
</html>
`;
}

function options(names: string[], selected: string | undefined): string {
  return names.map((n) => `<option value="${esc(n)}"${n === selected ? " selected" : ""}>${esc(n)}</option>`).join("");
}

/** The variants that count for a choice: they ran, passed keep and have the objective. */
function chosen(data: SweepReportData): SweepReportRow[] {
  return data.results.filter((r) => r.status === "ok" && r.keep && typeof r.performance?.[data.objective.metric as keyof Performance] === "number");
}

function sensitivitySection(data: SweepReportData): string {
  const metric = data.objective.metric as keyof Performance;
  const rows = chosen(data);
  const tables = data.axes.map((axis) => {
    const groups = new Map<string, number[]>();
    for (const r of rows) {
      const key = JSON.stringify(r.values[axis]);
      groups.set(key, [...(groups.get(key) ?? []), r.performance![metric] as number]);
    }
    const body = [...groups]
      .map(([key, values]) => {
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        const best = data.objective.goal === "max" ? Math.max(...values) : Math.min(...values);
        const worst = data.objective.goal === "max" ? Math.min(...values) : Math.max(...values);
        return `<tr><td data-value="${esc(key)}">${esc(display(JSON.parse(key)))}</td><td class="num" data-value="${values.length}">${values.length}</td>${[mean, best, worst].map((x) => `<td class="num" data-value="${x}">${fmt(x)}</td>`).join("")}</tr>`;
      })
      .join("");
    return `<h3>${esc(axis)}</h3><table data-table="sensitivity" data-axis="${esc(axis)}"><thead><tr><th>value</th><th>variants</th><th>mean</th><th>best</th><th>worst</th></tr></thead><tbody>${body}</tbody></table>`;
  });
  return `<section id="sensitivity"><h2>Sensitivity of ${esc(data.objective.metric)}</h2><p class="note">Per value of each axis, over the variants that ran and passed keep.</p>${tables.join("\n")}</section>`;
}

function variantsSection(data: SweepReportData, metrics: string[]): string {
  const folds = data.results.some((r) => r.fold !== null);
  const head = [...(folds ? ["fold"] : []), "variant", ...data.axes, ...metrics, "keep", "status"];
  const body = [...data.results]
    .sort((a, b) => (a.fold ?? 0) - (b.fold ?? 0) || a.variant - b.variant)
    .map((r) => {
      const best = data.best && data.best.variant === r.variant && data.best.fold === r.fold;
      const cells = [
        ...(folds ? [num(r.fold)] : []),
        num(r.variant),
        ...data.axes.map((a) => `<td data-value="${esc(JSON.stringify(r.values[a] ?? null))}">${esc(display(r.values[a]))}</td>`),
        ...metrics.map((m) => num((r.performance?.[m as keyof Performance] as number | null | undefined) ?? null)),
        `<td data-value="${r.keep === null ? "" : String(r.keep)}">${r.keep === null ? "-" : r.keep ? "yes" : "no"}</td>`,
        `<td data-value="${r.status}" title="${esc(r.error ?? "")}">${r.status}${r.error ? `: ${esc(r.error.split("\n")[0]!.slice(0, 80))}` : ""}</td>`,
      ];
      return `<tr${best ? ' class="best"' : ""} data-variant="${r.variant}">${cells.join("")}</tr>`;
    })
    .join("\n");
  return `<section id="variants"><h2>Variants</h2><p class="note">Click a column to sort.${data.best ? ` The chosen variant is in bold (best.yaml).` : ""}</p><table data-table="variants"><thead><tr>${head.map((h, i) => `<th class="sortable" data-column="${i}">${esc(h)}</th>`).join("")}</tr></thead><tbody>${body}</tbody></table></section>`;
}

function walkForwardSection(data: SweepReportData): string {
  const wf = data.walkForward!;
  const rows = wf.folds
    .map((f) => `<tr><td class="num" data-value="${f.fold}">${f.fold}</td><td>${f.train[0]} to ${f.train[1]}</td><td>${f.test[0]} to ${f.test[1]}</td><td data-value="${f.variant ?? ""}">${f.variant === null ? "none passed keep" : `${f.variant} (${esc(Object.entries(f.values ?? {}).map(([k, v]) => `${k.split(".").at(-1)}=${display(v)}`).join(", "))})`}</td>${num(f.inSample)}${num(f.outOfSample)}</tr>`)
    .join("");
  return `<section id="walk-forward"><h2>Walk-forward: in-sample against out-of-sample</h2>
<table data-table="folds"><thead><tr><th>fold</th><th>training days</th><th>test days</th><th>chosen variant</th><th>in-sample ${esc(data.objective.metric)}</th><th>out-of-sample ${esc(data.objective.metric)}</th></tr></thead><tbody>${rows}</tbody></table>
<h3>Stitched out-of-sample equity</h3>${curve(wf.equity)}</section>`;
}

/** An equity curve as an inline SVG polyline (no library needed for one line). */
function curve({ ts, equity }: { ts: number[]; equity: number[] }): string {
  if (equity.length < 2) return '<p class="note">No out-of-sample run.</p>';
  const lo = Math.min(...equity);
  const hi = Math.max(...equity);
  const span = hi - lo || 1;
  const points = equity.map((e, i) => `${((i / (equity.length - 1)) * 1000).toFixed(1)},${(200 - ((e - lo) / span) * 190 - 5).toFixed(1)}`).join(" ");
  return `<svg class="curve" viewBox="0 0 1000 200" preserveAspectRatio="none" data-points="${equity.length}" data-first="${ts[0]}" data-last="${ts.at(-1)}"><polyline fill="none" stroke="#1f6feb" stroke-width="1.5" vector-effect="non-scaling-stroke" points="${points}"/></svg><p class="note">From ${fmt(equity[0]!)} to ${fmt(equity.at(-1)!)}; low ${fmt(lo)}, high ${fmt(hi)}.</p>`;
}

function num(x: number | null): string {
  return x === null || x === undefined ? '<td class="num" data-value="">-</td>' : `<td class="num" data-value="${x}">${fmt(x)}</td>`;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? x.toLocaleString("en-US") : Math.abs(x) >= 100 ? x.toLocaleString("en-US", { maximumFractionDigits: 2 }) : x.toPrecision(4);
}

function display(value: unknown): string {
  return value === undefined || value === null ? "-" : typeof value === "string" ? value : JSON.stringify(value);
}
