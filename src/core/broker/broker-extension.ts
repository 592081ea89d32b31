/**
 * The broker in the engine: pending orders are checked on every base bar of their symbol (the
 * loop's gated hook: one load when there are none), before indicators and strategies see the
 * bar; the account's equity is marked at the end of every merge step; day orders expire at the
 * close. At the end it gives the run's trading tables (orders, fills, trades, the equity curve,
 * and each day's equity per strategy and per symbol) and writes them.
 */
import { join } from "node:path";
import pl from "nodejs-polars";
import { writeFileAtomic, writeParquetAtomic } from "../data/atomic.ts";
import { csv } from "../run/csv.ts";
import { FILLS_SCHEMA, ORDERS_SCHEMA, parseCsv, RUN_FILES, TRADES_SCHEMA, type RunTables } from "../report/run-tables.ts";
import type { EngineContext, EngineExtension } from "../engine/coordinator.ts";
import { isoUtc } from "../time/dates.ts";
import type { TradingSession } from "../time/calendar.ts";
import { SimulatedBroker, type FillListener } from "./broker.ts";
import { ScopeLedger } from "./scope-ledger.ts";
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
  /** Per-strategy and per-symbol P&L and time in the market (equity_daily). */
  private ledger!: ScopeLedger;
  private last!: (s: number) => number;

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
    this.last = last;
    this.ledger = new ScopeLedger(session.broker.initial_cash, plan.symbols, session.strategies.filter((e) => e.enabled).map((e) => e.name));
    this.broker = new SimulatedBroker(plan.symbols, session, last, (fill, order) => {
      this.ledger.fill(fill, order.symbolIndex);
      for (const listener of this.fillListeners) listener(fill, order);
    });
    // Before the bar's listeners, so a bar's fills happen before indicators and strategies see it,
    // and only for symbols with pending orders.
    engine.loop.setGatedHook(this.broker.pendingCount, (s, bar) => this.broker.onBar(s, bar));
    const portfolio = this.broker.portfolio;
    engine.loop.stepHooks.push((end) => {
      this.equity.push(end, portfolio.cash, portfolio.equity(last));
      this.ledger.step();
    });
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

  onDayEnd(session: TradingSession): void {
    this.broker.endOfDay();
    this.ledger.endDay(session.date, this.last);
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

  /** The run's trading tables (after the run): the text of the CSV files, parsed as a later read parses it. */
  tables(): RunTables {
    const text = this.texts();
    return {
      equity: this.equityFrame(),
      daily: pl.DataFrame(this.ledger.days.length > 0 ? this.ledger.days : [], { schema: DAILY_SCHEMA }),
      trades: parseCsv(text.trades, TRADES_SCHEMA),
      fills: parseCsv(text.fills, FILLS_SCHEMA),
      orders: parseCsv(text.orders, ORDERS_SCHEMA),
    };
  }

  /** Writes orders.csv, fills.csv and trades.csv into `dir`. */
  writeCsv(dir: string): void {
    const text = this.texts();
    writeFileAtomic(join(dir, RUN_FILES.orders), text.orders);
    writeFileAtomic(join(dir, RUN_FILES.fills), text.fills);
    writeFileAtomic(join(dir, RUN_FILES.trades), text.trades);
  }

  /** Writes equity.parquet and equity_daily.parquet into `dir`. */
  writeParquet(dir: string, tables: RunTables): void {
    writeParquetAtomic(join(dir, RUN_FILES.equity), tables.equity);
    writeParquetAtomic(join(dir, RUN_FILES.daily), tables.daily);
  }

  private cachedTexts: { orders: string; fills: string; trades: string } | undefined;

  private texts(): { orders: string; fills: string; trades: string } {
    if (this.cachedTexts) return this.cachedTexts;
    const { broker } = this;
    this.cachedTexts = {
      orders: csv(Object.keys(ORDERS_SCHEMA), broker.orders.map(orderRow)),
      fills: csv(Object.keys(FILLS_SCHEMA), broker.fills.map(fillRow)),
      trades: csv(
        Object.keys(TRADES_SCHEMA),
        broker.portfolio.trades.map((t) => [t.symbol, t.side, t.qty, isoUtc(t.entryTime), t.entryPrice, isoUtc(t.exitTime), t.exitPrice, t.pnl, t.commission, t.strategy]),
      ),
    };
    return this.cachedTexts;
  }

  private equityFrame(): pl.DataFrame {
    const n = this.equity.length;
    return pl.DataFrame([pl.Series("ts", this.equity.ts.subarray(0, n)).cast(pl.Int64), pl.Series("cash", this.equity.cash.subarray(0, n)), pl.Series("equity", this.equity.equity.subarray(0, n))]);
  }
}

const DAILY_SCHEMA = { date: pl.Utf8, scope: pl.Utf8, name: pl.Utf8, equity: pl.Float64, steps: pl.Float64, steps_in_market: pl.Float64 };

function orderRow(o: Order): unknown[] {
  return [o.id, isoUtc(o.time), o.strategy, o.symbol, o.side, o.type, o.qty, o.limit, o.stop, o.tif, o.status, o.reason, o.parent];
}

function fillRow(f: Fill): unknown[] {
  return [isoUtc(f.time), f.symbol, f.side, f.qty, f.price, f.commission, f.orderId, f.strategy, f.ambiguous];
}
