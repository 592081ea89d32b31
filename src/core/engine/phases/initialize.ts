/**
 * PHASE_1, initialization: on the first day the stream plan is logged (STREAMED / GENERATED); the
 * clock goes to the pre-market and may not pass the close; the day just streamed is kept for the
 * history windows to roll in; SessionData and the derived bars start the day.
 */
import type { BarColumns } from "../../data/bars.ts";
import type { MarketCalendar } from "../../time/calendar.ts";
import type { DayNumber } from "../../time/dates.ts";
import { formatClockTime } from "../../time/tz.ts";
import type { Engine, DayState } from "./engine-state.ts";

export function initialize(engine: Engine, day: DayState): void {
  const { clock, data, derived, calendar } = engine;
  const tradingSession = day.session;
  engine.flow("3.b.2.PHASE_1", "Initialization phase starting");
  if (day.index === 0) logPlan(engine);
  if (clock.now() < tradingSession.preOpen) {
    clock.setLimit(Infinity);
    clock.advanceTo(tradingSession.preOpen);
  }
  clock.setLimit(tradingSession.close);
  // The day just streamed rolls into the history windows: keep it before the reset.
  day.rolled = snapshotPreviousDay(engine);
  data.startDay(tradingSession);
  const week = weekBounds(calendar, day.day);
  derived.startDay(tradingSession, week.open, week.close);
  engine.flow("PHASE_1.2", "session state reset");
  const early = tradingSession.earlyClose ? ` (early close ${formatClockTime(calendar.localTime(tradingSession.close).msOfDay)})` : "";
  engine.flow("PHASE_1.3", `current session date: ${tradingSession.date}${early}`);
  engine.flow("3.b.2.PHASE_1", "Complete");
}

function logPlan(engine: Engine): void {
  const { plan, logger } = engine;
  logger.flow("PHASE_1.1", "first session - marking STREAMED/GENERATED");
  plan.symbols.forEach((symbol, s) => {
    const generated = plan.generated[s]!.map((i) => plan.intervals[i]!.text);
    logger.flow("PHASE_1.1", `${symbol}: ${plan.intervals[plan.base[s]!]!.text} streamed${generated.length ? `; ${generated.join(", ")} generated` : ""}${plan.quotes ? "; quotes synthesized from bars" : ""}`);
  });
  logger.flow("PHASE_1.1", "stream/generate marking complete");
}

/** Copies of the day just streamed, for each history window that has it as a session stream. */
function snapshotPreviousDay(engine: Engine): Map<string, BarColumns> {
  const out = new Map<string, BarColumns>();
  const previous = engine.days.at(-1);
  if (!previous) return out;
  const { data } = engine;
  for (const w of engine.windows) {
    const stream = data.streamId(w.symbol, w.interval.text);
    if (stream < 0 || data.active[data.symbolIndex(w.symbol)] === 0) continue;
    out.set(`${w.symbol}|${w.interval.text}|${previous.session.day}`, data.series[stream]!.copy());
  }
  return out;
}

/** The open of the week's first session and the close of its last (Monday-to-Sunday weeks). */
function weekBounds(calendar: MarketCalendar, day: DayNumber): { open: number; close: number } {
  const weekday = (((day + 4) % 7) + 7) % 7;
  const monday = day - ((weekday + 6) % 7);
  const sessions = calendar.tradingDays(monday, monday + 6);
  return { open: calendar.session(sessions[0]!)!.open, close: calendar.session(sessions[sessions.length - 1]!)!.close };
}
