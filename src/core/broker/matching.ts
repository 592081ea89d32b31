/**
 * How a bar fills an order: the simulated broker's rules, shared with the local server's matching
 * so that a live session against it fills exactly as a backtest does.
 * - market: at the bar's open (`fill: next_open`) or close (`fill: close`), with slippage;
 * - limit: when the bar trades through the limit, at the limit or the better open;
 * - stop: when the bar reaches the stop, at the stop or the worse open, with slippage;
 * - stop_limit: the stop triggers it, then it is a limit (filled at once if the trigger price is
 *   within the limit).
 * - moc: not on any bar; at the close, at the day's closing price (the symbol's last close), no slippage.
 * Prices always lie inside the bar's range.
 */
import type { OrderType, Side } from "./orders.ts";

/** A bar, as matching reads it. */
export interface MatchBar {
  ts: number;
  end: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

/** What matching needs of an order (a stop-limit's trigger state is written back). */
export interface Matchable {
  side: Side;
  type: OrderType;
  limit: number | null;
  stop: number | null;
  triggered: boolean;
}

/** Slippage against the order, kept inside the bar's range [low, high]. */
export type Slip = (price: number, side: Side, low: number, high: number) => number;

/** The rules of one broker configuration. */
export interface MatchRules {
  /** Market orders fill at the bar's close instead of its open. */
  fillAtClose: boolean;
  slip: Slip;
}

/** The price this bar fills `order` at, or undefined when it does not fill; a stop-limit's stop may trigger. */
export function fillPrice(order: Matchable, bar: MatchBar, rules: MatchRules): number | undefined {
  const buy = order.side === "buy";
  switch (order.type) {
    case "market":
      return rules.slip(rules.fillAtClose ? bar.close : bar.open, order.side, bar.low, bar.high);
    case "limit":
      return limitPrice(order.limit!, buy, bar);
    case "stop": {
      const base = stopPrice(order.stop!, buy, bar);
      return base === undefined ? undefined : rules.slip(base, order.side, bar.low, bar.high);
    }
    case "moc":
      // Filled at the close (closeOf), never on a bar of the day.
      return undefined;
    case "stop_limit": {
      if (!order.triggered) {
        const trigger = stopPrice(order.stop!, buy, bar);
        if (trigger === undefined) return undefined;
        order.triggered = true;
        // Within the limit at the trigger: filled there; past it: it rests as a limit.
        if (buy ? trigger <= order.limit! : trigger >= order.limit!) return trigger;
        return undefined;
      }
      return limitPrice(order.limit!, buy, bar);
    }
  }
}

/** The instant of a fill on this bar: its end for a market order filled at the close, else its start. */
export function fillTime(order: Pick<Matchable, "type">, bar: MatchBar, rules: MatchRules): number {
  return order.type === "market" && rules.fillAtClose ? bar.end : bar.ts;
}

/** A limit fills when the bar trades through it: at the limit, or at a better open. */
function limitPrice(limit: number, buy: boolean, bar: MatchBar): number | undefined {
  if (buy) return bar.low <= limit ? Math.min(bar.open, limit) : undefined;
  return bar.high >= limit ? Math.max(bar.open, limit) : undefined;
}

/** A stop triggers when the bar reaches it: at the stop, or at a worse open (a gap through it). */
function stopPrice(stop: number, buy: boolean, bar: MatchBar): number | undefined {
  if (buy) return bar.high >= stop ? Math.max(bar.open, stop) : undefined;
  return bar.low <= stop ? Math.min(bar.open, stop) : undefined;
}
