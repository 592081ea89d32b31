/**
 * Trading costs: commission (per share, per order, basis points, with a minimum) and slippage
 * (basis points or ticks against the order), from the session's `broker` block.
 */
import type { Session } from "../config/load-session.ts";
import type { Side } from "./orders.ts";
import { roundMoney } from "../util/money.ts";

/** The cost model of a session. */
export class Costs {
  constructor(private readonly config: Session["broker"]) {}

  /** Commission of one fill. */
  commission(qty: number, price: number): number {
    const { per_share, per_order, bps, minimum } = this.config.commission;
    const raw = per_share * qty + per_order + (bps / 10_000) * qty * price;
    return roundMoney(Math.max(minimum, raw));
  }

  /** The price after slippage against the order, kept inside the bar's range [low, high]. */
  slip(price: number, side: Side, low: number, high: number): number {
    const { bps, ticks, tick_size } = this.config.slippage;
    const amount = price * (bps / 10_000) + ticks * tick_size;
    const slipped = side === "buy" ? price + amount : price - amount;
    return Math.min(high, Math.max(low, slipped));
  }
}
