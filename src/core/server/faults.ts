/**
 * What the replay server can do wrong on purpose, for tests and rehearsals: drop the stream at an
 * instant (and let the replay run on without the client for some minutes), delay each minute's
 * bars, withhold minutes from the stream (REST still serves them), send bars that are corrected
 * later (`u`), refuse authentication, and refuse every connection as if another client held the
 * stream. Instants are epoch ms of the replay.
 */

/** The faults of a replay. */
export interface Faults {
  /** Close the stream connection when the replay reaches `at`; the replay then runs `skipMinutes` on without it. */
  drops: { at: number; skipMinutes: number }[];
  /** Market-time ms after a minute's end before its bars are sent. @default 0 */
  delayMs: number;
  /** Minutes [from, to) of a symbol (all symbols when none) that the stream never sends. */
  withhold: { symbol?: string; from: number; to: number }[];
  /** Every Nth bar streamed is first sent wrong (its close moved by a tick) and corrected 30 s later with `u`. 0: none. */
  updateEvery: number;
  /** Authentication fails with 402. */
  refuseAuth: boolean;
  /** Every connection is refused with 406 (another connection holds the stream). */
  holdStream: boolean;
}

/** No faults. */
export function noFaults(): Faults {
  return { drops: [], delayMs: 0, withhold: [], updateEvery: 0, refuseAuth: false, holdStream: false };
}

/** True when the stream withholds `symbol`'s bar starting at `ts`. */
export function withheld(faults: Faults, symbol: string, ts: number): boolean {
  return faults.withhold.some((w) => (w.symbol === undefined || w.symbol === symbol) && ts >= w.from && ts < w.to);
}

/** What the replay's broker starts with and does wrong on purpose. */
export interface TradingFaults {
  /** The account's cash at the start. @default 100000 */
  cash: number;
  /** Positions the account holds at the start. */
  positions: { symbol: string; qty: number; price: number }[];
  /** Orders open at the start (a session's earlier run, or someone else's). */
  openOrders: { client_order_id: string; symbol: string; side: "buy" | "sell"; qty: number; type: "market" | "limit" | "stop" | "stop_limit"; limit?: number; stop?: number }[];
  /** Every Nth order is rejected (a `rejected` event after `new`). 0: none. */
  rejectEvery: number;
  /** Each fill comes as a partial fill of half, then the rest. */
  partialFills: boolean;
  /** The Nth order's acknowledgement is held back this long (past a client's timeout). */
  ackDelay: { order: number; ms: number } | null;
  /** A cancel finds the order filled on its next bar (the cancel loses the race: 422). */
  cancelRace: boolean;
  /** Close the order events stream when the replay reaches this instant. */
  dropTradeStreamAt: number | null;
  /** GET /v2/account answers 403 (keys without trading access). */
  refuseAccount: boolean;
}

/** An account with 100,000 in cash and nothing else. */
export function plainAccount(): TradingFaults {
  return { cash: 100_000, positions: [], openOrders: [], rejectEvery: 0, partialFills: false, ackDelay: null, cancelRace: false, dropTradeStreamAt: null, refuseAccount: false };
}
