/**
 * sessionflow's public API: what a plugin file or a script imports from "sessionflow".
 */
export { loadSession, type LoadedSession, type Session } from "./core/config/load-session.ts";
export { MarketCalendar, type DayInfo, type TradingSession, type SessionType } from "./core/time/calendar.ts";
export { SimulatedClock, LiveClock, type Clock } from "./core/time/clock.ts";
export { parseInterval, type Interval } from "./core/time/interval.ts";
export { SessionflowError, ConfigError } from "./core/errors.ts";
