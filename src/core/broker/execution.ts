/**
 * The execution seam: where orders are worked. The simulated broker (backtests and paper
 * sessions) fills them on the session's own bars; a real broker's client (live sessions) sends
 * them to the broker's API and books what its order events report. Strategies, the risk gate,
 * the portfolio and the run directory see only this and the order book behind it.
 */
import type { MatchBar } from "./matching.ts";
import type { OrderBook } from "./order-book.ts";
import type { Order, OrderRequest } from "./orders.ts";

/** One venue. */
export interface Execution {
  /** `simulated`, `alpaca` ... */
  readonly name: string;
  readonly book: OrderBook;
  /** Places an order at instant `now` (event time); a refused one comes back rejected. */
  submit(request: OrderRequest, strategy: string, now: number): Order;
  /** Cancels a working order; false when it was not working. */
  cancel(id: number, reason?: string): boolean;
  /** The fill hook: a base bar of symbol `s` with working orders, before anything else sees the bar. */
  onBar(s: number, bar: MatchBar): void;
  /** After the close (`close`: the session's close instant): market-on-close orders fill, day orders expire. */
  endOfDay(close: number): void;
  /** Before the first day (a real broker: the account is read and reconciled). */
  start?(): Promise<void>;
  /**
   * Resolves once the venue has reported everything it did up to `until` (a replay server in
   * lock-step); absent when reports are known at once (the simulation) or come when they come.
   */
  settle?(until: number): Promise<void>;
  /** The session is over: connections close. */
  close?(): Promise<void>;
}
