/**
 * The broker in the engine: pending orders are checked on every base bar of their symbol (the
 * loop's gated hook: one load when there are none), before indicators and strategies see the
 * bar; the account's equity is marked at the end of every merge step; day orders expire at the
 * close. At the end it writes orders.csv, fills.csv, trades.csv and equity.parquet.
 */
import { join } from "node:path";
import pl from "nodejs-polars";
import { writeFileAtomic, writeParquetAtomic } from "../data/atomic.ts";
import { csv } from "../run/csv.ts";
import type { EngineContext, EngineExtension } from "../engine/coordinator.ts";
import { isoUtc } from "../time/dates.ts";
import { SimulatedBroker, type FillListener } from "./broker.ts";
import type { Fill, Order } from "./orders.ts";

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

/** The extension that owns the simulated broker of a session. */
export class BrokerExtension implements EngineExtension {
  readonly name = "broker";
  broker!: SimulatedBroker;
  readonly equity = new EquityCurve();
  private engine!: EngineContext;
  /** Per symbol: the last close known before today (for orders placed before today's first bar). */
  private lastKnown!: Float64Array;
  private readonly fillListeners: FillListener[] = [];

  /** Registers a callback for every fill (the strategy engine's onFill dispatch). */
  onFill(listener: FillListener): void {
    this.fillListeners.push(listener);
  }

  setup(engine: EngineContext): void {
    this.engine = engine;
    const { plan, data, session } = engine;
    const count = plan.intervals.length;
    this.lastKnown = new Float64Array(plan.symbols.length).fill(NaN);
    const baseSeries = plan.symbols.map((_, s) => data.series[s * count + plan.base[s]!]!);
    const last = (s: number) => {
      const bars = baseSeries[s]!;
      return bars.length > 0 ? bars.lastClose() : this.lastKnown[s]!;
    };
    this.broker = new SimulatedBroker(plan.symbols, session, last, (fill, order) => {
      for (const listener of this.fillListeners) listener(fill, order);
    });
    // Before the bar's listeners, so a bar's fills happen before indicators and strategies see it,
    // and only for symbols with pending orders.
    engine.loop.setGatedHook(this.broker.pendingCount, (s, bar) => this.broker.onBar(s, bar));
    const portfolio = this.broker.portfolio;
    engine.loop.stepHooks.push((end) => this.equity.push(end, portfolio.cash, portfolio.equity(last)));
  }

  /** Before the first bar of a symbol, its last price is the last close of its base history. */
  onDayStart(): void {
    const { plan, data } = this.engine;
    plan.symbols.forEach((symbol, s) => {
      if (!Number.isNaN(this.lastKnown[s]!)) return;
      const history = data.historyOf(symbol, plan.intervals[plan.base[s]!]!.text);
      if (history && history.length > 0) {
        const columns = history.columns();
        this.lastKnown[s] = columns.close[columns.close.length - 1]!;
      }
    });
  }

  onDayEnd(): void {
    this.broker.endOfDay();
    const { plan, data } = this.engine;
    const count = plan.intervals.length;
    plan.symbols.forEach((_, s) => {
      const bars = data.series[s * count + plan.base[s]!]!;
      if (bars.length > 0) this.lastKnown[s] = bars.lastClose();
    });
  }

  /** The trading counts for summary.json. */
  summary() {
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
      realized_pnl: Math.round(broker.portfolio.trades.reduce((n, t) => n + t.pnl, 0) * 10_000) / 10_000,
      initial_cash: broker.portfolio.initialCash,
      final_cash: broker.portfolio.cash,
      final_equity: last,
      open_positions: broker.portfolio.symbols
        .map((_, s) => broker.portfolio.position(s))
        .filter((p) => p.qty !== 0)
        .map((p) => ({ symbol: p.symbol, qty: p.qty, avg_price: Math.round(p.avgPrice * 10_000) / 10_000 })),
    };
  }

  /** Writes orders.csv, fills.csv, trades.csv and equity.parquet into `dir`. */
  write(dir: string): void {
    const { broker } = this;
    writeFileAtomic(join(dir, "orders.csv"), csv(["id", "time", "strategy", "symbol", "side", "type", "qty", "limit", "stop", "tif", "status", "reason", "parent"], broker.orders.map(orderRow)));
    writeFileAtomic(join(dir, "fills.csv"), csv(["time", "symbol", "side", "qty", "price", "commission", "order_id", "strategy", "ambiguous"], broker.fills.map(fillRow)));
    writeFileAtomic(
      join(dir, "trades.csv"),
      csv(
        ["symbol", "side", "qty", "entry_time", "entry_price", "exit_time", "exit_price", "pnl", "commission", "strategy"],
        broker.portfolio.trades.map((t) => [t.symbol, t.side, t.qty, isoUtc(t.entryTime), t.entryPrice, isoUtc(t.exitTime), t.exitPrice, t.pnl, t.commission, t.strategy]),
      ),
    );
    const n = this.equity.length;
    writeParquetAtomic(
      join(dir, "equity.parquet"),
      pl.DataFrame([pl.Series("ts", this.equity.ts.subarray(0, n)).cast(pl.Int64), pl.Series("cash", this.equity.cash.subarray(0, n)), pl.Series("equity", this.equity.equity.subarray(0, n))]),
    );
  }
}

function orderRow(o: Order): unknown[] {
  return [o.id, isoUtc(o.time), o.strategy, o.symbol, o.side, o.type, o.qty, o.limit, o.stop, o.tif, o.status, o.reason, o.parent];
}

function fillRow(f: Fill): unknown[] {
  return [isoUtc(f.time), f.symbol, f.side, f.qty, f.price, f.commission, f.orderId, f.strategy, f.ambiguous];
}
