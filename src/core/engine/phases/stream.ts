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
  const { beforeStep } = engine;
  for (;;) {
    const complete = source.completeUntil();
    if (!market.paced && !beforeStep) {
      loop.run(complete);
    } else {
      for (let next = loop.peekEnd(); next <= complete && next !== Infinity; next = loop.peekEnd()) {
        if (market.paced) await market.until(next);
        const held = beforeStep?.(next);
        if (held) await held;
        loop.run(next);
      }
    }
    if (complete >= close) break;
    await source.waitForBars();
  }
  loop.finishDay();
  engine.timings.streamMs += wall.now() - started;
  const { iterations, baseBars, derivedBars } = loop.stats;
  engine.flow("PHASE_5.SUMMARY", `${iterations} iterations, ${baseBars} bars, ${derivedBars} derived bars, final time = ${local(engine.clock.now())}`);
  engine.flow("3.b.2.PHASE_5", "Complete");
}
