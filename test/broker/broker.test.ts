/**
 * The broker on small constructed bars, every number checked by hand: each order type, brackets
 * and the intrabar rule, commission and slippage, P&L of long and short round trips, day orders.
 */
import { describe, expect, test } from "bun:test";
import type { MatchBar as BrokerBar } from "../../src/core/broker/matching.ts";
import { SimulatedBroker } from "../../src/core/broker/simulated-broker.ts";
import type { Fill } from "../../src/core/broker/orders.ts";

const MIN = 60_000;
type Config = ConstructorParameters<typeof SimulatedBroker>[1];
const limits = { max_buying_power: 1_000_000, max_per_trade: 1_000_000, max_per_symbol: 1_000_000, max_open_positions: 5, max_daily_loss: null, external_positions: {} };
const costs = (extra: Partial<Config["broker"]> = {}): Config => ({
  trading_config: limits,
  broker: { initial_cash: 100_000, commission: { per_share: 0, per_order: 0, bps: 0, minimum: 0 }, slippage: { bps: 0, ticks: 0, tick_size: 0.01 }, fill: "next_open", ...extra },
});

/** A broker over one symbol whose last price is the close of the last bar fed. */
function setup(config = costs()) {
  let last = 100;
  const fills: Fill[] = [];
  const broker = new SimulatedBroker(["X"], config, () => last, (fill) => fills.push(fill));
  let minute = 0;
  const bar = (open: number, high: number, low: number, close: number): BrokerBar => {
    const ts = minute++ * MIN;
    const b = { ts, end: ts + MIN, open, high, low, close };
    broker.onBar(0, b);
    last = close;
    return b;
  };
  const now = () => minute * MIN;
  return { broker, fills, bar, now };
}

describe("order types", () => {
  test("market fills at the next bar's open, never on the bar of the decision", () => {
    const { broker, fills, bar, now } = setup();
    bar(100, 101, 99, 100.5);
    const order = broker.submit({ symbol: "X", side: "buy", qty: 10 }, "s", now());
    expect(fills).toEqual([]);
    bar(100.7, 101.2, 100.1, 101);
    expect(fills).toEqual([{ time: 1 * MIN, orderId: order.id, strategy: "s", symbol: "X", side: "buy", qty: 10, price: 100.7, commission: 0, ambiguous: false, partial: false }]);
    expect(order.status).toBe("filled");
    expect([broker.book.portfolio.qty[0], broker.book.portfolio.cash]).toEqual([10, 100_000 - 1007]);
  });

  test("fill: close takes the close of the bar after the decision, stamped at its end", () => {
    const { broker, fills, bar, now } = setup(costs({ fill: "close" }));
    bar(100, 101, 99, 100.5);
    broker.submit({ symbol: "X", side: "buy", qty: 1 }, "s", now());
    bar(100.7, 101.2, 100.1, 101);
    expect([fills[0]!.price, fills[0]!.time]).toEqual([101, 2 * MIN]);
  });

  test("limit: waits while the bar stays above; fills at the limit, or at a better open", () => {
    const { broker, fills, bar, now } = setup();
    bar(100, 100, 100, 100);
    broker.submit({ symbol: "X", side: "buy", qty: 1, type: "limit", limit: 99 }, "s", now());
    bar(100, 100.5, 99.5, 100);
    expect(fills.length).toBe(0);
    bar(99.8, 100, 98.5, 99);
    expect(fills[0]!.price).toBe(99);
    broker.submit({ symbol: "X", side: "buy", qty: 1, type: "limit", limit: 98 }, "s", now());
    bar(97.5, 98.2, 97, 98); // gaps below the limit: the open is better
    expect(fills[1]!.price).toBe(97.5);
    broker.submit({ symbol: "X", side: "sell", qty: 2, type: "limit", limit: 99 }, "s", now());
    bar(98, 99.3, 97.9, 99.1);
    expect(fills[2]!.price).toBe(99);
  });

  test("stop: triggers when reached, at the stop or a worse open, with slippage, inside the bar", () => {
    const { broker, fills, bar, now } = setup(costs({ slippage: { bps: 10, ticks: 0, tick_size: 0.01 } }));
    bar(100, 100, 100, 100);
    broker.submit({ symbol: "X", side: "buy", qty: 1, type: "stop", stop: 101 }, "s", now());
    bar(100, 100.9, 99.5, 100.5);
    expect(fills.length).toBe(0);
    bar(100.6, 102, 100.4, 101.8);
    expect(fills[0]!.price).toBeCloseTo(101 * 1.001, 10); // stop + 10 bps
    broker.submit({ symbol: "X", side: "sell", qty: 1, type: "stop", stop: 100 }, "s", now());
    bar(99, 99.2, 98.99, 99.1); // gaps through the stop: the open, minus slippage, but not below the low
    expect(fills[1]!.price).toBe(Math.max(98.99, 99 * 0.999));
  });

  test("stop_limit: triggered within the limit fills there; past the limit it rests as a limit", () => {
    const { broker, fills, bar, now } = setup();
    bar(100, 100, 100, 100);
    const a = broker.submit({ symbol: "X", side: "buy", qty: 1, type: "stop_limit", stop: 101, limit: 101.5 }, "s", now());
    bar(100.5, 101.2, 100.4, 101.1);
    expect([fills[0]!.orderId, fills[0]!.price]).toEqual([a.id, 101]);
    const b = broker.submit({ symbol: "X", side: "buy", qty: 1, type: "stop_limit", stop: 102, limit: 102.2 }, "s", now());
    bar(103, 104, 102.8, 103.5); // gaps over the stop and the limit: triggered, not filled
    expect([b.status, b.triggered]).toEqual(["pending", true]);
    bar(102.5, 102.9, 102, 102.4); // now a plain limit at 102.2
    expect([fills[1]!.orderId, fills[1]!.price]).toEqual([b.id, 102.2]);
  });

  test("day orders expire at the close; gtc orders carry over", () => {
    const { broker, bar, now } = setup();
    bar(100, 100, 100, 100);
    const day = broker.submit({ symbol: "X", side: "buy", qty: 1, type: "limit", limit: 90 }, "s", now());
    const gtc = broker.submit({ symbol: "X", side: "buy", qty: 1, type: "limit", limit: 90, tif: "gtc" }, "s", now());
    broker.endOfDay(now());
    expect([day.status, day.reason, gtc.status]).toEqual(["expired", "day order expired at the close", "pending"]);
    expect(broker.book.pendingCount[0]).toBe(1);
    expect(broker.cancel(gtc.id)).toBe(true);
    expect([gtc.status, broker.book.pendingCount[0]]).toEqual(["cancelled", 0]);
  });
});

describe("brackets and the intrabar rule", () => {
  test("exits start on the bar after the entry fill; the target fills and cancels the stop", () => {
    const { broker, fills, bar, now } = setup();
    bar(100, 100, 100, 100);
    const entry = broker.submit({ symbol: "X", side: "buy", qty: 5, bracket: { take_profit: 102, stop_loss: 99 } }, "s", now());
    bar(100.2, 103, 98, 101); // entry fills at 100.2; this bar holds both exits, but they are not active yet
    expect(fills.map((f) => f.orderId)).toEqual([entry.id]);
    const [target, stop] = broker.book.openOrders("X");
    expect([target!.type, target!.limit, stop!.type, stop!.stop, target!.tif]).toEqual(["limit", 102, "stop", 99, "gtc"]);
    bar(101, 102.5, 100.5, 102.1);
    expect(fills.at(-1)).toMatchObject({ orderId: target!.id, side: "sell", price: 102, ambiguous: false });
    expect([stop!.status, stop!.reason]).toEqual(["cancelled", "the other side of the bracket filled"]);
    expect(broker.book.portfolio.trades).toEqual([{ strategy: "s", symbol: "X", side: "long", qty: 5, entryTime: MIN, entryPrice: 100.2, exitTime: 2 * MIN, exitPrice: 102, pnl: 9, commission: 0 }]);
  });

  test("a bar holding both the stop and the target: the stop is assumed, the fill flagged ambiguous", () => {
    const { broker, fills, bar, now } = setup();
    bar(100, 100, 100, 100);
    broker.submit({ symbol: "X", side: "buy", qty: 5, bracket: { take_profit: 102, stop_loss: 99 } }, "s", now());
    bar(100.2, 100.5, 100, 100.3);
    bar(100.5, 102.5, 98.5, 101);
    expect(fills.at(-1)).toMatchObject({ orderId: 3, side: "sell", price: 99, ambiguous: true });
    expect(broker.book.ambiguousFills).toBe(1);
    expect(broker.book.portfolio.trades[0]!.pnl).toBeCloseTo(5 * (99 - 100.2), 10);
    expect(broker.book.openOrders()).toEqual([]);
  });
});

describe("costs and P&L", () => {
  test("commission per share + per order + bps, with a minimum; P&L of a round trip after both", () => {
    const config = costs({ commission: { per_share: 0.01, per_order: 1, bps: 5, minimum: 2 } });
    const { broker, fills, bar, now } = setup(config);
    bar(50, 50, 50, 50);
    broker.submit({ symbol: "X", side: "buy", qty: 100, type: "limit", limit: 50 }, "s", now());
    bar(50, 50.5, 49.8, 50.2);
    // 100 x 0.01 + 1 + 5 bps of 5000 = 1 + 1 + 2.5 = 4.5
    expect(fills[0]!.commission).toBe(4.5);
    broker.submit({ symbol: "X", side: "sell", qty: 100 }, "s", now());
    bar(51, 51.5, 50.9, 51.2);
    expect(fills[1]!.commission).toBeCloseTo(1 + 1 + 0.0005 * 5100, 10);
    const tiny = setup(config);
    tiny.bar(10, 10, 10, 10);
    tiny.broker.submit({ symbol: "X", side: "buy", qty: 1 }, "s", tiny.now());
    tiny.bar(10, 10, 10, 10);
    expect(tiny.fills[0]!.commission).toBe(2); // 0.01 + 1 + 0.005 = 1.015 -> the minimum
    const trade = broker.book.portfolio.trades[0]!;
    expect(trade.commission).toBeCloseTo(4.5 + 4.55, 10);
    expect(trade.pnl).toBeCloseTo(100 * (51 - 50) - 9.05, 10);
    expect(broker.book.portfolio.cash).toBeCloseTo(100_000 - 5000 - 4.5 + 5100 - 4.55, 8);
    expect(broker.book.portfolio.realized[0]).toBeCloseTo(trade.pnl, 10);
  });

  test("short round trip: sell first, buy back lower; partial closes are matched first in, first out", () => {
    const { broker, bar, now } = setup();
    bar(100, 100, 100, 100);
    broker.submit({ symbol: "X", side: "sell", qty: 10 }, "s", now());
    bar(100, 100, 100, 100);
    broker.submit({ symbol: "X", side: "sell", qty: 10 }, "s", now());
    bar(98, 98, 98, 98);
    expect([broker.book.portfolio.qty[0], broker.book.portfolio.position(0).avgPrice]).toEqual([-20, 99]);
    broker.submit({ symbol: "X", side: "buy", qty: 15 }, "s", now());
    bar(95, 95, 95, 95);
    expect(broker.book.portfolio.trades.map((t) => [t.side, t.qty, t.entryPrice, t.exitPrice, t.pnl])).toEqual([["short", 10, 100, 95, 50], ["short", 5, 98, 95, 15]]);
    expect([broker.book.portfolio.qty[0], broker.book.portfolio.position(0).avgPrice]).toEqual([-5, 98]);
    expect(broker.book.portfolio.equity(() => 95)).toBe(100_000 + 1000 + 980 - 1425 - 5 * 95);
  });

  test("notional orders buy whole shares at the last price", () => {
    const { broker, bar, now } = setup();
    bar(100, 100, 100, 100.4);
    const order = broker.submit({ symbol: "X", side: "buy", notional: 1000 }, "s", now());
    expect(order.qty).toBe(9);
    expect(broker.submit({ symbol: "X", side: "buy", notional: 50 }, "s", now())).toMatchObject({ status: "rejected", reason: "notional 50 buys no whole share at 100.4" });
  });

  test("bad requests are rejected with the reason", () => {
    const { broker, bar, now } = setup();
    bar(100, 100, 100, 100);
    const reasons = [
      broker.submit({ symbol: "Y", side: "buy", qty: 1 }, "s", now()),
      broker.submit({ symbol: "X", side: "buy", qty: 1, notional: 5 }, "s", now()),
      broker.submit({ symbol: "X", side: "buy", qty: -1 }, "s", now()),
      broker.submit({ symbol: "X", side: "buy", qty: 1, type: "limit" }, "s", now()),
      broker.submit({ symbol: "X", side: "buy", qty: 1, bracket: { stop_loss: 101 } }, "s", now()),
    ].map((o) => o.reason);
    expect(reasons).toEqual([
      "Y is not a symbol of the session",
      "give exactly one of qty and notional",
      "qty must be a positive number, got -1",
      "a limit order needs a limit price > 0",
      "stop_loss 101 must be below the entry (100)",
    ]);
  });
});
