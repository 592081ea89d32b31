/**
 * What differs between two run directories: the resolved config, the summary (timings aside, the
 * metrics listed on their own), the round trips, and the first order or fill where the two runs
 * part ways (the earlier of the first differing order and the first differing fill).
 */
import { existsSync, readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { join } from "node:path";
import { reportError } from "../errors.ts";

/** One value that differs, by its path in summary.json. */
export interface ValueDiff {
  path: string;
  a: unknown;
  b: unknown;
}

/** A CSV row that differs (1-based data row; the file's line is row + 1). */
export interface RowDiff {
  file: string;
  row: number;
  a: string | null;
  b: string | null;
}

export interface RunDiff {
  a: string;
  b: string;
  /** The resolved configs compared by YAML path (a list item added or removed is one entry). */
  config: ValueDiff[];
  metrics: ValueDiff[];
  summary: ValueDiff[];
  trades: RowDiff[];
  /** Where the runs' orders or fills first part ways, or null when they never do. */
  divergence: (RowDiff & { kind: "order" | "fill"; time: string | null }) | null;
  /** Files one run has and the other lacks. */
  files: { file: string; in: "a" | "b" }[];
  same: boolean;
}

const COMPARED = ["config.yaml", "summary.json", "orders.csv", "fills.csv", "trades.csv"];
const METRIC_SECTIONS = ["performance", "performance_by_strategy", "performance_by_symbol"];

export function diffRuns(a: string, b: string): RunDiff {
  for (const dir of [a, b]) if (!existsSync(join(dir, "summary.json"))) throw reportError(`${dir}: no summary.json; is it a run directory?`);
  const files = COMPARED.flatMap((file) => {
    const inA = existsSync(join(a, file));
    const inB = existsSync(join(b, file));
    return inA === inB ? [] : [{ file, in: (inA ? "a" : "b") as "a" | "b" }];
  });
  const read = (dir: string, file: string) => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), "utf8") : "");

  const config: ValueDiff[] = [];
  compareConfig(parseYaml(read(a, "config.yaml") || "{}"), parseYaml(read(b, "config.yaml") || "{}"), "", config);
  const summaryA = JSON.parse(read(a, "summary.json"));
  const summaryB = JSON.parse(read(b, "summary.json"));
  delete summaryA.timings;
  delete summaryB.timings;
  const values: ValueDiff[] = [];
  compare(summaryA, summaryB, "", values);
  const isMetric = (v: ValueDiff) => METRIC_SECTIONS.some((s) => v.path === s || v.path.startsWith(`${s}.`));
  const trades = rowDiffs("trades.csv", read(a, "trades.csv"), read(b, "trades.csv"));
  const divergence = firstDivergence(a, b, read);
  const same = files.length === 0 && config.length === 0 && values.length === 0 && trades.length === 0 && divergence === null;
  return { a, b, config, metrics: values.filter(isMetric), summary: values.filter((v) => !isMetric(v)), trades, divergence, files, same };
}

/** The diff as text for the console. */
export function formatDiff(diff: RunDiff, limit = 20): string {
  const lines = [`a: ${diff.a}`, `b: ${diff.b}`];
  if (diff.same) return [...lines, "no differences (config, summary without timings, orders, fills, trades)"].join("\n");
  const show = <T>(items: T[], line: (item: T) => string) => [...items.slice(0, limit).map(line), ...(items.length > limit ? [`  ... and ${items.length - limit} more`] : [])];
  for (const f of diff.files) lines.push(`${f.file}: only in ${f.in}`);
  lines.push(diff.config.length ? `config: ${diff.config.length} value(s) differ` : "config: same");
  lines.push(...show(diff.config, (c) => `  ${c.path}: a ${c.a === undefined ? "(none)" : JSON.stringify(c.a)} | b ${c.b === undefined ? "(none)" : JSON.stringify(c.b)}`));
  lines.push(diff.metrics.length ? `metrics: ${diff.metrics.length} value(s) differ` : "metrics: same");
  lines.push(...show(diff.metrics, (v) => `  ${v.path}: a ${JSON.stringify(v.a)} | b ${JSON.stringify(v.b)}`));
  lines.push(diff.summary.length ? `summary (timings aside): ${diff.summary.length} other value(s) differ` : "summary (timings aside): same");
  lines.push(...show(diff.summary, (v) => `  ${v.path}: a ${JSON.stringify(v.a)} | b ${JSON.stringify(v.b)}`));
  lines.push(diff.trades.length ? `trades: ${diff.trades.length} row(s) differ` : "trades: same");
  lines.push(...show(diff.trades, (t) => `  row ${t.row}: a: ${t.a ?? "(none)"} | b: ${t.b ?? "(none)"}`));
  if (diff.divergence) {
    const d = diff.divergence;
    lines.push(`first divergence: ${d.kind} ${d.row}${d.time ? ` at ${d.time}` : ""} (${d.file} line ${d.row + 1})`);
    lines.push(`  a: ${d.a ?? "(none)"}`, `  b: ${d.b ?? "(none)"}`);
  } else lines.push("orders and fills: same");
  return lines.join("\n");
}

/**
 * Two configs by path. Lists of the same length compare item by item; when one has items the
 * other lacks, each item that is in only one of them is one entry (a removed history window is
 * one difference, not every line after it).
 */
function compareConfig(a: unknown, b: unknown, path: string, out: ValueDiff[]): void {
  if (Array.isArray(a) && Array.isArray(b) && a.length !== b.length) {
    const key = (x: unknown) => JSON.stringify(x);
    const inB = new Map<string, number>();
    for (const x of b) inB.set(key(x), (inB.get(key(x)) ?? 0) + 1);
    const inA = new Map<string, number>();
    for (const x of a) inA.set(key(x), (inA.get(key(x)) ?? 0) + 1);
    a.forEach((x, i) => {
      const k = key(x);
      if ((inB.get(k) ?? 0) > 0) inB.set(k, inB.get(k)! - 1);
      else out.push({ path: `${path}[${i}]`, a: x, b: undefined });
    });
    b.forEach((x, j) => {
      const k = key(x);
      if ((inA.get(k) ?? 0) > 0) inA.set(k, inA.get(k)! - 1);
      else out.push({ path: `${path}[${j}]`, a: undefined, b: x });
    });
    return;
  }
  if (Object.is(a, b)) return;
  const objects = typeof a === "object" && a !== null && typeof b === "object" && b !== null;
  if (objects && Array.isArray(a) === Array.isArray(b)) {
    const keys = Array.isArray(a) ? [...Array(a.length).keys()].map(String) : [...new Set([...Object.keys(a), ...Object.keys(b as object)])];
    for (const k of keys) compareConfig((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k, out);
    return;
  }
  out.push({ path, a, b });
}

function rowDiffs(file: string, a: string, b: string): RowDiff[] {
  const ra = a.trimEnd().split("\n").slice(1);
  const rb = b.trimEnd().split("\n").slice(1);
  const out: RowDiff[] = [];
  for (let i = 0; i < Math.max(ra.length, rb.length); i++) if (ra[i] !== rb[i]) out.push({ file, row: i + 1, a: ra[i] ?? null, b: rb[i] ?? null });
  return out;
}

/** The earlier (by time) of the first differing order row and the first differing fill row. */
function firstDivergence(a: string, b: string, read: (dir: string, file: string) => string): RunDiff["divergence"] {
  const first = (file: string, kind: "order" | "fill", timeColumn: number) => {
    const d = rowDiffs(file, read(a, file), read(b, file))[0];
    if (!d) return null;
    const times = [d.a, d.b].filter((r): r is string => r !== null).map((r) => r.split(",")[timeColumn]!).sort();
    return { ...d, kind, time: times[0] ?? null };
  };
  const order = first("orders.csv", "order", 1);
  const fill = first("fills.csv", "fill", 0);
  if (!order) return fill;
  if (!fill) return order;
  return (fill.time ?? "") < (order.time ?? "") ? fill : order;
}

function compare(a: unknown, b: unknown, path: string, out: ValueDiff[]): void {
  if (Object.is(a, b)) return;
  const objects = typeof a === "object" && a !== null && typeof b === "object" && b !== null;
  if (objects && Array.isArray(a) === Array.isArray(b)) {
    const keys = Array.isArray(a) ? [...Array(Math.max(a.length, (b as unknown[]).length)).keys()].map(String) : [...new Set([...Object.keys(a), ...Object.keys(b as object)])];
    for (const key of keys) compare((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], Array.isArray(a) ? `${path}[${key}]` : path ? `${path}.${key}` : key, out);
    return;
  }
  out.push({ path, a, b });
}
