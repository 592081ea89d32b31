/**
 * The example strategies on the bundled data (sessions/july.yaml): every one trades on every day,
 * every fill lies inside the bar it filled on, and the files agree with the summary.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import pl from "nodejs-polars";
import { barColumns } from "../../src/core/data/bars.ts";
import { runTestSession } from "../helpers/session.ts";
import { tempDir } from "../helpers/tmp.ts";

const dir = tempDir("examples");
afterAll(() => dir[Symbol.dispose]());
const run = await runTestSession("sessions/july.yaml", [], { keep: `${dir.path}/run` });
const rows = (file: string) => {
  const [header, ...lines] = readFileSync(`${run.runDir}/${file}`, "utf8").trim().split("\n");
  const names = header!.split(",");
  return lines.map((line) => Object.fromEntries(line.split(",").map((cell, i) => [names[i]!, cell])));
};

describe("the example strategies on sessions/july.yaml", () => {
  test("each of the three strategies trades on each of the three days", () => {
    const trades = rows("trades.csv");
    for (const strategy of ["sma_crossover", "rsi_mean_reversion", "opening_range_breakout"]) {
      const days = new Set(trades.filter((t) => t.strategy === strategy).map((t) => t.entry_time!.slice(0, 10)));
      expect({ strategy, days: [...days].sort() }).toEqual({ strategy, days: ["2025-07-02", "2025-07-03", "2025-07-07"] });
    }
  });

  test("every fill lies inside the range of the one-minute bar it filled on, never the decision's bar", () => {
    const fills = rows("fills.csv");
    const orders = new Map(rows("orders.csv").map((o) => [o.id!, o]));
    const outside: string[] = [];
    for (const fill of fills) {
      const bars = barColumns(pl.readParquet(`${run.runDir}/bars/${fill.symbol}_1m.parquet`));
      const ts = Date.parse(fill.time!);
      const i = bars.ts.indexOf(ts);
      const price = Number(fill.price);
      if (i < 0 || price < bars.low[i]! - 1e-9 || price > bars.high[i]! + 1e-9) outside.push(`${fill.symbol} ${fill.time} ${price}`);
      // The bar it filled on started at or after the order was placed.
      if (Date.parse(orders.get(fill.order_id!)!.time!) > ts) outside.push(`order ${fill.order_id} filled before it was placed`);
    }
    expect(outside).toEqual([]);
    expect(fills.length).toBeGreaterThan(30);
  });

  test("the files and the summary agree", () => {
    const t = run.summary.trading;
    const trades = rows("trades.csv");
    expect([t.orders, t.fills, t.trades]).toEqual([rows("orders.csv").length, rows("fills.csv").length, trades.length]);
    expect(t.realized_pnl).toBeCloseTo(trades.reduce((n, r) => n + Number(r.pnl), 0), 6);
    expect(t.commissions).toBeCloseTo(rows("fills.csv").reduce((n, r) => n + Number(r.commission), 0), 6);
    const equity = pl.readParquet(`${run.runDir}/equity.parquet`);
    expect(equity.columns).toEqual(["ts", "cash", "equity"]);
    expect(equity.getColumn("equity").toArray().at(-1)).toBe(t.final_equity);
    expect(equity.height).toBe(run.summary.days.reduce((n, d) => n + d.iterations, 0));
    expect(run.summary.strategy_errors).toEqual([]);
  });

  test("a strategy sees its own position: strategies sharing a symbol do not close each other's", () => {
    // Both sma_crossover and opening_range_breakout trade MSFT; every trade is matched within one strategy.
    const trades = rows("trades.csv").filter((t) => t.symbol === "MSFT");
    const fills = rows("fills.csv");
    for (const trade of trades) {
      const entry = fills.find((f) => f.time === trade.entry_time && f.symbol === "MSFT" && Number(f.price) === Number(trade.entry_price));
      expect(entry?.strategy).toBe(trade.strategy);
    }
  });
});
