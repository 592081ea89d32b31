/**
 * The replay server's broker: it keeps an account (cash, positions), takes orders as Alpaca's
 * Trading API does, and fills them on the replayed bars by the simulated broker's rules
 * (broker/matching.ts), so a live session against it fills exactly as a backtest does. An order
 * works from the instant the session decided (`x_submitted_at`, sent by sessionflow's client to
 * a replay server) or its arrival; bars are matched as the replay passes them, or - when the
 * session reports its progress (lock-step) - up to where the session has got. Bracket legs wait
 * for their entry, then one cancels the other; day orders expire at the close. Events go out as
 * `trade_updates`. Faults: rejections, partial fills, a slow acknowledgement, a cancel that loses
 * to a fill, existing positions and orders.
 */
import { formatTime, parseTime } from "../alpaca/messages.ts";
import type { TradeUpdate } from "../alpaca/trade-stream.ts";
import type { OrderBody, WireAccount, WireOrder, WirePosition } from "../alpaca/trading.ts";
import { fillPrice, fillTime, type MatchBar, type MatchRules } from "../broker/matching.ts";
import type { MarketCalendar } from "../time/calendar.ts";
import { lowerBound } from "../util/bounds.ts";
import type { BarCache } from "./bar-cache.ts";
import type { TradingFaults } from "./faults.ts";

const MINUTE = 60_000;

interface ServerOrder {
  wire: WireOrder;
  symbol: string;
  side: "buy" | "sell";
  type: "market" | "limit" | "stop" | "stop_limit";
  qty: number;
  filled: number;
  limit: number | null;
  stop: number | null;
  tif: "day" | "gtc" | "cls";
  triggered: boolean;
  /** No fill on a bar that starts before this. */
  activeFrom: number;
  /** The close of the session it was placed in (day orders expire there). */
  dayClose: number;
  working: boolean;
  held: boolean;
  legs: ServerOrder[];
  /** A bracket's leg (listed nested in its entry, as with nested=true). */
  leg: boolean;
  sibling: ServerOrder | undefined;
  cost: number;
}

/** A refusal the REST route turns into an HTTP error. */
export class OrderRefusal extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** The replay's broker. */
export class OrderEngine {
  private readonly orders: ServerOrder[] = [];
  private readonly byId = new Map<string, ServerOrder>();
  private readonly byClientId = new Map<string, ServerOrder>();
  private readonly positions = new Map<string, { qty: number; cost: number }>();
  /** Per symbol: bars with start at or before this have been matched. */
  private readonly matched = new Map<string, number>();
  private cash: number;
  private placed = 0;
  private fillsSent = 0;
  /** Set once the session reports its progress: matching follows it, not the replay's clock. */
  lockStep = false;

  constructor(
    private readonly bars: BarCache,
    private readonly calendar: MarketCalendar,
    private readonly rules: MatchRules,
    private readonly faults: TradingFaults,
    private readonly emit: (update: TradeUpdate) => void,
    /** When the replay starts (orders open at the start were placed a day before). */
    startsAt: number,
  ) {
    this.cash = faults.cash;
    for (const p of faults.positions) this.positions.set(p.symbol, { qty: p.qty, cost: p.qty * p.price });
    for (const o of faults.openOrders) {
      this.place({ symbol: o.symbol, qty: String(o.qty), side: o.side, type: o.type, time_in_force: "gtc", client_order_id: o.client_order_id, limit_price: o.limit === undefined ? undefined : String(o.limit), stop_price: o.stop === undefined ? undefined : String(o.stop) }, startsAt - 86_400_000, true);
    }
  }

  /** POST /v2/orders. */
  place(body: OrderBody, now: number, quiet = false): WireOrder {
    const qty = Number(body.qty);
    if (!body.symbol || !this.bars.has(body.symbol)) throw new OrderRefusal(422, `asset ${JSON.stringify(body.symbol)} not found`);
    if (!(qty > 0)) throw new OrderRefusal(422, "qty must be > 0");
    if (!["market", "limit", "stop", "stop_limit"].includes(body.type)) throw new OrderRefusal(422, `invalid order type ${JSON.stringify(body.type)}`);
    if (!["day", "gtc", "cls"].includes(body.time_in_force)) throw new OrderRefusal(422, `invalid time_in_force ${JSON.stringify(body.time_in_force)}`);
    if (body.time_in_force === "cls" && body.type !== "market") throw new OrderRefusal(422, "time_in_force cls is for market orders (market-on-close)");
    if ((body.type === "limit" || body.type === "stop_limit") && !(Number(body.limit_price) > 0)) throw new OrderRefusal(422, "limit_price is required");
    if ((body.type === "stop" || body.type === "stop_limit") && !(Number(body.stop_price) > 0)) throw new OrderRefusal(422, "stop_price is required");
    if (this.byClientId.has(body.client_order_id)) throw new OrderRefusal(422, "client_order_id must be unique");
    const activeFrom = body.x_submitted_at ? parseTime(body.x_submitted_at) : now;
    const order = this.make(body.symbol, body.side, body.type, qty, num(body.limit_price), num(body.stop_price), body.time_in_force, body.client_order_id, activeFrom, false, body.order_class === "bracket" ? "bracket" : "simple");
    if (body.order_class === "bracket") {
      const exit = body.side === "buy" ? "sell" : "buy";
      const legs: ServerOrder[] = [];
      if (body.take_profit) legs.push(this.make(body.symbol, exit, "limit", qty, Number(body.take_profit.limit_price), null, "gtc", `${body.client_order_id}-tp`, activeFrom, true, "bracket"));
      if (body.stop_loss) legs.push(this.make(body.symbol, exit, "stop", qty, null, Number(body.stop_loss.stop_price), "gtc", `${body.client_order_id}-sl`, activeFrom, true, "bracket"));
      if (legs.length === 2) {
        legs[0]!.sibling = legs[1];
        legs[1]!.sibling = legs[0];
      }
      order.legs = legs;
      order.wire.legs = legs.map((l) => l.wire);
    }
    this.placed++;
    if (!quiet) {
      this.emit({ event: "new", order: order.wire, timestamp: formatTime(now) });
      if (this.faults.rejectEvery > 0 && this.placed % this.faults.rejectEvery === 0) this.end(order, "rejected", now);
    }
    return order.wire;
  }

  /** DELETE /v2/orders/{id}: true when cancelled; a refusal when it can no longer be (the cancel-race fault fills it first). */
  cancel(id: string, now: number): void {
    const order = this.byId.get(id);
    if (!order) throw new OrderRefusal(404, "order not found");
    if (!order.working) throw new OrderRefusal(422, `order is not cancelable (${order.wire.status})`);
    if (this.faults.cancelRace) {
      // The order fills on its next bar before the cancel arrives.
      const bar = this.nextBar(order.symbol, Math.max(order.activeFrom, now - MINUTE));
      if (bar) {
        const price = Math.min(bar.high, Math.max(bar.low, order.limit ?? order.stop ?? bar.open));
        this.fill(order, order.qty - order.filled, price, bar.ts, false, bar.end);
        throw new OrderRefusal(422, "order is not cancelable (filled)");
      }
    }
    this.end(order, "canceled", now);
  }

  /** The session is about to handle the bars ending at `until`: every bar that starts before it is matched (lock-step). */
  progress(until: number): void {
    this.lockStep = true;
    this.matchThrough(until - 1);
  }

  /** The replay reached `now`: without lock-step, bars that have ended are matched. */
  clock(now: number): void {
    if (!this.lockStep) this.matchThrough(now - MINUTE);
  }

  /** Orders placed so far (the acknowledgement-delay fault counts them). */
  placedCount(): number {
    return this.placed;
  }

  order(id: string): WireOrder | undefined {
    return this.byId.get(id)?.wire;
  }

  orderByClientId(clientOrderId: string): WireOrder | undefined {
    return this.byClientId.get(clientOrderId)?.wire;
  }

  /** GET /v2/orders: by status, submitted after `after` (exclusive), oldest first, at most `limit` (Alpaca caps it at 500). */
  list(status: string, after?: string, limit = 500): WireOrder[] {
    const open = (o: ServerOrder) => o.working || o.held || o.legs.some((l) => l.working);
    const from = after ? parseTime(after) : -Infinity;
    return this.orders
      .filter((o) => !o.leg)
      .filter((o) => (status === "open" ? open(o) : status === "closed" ? !open(o) : true))
      .filter((o) => parseTime(o.wire.created_at) > from)
      .slice(0, Math.min(Math.max(1, limit), 500))
      .map((o) => o.wire);
  }

  account(now: number): WireAccount {
    let value = 0;
    for (const [symbol, p] of this.positions) value += p.qty * this.lastPrice(symbol, now);
    const equity = this.cash + value;
    return { account_number: "PA-REPLAY-LOCAL", status: "ACTIVE", currency: "USD", cash: money(this.cash), equity: money(equity), buying_power: money(Math.max(0, equity * 2)), trading_blocked: false, account_blocked: false };
  }

  positionsList(now: number): WirePosition[] {
    return [...this.positions]
      .filter(([, p]) => p.qty !== 0)
      .map(([symbol, p]) => ({ symbol, qty: String(Math.abs(p.qty)), side: p.qty > 0 ? "long" : "short", avg_entry_price: money(p.cost / p.qty), market_value: money(p.qty * this.lastPrice(symbol, now)), current_price: money(this.lastPrice(symbol, now)) }));
  }

  /** Matches every working order against the bars that started at or before `until`, in time order per symbol. */
  private matchThrough(until: number): void {
    this.expireDayOrders(until);
    const symbols = [...new Set(this.orders.filter((o) => o.working).map((o) => o.symbol))];
    for (const symbol of symbols) {
      const from = (this.matched.get(symbol) ?? -Infinity) + 1;
      const first = Math.min(...this.orders.filter((o) => o.working && o.symbol === symbol).map((o) => o.activeFrom));
      const start = Math.max(from, first);
      if (start > until) continue;
      const bars = this.bars.bars(symbol, start, until + 1);
      for (let i = 0; i < bars.ts.length; i++) {
        const bar: MatchBar = { ts: bars.ts[i]!, end: this.endOf(bars.ts[i]!), open: bars.open[i]!, high: bars.high[i]!, low: bars.low[i]!, close: bars.close[i]! };
        this.matchBar(symbol, bar);
      }
      this.matched.set(symbol, until);
    }
  }

  /** The simulated broker's order of events on one bar, bracket rules included. */
  private matchBar(symbol: string, bar: MatchBar): void {
    for (const order of this.orders.filter((o) => o.working && o.symbol === symbol)) {
      if (!order.working || order.activeFrom > bar.ts || order.tif === "cls") continue;
      const sibling = order.sibling;
      if (sibling && order.type === "limit" && sibling.working && sibling.activeFrom <= bar.ts && fillPrice(sibling, bar, this.rules) !== undefined && fillPrice(order, bar, this.rules) !== undefined) {
        this.fill(sibling, sibling.qty - sibling.filled, fillPrice(sibling, bar, this.rules)!, fillTime(sibling, bar, this.rules), true, bar.end);
        continue;
      }
      const price = fillPrice(order, bar, this.rules);
      if (price !== undefined) this.fill(order, order.qty - order.filled, price, fillTime(order, bar, this.rules), false, bar.end);
    }
  }

  private fill(order: ServerOrder, qty: number, price: number, time: number, ambiguous: boolean, barEnd: number): void {
    const parts = this.faults.partialFills && qty >= 2 ? [Math.floor(qty / 2), qty - Math.floor(qty / 2)] : [qty];
    for (const [k, part] of parts.entries()) {
      order.filled += part;
      const done = k === parts.length - 1;
      const dir = order.side === "buy" ? 1 : -1;
      this.cash -= dir * part * price;
      const position = this.positions.get(order.symbol) ?? { qty: 0, cost: 0 };
      const before = position.qty;
      const after = before + dir * part;
      // The position's cost: grows with what opens it, shrinks pro rata with what reduces it, restarts when it flips.
      if (before === 0 || Math.sign(before) === dir) position.cost += dir * part * price;
      else if (after === 0 || Math.sign(after) === Math.sign(before)) position.cost *= after / before;
      else position.cost = after * price;
      position.qty = after;
      this.positions.set(order.symbol, position);
      order.wire.filled_qty = String(order.filled);
      order.wire.filled_avg_price = money(price);
      order.wire.filled_at = formatTime(time);
      order.wire.status = done ? "filled" : "partially_filled";
      if (done) order.working = false;
      this.fillsSent++;
      this.emit({ event: done ? "fill" : "partial_fill", order: { ...order.wire }, timestamp: formatTime(time), price: String(price), qty: String(part), position_qty: String(after), ...(ambiguous ? { x_ambiguous: true } : {}) });
    }
    // A filled entry releases its legs from the next bar; a filled leg cancels its sibling.
    for (const leg of order.legs) {
      leg.held = false;
      leg.working = true;
      leg.activeFrom = barEnd;
      leg.wire.status = "new";
    }
    if (order.sibling?.working) this.end(order.sibling, "canceled", time);
  }

  private end(order: ServerOrder, status: "canceled" | "expired" | "rejected", now: number): void {
    order.working = false;
    order.wire.status = status;
    if (status === "canceled") order.wire.canceled_at = formatTime(now);
    for (const leg of order.legs) if (leg.held) this.end(leg, "canceled", now);
    this.emit({ event: status, order: { ...order.wire }, timestamp: formatTime(now) });
  }

  private expireDayOrders(until: number): void {
    for (const order of this.orders) {
      if (!order.working || order.dayClose > until) continue;
      // Market-on-close: the day's closing price (the last close), at the close.
      if (order.tif === "cls") this.fill(order, order.qty - order.filled, this.lastPrice(order.symbol, order.dayClose + MINUTE), order.dayClose, false, order.dayClose);
      else if (order.tif === "day") this.end(order, "expired", order.dayClose);
    }
  }

  private make(symbol: string, side: "buy" | "sell", type: ServerOrder["type"], qty: number, limit: number | null, stop: number | null, tif: "day" | "gtc" | "cls", clientOrderId: string, activeFrom: number, held: boolean, orderClass: "simple" | "bracket"): ServerOrder {
    const id = `srv-${String(this.orders.length + 1).padStart(8, "0")}`;
    const wire: WireOrder = {
      id,
      client_order_id: clientOrderId,
      symbol,
      side,
      type,
      time_in_force: tif,
      qty: String(qty),
      filled_qty: "0",
      filled_avg_price: null,
      limit_price: limit === null ? null : String(limit),
      stop_price: stop === null ? null : String(stop),
      status: held ? "held" : "new",
      order_class: orderClass,
      created_at: formatTime(activeFrom),
      filled_at: null,
      legs: null,
    };
    const day = this.calendar.localTime(activeFrom).day;
    const session = this.calendar.session(day) ?? this.calendar.session(this.calendar.nextTradingDay(day))!;
    const order: ServerOrder = { wire, symbol, side, type, qty, filled: 0, limit, stop, tif, triggered: false, activeFrom, dayClose: session.close, working: !held, held, legs: [], leg: held, sibling: undefined, cost: 0 };
    this.orders.push(order);
    this.byId.set(id, order);
    this.byClientId.set(clientOrderId, order);
    return order;
  }

  private nextBar(symbol: string, from: number): MatchBar | undefined {
    const bars = this.bars.bars(symbol, from, from + 7 * 86_400_000);
    if (bars.ts.length === 0) return undefined;
    return { ts: bars.ts[0]!, end: this.endOf(bars.ts[0]!), open: bars.open[0]!, high: bars.high[0]!, low: bars.low[0]!, close: bars.close[0]! };
  }

  /** A one-minute bar's end: a minute later, or its session's close. */
  private endOf(ts: number): number {
    const session = this.calendar.session(this.calendar.localTime(ts).day);
    return session ? Math.min(ts + MINUTE, session.close) : ts + MINUTE;
  }

  private lastPrice(symbol: string, now: number): number {
    const bars = this.bars.bars(symbol, now - 7 * 86_400_000, now - MINUTE + 1);
    const i = lowerBound(bars.ts, now - MINUTE + 1) - 1;
    return i >= 0 ? bars.close[i]! : (this.positions.get(symbol)?.cost ?? 0) / (this.positions.get(symbol)?.qty || 1);
  }
}

function num(text: string | undefined | null): number | null {
  return text === undefined || text === null || text === "" ? null : Number(text);
}

function money(x: number): string {
  return String(Math.round(x * 10_000) / 10_000);
}
