/**
 * PHASE_2, historical: every history window is brought to the N trading days strictly before
 * today (the day just streamed rolls in, older days roll out, the rest is read from the store),
 * then extensions compute what depends on it (historical indicators).
 */
import type { HistoryNeed } from "../../data/bar-source.ts";
import { formatDay } from "../../time/dates.ts";
import { refreshWindow } from "../history.ts";
import type { DayState, Engine } from "./engine-state.ts";

export async function historical(engine: Engine, day: DayState): Promise<void> {
  const { wall, calendar, dataManager, source } = engine;
  engine.flow("3.b.2.PHASE_2", "Historical Management phase starting");
  const started = wall.now();
  // A live source first fetches the days the store lacks (a backtest reads the store as it is).
  if (source.prepareHistory) await source.prepareHistory(historyNeeds(engine, day));
  let read = 0;
  for (const w of engine.windows) read += refreshWindow(w, day.day, calendar, dataManager, (symbol, interval, d) => day.rolled.get(`${symbol}|${interval.text}|${d}`));
  for (const w of engine.windows) {
    const first = w.days.at(0);
    const last = w.days.at(-1);
    const range = `${first ? formatDay(first.day) : "-"} .. ${last ? formatDay(last.day) : "-"}`;
    engine.flow("PHASE_2.1", `${w.symbol} ${w.interval.text}: ${w.days.length} days (${range}), ${w.length} bars, quality ${qualityText(w)}`);
  }
  for (const extension of engine.extensions) extension.onHistory?.(day.session);
  day.historyBarsRead = read;
  engine.timings.historyMs += wall.now() - started;
  engine.flow("3.b.2.PHASE_2", `Complete - ${read} bars read from the store`);
}

/** Per symbol, every trading day some window of it needs before today. */
function historyNeeds(engine: Engine, day: DayState): HistoryNeed[] {
  const days = new Map<string, Set<number>>();
  for (const w of engine.windows) {
    const set = days.get(w.symbol) ?? new Set<number>();
    for (const d of engine.calendar.tradingDaysBefore(day.day, w.trailingDays)) set.add(d);
    days.set(w.symbol, set);
  }
  return [...days].map(([symbol, set]) => ({ symbol, days: [...set].sort((a, b) => a - b) }));
}

function qualityText(w: Parameters<typeof refreshWindow>[0]): string {
  if (!w.withQuality) return "not computed (historical.enable_quality: false)";
  const mean = w.days.length ? w.days.reduce((n, d) => n + d.quality!.quality, 0) / w.days.length : 100;
  return `${mean.toFixed(2)}%`;
}
