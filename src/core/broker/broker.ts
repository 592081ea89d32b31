/**
 * The simulated broker. An order fills no earlier than the bar after the decision, on the base
 * bars of its symbol:
 * - market: at that bar's open (`fill: next_open`) or close (`fill: close`), with slippage;
 * - limit: when the bar trades through the limit, at the limit or the better open;
 * - stop: when the bar reaches the stop, at the stop or the worse open, with slippage;
 * - stop_limit: the stop triggers it, then it is a limit (filled at once if the trigger price is
 *   within the limit).
 * Bracket exits (take-profit limit, stop-loss stop, one cancelling the other) start on the bar
 * after the entry fill; when one bar holds both, the stop is assumed to fill first (the worst
 * case) and the fill is flagged ambiguous. Fill prices always lie inside the bar's range. Day
 * orders expire at the close; bracket exits are good till cancelled.
 */
import type { Session } from "../config/load-session.ts";
import { Costs } from "./costs.ts";
import { direction, type Fill, type Order, type OrderRequest } from "./orders.ts";
import { Portfolio } from "./portfolio.ts";
import { RiskGate } from "./risk.ts";

/** A base bar, as the broker reads it. */
export interface BrokerBar {
  ts: number;
  end: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

/** Called for every fill, after the portfolio has booked it. */
export type FillListener = (fill: Fill, order: Order) => void;

/** Orders, fills and the account of one session. */
export class SimulatedBroker {
  readonly orders: Order[] = [];
  readonly fills: Fill[] = [];
  readonly portfolio: Portfolio;
  /** Per symbol index: how many orders are pending (the loop's O(1) check). */
  readonly pendingCount: Int32Array;
  ambiguousFills = 0;
  private readonly pending: Order[][];
  private readonly costs: Costs;
  private readonly risk: RiskGate;
  private readonly fillAtClose: boolean;
  private readonly indexes: Map<string, number>;

  constructor(
    readonly symbols: readonly string[],
    config: Pick<Session, "broker" | "trading_config">,
    private readonly last: (s: number) => number,
    private readonly onFill: FillListener = () => {},
  ) {
    this.portfolio = new Portfolio(symbols, config.broker.initial_cash);
    this.pendingCount = new Int32Array(symbols.length);
    this.pending = symbols.map(() => []);
    this.costs = new Costs(config.broker);
    this.risk = new RiskGate(config.trading_config);
    this.fillAtClose = config.broker.fill === "close";
    this.indexes = new Map(symbols.map((symbol, i) => [symbol, i]));
  }

  /** Places an order at instant `now` for `strategy`; a refused one is recorded as rejected. */
  submit(request: OrderRequest, strategy: string, now: number): Order {
    const s = this.indexes.get(request.symbol);
    const type = request.type ?? "market";
    const order: Order = {
      id: this.orders.length + 1,
      time: now,
      strategy,
      symbol: request.symbol,
      symbolIndex: s ?? -1,
      side: request.side,
      type,
      qty: request.qty ?? 0,
      limit: request.limit ?? null,
      stop: request.stop ?? null,
      tif: request.tif ?? "day",
      status: "pending",
      reason: null,
      bracket: request.bracket ? { take_profit: request.bracket.take_profit ?? null, stop_loss: request.bracket.stop_loss ?? null } : null,
      parent: null,
      sibling: null,
      triggered: false,
      activeFrom: now,
    };
    this.orders.push(order);
    const problem = this.validate(request, order);
    if (problem) return this.reject(order, problem);
    const price = order.limit ?? order.stop ?? this.last(order.symbolIndex);
    const refused = this.risk.check(order, price, { portfolio: this.portfolio, last: this.last, pending: this.allPending() });
    if (refused) return this.reject(order, refused);
    this.enqueue(order);
    return order;
  }

  /** Cancels a pending order; false when it is not pending. */
  cancel(id: number, reason = "cancelled by the strategy"): boolean {
    const order = this.orders[id - 1];
    if (!order || order.status !== "pending") return false;
    this.remove(order, "cancelled", reason);
    return true;
  }

  /** The pending orders of a symbol (or all), oldest first. */
  openOrders(symbol?: string): Order[] {
    if (symbol === undefined) return this.allPending();
    const s = this.indexes.get(symbol);
    return s === undefined ? [] : [...this.pending[s]!];
  }

  /** Fills what this base bar of symbol `s` triggers. Called for every base bar with pending orders. */
  onBar(s: number, bar: BrokerBar): void {
    const queue = this.pending[s]!;
    // Iterate over a snapshot: fills add bracket exits and remove orders.
    for (const order of [...queue]) {
      if (order.status !== "pending" || order.activeFrom > bar.ts) continue;
      if (order.sibling !== null && order.type === "limit") {
        // A take-profit whose stop-loss sibling is in the same bar: the stop goes first.
        const sibling = this.orders[order.sibling - 1]!;
        if (sibling.status === "pending" && sibling.activeFrom <= bar.ts && this.fillPrice(sibling, bar) !== undefined && this.fillPrice(order, bar) !== undefined) {
          this.execute(sibling, bar, this.fillPrice(sibling, bar)!, true);
          continue;
        }
      }
      const price = this.fillPrice(order, bar);
      if (price !== undefined) this.execute(order, bar, price, false);
    }
  }

  /** At the close: day orders expire. */
  endOfDay(): void {
    for (const queue of this.pending) {
      for (const order of [...queue]) if (order.tif === "day") this.remove(order, "expired", "day order expired at the close");
    }
  }

  /** The price this bar fills `order` at, or undefined when it does not fill. Updates stop-limit triggers. */
  private fillPrice(order: Order, bar: BrokerBar): number | undefined {
    const buy = order.side === "buy";
    switch (order.type) {
      case "market":
        return this.costs.slip(this.fillAtClose ? bar.close : bar.open, order.side, bar.low, bar.high);
      case "limit":
        return limitPrice(order.limit!, buy, bar);
      case "stop": {
        const base = stopPrice(order.stop!, buy, bar);
        return base === undefined ? undefined : this.costs.slip(base, order.side, bar.low, bar.high);
      }
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

  private execute(order: Order, bar: BrokerBar, price: number, ambiguous: boolean): void {
    const time = order.type === "market" && this.fillAtClose ? bar.end : bar.ts;
    const fill: Fill = {
      time,
      orderId: order.id,
      strategy: order.strategy,
      symbol: order.symbol,
      side: order.side,
      qty: order.qty,
      price,
      commission: this.costs.commission(order.qty, price),
      ambiguous,
    };
    this.remove(order, "filled", null);
    this.fills.push(fill);
    if (ambiguous) this.ambiguousFills++;
    this.portfolio.apply(fill, order.symbolIndex);
    if (order.sibling !== null) this.cancel(order.sibling, "the other side of the bracket filled");
    if (order.bracket) this.placeExits(order, bar.end);
    this.onFill(fill, order);
  }

  /** The bracket's exits: opposite side, same quantity, active from the next bar, one cancelling the other. */
  private placeExits(entry: Order, from: number): void {
    const side = entry.side === "buy" ? "sell" : "buy";
    const make = (type: "limit" | "stop", price: number): Order => {
      const order: Order = {
        ...entry,
        id: this.orders.length + 1,
        time: from,
        side,
        type,
        limit: type === "limit" ? price : null,
        stop: type === "stop" ? price : null,
        tif: "gtc",
        status: "pending",
        reason: null,
        bracket: null,
        parent: entry.id,
        sibling: null,
        triggered: false,
        activeFrom: from,
      };
      this.orders.push(order);
      this.enqueue(order);
      return order;
    };
    const target = entry.bracket!.take_profit !== null ? make("limit", entry.bracket!.take_profit) : undefined;
    const stop = entry.bracket!.stop_loss !== null ? make("stop", entry.bracket!.stop_loss) : undefined;
    if (target && stop) {
      target.sibling = stop.id;
      stop.sibling = target.id;
    }
  }

  private validate(request: OrderRequest, order: Order): string | undefined {
    if (order.symbolIndex < 0) return `${request.symbol} is not a symbol of the session`;
    if (request.side !== "buy" && request.side !== "sell") return `side must be buy or sell, got ${JSON.stringify(request.side)}`;
    if (!["market", "limit", "stop", "stop_limit"].includes(order.type)) return `type must be market, limit, stop or stop_limit, got ${JSON.stringify(order.type)}`;
    if ((request.qty === undefined) === (request.notional === undefined)) return "give exactly one of qty and notional";
    if ((order.type === "limit" || order.type === "stop_limit") && !(order.limit! > 0)) return `a ${order.type} order needs a limit price > 0`;
    if ((order.type === "stop" || order.type === "stop_limit") && !(order.stop! > 0)) return `a ${order.type} order needs a stop price > 0`;
    const last = this.last(order.symbolIndex);
    if (request.notional !== undefined) {
      const price = order.limit ?? order.stop ?? last;
      if (!(price > 0)) return `no price yet for ${order.symbol} to size a notional order`;
      order.qty = Math.floor(request.notional / price);
      if (order.qty < 1) return `notional ${request.notional} buys no whole share at ${price}`;
    }
    if (!(order.qty > 0) || !Number.isFinite(order.qty)) return `qty must be a positive number, got ${order.qty}`;
    if (order.type === "market" && !(last > 0)) return `no price yet for ${order.symbol}`;
    const b = order.bracket;
    if (b) {
      const ref = order.limit ?? order.stop ?? last;
      const dir = direction(order.side);
      if (b.take_profit !== null && (b.take_profit - ref) * dir <= 0) return `take_profit ${b.take_profit} must be ${dir > 0 ? "above" : "below"} the entry (${ref})`;
      if (b.stop_loss !== null && (b.stop_loss - ref) * dir >= 0) return `stop_loss ${b.stop_loss} must be ${dir > 0 ? "below" : "above"} the entry (${ref})`;
    }
    return undefined;
  }

  private reject(order: Order, reason: string): Order {
    order.status = "rejected";
    order.reason = reason;
    return order;
  }

  private enqueue(order: Order): void {
    this.pending[order.symbolIndex]!.push(order);
    this.pendingCount[order.symbolIndex]!++;
  }

  private remove(order: Order, status: Order["status"], reason: string | null): void {
    order.status = status;
    order.reason = reason;
    const queue = this.pending[order.symbolIndex]!;
    const i = queue.indexOf(order);
    if (i >= 0) {
      queue.splice(i, 1);
      this.pendingCount[order.symbolIndex]!--;
    }
  }

  private allPending(): Order[] {
    return this.pending.flat().sort((a, b) => a.id - b.id);
  }
}

/** A limit fills when the bar trades through it: at the limit, or at a better open. */
function limitPrice(limit: number, buy: boolean, bar: BrokerBar): number | undefined {
  if (buy) return bar.low <= limit ? Math.min(bar.open, limit) : undefined;
  return bar.high >= limit ? Math.max(bar.open, limit) : undefined;
}

/** A stop triggers when the bar reaches it: at the stop, or at a worse open (a gap through it). */
function stopPrice(stop: number, buy: boolean, bar: BrokerBar): number | undefined {
  if (buy) return bar.high >= stop ? Math.max(bar.open, stop) : undefined;
  return bar.low <= stop ? Math.min(bar.open, stop) : undefined;
}
