/**
 * Per trading day, per stream: bars, expected bars, quality and gaps. A year of 100 symbols has
 * 75 thousand such rows, so they are a table of their own (`quality.csv`, `gaps.csv`) rather than
 * part of summary.json, which keeps one line per day.
 */
import { join } from "node:path";
import { writeFileAtomic } from "../data/atomic.ts";
import type { DayResult, SessionResult } from "../engine/coordinator.ts";
import type { StreamGap } from "../engine/stream-quality.ts";
import type { StreamPlan } from "../engine/stream-plan.ts";
import { isoUtc } from "../time/dates.ts";
import { csv } from "./csv.ts";

/** One stream on one day. */
export interface DayStreamRow {
  date: string;
  symbol: string;
  interval: string;
  source: "streamed" | "generated";
  bars: number;
  expected: number;
  quality: number;
  gaps: StreamGap[];
}

/** The symbol and interval of a stream id. */
export function streamName(plan: StreamPlan, stream: number): { symbol: string; interval: string } {
  const count = plan.intervals.length;
  return { symbol: plan.symbols[Math.floor(stream / count)]!, interval: plan.intervals[stream % count]!.text };
}

/** The rows of one day, in stream order (symbol, then interval finest first). */
export function dayStreamRows(plan: StreamPlan, day: DayResult): DayStreamRow[] {
  return day.streams.map((s) => ({
    date: day.date,
    ...streamName(plan, s.stream),
    source: plan.roles[s.stream] as "streamed" | "generated",
    bars: s.bars,
    expected: s.expected,
    quality: s.quality,
    gaps: s.gaps,
  }));
}

/** Writes quality.csv (a row per day and stream) and gaps.csv (a row per gap) into `dir`. */
export function writeDayQuality(dir: string, result: SessionResult): void {
  const quality: unknown[][] = [];
  const gaps: unknown[][] = [];
  for (const day of result.days) {
    for (const row of dayStreamRows(result.plan, day)) {
      quality.push([row.date, row.symbol, row.interval, row.source, row.bars, row.expected, row.quality, row.gaps.length]);
      for (const g of row.gaps) gaps.push([row.date, row.symbol, row.interval, isoUtc(g.start), isoUtc(g.end), g.bars]);
    }
  }
  writeFileAtomic(join(dir, "quality.csv"), csv(["date", "symbol", "interval", "source", "bars", "expected", "quality", "gaps"], quality));
  writeFileAtomic(join(dir, "gaps.csv"), csv(["date", "symbol", "interval", "start_utc", "end_utc", "bars"], gaps));
}
