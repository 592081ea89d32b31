/**
 * PHASE_6, end of session: the day's results (per stream: bars, expected, quality, gaps), the
 * close-of-day hooks, the day's rows handed to the run writer, the day's line in the log.
 */
import { formatDay } from "../../time/dates.ts";
import { dayQualityLine, meanBaseQuality, type DayResult, type StreamDayResult } from "../results.ts";
import { streamOf } from "../stream-plan.ts";
import type { DayState, Engine } from "./engine-state.ts";

export async function endSession(engine: Engine, day: DayState): Promise<void> {
  const { loop, clock, logger } = engine;
  engine.flow("3.b.2.PHASE_6", "End-of-Session phase starting");
  await engine.source.closeDay?.(day.session);
  const result: DayResult = {
    date: day.session.date,
    session: day.session,
    iterations: loop.stats.iterations,
    baseBars: loop.stats.baseBars,
    derivedBars: loop.stats.derivedBars,
    historyBarsRead: day.historyBarsRead,
    streams: streamResults(engine),
    finalTime: clock.now(),
  };
  day.result = result;
  engine.days.push(result);
  for (const extension of engine.extensions) extension.onDayEnd?.(day.session, result);
  handOver(engine, result);
  logger.log("info", dayLine(engine, result));
  engine.sink.endDay(result.date);
  // Memory after the day (resident set and JS heap): a year's run shows whether it stays flat.
  engine.flow("PHASE_6.1", `memory: rss ${megabytes(process.memoryUsage.rss())} MB, js heap ${megabytes(process.memoryUsage().heapUsed)} MB`);
  engine.flow("3.b.2.PHASE_6", "Complete");
  engine.flow("3.b.2.CHECK", day.next === undefined ? "termination condition met (last trading day)" : `continuing to next session ${formatDay(day.next)}`);
}

function streamResults(engine: Engine): StreamDayResult[] {
  const { data } = engine;
  const out: StreamDayResult[] = [];
  for (let stream = 0; stream < data.series.length; stream++) {
    if (data.roleOf(stream) === "unused" || !data.activeToday[data.describe(stream).symbolIndex]) continue;
    out.push({ stream, bars: data.series[stream]!.length, expected: data.expected(stream), quality: data.quality.enabled ? data.qualityOf(stream) : null, gaps: data.gapsOf(stream) });
  }
  return out;
}

/** The day's rows for the run directory: one per stream (quality.csv), one per gap (gaps.csv), the day's line (days.csv). */
function handOver(engine: Engine, day: DayResult): void {
  const { plan, sink } = engine;
  const symbol = (stream: number) => streamOf(plan, stream).symbol;
  const interval = (stream: number) => streamOf(plan, stream).interval.text;
  const streams = day.streams;
  sink.append("quality", {
    date: streams.map(() => day.date),
    symbol: streams.map((s) => symbol(s.stream)),
    interval: streams.map((s) => interval(s.stream)),
    source: streams.map((s) => plan.roles[s.stream]!),
    bars: streams.map((s) => s.bars),
    expected: streams.map((s) => s.expected),
    quality: streams.map((s) => s.quality),
    gaps: streams.map((s) => s.gaps.length),
  });
  const gaps = streams.flatMap((s) => s.gaps.map((g) => ({ stream: s.stream, ...g })));
  sink.append("gaps", {
    date: gaps.map(() => day.date),
    symbol: gaps.map((g) => symbol(g.stream)),
    interval: gaps.map((g) => interval(g.stream)),
    start_utc: gaps.map((g) => g.start),
    end_utc: gaps.map((g) => g.end),
    bars: gaps.map((g) => g.bars),
  });
  const line = dayQualityLine(engine.plan, day);
  sink.append("days", {
    date: [day.date],
    early_close: [day.session.earlyClose],
    iterations: [day.iterations],
    bars: [day.baseBars],
    derived_bars: [day.derivedBars],
    final_time: [day.finalTime],
    base_quality: [line.base_quality],
    gaps: [line.gaps],
    incomplete_streams: [line.incomplete_streams],
  });
}

function dayLine(engine: Engine, day: DayResult): string {
  const quality = meanBaseQuality(engine.plan, day.streams);
  const early = day.session.earlyClose ? " (early close)" : "";
  return `${day.date}${early}: ${day.baseBars} bars streamed, ${day.derivedBars} generated, ${quality === null ? "session quality off" : `mean base quality ${quality.toFixed(2)}%`}`;
}

function megabytes(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}
