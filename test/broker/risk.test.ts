/** Every trading_config limit, enforced at submission, with the reason recorded; reductions always pass. */
import { describe, expect, test } from "bun:test";
import { SimulatedBroker } from "../../src/core/broker/simulated-broker.ts";

const broker = (limits: Partial<{ max_buying_power: number; max_per_trade: number; max_per_symbol: number; max_open_positions: number }>, symbols = ["A", "B", "C"]) => {
  const prices = symbols.map(() => 100);
  const b = new SimulatedBroker(symbols, {
    trading_config: { max_buying_power: 100_000, max_per_trade: 10_000, max_per_symbol: 20_000, max_open_positions: 5, max_daily_loss: null, external_positions: {}, ...limits },
    broker: { initial_cash: 100_000, commission: { per_share: 0, per_order: 0, bps: 0, minimum: 0 }, slippage: { bps: 0, ticks: 0, tick_size: 0.01 }, fill: "next_open" },
  }, (s) => prices[s]!);
  const fillAll = () => symbols.forEach((_, s) => b.onBar(s, { ts: 60_000, end: 120_000, open: 100, high: 100, low: 100, close: 100 }));
  return { b, fillAll };
};

describe("the risk gate", () => {
  test("max_per_trade: an order's notional", () => {
    const { b } = broker({ max_per_trade: 5_000 });
    expect(b.submit({ symbol: "A", side: "buy", qty: 50 }, "s", 0).status).toBe("pending");
    expect(b.submit({ symbol: "A", side: "buy", qty: 51 }, "s", 0)).toMatchObject({ status: "rejected", reason: "order notional 5100.00 is above max_per_trade 5000.00" });
  });

  test("max_per_symbol: the position with pending orders and this one", () => {
    const { b, fillAll } = broker({ max_per_symbol: 12_000 });
    b.submit({ symbol: "A", side: "buy", qty: 80 }, "s", 0);
    fillAll();
    b.submit({ symbol: "A", side: "buy", qty: 30 }, "s", 0);
    expect(b.submit({ symbol: "A", side: "buy", qty: 20 }, "s", 0)).toMatchObject({ status: "rejected", reason: "A position would be 13000.00, above max_per_symbol 12000.00" });
    // Selling 100 reduces 80 and opens 20 short: allowed (|-20| x 100 = 2000 with the pending buy of 30: net +10).
    expect(b.submit({ symbol: "A", side: "sell", qty: 100 }, "s", 0).status).toBe("pending");
  });

  test("max_open_positions: a new symbol is refused once the count is reached (pending ones count)", () => {
    const { b, fillAll } = broker({ max_open_positions: 2 });
    b.submit({ symbol: "A", side: "buy", qty: 10 }, "s", 0);
    fillAll();
    b.submit({ symbol: "B", side: "buy", qty: 10 }, "s", 0);
    expect(b.submit({ symbol: "C", side: "buy", qty: 10 }, "s", 0)).toMatchObject({ status: "rejected", reason: "2 positions are open or pending, the max_open_positions limit" });
    expect(b.submit({ symbol: "A", side: "buy", qty: 10 }, "s", 0).status).toBe("pending");
  });

  test("max_buying_power: the gross exposure after the order, long and short", () => {
    const { b, fillAll } = broker({ max_buying_power: 25_000, max_per_trade: 20_000, max_per_symbol: 20_000 });
    b.submit({ symbol: "A", side: "buy", qty: 100 }, "s", 0);
    b.submit({ symbol: "B", side: "sell", qty: 100 }, "s", 0);
    fillAll();
    expect(b.book.portfolio.exposure(() => 100)).toBe(20_000);
    expect(b.submit({ symbol: "C", side: "buy", qty: 60 }, "s", 0)).toMatchObject({ status: "rejected", reason: "gross exposure would be 26000.00, above max_buying_power 25000.00" });
    expect(b.submit({ symbol: "C", side: "buy", qty: 50 }, "s", 0).status).toBe("pending");
  });

  test("orders that only reduce a position always pass", () => {
    const { b, fillAll } = broker({ max_buying_power: 10_000, max_per_trade: 10_000, max_per_symbol: 10_000, max_open_positions: 1 });
    b.submit({ symbol: "A", side: "buy", qty: 100 }, "s", 0);
    fillAll();
    expect(b.submit({ symbol: "B", side: "buy", qty: 1 }, "s", 0).status).toBe("rejected");
    expect(b.submit({ symbol: "A", side: "sell", qty: 100 }, "s", 0).status).toBe("pending");
  });
});
