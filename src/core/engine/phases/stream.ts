/**
 * PHASE_5, streaming: merge steps run as far as the bar source is complete and the market clock
 * allows. A backtest as fast as possible streams the whole day in one call; a paced one waits for
 * each step's end at N x wall time; a live source is waited on until its day is complete.
 */
import { formatClockTime } from "../../time/tz.ts";
import type { DayState, Engine } from "./engine-state.ts";

export async function stream(engine: Engine, day: DayState): Promise<void> {
  const { loop, source, market, calendar, wall } = engine;
  const { open, close } = day.session;
  const local = (ms: number) => formatClockTime(calendar.localTime(ms).msOfDay);
  engine.flow("3.b.2.PHASE_5", "Streaming phase starting");
  engine.flow("PHASE_5.1", `market hours: ${local(open)} to ${local(close)} ${calendar.timezone}`);
  const started = wall.now();
  market.startDay(open);
  const { beforeStep, timers, clock } = engine;
  /** Merge steps up to `bound`: all at once as fast as possible, or step by step when paced or held. */
  const runTo = async (bound: number) => {
    if (!market.paced && !beforeStep) {
      loop.run(bound);
      return;
    }
    for (let next = loop.peekEnd(); next <= bound && next !== Infinity; next = loop.peekEnd()) {
      if (market.paced) await market.until(next);
      const held = beforeStep?.(next);
      if (held) await held;
      loop.run(next);
    }
  };
  for (;;) {
    const complete = source.completeUntil();
    // Timers run between the steps before and after their instant (before the close; at the close, after the last bar).
    for (let t = timers.next(); t <= complete && t < close; t = timers.next()) {
      await runTo(t);
      if (market.paced) await market.until(t);
      if (clock.now() < t) clock.advanceTo(t);
      timers.runDue(t);
    }
    await runTo(complete);
    if (complete >= close) break;
    await source.waitForBars();
  }
  loop.finishDay();
  timers.runDue(close);
  engine.timings.streamMs += wall.now() - started;
  const { iterations, baseBars, derivedBars } = loop.stats;
  engine.flow("PHASE_5.SUMMARY", `${iterations} iterations, ${baseBars} bars, ${derivedBars} derived bars, final time = ${local(engine.clock.now())}`);
  engine.flow("3.b.2.PHASE_5", "Complete");
}
