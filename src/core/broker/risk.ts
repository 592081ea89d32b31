/**
 * The risk gate: every order is checked against `trading_config` when it is submitted (buying
 * power, per-trade and per-symbol notional, open position count); a refused order is recorded
 * with the reason. Orders that only reduce a position always pass.
 */
import type { Session } from "../config/load-session.ts";
import { direction, type Order } from "./orders.ts";
import type { Portfolio } from "./portfolio.ts";

/** What the gate needs to know about the account and the other pending orders. */
export interface RiskView {
  portfolio: Portfolio;
  /** Last price per symbol index (NaN when none yet). */
  last: (s: number) => number;
  /** Pending orders that may still open or grow a position. */
  pending: readonly Order[];
}

/** Checks orders against the session's limits. */
export class RiskGate {
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

    let pendingSymbol = 0;
    let pendingOpening = 0;
    const pendingSymbols = new Set<number>();
    for (const other of view.pending) {
      if (other.parent !== null) continue; // bracket exits only reduce
      const value = other.qty * (other.limit ?? other.stop ?? view.last(other.symbolIndex));
      pendingOpening += value;
      pendingSymbols.add(other.symbolIndex);
      if (other.symbolIndex === s && direction(other.side) === dir) pendingSymbol += other.qty;
    }
    const after = Math.abs(position + dir * (pendingSymbol + order.qty)) * price;
    if (after > max_per_symbol) return `${order.symbol} position would be ${money(after)}, above max_per_symbol ${money(max_per_symbol)}`;
    if (position === 0 && !pendingSymbols.has(s)) {
      let open = portfolio.openPositions();
      for (const other of pendingSymbols) if (portfolio.qty[other] === 0) open++;
      if (open >= max_open_positions) return `${open} positions are open or pending, the max_open_positions limit`;
    }
    const exposure = portfolio.exposure(view.last) + pendingOpening + opening * price;
    if (exposure > max_buying_power) return `gross exposure would be ${money(exposure)}, above max_buying_power ${money(max_buying_power)}`;
    return undefined;
  }
}

function money(x: number): string {
  return x.toFixed(2);
}
