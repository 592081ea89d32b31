/**
 * The broker in the engine (the execution stage): pending orders are checked on every base bar of
 * their symbol (the fill hook: one load when there are none), before indicators and strategies see
 * the bar; the account's equity is marked at the end of every merge step; day orders expire at the
 * close. At each day's end it hands the day's rows to the run (orders that settled, fills, round
 * trips, the equity curve, each scope's day), and the orders still pending when the session ends.
 */
import type { EngineContext, EngineExtension } from "../engine/extension.ts";
import type { TradingSession } from "../time/calendar.ts";
import { SimulatedBroker, type FillListener } from "./broker.ts";
import { roundMoney } from "../util/money.ts";
import { ScopeLedger } from "./scope-ledger.ts";
import type { Order } from "./orders.ts";

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

/** The extension that owns the simulated broker of a session. */
export class BrokerExtension implements EngineExtension {
  readonly name = "broker";
  readonly stage = "execution";
  broker!: SimulatedBroker;
  readonly equity = new EquityCurve();
  private engine!: EngineContext;
  private readonly fillListeners: FillListener[] = [];
  /** Per-strategy and per-symbol P&L and time in the market (equity_daily). */
  private ledger!: ScopeLedger;
  private last!: (s: number) => number;
  private readonly handed: Handed = { fills: 0, trades: 0, equity: 0, daily: 0, ordersFrom: 0, orders: new Uint8Array(1024) };

  /** Registers a callback for every fill (the strategy engine's onFill dispatch). */
  onFill(listener: FillListener): void {
    this.fillListeners.push(listener);
  }

  setup(engine: EngineContext): void {
    this.engine = engine;
    const { plan, data, session } = engine;
    const last = (s: number) => data.lastPrice(s);
    this.last = last;
    this.ledger = new ScopeLedger(session.broker.initial_cash, plan.symbols, session.strategies.filter((e) => e.enabled).map((e) => e.name));
    this.broker = new SimulatedBroker(plan.symbols, session, last, (fill, order) => {
      this.ledger.fill(fill, order.symbolIndex);
      for (const listener of this.fillListeners) listener(fill, order);
    });
    // A bar's fills happen before indicators and strategies see it, only for symbols with pending orders.
    engine.hooks.onFill(this.broker.pendingCount, (s, bar) => this.broker.onBar(s, bar));
    const portfolio = this.broker.portfolio;
    engine.hooks.onStep((end) => {
      this.equity.push(end, portfolio.cash, portfolio.equity(last));
      this.ledger.step();
    });
  }

  onDayEnd(session: TradingSession): void {
    this.broker.endOfDay();
    this.ledger.endDay(session.date, this.last);
    this.handOver(false);
  }

  /** Orders still pending when the session ends go to the run too. */
  onFinish(): void {
    this.handOver(true);
  }

  /** The trading counts for summary.json. */
  summary(): TradingSummary {
    const { broker } = this;
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
    const { broker, handed, equity } = this;
    const fills = broker.fills.slice(handed.fills);
    handed.fills = broker.fills.length;
    sink.append("fills", {
      time: fills.map((f) => f.time),
      symbol: fills.map((f) => f.symbol),
      side: fills.map((f) => f.side),
      qty: fills.map((f) => f.qty),
      price: fills.map((f) => f.price),
      commission: fills.map((f) => f.commission),
      order_id: fills.map((f) => f.orderId),
      strategy: fills.map((f) => f.strategy),
      ambiguous: fills.map((f) => f.ambiguous),
    });
    const trades = broker.portfolio.trades.slice(handed.trades);
    handed.trades = broker.portfolio.trades.length;
    sink.append("trades", {
      symbol: trades.map((t) => t.symbol),
      side: trades.map((t) => t.side),
      qty: trades.map((t) => t.qty),
      entry_time: trades.map((t) => t.entryTime),
      entry_price: trades.map((t) => t.entryPrice),
      exit_time: trades.map((t) => t.exitTime),
      exit_price: trades.map((t) => t.exitPrice),
      pnl: trades.map((t) => t.pnl),
      commission: trades.map((t) => t.commission),
      strategy: trades.map((t) => t.strategy),
    });
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
    const { orders } = this.broker;
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

function orderRows(orders: Order[]) {
  return {
    id: orders.map((o) => o.id),
    time: orders.map((o) => o.time),
    strategy: orders.map((o) => o.strategy),
    symbol: orders.map((o) => o.symbol),
    side: orders.map((o) => o.side),
    type: orders.map((o) => o.type),
    qty: orders.map((o) => o.qty),
    limit: orders.map((o) => o.limit),
    stop: orders.map((o) => o.stop),
    tif: orders.map((o) => o.tif),
    status: orders.map((o) => o.status),
    reason: orders.map((o) => o.reason),
    parent: orders.map((o) => o.parent),
  };
}
