/** PHASE_3, queue loading: the bar source hands over the day's base bars (all of them, or a queue a feed fills). */
import type { DayState, Engine } from "./engine-state.ts";

export async function loadQueues(engine: Engine, day: DayState): Promise<void> {
  const { wall, plan, session } = engine;
  engine.flow("3.b.2.PHASE_3", "Queue Loading phase starting");
  const started = wall.now();
  day.queue = await engine.source.openDay(day.session);
  engine.timings.loadMs += wall.now() - started;
  const prefetch = session.backtest_config?.prefetch_days ?? 0;
  const what = plan.symbols.length > 1 ? "bars across" : "bars in";
  engine.flow("PHASE_3.1", `${day.queue.length} ${what} ${plan.symbols.length} base streams${prefetch > 0 && engine.source.name === "store" ? ` (prefetching ${prefetch} day(s) ahead)` : ""}`);
  engine.flow("3.b.2.PHASE_3", "Complete");
}
