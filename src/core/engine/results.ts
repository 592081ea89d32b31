/** What the coordinator reports: a stream's numbers per day, a day's, and the whole run's. */
import type { TradingSession } from "../time/calendar.ts";
import type { BacktestWindow } from "../time/backtest-window.ts";
import type { HistoryWindow } from "./history.ts";
import type { StreamGap } from "./stream-quality.ts";
import type { StreamPlan } from "./stream-plan.ts";

/** A stream's numbers for one day. `quality` is null when session quality is switched off. */
export interface StreamDayResult {
  stream: number;
  bars: number;
  expected: number;
  quality: number | null;
  gaps: StreamGap[];
}

/** What happened on one trading day. */
export interface DayResult {
  date: string;
  session: TradingSession;
  iterations: number;
  baseBars: number;
  derivedBars: number;
  historyBarsRead: number;
  streams: StreamDayResult[];
  finalTime: number;
}

/** Wall time spent, in ms. */
export interface RunTimings {
  loadMs: number;
  streamMs: number;
  historyMs: number;
  totalMs: number;
  waitedMs: number;
}

/** What a whole run produced. */
export interface SessionResult {
  window: BacktestWindow;
  plan: StreamPlan;
  days: DayResult[];
  history: HistoryWindow[];
  timings: RunTimings;
}

/** A day in one line: the mean quality of the streamed streams (null when quality is off), gaps over all streams, streams below 100 %. */
export interface DayQualityLine {
  base_quality: number | null;
  gaps: number;
  incomplete_streams: number;
}

/** The mean quality of the streamed (base) streams among `streams`, in %; null when quality is off. */
export function meanBaseQuality(plan: StreamPlan, streams: readonly StreamDayResult[]): number | null {
  if (streams.some((s) => s.quality === null)) return null;
  const base = streams.filter((s) => plan.roles[s.stream] === "streamed");
  return base.length ? base.reduce((n, s) => n + s.quality!, 0) / base.length : 100;
}

/** The day's quality line. */
export function dayQualityLine(plan: StreamPlan, day: DayResult): DayQualityLine {
  const mean = meanBaseQuality(plan, day.streams);
  if (mean === null) return { base_quality: null, gaps: 0, incomplete_streams: 0 };
  return {
    base_quality: Math.round(mean * 100) / 100,
    gaps: day.streams.reduce((n, s) => n + s.gaps.length, 0),
    incomplete_streams: day.streams.filter((s) => s.quality! < 100).length,
  };
}
