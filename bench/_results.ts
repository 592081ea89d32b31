/**
 * What a benchmark reports, how it is printed, and `results.json` (the shape other tools read:
 * `{ name, symbols, days, bars, bars_per_second, ratio_to_read_once }`, plus extra fields).
 */
import { writeFileAtomic } from "../src/core/data/atomic.ts";

/** One measured line. */
export interface BenchResult {
  name: string;
  symbols: number;
  days: number;
  /** Bars (or updates, or rows) per timed iteration. */
  bars: number;
  bars_per_second: number;
  /** Cost per bar over the read-once loop's on the same data, measured in the same run. */
  ratio_to_read_once: number | null;
  ns_per_bar: number;
  /** Timed iterations the mean is over. */
  samples: number;
  /** Relative margin of error of the mean, in %. */
  rme: number;
  /** Anything else the benchmark measured (wall time, memory ...). */
  [extra: string]: unknown;
}

/** A result from a mean time per iteration (ms) over `bars`. */
export function result(name: string, shape: { symbols: number; days: number; bars: number }, meanMs: number, samples: number, rme: number, readOnceNsPerBar?: number): BenchResult {
  const nsPerBar = (meanMs * 1e6) / shape.bars;
  return {
    name,
    ...shape,
    bars_per_second: Math.round(shape.bars / (meanMs / 1000)),
    ratio_to_read_once: readOnceNsPerBar ? round(nsPerBar / readOnceNsPerBar, 2) : null,
    ns_per_bar: round(nsPerBar, 2),
    samples,
    rme: round(rme, 1),
  };
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** The console table. */
export function printTable(results: readonly BenchResult[], write: (line: string) => void): void {
  const base = new Set(["name", "symbols", "days", "bars", "bars_per_second", "ratio_to_read_once", "ns_per_bar", "samples", "rme"]);
  // Whatever else a benchmark measured (latency, variants per second ...) follows as name=value.
  const extras = (r: BenchResult) => Object.entries(r).filter(([k]) => !base.has(k)).map(([k, v]) => `${k}=${v !== null && typeof v === "object" && !Array.isArray(v) ? JSON.stringify(v) : v}`).join(" ");
  const rows = results.map((r) => [r.name, String(r.symbols), String(r.days), r.bars.toLocaleString("en-US"), (r.bars_per_second / 1e6).toFixed(2), r.ns_per_bar.toFixed(2), r.ratio_to_read_once === null ? "-" : `${r.ratio_to_read_once.toFixed(1)}x`, `±${r.rme.toFixed(1)}%`, extras(r)]);
  const header = ["benchmark", "symbols", "days", "bars/iter", "M bars/s", "ns/bar", "vs read-once", "rme", "also"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd();
  write(line(header));
  for (const r of rows) write(line(r));
}

/** Writes the results array as JSON (atomically). */
export function writeResults(path: string, results: readonly BenchResult[]): void {
  writeFileAtomic(path, `${JSON.stringify(results, null, 2)}\n`);
}
