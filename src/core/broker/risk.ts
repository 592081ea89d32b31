/**
 * The risk gate: every order is checked against `trading_config` when it is submitted (buying
 * power, per-trade and per-symbol notional, open position count); a refused order is recorded
 * with the reason. Orders that only reduce a position always pass.
 *
 * A check costs the account's open positions and working entry orders, never the number of
 * symbols: the portfolio keeps its open positions, the order book its working entries (id order)
 * and per-symbol working quantities.
 */
import type { Session } from "../config/load-session.ts";
import { direction, type Order } from "./orders.ts";
import type { Portfolio } from "./portfolio.ts";

/** What the gate needs to know about the account and the orders still working. */
export interface RiskView {
  portfolio: Portfolio;
  /** Last price per symbol index (NaN when none yet). */
  last: (s: number) => number;
  /** Working orders that may still open or grow a position (no bracket exits), in id order. */
  entries: readonly Order[];
  /** Per symbol index: working entry quantity to buy and to sell (not yet filled). */
  workingBuy: Float64Array;
  workingSell: Float64Array;
  /** Positions the session does not own but must count (live: an account's external positions), by symbol index. */
  external?: Float64Array;
  /** The value of external positions and orders outside the session's symbols (live). */
  externalValue?: number;
}

/** Checks orders against the session's limits. */
export class RiskGate {
  /** Per symbol: the check's stamp when it was seen among the entries (dedupe without allocating). */
  private seen: Int32Array = new Int32Array(0);
  private stamp = 0;

  constructor(private readonly limits: Session["trading_config"]) {}

  /** Why `order` (priced at `price`) must be refused, or undefined when it may go. */
  check(order: Order, price: number, view: RiskView): string | undefined {
    const { portfolio } = view;
    const s = order.symbolIndex;
    const position = portfolio.qty[s]!;
    const dir = direction(order.side);
    // The part of the order that opens or grows exposure (a reduction is never limited).
    const reducing = Math.sign(position) === -dir ? Math.min(order.qty, Math.abs(position)) : 0;
    const opening = order.qty - reducing;
    if (opening === 0) return undefined;
    const notional = order.qty * price;
    const { max_per_trade, max_per_symbol, max_open_positions, max_buying_power } = this.limits;
    if (notional > max_per_trade) return `order notional ${money(notional)} is above max_per_trade ${money(max_per_trade)}`;

    const pendingSymbol = dir > 0 ? view.workingBuy[s]! : view.workingSell[s]!;
    const external = view.external?.[s] ?? 0;
    const after = Math.abs(position + external + dir * (pendingSymbol + order.qty)) * price;
    if (after > max_per_symbol) return `${order.symbol} position would be ${money(after)}, above max_per_symbol ${money(max_per_symbol)}`;

    if (this.seen.length < portfolio.qty.length) this.seen = new Int32Array(portfolio.qty.length);
    const stamp = ++this.stamp;
    let pendingOpening = 0;
    let flatPending = 0;
    for (const other of view.entries) {
      pendingOpening += (other.qty - other.filled) * (other.limit ?? other.stop ?? view.last(other.symbolIndex));
      const p = other.symbolIndex;
      if (this.seen[p] === stamp) continue;
      this.seen[p] = stamp;
      if (portfolio.qty[p] === 0) flatPending++;
    }
    if (position === 0 && this.seen[s] !== stamp) {
      const open = portfolio.openPositions() + flatPending + externalCount(view);
      if (open >= max_open_positions) return `${open} positions are open or pending, the max_open_positions limit`;
    }
    const exposure = portfolio.exposure(view.last) + externalExposure(view) + (view.externalValue ?? 0) + pendingOpening + opening * price;
    if (exposure > max_buying_power) return `gross exposure would be ${money(exposure)}, above max_buying_power ${money(max_buying_power)}`;
    return undefined;
  }
}

function externalCount(view: RiskView): number {
  if (!view.external) return 0;
  let n = 0;
  for (let s = 0; s < view.external.length; s++) if (view.external[s] !== 0 && view.portfolio.qty[s] === 0) n++;
  return n;
}

function externalExposure(view: RiskView): number {
  if (!view.external) return 0;
  let value = 0;
  for (let s = 0; s < view.external.length; s++) if (view.external[s] !== 0) value += Math.abs(view.external[s]!) * view.last(s);
  return value;
}

function money(x: number): string {
  return x.toFixed(2);
}
