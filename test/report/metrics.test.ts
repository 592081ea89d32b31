/**
 * The metrics on a constructed run whose every number is worked out by hand below (the formulas
 * written out, not the module's code): four days, three round trips, two strategies, two symbols.
 */
import { describe, expect, test } from "bun:test";
import pl from "nodejs-polars";
import { computePerformance, type MetricsContext } from "../../src/core/run/metrics.ts";
import type { RunTables } from "../../src/core/run/read-run.ts";
import { FILLS_SCHEMA, ORDERS_SCHEMA, TRADES_SCHEMA, type Schema } from "../../src/core/run/run-files.ts";
import { frameSchema } from "../../src/core/run/table-buffer.ts";

/** A CSV table as a run's file holds it, parsed as a run's reader parses it. */
const parseCsv = (text: string, schema: Schema) => pl.readCSV(Buffer.from(text), { schema: frameSchema(schema, "csv"), hasHeader: true });

const DAYS = ["2025-07-01", "2025-07-02", "2025-07-03", "2025-07-07"];
const at = (date: string, hhmm: string) => Date.parse(`${date}T${hhmm}:00Z`);

function tables(): RunTables {
  // The account every few steps: a new peak of 1015 on 07-02, then 980 the same day.
  const steps: [number, number][] = [
    [at(DAYS[0]!, "14:00"), 1005], [at(DAYS[0]!, "20:00"), 1010],
    [at(DAYS[1]!, "14:00"), 1015], [at(DAYS[1]!, "15:00"), 980], [at(DAYS[1]!, "20:00"), 990],
    [at(DAYS[2]!, "20:00"), 1030],
    [at(DAYS[3]!, "20:00"), 1020],
  ];
  const daily = (scope: string, name: string, equity: number[], inMarket: number[]) =>
    DAYS.map((date, i) => ({ date, scope, name, equity: equity[i]!, steps: 390, steps_in_market: inMarket[i]! }));
  const rows = [
    ...daily("account", "account", [1010, 990, 1030, 1020], [100, 200, 0, 50]),
    ...daily("strategy", "A", [1020, 1005, 1025, 1020], [100, 150, 0, 0]),
    ...daily("strategy", "B", [990, 985, 1005, 1000], [0, 50, 0, 50]),
    ...daily("symbol", "X", [1015, 1000, 1035, 1035], [100, 150, 0, 50]),
    ...daily("symbol", "Y", [995, 990, 995, 985], [0, 50, 0, 0]),
  ];
  const trades = [
    "symbol,side,qty,entry_time,entry_price,exit_time,exit_price,pnl,commission,strategy",
    "X,long,10,2025-07-01T14:00:00.000Z,100,2025-07-01T15:00:00.000Z,103.2,30,2,A",
    "Y,short,5,2025-07-02T14:00:00.000Z,50,2025-07-02T15:00:00.000Z,51.6,-10,2,A",
    "X,long,2,2025-07-07T14:00:00.000Z,100,2025-07-07T15:00:00.000Z,103.5,5,2,B",
  ].join("\n");
  const fills = [
    "time,symbol,side,qty,price,commission,order_id,strategy,ambiguous",
    "2025-07-01T14:00:00.000Z,X,buy,10,100,1,1,A,false",
    "2025-07-01T15:00:00.000Z,X,sell,10,103.2,1,2,A,false",
    "2025-07-02T14:00:00.000Z,Y,sell,5,50,1,3,A,false",
    "2025-07-02T15:00:00.000Z,Y,buy,5,51.6,1,4,A,true",
    "2025-07-07T14:00:00.000Z,X,buy,2,100,1,5,B,false",
    "2025-07-07T15:00:00.000Z,X,sell,2,103.5,1,6,B,false",
  ].join("\n");
  const orders = [
    "id,time,strategy,symbol,side,type,qty,limit,stop,tif,status,reason,parent",
    "1,2025-07-01T13:59:00.000Z,A,X,buy,market,10,,,day,filled,,",
    "2,2025-07-01T14:59:00.000Z,A,X,sell,market,10,,,day,filled,,",
    "3,2025-07-02T13:59:00.000Z,A,Y,sell,market,5,,,day,filled,,",
    "4,2025-07-02T14:59:00.000Z,A,Y,buy,market,5,,,day,filled,,",
    "5,2025-07-07T13:59:00.000Z,B,X,buy,market,2,,,day,filled,,",
    "6,2025-07-07T14:59:00.000Z,B,X,sell,market,2,,,day,filled,,",
    "7,2025-07-07T15:30:00.000Z,B,Y,buy,market,900,,,day,rejected,max_position_value,",
  ].join("\n");
  return {
    equity: pl.DataFrame({ ts: steps.map((s) => s[0]), cash: steps.map((s) => s[1]), equity: steps.map((s) => s[1]) }).withColumns(pl.col("ts").cast(pl.Int64)),
    daily: pl.DataFrame(rows),
    trades: parseCsv(trades, TRADES_SCHEMA),
    fills: parseCsv(fills, FILLS_SCHEMA),
    orders: parseCsv(orders, ORDERS_SCHEMA),
  };
}

const context: MetricsContext = { initialEquity: 1000, dateOf: (ms) => new Date(ms).toISOString().slice(0, 10), strategies: ["A", "B"], symbols: ["X", "Y"] };
const sections = computePerformance(tables(), context);

/** mean, sample sd and downside deviation of daily returns, by hand. */
function byHand(closes: number[]) {
  const r = closes.map((e, i) => e / (i === 0 ? 1000 : closes[i - 1]!) - 1);
  const mean = r.reduce((a, b) => a + b, 0) / r.length;
  const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1));
  const downside = Math.sqrt(r.reduce((a, b) => a + Math.min(b, 0) ** 2, 0) / r.length);
  return { sharpe: (mean / sd) * Math.sqrt(252), sortino: (mean / downside) * Math.sqrt(252) };
}

describe("performance of the account", () => {
  const p = sections.performance;
  test("equity, return; no CAGR for four days", () => {
    expect(p.initial_equity).toBe(1000);
    expect(p.final_equity).toBe(1020);
    expect(p.total_return).toBeCloseTo(0.02, 12);
    expect(p.cagr).toBeNull();
  });

  test("Sharpe and Sortino from the four daily returns, annualised with 252", () => {
    // r = 0.01, 990/1010 - 1, 1030/990 - 1, 1020/1030 - 1
    const r = [0.01, 990 / 1010 - 1, 1030 / 990 - 1, 1020 / 1030 - 1];
    const mean = (r[0]! + r[1]! + r[2]! + r[3]!) / 4;
    const sd = Math.sqrt(((r[0]! - mean) ** 2 + (r[1]! - mean) ** 2 + (r[2]! - mean) ** 2 + (r[3]! - mean) ** 2) / 3);
    const downside = Math.sqrt((r[1]! ** 2 + r[3]! ** 2) / 4);
    expect(p.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(252), 8);
    expect(p.sortino).toBeCloseTo((mean / downside) * Math.sqrt(252), 8);
    expect(p.sharpe).toBeCloseTo(3.1268, 3); // 0.0052233 / 0.0265188 * 15.8745
  });

  test("the drawdown is taken over every step: 1015 -> 980 on 07-02, recovered on 07-03", () => {
    expect(p.max_drawdown).toBeCloseTo(1 - 980 / 1015, 10);
    expect([p.max_drawdown_start, p.max_drawdown_trough, p.max_drawdown_recovery]).toEqual(["2025-07-02", "2025-07-02", "2025-07-03"]);
  });

  test("round trips, costs, exposure and turnover", () => {
    expect(p.trades).toBe(3);
    expect(p.win_rate).toBeCloseTo(2 / 3, 10);
    expect(p.avg_win).toBe(17.5); // (30 + 5) / 2
    expect(p.avg_loss).toBe(-10);
    expect(p.profit_factor).toBe(3.5); // 35 / 10
    expect(p.commissions).toBe(6);
    expect(p.ambiguous_fills).toBe(1);
    expect(p.rejected_orders).toBe(1);
    expect(p.exposure).toBeCloseTo(350 / 1560, 10);
    const notional = 10 * 100 + 10 * 103.2 + 5 * 50 + 5 * 51.6 + 2 * 100 + 2 * 103.5;
    expect(p.turnover).toBeCloseTo(notional / ((1010 + 990 + 1030 + 1020) / 4), 10);
  });
});

describe("performance by strategy and by symbol", () => {
  test("strategy A: its own closes, trades, fills and time in the market", () => {
    const a = sections.performance_by_strategy.A!;
    expect(a.final_equity).toBe(1020);
    expect(a.sharpe).toBeCloseTo(byHand([1020, 1005, 1025, 1020]).sharpe, 8);
    expect(a.sortino).toBeCloseTo(byHand([1020, 1005, 1025, 1020]).sortino, 8);
    // A strategy's curve is its closes: 1020 -> 1005.
    expect(a.max_drawdown).toBeCloseTo(1 - 1005 / 1020, 10);
    expect([a.max_drawdown_start, a.max_drawdown_trough, a.max_drawdown_recovery]).toEqual(["2025-07-01", "2025-07-02", "2025-07-03"]);
    expect({ trades: a.trades, win_rate: a.win_rate, avg_win: a.avg_win, avg_loss: a.avg_loss, profit_factor: a.profit_factor }).toEqual({ trades: 2, win_rate: 0.5, avg_win: 30, avg_loss: -10, profit_factor: 3 });
    expect({ commissions: a.commissions, ambiguous: a.ambiguous_fills, rejected: a.rejected_orders }).toEqual({ commissions: 4, ambiguous: 1, rejected: 0 });
    expect(a.exposure).toBeCloseTo(250 / 1560, 10);
  });

  test("strategy B never lost a round trip: no avg_loss, no profit factor; its rejected order counts", () => {
    const b = sections.performance_by_strategy.B!;
    expect(b.trades).toBe(1);
    expect(b.win_rate).toBe(1);
    expect(b.avg_loss).toBeNull();
    expect(b.profit_factor).toBeNull();
    expect(b.rejected_orders).toBe(1);
    // Down from the initial 1000 at once: the peak is the start of the window.
    expect(b.max_drawdown).toBeCloseTo(1 - 985 / 1000, 10);
    expect([b.max_drawdown_start, b.max_drawdown_trough, b.max_drawdown_recovery]).toEqual(["2025-07-01", "2025-07-02", "2025-07-03"]);
  });

  test("symbols: X's two round trips of two strategies, Y's one; a drawdown not yet recovered has no recovery date", () => {
    const x = sections.performance_by_symbol.X!;
    const y = sections.performance_by_symbol.Y!;
    expect([x.trades, x.commissions, x.total_return]).toEqual([2, 4, 0.035]);
    expect([y.trades, y.avg_loss, y.rejected_orders]).toEqual([1, -10, 1]);
    expect(y.max_drawdown).toBeCloseTo(1 - 985 / 1000, 10);
    expect([y.max_drawdown_start, y.max_drawdown_trough, y.max_drawdown_recovery]).toEqual(["2025-07-01", "2025-07-07", null]);
  });
});

test("CAGR over a window of a year or more: (E_n / E_0)^(365.25 / days) - 1", () => {
  const t = tables();
  const daily = pl.DataFrame([
    { date: "2024-01-02", scope: "account", name: "account", equity: 1050, steps: 390, steps_in_market: 0 },
    { date: "2025-01-02", scope: "account", name: "account", equity: 1100, steps: 390, steps_in_market: 0 },
  ]);
  const none = { trades: t.trades.head(0), fills: t.fills.head(0), orders: t.orders.head(0) };
  const p = computePerformance({ ...t, ...none, daily, equity: t.equity.head(0) }, { ...context, strategies: [], symbols: [] }).performance;
  expect(p.cagr).toBeCloseTo((1100 / 1000) ** (365.25 / 367) - 1, 10);
  // Two up days: no downside, so no Sortino ratio.
  expect(p.sortino).toBeNull();
  // No round trip, no fill: the trade metrics say so rather than inventing zeros.
  expect([p.trades, p.win_rate, p.avg_win, p.avg_loss, p.profit_factor]).toEqual([0, null, null, null, null]);
  expect([p.commissions, p.turnover, p.exposure, p.ambiguous_fills, p.rejected_orders]).toEqual([0, 0, 0, 0, 0]);
});
