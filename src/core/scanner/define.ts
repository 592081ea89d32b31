/**
 * The scanner plugin model: `defineScanner({ name, params, universe, scan })`. A scanner looks at
 * its universe before the session (`pre_session`) and in intraday windows (`regular_session`),
 * and returns the symbols it selects; the engine adds the new ones to the session (history,
 * indicators and queue from that moment on) and removes the ones it no longer selects.
 */
import type * as v from "valibot";
import type { BarColumns } from "../data/bars.ts";
import type { TradingSession } from "../time/calendar.ts";

/** What a scan receives. */
export interface ScannerContext<TParams = unknown> {
  readonly scanner: string;
  readonly params: TParams;
  /** The clock, epoch ms UTC. */
  readonly now: number;
  readonly session: TradingSession;
  /** Whether this is the pre-session scan (before the open). */
  readonly preSession: boolean;
  readonly universe: readonly string[];
  /** Symbols streaming now (the session's and the ones scanners added). */
  readonly active: readonly string[];
  /** Daily history before today (as many days as the scanner's `history_days`). */
  daily(symbol: string): BarColumns | undefined;
  /** Today's base bars of a universe symbol that have ended by now (empty before the open). */
  today(symbol: string): BarColumns;
}

/** A scanner plugin. */
export interface ScannerPlugin<TParams extends v.GenericSchema = v.GenericSchema> {
  readonly kind: "scanner";
  readonly name: string;
  readonly description?: string;
  readonly params: TParams;
  /** The default universe, when the session gives none. */
  readonly universe?: readonly string[];
  /** Daily bars of history the scans read through ctx.daily (a number, or one worked out from the params). @default 2 */
  readonly historyDays?: number | ((params: v.InferOutput<TParams>) => number);
  /** The symbols selected now. */
  scan(ctx: ScannerContext<v.InferOutput<TParams>>): readonly string[];
}

/** Identity helper that marks a scanner plugin and carries its types. */
export function defineScanner<const TParams extends v.GenericSchema>(definition: Omit<ScannerPlugin<TParams>, "kind">): ScannerPlugin<TParams> {
  return { ...definition, kind: "scanner" };
}
