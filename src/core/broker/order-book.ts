/**
 * The orders of one session and what they did, whichever venue works them (the simulated broker,
 * or a real broker's API): orders are validated and checked by the risk gate when submitted,
 * fills (partial ones too) are booked into the one account and the strategies' books, a bracket's
 * exits are created when its entry has filled (one cancelling the other), and day orders expire.
 * Working orders are kept per symbol and, for the risk gate, entries in id order with per-symbol
 * quantities, so submitting an order costs the same with 5 symbols or 500.
 */
import { roundMoney } from "../util/money.ts";
import type { Session } from "../config/load-session.ts";
import { direction, type Fill, type Order, type OrderRequest } from "./orders.ts";
import { Portfolio } from "./portfolio.ts";
import { RiskGate, type RiskView } from "./risk.ts";

/** Called for every fill, after the portfolio has booked it. */
export type FillListener = (fill: Fill, order: Order) => void;

/** The price a commission is worked out from. */
export type Commission = (qty: number, price: number) => number;

/** The orders, fills and account of one session. */
export class OrderBook {
  readonly orders: Order[] = [];
  readonly fills: Fill[] = [];
  readonly portfolio: Portfolio;
  /** Per symbol index: how many orders work (the loop's O(1) check before its fill hook). */
  readonly pendingCount: Int32Array;
  ambiguousFills = 0;
  /** Set when trading stopped (max_daily_loss, the kill switch): every new order is refused with it. */
  halted: string | null = null;
  /** Set while paused: new orders are refused with it. */
  paused: string | null = null;
  /** Positions the session does not own (live: found in the account at start), by symbol index. */
  readonly external: Float64Array;
  /** Live: the value of what the account holds or has open outside the session's symbols and strategies (counted in exposure). */
  externalValue = 0;
  private readonly working: Order[][];
  /** Working orders that may open or grow a position, in id order (the risk gate's view). */
  private readonly entries: Order[] = [];
  private readonly workingBuy: Float64Array;
  private readonly workingSell: Float64Array;
  private readonly risk: RiskGate;
  /** What the risk gate reads: one object for every check (an order allocates nothing for its check). */
  private readonly riskView: RiskView;
  private readonly indexes: Map<string, number>;

  constructor(
    readonly symbols: readonly string[],
    config: Pick<Session, "broker" | "trading_config">,
    /** The last price of a symbol index (NaN before any). */
    readonly last: (s: number) => number,
    private readonly commission: Commission,
    private readonly onFill: FillListener = () => {},
  ) {
    this.portfolio = new Portfolio(symbols, config.broker.initial_cash);
    this.pendingCount = new Int32Array(symbols.length);
    this.working = symbols.map(() => []);
    this.workingBuy = new Float64Array(symbols.length);
    this.workingSell = new Float64Array(symbols.length);
    this.external = new Float64Array(symbols.length);
    this.risk = new RiskGate(config.trading_config);
    this.riskView = { portfolio: this.portfolio, last, entries: this.entries, workingBuy: this.workingBuy, workingSell: this.workingSell, external: this.external, externalValue: 0 };
    this.indexes = new Map(symbols.map((symbol, i) => [symbol, i]));
  }

  /** The index of a symbol, or -1. */
  indexOf(symbol: string): number {
    return this.indexes.get(symbol) ?? -1;
  }

  /** A new order at instant `now` for `strategy`: pending (working) once validated and within the limits, else rejected with the reason. */
  create(request: OrderRequest, strategy: string, now: number): Order {
    const order: Order = {
      id: this.orders.length + 1,
      time: now,
      strategy,
      symbol: request.symbol,
      symbolIndex: this.indexOf(request.symbol),
      side: request.side,
      type: request.type ?? "market",
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
      filled: 0,
      filledValue: 0,
      charged: 0,
      clientOrderId: null,
    };
    this.orders.push(order);
    const problem = this.validate(request, order);
    if (problem) return this.reject(order, problem);
    const reduces = this.reducesOnly(order);
    if (this.halted && !reduces) return this.reject(order, this.halted);
    if (this.paused && !reduces) return this.reject(order, this.paused);
    const price = order.limit ?? order.stop ?? this.last(order.symbolIndex);
    this.riskView.externalValue = this.externalValue;
    const refused = this.risk.check(order, price, this.riskView);
    if (refused) return this.reject(order, refused);
    this.work(order);
    return order;
  }

  /** The pending orders of a symbol (or all, in id order). */
  openOrders(symbol?: string): Order[] {
    if (symbol === undefined) return this.working.flat().sort((a, b) => a.id - b.id);
    const s = this.indexOf(symbol);
    return s < 0 ? [] : [...this.working[s]!];
  }

  /** The working orders of symbol index `s`, oldest first (a live view: copy before changing orders). */
  workingOf(s: number): readonly Order[] {
    return this.working[s]!;
  }

  /**
   * Books a fill of `qty` at `price` (a partial one when the order has more to fill). A bracket
   * entry that is complete gets its exits (returned, working from `exitsFrom`); an exit that fills
   * cancels its sibling.
   */
  fill(order: Order, qty: number, price: number, time: number, ambiguous: boolean, exitsFrom: number): { fill: Fill; exits: Order[] } {
    order.filled += qty;
    order.filledValue += qty * price;
    const done = order.filled >= order.qty;
    // The order's commission on all it has filled, less what its earlier fills paid (a minimum is paid once).
    const commission = order.charged === 0 ? this.commission(qty, price) : roundMoney(Math.max(0, this.commission(order.filled, order.filledValue / order.filled) - order.charged));
    order.charged += commission;
    const fill: Fill = { time, orderId: order.id, strategy: order.strategy, symbol: order.symbol, side: order.side, qty, price, commission, ambiguous, partial: !done };
    if (order.parent === null) {
      const working = order.side === "buy" ? this.workingBuy : this.workingSell;
      working[order.symbolIndex] = working[order.symbolIndex]! - qty;
    }
    if (done) this.settle(order, "filled", null);
    this.fills.push(fill);
    if (ambiguous) this.ambiguousFills++;
    this.portfolio.apply(fill, order.symbolIndex);
    if (done && order.sibling !== null) this.cancel(order.sibling, "the other side of the bracket filled");
    const exits = done && order.bracket ? this.placeExits(order, exitsFrom) : [];
    this.onFill(fill, order);
    return { fill, exits };
  }

  /** Ends a working order (filled, cancelled, expired, rejected by the venue). */
  settle(order: Order, status: Order["status"], reason: string | null): void {
    if (order.status !== "pending") return;
    order.status = status;
    order.reason = reason;
    const s = order.symbolIndex;
    const queue = this.working[s]!;
    const i = queue.indexOf(order);
    if (i < 0) return;
    queue.splice(i, 1);
    this.pendingCount[s]!--;
    if (order.parent !== null) return;
    const entry = this.entries.indexOf(order);
    if (entry >= 0) this.entries.splice(entry, 1);
    const working = order.side === "buy" ? this.workingBuy : this.workingSell;
    working[s] = working[s]! - (order.qty - order.filled);
  }

  /**
   * Puts an order that was taken for ended back to work (live: a cancel the broker refused, a day
   * order the broker had not expired yet): its fills may still come.
   */
  revive(order: Order): void {
    if (order.status === "pending" || order.status === "rejected") return;
    order.status = "pending";
    order.reason = null;
    const s = order.symbolIndex;
    this.working[s]!.push(order);
    this.working[s]!.sort((a, b) => a.id - b.id);
    this.pendingCount[s]!++;
    if (order.parent !== null) return;
    this.entries.push(order);
    this.entries.sort((a, b) => a.id - b.id);
    const working = order.side === "buy" ? this.workingBuy : this.workingSell;
    working[s] = working[s]! + (order.qty - order.filled);
  }

  /** An order found working at the broker when the session starts, taken into a strategy's book (live reconciliation). */
  adopt(request: OrderRequest & { qty: number }, strategy: string, filled: number, clientOrderId: string, placedAt: number): Order {
    const order: Order = {
      id: this.orders.length + 1,
      time: placedAt,
      strategy,
      symbol: request.symbol,
      symbolIndex: this.indexOf(request.symbol),
      side: request.side,
      type: request.type ?? "market",
      qty: request.qty,
      limit: request.limit ?? null,
      stop: request.stop ?? null,
      tif: request.tif ?? "day",
      status: "pending",
      reason: null,
      bracket: null,
      parent: null,
      sibling: null,
      triggered: false,
      activeFrom: placedAt,
      filled,
      filledValue: 0,
      charged: 0,
      clientOrderId,
    };
    this.orders.push(order);
    this.work(order);
    return order;
  }

  /** Cancels a working order; false when it is not working. */
  cancel(id: number, reason = "cancelled by the strategy"): boolean {
    const order = this.orders[id - 1];
    if (!order || order.status !== "pending") return false;
    this.settle(order, "cancelled", reason);
    return true;
  }

  /** At the close: market-on-close orders fill at each symbol's closing price (its last close), at `close`. */
  fillOnClose(close: number): void {
    for (const queue of this.working) {
      for (const order of [...queue]) {
        if (order.type !== "moc" || order.status !== "pending") continue;
        this.fill(order, order.qty - order.filled, this.last(order.symbolIndex), close, false, close);
      }
    }
  }

  /** At the close: day orders expire (those `which` selects: all by default). */
  expireDayOrders(which: (order: Order) => boolean = () => true): Order[] {
    const expired: Order[] = [];
    for (const queue of this.working) {
      for (const order of [...queue]) {
        if (order.tif !== "day" || !which(order)) continue;
        this.settle(order, "expired", "day order expired at the close");
        expired.push(order);
      }
    }
    return expired;
  }

  /** An order that only reduces the strategy's own position (always allowed, even when halted). */
  reducesOnly(order: Pick<Order, "strategy" | "symbolIndex" | "side" | "qty" | "bracket">): boolean {
    if (order.symbolIndex < 0 || order.bracket) return false;
    const own = this.portfolio.strategyPosition(order.strategy, order.symbolIndex).qty;
    return Math.sign(own) === -direction(order.side) && order.qty <= Math.abs(own);
  }

  /** A bracket's exits: opposite side, the entry's quantity, working from `from`, one cancelling the other. */
  private placeExits(entry: Order, from: number): Order[] {
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
        filled: 0,
        filledValue: 0,
        charged: 0,
        clientOrderId: null,
      };
      this.orders.push(order);
      this.work(order);
      return order;
    };
    const target = entry.bracket!.take_profit !== null ? make("limit", entry.bracket!.take_profit) : undefined;
    const stop = entry.bracket!.stop_loss !== null ? make("stop", entry.bracket!.stop_loss) : undefined;
    if (target && stop) {
      target.sibling = stop.id;
      stop.sibling = target.id;
    }
    return [target, stop].filter((o): o is Order => o !== undefined);
  }

  private validate(request: OrderRequest, order: Order): string | undefined {
    if (order.symbolIndex < 0) return `${request.symbol} is not a symbol of the session`;
    if (request.side !== "buy" && request.side !== "sell") return `side must be buy or sell, got ${JSON.stringify(request.side)}`;
    if (!["market", "limit", "stop", "stop_limit", "moc"].includes(order.type)) return `type must be market, limit, stop, stop_limit or moc, got ${JSON.stringify(order.type)}`;
    if (order.type === "moc" && (order.tif !== "day" || order.bracket || order.limit !== null || order.stop !== null)) return "a moc order is a day order without limit, stop or bracket";
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
    if ((order.type === "market" || order.type === "moc") && !(last > 0)) return `no price yet for ${order.symbol}`;
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

  private work(order: Order): void {
    const s = order.symbolIndex;
    this.working[s]!.push(order);
    this.pendingCount[s]!++;
    if (order.parent !== null) return;
    this.entries.push(order);
    const working = order.side === "buy" ? this.workingBuy : this.workingSell;
    working[s] = working[s]! + (order.qty - order.filled);
  }
}
