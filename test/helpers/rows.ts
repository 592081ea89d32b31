/** A day's per-stream rows, as quality.csv holds them, from a run's in-memory results. */
import type { DayResult } from "../../src/core/engine/results.ts";
import type { StreamGap } from "../../src/core/engine/stream-quality.ts";
import type { StreamPlan } from "../../src/core/engine/stream-plan.ts";

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
  const count = plan.intervals.length;
  return day.streams.map((s) => ({
    date: day.date,
    symbol: plan.symbols[Math.floor(s.stream / count)]!,
    interval: plan.intervals[s.stream % count]!.text,
    source: plan.roles[s.stream]!,
    bars: s.bars,
    expected: s.expected,
    quality: s.quality,
    gaps: s.gaps,
  }));
}
