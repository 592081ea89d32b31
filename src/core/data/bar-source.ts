/**
 * The bar source seam: where the streaming phase's base bars come from. A backtest replays the
 * store (the whole day is in the queue when PHASE_3 ends); a live source appends bars as its feed
 * delivers them. The engine only asks how far the queue is complete and waits for more; nothing
 * that reads bars knows which source runs.
 */
import type { TradingSession } from "../time/calendar.ts";
import type { DayNumber } from "../time/dates.ts";
import type { DayQueue } from "./day-queue.ts";

/** A bar that reached the source after the loop passed its instant, or a correction of one it passed. */
export interface LateBar {
  symbol: number;
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** `late`: a minute that had no bar (gap filling found it); `update`: a corrected bar (Alpaca's `u`). */
  kind: "late" | "update";
}

/** The days of history a symbol needs before a session day (the historical phase asks before it reads). */
export interface HistoryNeed {
  symbol: string;
  days: readonly DayNumber[];
}

/** A provider of each trading day's base bars, time-major. */
export interface BarSource {
  /** For logs: `store`, `alpaca` ... */
  readonly name: string;
  /** PHASE_3: the day's queue (complete for the store; filled while the day streams for a feed). */
  openDay(session: TradingSession): Promise<DayQueue>;
  /**
   * Every base bar that becomes visible at or before this instant is in the queue and will not
   * change: the loop may stream up to it. The store: the day's close, at once.
   */
  completeUntil(): number;
  /** Resolves when completeUntil may have moved (a delivery, a timeout); the store never waits. */
  waitForBars(): Promise<void>;
  /** PHASE_2, before the history windows are read: fetch what the store lacks (a live source's REST). */
  prepareHistory?(needs: readonly HistoryNeed[]): Promise<void>;
  /** Where bars that arrive after the loop passed them go (SessionData keeps them; strategies do not see them). */
  onLateBar?: (bar: LateBar) => void;
  /** Counters for the summary (live sources: reconnects, updated bars, late bars ...). */
  stats?(): Record<string, number>;
  /** A symbol starts or stops streaming mid-session (a feed subscribes or unsubscribes). */
  activeChanged?(symbol: number, active: boolean): void;
  /** After the day's last bar has streamed. */
  closeDay?(session: TradingSession): void | Promise<void>;
  /** The session is over (also after a failure): connections and timers end. */
  close?(): void | Promise<void>;
}
