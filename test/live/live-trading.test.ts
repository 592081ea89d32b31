/**
 * mode: live against the local server, whose broker fills by the simulated broker's rules on the
 * bars it replays (real sockets on 127.0.0.1, the session and the server in lock-step): the same
 * orders, fills and trades as the paper session and the backtest; then the server misbehaves on
 * purpose - partial fills, an acknowledgement later than the client's timeout, cancels that lose
 * to fills, the order events stream dropped - and the books must still equal the broker's.
 * Reconciliation at start: orders adopted, external positions, refusals.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { cpSync, readFileSync } from "node:fs";
import { ROOT } from "../helpers/cli.ts";
import { csvBody } from "../helpers/csv.ts";
import { JULY_MATCHING, liveOverrides, paperOverrides, startReplay } from "../helpers/replay.ts";
import { runTestSession } from "../helpers/session.ts";
import { tempDir } from "../helpers/tmp.ts";
import type { SessionflowError } from "../../src/core/errors.ts";
import type { RunOptions } from "../../src/core/kernel/run-session.ts";
import type { ReplayServerOptions } from "../../src/core/server/replay-server.ts";
import { readStatus } from "../../src/core/run/run-status.ts";
import { LiveClock } from "../../src/core/time/clock.ts";

const dir = tempDir("live-trading");
afterAll(() => dir[Symbol.dispose]());

const read = (run: string, file: string) => readFileSync(`${run}/${file}`, "utf8");
/** orders.csv without its last column (client_order_id: the simulation has none). */
const ordersWithoutIds = (run: string) =>
  read(run, "orders.csv")
    .trimEnd()
    .split("\n")
    .map((line) => line.slice(0, line.lastIndexOf(",")))
    .join("\n");

type Server = ReturnType<typeof startReplay>;

/** A session of sessions/july.yaml against a fresh server (its own copy of the store: it records into it). */
async function against(name: string, days: [string, string], mode: "live" | "paper", serverOptions: Partial<ReplayServerOptions> = {}, extra: string[] = [], run: Partial<RunOptions> = {}) {
  const server = startReplay(days[0], days[1], { matching: JULY_MATCHING, ...serverOptions });
  const store = `${dir.path}/${name}-store`;
  cpSync(`${ROOT}/data`, store, { recursive: true });
  const overrides = mode === "live" ? liveOverrides(server.urls, days[1]) : paperOverrides(server.urls, days[1]);
  try {
    const outcome = await runTestSession("sessions/july.yaml", [...overrides, `data.root=${store}`, ...extra], { keep: `${dir.path}/${name}`, wall: new LiveClock(), run });
    return { ...outcome, server, execution: (outcome.summary.live as unknown as { execution: Record<string, number> }).execution };
  } finally {
    await server.server.stop();
  }
}

/** The session's open positions as the broker holds them. */
function brokerPositions(server: Server) {
  return server.server.engine
    .positionsList(0)
    .map((p) => ({ symbol: p.symbol, qty: Number(p.qty) * (p.side === "short" ? -1 : 1) }))
    .sort((a, b) => a.symbol.localeCompare(b.symbol));
}

function sessionPositions(summary: { trading: { open_positions: { symbol: string; qty: number }[] } }) {
  return summary.trading.open_positions.map(({ symbol, qty }) => ({ symbol, qty })).sort((a, b) => a.symbol.localeCompare(b.symbol));
}

/** Every order the server was sent, and whether any client_order_id came twice. */
function sentOrders(server: Server) {
  const all = server.server.engine.list("all");
  return { count: all.length, unique: new Set(all.map((o) => o.client_order_id)).size };
}

const backtest = await runTestSession("sessions/july.yaml", ["backtest_config.end_date=2025-07-03"], { keep: `${dir.path}/backtest` });
const DAYS: [string, string] = ["2025-07-02", "2025-07-03"];

describe("parity: live = paper = backtest", () => {
  test("the same orders, fills, round trips and performance over two days (one an early close)", async () => {
    const live = await against("live", DAYS, "live");
    const paper = await against("paper", DAYS, "paper");
    expect(Number(read(backtest.runDir, "fills.csv").split("\n").length)).toBeGreaterThan(15);
    for (const file of ["fills.csv", "trades.csv"]) {
      expect({ file, text: read(live.runDir, file) }).toEqual({ file, text: read(backtest.runDir, file) });
      expect({ file, text: read(paper.runDir, file) }).toEqual({ file, text: read(backtest.runDir, file) });
    }
    expect(ordersWithoutIds(live.runDir)).toBe(ordersWithoutIds(backtest.runDir));
    expect(live.summary.performance).toEqual(backtest.summary.performance);
    expect(live.summary.trading).toEqual(backtest.summary.trading);
    // Every order the risk gate passed went to the broker once, under this run's deterministic id.
    const orders = csvBody(live.runDir, "orders.csv");
    const sent = orders.filter((o) => o[10] !== "rejected" || o[14] !== "");
    for (const o of sent) expect(o[14]).toMatch(new RegExp(`^sf-july-${o[2]}-live-\\d+(-tp|-sl)?$`));
    expect(sentOrders(live.server)).toEqual({ count: live.execution.orders_sent!, unique: live.execution.orders_sent! });
    expect(live.execution).toMatchObject({ unknown_outcomes: 0, cancel_races: 0, differences: 0, adopted_orders: 0 });
    // The books equal the broker's account.
    expect(sessionPositions(live.summary)).toEqual(brokerPositions(live.server));
  }, 60_000);
});

describe("the broker misbehaves; the books still equal the account", () => {
  test("partial fills: every order fills in two parts, positions and P&L as with whole fills", async () => {
    const run = await against("partial", DAYS, "live", { trading: { partialFills: true } });
    const fills = csvBody(run.runDir, "fills.csv");
    const whole = csvBody(backtest.runDir, "fills.csv");
    expect(fills.length).toBeGreaterThan(whole.length);
    // Each order's parts add up to the backtest's one fill, at its price and time.
    const byOrder = (rows: string[][]) => {
      const out = new Map<string, { qty: number; price: string; time: string; commission: number }>();
      for (const f of rows) {
        const o = out.get(f[6]!) ?? { qty: 0, price: f[4]!, time: f[0]!, commission: 0 };
        o.qty += Number(f[3]);
        o.commission += Number(f[5]);
        out.set(f[6]!, o);
      }
      return [...out].map(([id, o]) => ({ id, ...o, commission: Math.round(o.commission * 100) / 100 }));
    };
    expect(byOrder(fills)).toEqual(byOrder(whole));
    expect(run.summary.trading.realized_pnl).toBe(backtest.summary.trading.realized_pnl);
    // Cash moves in two steps instead of one: the same to a hundredth of a cent.
    expect(Math.abs(run.summary.trading.final_equity - backtest.summary.trading.final_equity)).toBeLessThan(0.001);
    expect(run.summary.trading.commissions).toBe(backtest.summary.trading.commissions);
    expect(sessionPositions(run.summary)).toEqual(brokerPositions(run.server));
  }, 60_000);

  test("the 3rd order's acknowledgement comes after the client's timeout: read back, booked once, never sent twice", async () => {
    const run = await against("ack", DAYS, "live", { trading: { ackDelay: { order: 3, ms: 1_500 } } }, [], { orderTimeoutMs: 400 });
    expect(run.execution).toMatchObject({ unknown_outcomes: 1, resolved_by_read_back: 1 });
    expect(sentOrders(run.server)).toEqual({ count: run.execution.orders_sent!, unique: run.execution.orders_sent! });
    expect(run.log.some((l) => /order sf-july-\w+-ack-3: no answer from the broker .*; reading it back/.test(l))).toBe(true);
    for (const file of ["fills.csv", "trades.csv"]) expect({ file, text: read(run.runDir, file) }).toEqual({ file, text: read(backtest.runDir, file) });
  }, 60_000);

  test("a cancel loses the race to a fill: the fill is booked, the order shows filled, the books equal the account", async () => {
    const run = await against("race", DAYS, "live", { trading: { cancelRace: true } });
    expect(run.execution.cancel_races).toBeGreaterThan(0);
    const orders = csvBody(run.runDir, "orders.csv");
    // The backtest cancelled these; here the broker filled them first.
    const cancelledThere = csvBody(backtest.runDir, "orders.csv").filter((o) => o[11] === "cancelled by the strategy").map((o) => o[0]);
    expect(cancelledThere.length).toBeGreaterThan(0);
    const first = orders.find((o) => o[0] === cancelledThere[0])!;
    expect(first[10]).toBe("filled");
    expect(first[13]).toBe(first[6]);
    expect(run.log.some((l) => l.includes("the broker could not cancel it (it filled or ended first)"))).toBe(true);
    expect(sessionPositions(run.summary)).toEqual(brokerPositions(run.server));
    const fills = csvBody(run.runDir, "fills.csv");
    expect(fills.reduce((n, f) => n + Number(f[3]), 0)).toBe(run.server.server.engine.list("all").flatMap((o) => [o, ...(o.legs ?? [])]).reduce((n, o) => n + Number(o.filled_qty), 0));
  }, 60_000);

  test("the order events stream drops mid-day: reconnected, read back, and the run still equals the backtest", async () => {
    const run = await against("drop", DAYS, "live", { trading: { dropTradeStreamAt: Date.parse("2025-07-02T15:00:00Z") } });
    expect(run.execution.resyncs).toBe(1);
    expect(run.log.some((l) => l.includes("order events stream: connection lost; reconnecting"))).toBe(true);
    expect(run.log.some((l) => /order events stream: reconnected; \d+ orders read back and compared/.test(l))).toBe(true);
    for (const file of ["fills.csv", "trades.csv"]) expect({ file, text: read(run.runDir, file) }).toEqual({ file, text: read(backtest.runDir, file) });
    expect(sessionPositions(run.summary)).toEqual(brokerPositions(run.server));
  }, 60_000);

  test("the broker rejects every 4th order: rejected in the books with the broker's reason, nothing filled for it", async () => {
    const run = await against("reject", DAYS, "live", { trading: { rejectEvery: 4 } });
    const orders = csvBody(run.runDir, "orders.csv");
    const byBroker = orders.filter((o) => o[11] === "the broker rejected it");
    expect(byBroker.length).toBe(Math.floor(run.execution.orders_sent! / 4));
    for (const o of byBroker) expect({ status: o[10], filled: o[13] }).toEqual({ status: "rejected", filled: "0" });
    expect(sessionPositions(run.summary)).toEqual(brokerPositions(run.server));
  }, 60_000);
});

describe("reconciliation at start", () => {
  test("an open order of this session's strategy is adopted, someone else's order and a position in another symbol stay external", async () => {
    const run = await against("adopt", ["2025-07-02", "2025-07-02"], "live", {
      trading: {
        positions: [{ symbol: "AAPL", qty: 20, price: 200 }],
        openOrders: [
          { client_order_id: "sf-july-sma_crossover-earlier-7", symbol: "MSFT", side: "buy", qty: 3, type: "limit", limit: 100 },
          { client_order_id: "my-own-order-1", symbol: "JPM", side: "buy", qty: 1, type: "limit", limit: 50 },
        ],
      },
    });
    expect(run.execution.adopted_orders).toBe(1);
    expect(run.log.some((l) => l.includes("reconciliation: order sf-july-sma_crossover-earlier-7 (buy 3 MSFT) adopted into sma_crossover's book"))).toBe(true);
    expect(run.log.some((l) => l.includes("reconciliation: AAPL 20 is external (a symbol the session does not trade)"))).toBe(true);
    expect(run.log.some((l) => l.includes("1 order(s) adopted, 1 external, 1 position(s) external"))).toBe(true);
    // The adopted order is in the books (still working at the end, a limit far below the market) ...
    const orders = csvBody(run.runDir, "orders.csv");
    expect(orders[0]).toEqual(["1", "2025-07-01T13:30:00.000Z", "sma_crossover", "MSFT", "buy", "limit", "3", "100", "", "gtc", "pending", "", "", "0", "sf-july-sma_crossover-earlier-7"]);
    // ... the other order was left alone.
    expect(run.server.server.engine.orderByClientId("my-own-order-1")!.status).toBe("new");
  }, 60_000);

  test("a declared position in a traded symbol is external: counted, never traded", async () => {
    const run = await against("declared", ["2025-07-02", "2025-07-02"], "live", { trading: { positions: [{ symbol: "MSFT", qty: 10, price: 490 }] } }, ["trading_config.external_positions.MSFT=10"]);
    expect(run.log.some((l) => l.includes("reconciliation: MSFT 10 is external (declared), counted in exposure, never traded"))).toBe(true);
    const held = brokerPositions(run.server).find((p) => p.symbol === "MSFT")?.qty ?? 0;
    const booked = sessionPositions(run.summary).find((p) => p.symbol === "MSFT")?.qty ?? 0;
    expect(held).toBe(booked + 10);
  }, 60_000);

  test("an undeclared position in a traded symbol, or an account that cannot be read: the session refuses to start and sends nothing", async () => {
    const server = startReplay("2025-07-02", "2025-07-02", { matching: JULY_MATCHING, trading: { cash: 120_000, positions: [{ symbol: "JPM", qty: -5, price: 280 }] } });
    try {
      const error = (await runTestSession("sessions/july.yaml", [...liveOverrides(server.urls, "2025-07-02")], { keep: `${dir.path}/refused`, wall: new LiveClock() }).catch((e) => e)) as SessionflowError;
      expect(error.exitCode).toBe(2);
      expect(error.message).toContain("the live session refuses to start: positions it cannot explain:");
      expect(error.message).toContain("JPM: the account holds -5, which no strategy of this session opened here; declare it in trading_config.external_positions or close it first");
      expect(readStatus(`${dir.path}/refused`)!.state).toBe("failed");
      expect(server.server.engine.list("all")).toEqual([]);
    } finally {
      await server.server.stop();
    }
    const refusing = startReplay("2025-07-02", "2025-07-02", { trading: { refuseAccount: true } });
    try {
      const error = (await runTestSession("sessions/july.yaml", liveOverrides(refusing.urls, "2025-07-02"), { wall: new LiveClock() }).catch((e) => e)) as SessionflowError;
      expect(error.exitCode).toBe(2);
      expect(error.message).toContain("the live session refuses to start: the account at http://127.0.0.1:");
      expect(error.message).toContain("cannot be read (");
      expect(error.message).toContain("403");
      expect(refusing.server.engine.list("all")).toEqual([]);
    } finally {
      await refusing.server.stop();
    }
  }, 60_000);
});
