/** A day's per-stream rows, as quality.csv holds them, from a run's in-memory results. */
import type { DayResult } from "../../src/core/engine/results.ts";
import type { StreamGap } from "../../src/core/engine/stream-quality.ts";
import { streamOf, type StreamPlan } from "../../src/core/engine/stream-plan.ts";

export interface DayStreamRow {
  date: string;
  symbol: string;
  interval: string;
  source: string;
  bars: number;
  expected: number;
  quality: number | null;
  gaps: StreamGap[];
}

export function dayStreamRows(plan: StreamPlan, day: DayResult): DayStreamRow[] {
  return day.streams.map((s) => ({
    date: day.date,
    symbol: streamOf(plan, s.stream).symbol,
    interval: streamOf(plan, s.stream).interval.text,
    source: plan.roles[s.stream]!,
    bars: s.bars,
    expected: s.expected,
    quality: s.quality,
    gaps: s.gaps,
  }));
}
