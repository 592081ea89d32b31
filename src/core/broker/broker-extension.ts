/**
 * The broker in the engine (the execution stage): pending orders are checked on every base bar of
 * their symbol (the fill hook: one load when there are none), before indicators and strategies see
 * the bar; the account's equity is marked at the end of every merge step; day orders expire at the
 * close. At each day's end it hands the day's rows to the run (orders that settled, fills, round
 * trips, the equity curve, each scope's day), and the orders still pending when the session ends.
 */
import type { EngineContext, EngineExtension } from "../engine/extension.ts";
import type { TradingSession } from "../time/calendar.ts";
import type { Session } from "../config/load-session.ts";
import type { Execution } from "./execution.ts";
import type { FillListener, OrderBook } from "./order-book.ts";
import { SimulatedBroker } from "./simulated-broker.ts";
import { roundMoney } from "../util/money.ts";
import { isoUtc } from "../time/dates.ts";
import { ScopeLedger } from "./scope-ledger.ts";
import type { Fill, Order } from "./orders.ts";
import type { Trade } from "./portfolio.ts";

/** Growable equity curve: one row per merge step. */
class EquityCurve {
  ts = new Float64Array(4096);
  cash = new Float64Array(4096);
  equity = new Float64Array(4096);
  length = 0;

  push(ts: number, cash: number, equity: number): void {
    if (this.length === this.ts.length) {
      const grow = (a: Float64Array) => {
        const next = new Float64Array(a.length * 2);
        next.set(a);
        return next;
      };
      this.ts = grow(this.ts);
      this.cash = grow(this.cash);
      this.equity = grow(this.equity);
    }
    this.ts[this.length] = ts;
    this.cash[this.length] = cash;
    this.equity[this.length] = equity;
    this.length++;
  }
}

/** The trading counts of summary.json. */
export interface TradingSummary {
  orders: number;
  fills: number;
  trades: number;
  rejected_orders: number;
  rejected_reasons: Record<string, number>;
  ambiguous_fills: number;
  commissions: number;
  realized_pnl: number;
  initial_cash: number;
  final_cash: number;
  final_equity: number;
  open_positions: { symbol: string; qty: number; avg_price: number }[];
}

/** How far each growing list has been handed to the run. */
interface Handed {
  fills: number;
  trades: number;
  equity: number;
  daily: number;
  /** Orders before this index have all been handed (settled ones go as they settle). */
  ordersFrom: number;
  orders: Uint8Array;
}

/** What a venue is made from: the session's symbols and config, the last price, the fill listener. */
export interface VenueParts {
  symbols: readonly string[];
  session: Session;
  last: (s: number) => number;
  onFill: FillListener;
}

/** Makes the session's venue (the simulated broker unless the mode says otherwise). */
export type VenueFactory = (parts: VenueParts) => Execution;

/** The simulated broker: backtests and paper sessions. */
export const simulatedVenue: VenueFactory = ({ symbols, session, last, onFill }) => new SimulatedBroker(symbols, session, last, onFill);

/** The extension that owns the session's venue and its account. */
export class BrokerExtension implements EngineExtension {
  readonly name = "broker";
  readonly stage = "execution";
  /** The venue orders go to. */
  execution!: Execution;
  readonly equity = new EquityCurve();
  private engine!: EngineContext;
  private readonly fillListeners: FillListener[] = [];
  /** Per-strategy and per-symbol P&L and time in the market (equity_daily). */
  private ledger!: ScopeLedger;
  private last!: (s: number) => number;
  private dayStartEquity = NaN;
  private readonly handed: Handed = { fills: 0, trades: 0, equity: 0, daily: 0, ordersFrom: 0, orders: new Uint8Array(1024) };

  constructor(private venue: VenueFactory = simulatedVenue) {}

  /** Chooses the venue before the session starts (a live session's real broker). */
  useVenue(venue: VenueFactory): void {
    this.venue = venue;
  }

  /** The venue's orders, fills and account. */
  get book(): OrderBook {
    return this.execution.book;
  }

  /** Registers a callback for every fill (the strategy engine's onFill dispatch). */
  onFill(listener: FillListener): void {
    this.fillListeners.push(listener);
  }

  async setup(engine: EngineContext): Promise<void> {
    this.engine = engine;
    const { plan, data, session } = engine;
    const last = (s: number) => data.lastPrice(s);
    this.last = last;
    this.ledger = new ScopeLedger(session.broker.initial_cash, plan.symbols, session.strategies.filter((e) => e.enabled).map((e) => e.name));
    this.execution = this.venue({
      symbols: plan.symbols,
      session,
      last,
      onFill: (fill, order) => {
        this.ledger.fill(fill, order.symbolIndex);
        for (const listener of this.fillListeners) listener(fill, order);
      },
    });
    // A venue with nothing to start (the simulation) sets up without waiting a turn.
    const started = this.execution.start?.();
    if (started) await started;
    // A bar's fills happen before indicators and strategies see it, only for symbols with working orders.
    engine.hooks.onFill(this.book.pendingCount, (s, bar) => this.execution.onBar(s, bar));
    const portfolio = this.book.portfolio;
    const limit = session.trading_config.max_daily_loss;
    engine.hooks.onStep((end) => {
      const equity = portfolio.equity(last);
      this.equity.push(end, portfolio.cash, equity);
      this.ledger.step();
      if (limit !== null && this.dayStartEquity - equity >= limit && !this.book.halted) {
        this.halt(`trading stopped: the day's loss reached max_daily_loss ${limit.toFixed(2)} (equity ${equity.toFixed(2)}, ${this.dayStartEquity.toFixed(2)} at the open)`);
      }
    });
  }

  onDayStart(): void {
    this.dayStartEquity = this.book.portfolio.equity(this.last);
  }

  onDayEnd(session: TradingSession): void {
    this.execution.endOfDay(session.close);
    this.ledger.endDay(session.date, this.last);
    this.handOver(false);
  }

  /**
   * Stops trading for the rest of the session (max_daily_loss, the kill switch): every working
   * order is cancelled, every strategy's position closed at market; new orders are refused with
   * `reason` (closing ones still pass). Data keeps streaming and being recorded.
   */
  halt(reason: string): void {
    if (this.book.halted) return;
    const { book } = this;
    book.halted = reason;
    const now = this.engine.clock.now();
    this.engine.logger.log("warn", `${reason} - at ${isoUtc(now)}`);
    for (const order of book.openOrders()) this.execution.cancel(order.id, reason);
    for (const strategy of this.engine.session.strategies.filter((e) => e.enabled).map((e) => e.name)) {
      for (const s of [...book.portfolio.open]) {
        const qty = book.portfolio.strategyPosition(strategy, s).qty;
        if (qty !== 0) this.execution.submit({ symbol: book.symbols[s]!, side: qty > 0 ? "sell" : "buy", qty: Math.abs(qty) }, strategy, now);
      }
    }
  }

  /** Holds new orders (a pause command); null lets them through again. */
  pause(reason: string | null): void {
    this.book.paused = reason;
  }

  async teardown(): Promise<void> {
    await this.execution?.close?.();
  }

  /** Orders still pending when the session ends go to the run too. */
  onFinish(): void {
    this.handOver(true);
  }

  /** The trading counts for summary.json. */
  summary(): TradingSummary {
    const broker = this.book;
    const rejected = broker.orders.filter((o) => o.status === "rejected");
    const reasons: Record<string, number> = {};
    for (const o of rejected) reasons[o.reason!] = (reasons[o.reason!] ?? 0) + 1;
    const last = this.equity.length > 0 ? this.equity.equity[this.equity.length - 1]! : broker.portfolio.initialCash;
    return {
      orders: broker.orders.length,
      fills: broker.fills.length,
      trades: broker.portfolio.trades.length,
      rejected_orders: rejected.length,
      rejected_reasons: reasons,
      ambiguous_fills: broker.ambiguousFills,
      commissions: broker.portfolio.commissions,
      realized_pnl: roundMoney(broker.portfolio.trades.reduce((n, t) => n + t.pnl, 0)),
      initial_cash: broker.portfolio.initialCash,
      final_cash: broker.portfolio.cash,
      final_equity: last,
      open_positions: broker.portfolio.symbols
        .map((_, s) => broker.portfolio.position(s))
        .filter((p) => p.qty !== 0)
        .map((p) => ({ symbol: p.symbol, qty: p.qty, avg_price: roundMoney(p.avgPrice) })),
    };
  }

  /** Hands the rows produced since the last call to the run (with `all`, pending orders too). */
  private handOver(all: boolean): void {
    const { sink } = this.engine;
    const { handed, equity } = this;
    const broker = this.book;
    const fills = broker.fills.slice(handed.fills);
    handed.fills = broker.fills.length;
    sink.append("fills", fillRows(fills));
    const trades = broker.portfolio.trades.slice(handed.trades);
    handed.trades = broker.portfolio.trades.length;
    sink.append("trades", tradeRows(trades));
    sink.append("equity", { ts: equity.ts.subarray(handed.equity, equity.length), cash: equity.cash.subarray(handed.equity, equity.length), equity: equity.equity.subarray(handed.equity, equity.length) });
    handed.equity = equity.length;
    const days = this.ledger.days.slice(handed.daily);
    handed.daily = this.ledger.days.length;
    sink.append("equity_daily", {
      date: days.map((d) => d.date),
      scope: days.map((d) => d.scope),
      name: days.map((d) => d.name),
      equity: days.map((d) => d.equity),
      steps: days.map((d) => d.steps),
      steps_in_market: days.map((d) => d.steps_in_market),
    });
    sink.append("orders", orderRows(this.settledOrders(all)));
  }

  /** Orders not handed yet that have settled (all of them with `all`), marking them handed. */
  private settledOrders(all: boolean): Order[] {
    const { orders } = this.book;
    const handed = this.handed;
    if (handed.orders.length < orders.length) {
      const next = new Uint8Array(Math.max(orders.length, handed.orders.length * 2));
      next.set(handed.orders);
      handed.orders = next;
    }
    const out: Order[] = [];
    for (let i = handed.ordersFrom; i < orders.length; i++) {
      if (handed.orders[i] || (!all && orders[i]!.status === "pending")) continue;
      handed.orders[i] = 1;
      out.push(orders[i]!);
    }
    while (handed.ordersFrom < orders.length && handed.orders[handed.ordersFrom]) handed.ordersFrom++;
    return out;
  }
}

// Each table's columns filled in one pass over its rows (a map per column walked the rows 15
// times with a closure call each: ~30 ns a bar of the trading benchmark).

function orderRows(orders: Order[]) {
  const n = orders.length;
  const id = new Array<number>(n), time = new Array<number>(n), strategy = new Array<string>(n), symbol = new Array<string>(n);
  const side = new Array<string>(n), type = new Array<string>(n), qty = new Array<number>(n), limit = new Array<number | null>(n);
  const stop = new Array<number | null>(n), tif = new Array<string>(n), status = new Array<string>(n), reason = new Array<string | null>(n);
  const parent = new Array<number | null>(n), filled = new Array<number>(n), clientOrderId = new Array<string | null>(n);
  for (let i = 0; i < n; i++) {
    const o = orders[i]!;
    id[i] = o.id;
    time[i] = o.time;
    strategy[i] = o.strategy;
    symbol[i] = o.symbol;
    side[i] = o.side;
    type[i] = o.type;
    qty[i] = o.qty;
    limit[i] = o.limit;
    stop[i] = o.stop;
    tif[i] = o.tif;
    status[i] = o.status;
    reason[i] = o.reason;
    parent[i] = o.parent;
    filled[i] = o.filled;
    clientOrderId[i] = o.clientOrderId;
  }
  return { id, time, strategy, symbol, side, type, qty, limit, stop, tif, status, reason, parent, filled_qty: filled, client_order_id: clientOrderId };
}

function fillRows(fills: readonly Fill[]) {
  const n = fills.length;
  const time = new Array<number>(n), symbol = new Array<string>(n), side = new Array<string>(n), qty = new Array<number>(n), price = new Array<number>(n);
  const commission = new Array<number>(n), orderId = new Array<number>(n), strategy = new Array<string>(n), ambiguous = new Array<boolean>(n);
  for (let i = 0; i < n; i++) {
    const f = fills[i]!;
    time[i] = f.time;
    symbol[i] = f.symbol;
    side[i] = f.side;
    qty[i] = f.qty;
    price[i] = f.price;
    commission[i] = f.commission;
    orderId[i] = f.orderId;
    strategy[i] = f.strategy;
    ambiguous[i] = f.ambiguous;
  }
  return { time, symbol, side, qty, price, commission, order_id: orderId, strategy, ambiguous };
}

function tradeRows(trades: readonly Trade[]) {
  const n = trades.length;
  const symbol = new Array<string>(n), side = new Array<string>(n), qty = new Array<number>(n), entryTime = new Array<number>(n), entryPrice = new Array<number>(n);
  const exitTime = new Array<number>(n), exitPrice = new Array<number>(n), pnl = new Array<number>(n), commission = new Array<number>(n), strategy = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const t = trades[i]!;
    symbol[i] = t.symbol;
    side[i] = t.side;
    qty[i] = t.qty;
    entryTime[i] = t.entryTime;
    entryPrice[i] = t.entryPrice;
    exitTime[i] = t.exitTime;
    exitPrice[i] = t.exitPrice;
    pnl[i] = t.pnl;
    commission[i] = t.commission;
    strategy[i] = t.strategy;
  }
  return { symbol, side, qty, entry_time: entryTime, entry_price: entryPrice, exit_time: exitTime, exit_price: exitPrice, pnl, commission, strategy };
}
