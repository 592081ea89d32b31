/**
 * The bar source seam: where the streaming phase's base bars come from. A backtest replays the
 * store (the whole day is in the queue when PHASE_3 ends); a live source appends bars as its feed
 * delivers them. The engine only asks how far the queue is complete and waits for more; nothing
 * that reads bars knows which source runs.
 */
import type { TradingSession } from "../time/calendar.ts";
import type { DayQueue } from "./day-queue.ts";

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
  /** A symbol starts or stops streaming mid-session (a feed subscribes or unsubscribes). */
  activeChanged?(symbol: number, active: boolean): void;
  /** After the day's last bar has streamed. */
  closeDay?(session: TradingSession): void | Promise<void>;
  /** The session is over (also after a failure): connections and timers end. */
  close?(): void | Promise<void>;
}
