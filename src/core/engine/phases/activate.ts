/** PHASE_4, activation: the loop takes the day's queue, the clock goes to the open, open-of-day hooks run. */
import type { DayState, Engine } from "./engine-state.ts";

export function activate(engine: Engine, day: DayState): void {
  engine.flow("3.b.2.PHASE_4", "Session Activation phase starting");
  engine.loop.startDay(day.queue!, day.session.close);
  engine.clock.advanceTo(day.session.open);
  for (const extension of engine.extensions) extension.onDayStart?.(day.session);
  engine.flow("PHASE_4.1", "session active");
  engine.flow("3.b.2.PHASE_4", "Complete");
}
