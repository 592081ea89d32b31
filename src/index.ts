/**
 * sessionflow's public API: what a plugin file or a script imports from "sessionflow".
 *
 *   import { defineStrategy, v } from "sessionflow";
 */
export * as v from "valibot";
export { defineStrategy, type Bar, type OrderOptions, type QualityChange, type SeriesView, type StrategyContext, type StrategyPlugin, type Subscription } from "./core/strategy/define.ts";
export { createIndicator, defineIndicator, feedBars, IndicatorState, outputColumns, type IndicatorBar, type IndicatorInstance, type IndicatorPlugin } from "./core/indicators/define.ts";
export { defineScanner, type ScannerContext, type ScannerPlugin } from "./core/scanner/define.ts";
export { defineProvider, type BarProvider, type BarRequest, type ProviderPlugin } from "./core/data/provider.ts";
export type { IndicatorHandle } from "./core/indicators/indicator-engine.ts";
export type { Fill, Order, OrderRequest, OrderType, Side, TimeInForce } from "./core/broker/orders.ts";
export type { Position, Trade } from "./core/broker/portfolio.ts";
export type { BarColumns } from "./core/data/bars.ts";
export { loadSession, loadSessionWithPlugins, type LoadedSession, type Session } from "./core/config/load-session.ts";
export { runSession, type RunOptions, type RunOutcome } from "./core/kernel/run-session.ts";
export { MarketCalendar, type DayInfo, type TradingSession, type SessionType } from "./core/time/calendar.ts";
export { SimulatedClock, LiveClock, type Clock } from "./core/time/clock.ts";
export { parseInterval, type Interval } from "./core/time/interval.ts";
export { SessionflowError, ConfigError } from "./core/errors.ts";
export * as indicators from "./plugins/indicators/_builtins.ts";
