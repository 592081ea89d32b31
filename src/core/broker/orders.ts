/**
 * Orders as the broker simulation sees them: what a strategy asks for, and the record kept of it.
 */

/** Buy or sell. */
export type Side = "buy" | "sell";
/** Order types. */
/** `moc`: market-on-close, filled at the session's closing price (the last close of the day), at the close. */
export type OrderType = "market" | "limit" | "stop" | "stop_limit" | "moc";
/** Day orders expire at the close; good-till-cancelled ones carry over. */
export type TimeInForce = "day" | "gtc";
/** Where an order is in its life: pending while it works (partially filled or not), then one of the final four. */
export type OrderStatus = "pending" | "filled" | "cancelled" | "expired" | "rejected";

/** What a strategy submits. Exactly one of `qty` and `notional`. */
export interface OrderRequest {
  symbol: string;
  side: Side;
  /** Shares. */
  qty?: number;
  /** Money: turned into whole shares at the last price when submitted. */
  notional?: number;
  /** @default "market" */
  type?: OrderType;
  limit?: number;
  stop?: number;
  /** @default "day" */
  tif?: TimeInForce;
  /** Exit orders placed when this one fills: a take-profit limit and a stop-loss stop, one cancelling the other. */
  bracket?: { take_profit?: number; stop_loss?: number };
}

/** An order the broker knows about. */
export interface Order {
  id: number;
  /** Submission instant (the clock when it was placed). */
  time: number;
  strategy: string;
  symbol: string;
  symbolIndex: number;
  side: Side;
  type: OrderType;
  qty: number;
  limit: number | null;
  stop: number | null;
  tif: TimeInForce;
  status: OrderStatus;
  /** Why it was rejected, cancelled or expired. */
  reason: string | null;
  bracket: { take_profit: number | null; stop_loss: number | null } | null;
  /** For bracket children: the entry order and the sibling it cancels. */
  parent: number | null;
  sibling: number | null;
  /** A stop-limit whose stop has triggered works as a limit. */
  triggered: boolean;
  /** No fill before this instant (the bar after the decision). */
  activeFrom: number;
  /** Shares filled so far (a partial fill leaves the order pending). */
  filled: number;
  /** What the shares filled so far cost (their average price x filled). */
  filledValue: number;
  /** Commission charged so far: an order pays its commission once, however many fills it takes. */
  charged: number;
  /** The id the order has at the broker (live: its client_order_id; null in the simulation). */
  clientOrderId: string | null;
}

/** A fill. */
export interface Fill {
  /** The instant of the fill: the bar's open (next_open) or its end (close). */
  time: number;
  orderId: number;
  strategy: string;
  symbol: string;
  side: Side;
  qty: number;
  price: number;
  commission: number;
  /** True when the bar held both the stop and the target of a bracket: the worst case was assumed. */
  ambiguous: boolean;
  /** True when the order has more to fill after this one. */
  partial: boolean;
}

/** +1 for buys, -1 for sells. */
export function direction(side: Side): 1 | -1 {
  return side === "buy" ? 1 : -1;
}
