/**
 * The order path's parity pin: two days of 30 synthetic symbols with three strategies ordering often
 * and risk limits that bind, run by the real CLI. Its orders, fills and trades (the CSV files, byte
 * for byte) and the summary's metrics must stay what they were before the broker, the risk gate and
 * the writers were optimised (test/fixtures/order-path/expected). A change that moves a trade fails
 * here; a deliberate one regenerates the fixture with ORDER_PATH_UPDATE=1.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { barFrame } from "../../src/core/data/bars.ts";
import { Store } from "../../src/core/data/store.ts";
import { SyntheticMarket } from "../../src/core/data/synthetic.ts";
import { MarketCalendar } from "../../src/core/time/calendar.ts";
import { isoDay } from "../../src/core/time/dates.ts";
import { requireInterval } from "../../src/core/time/interval.ts";
import { ROOT, runScript } from "../helpers/cli.ts";
import { tempDir } from "../helpers/tmp.ts";

const FIXTURE = join(ROOT, "test/fixtures/order-path");
const EXPECTED = join(FIXTURE, "expected");
const TABLES = ["orders.csv", "fills.csv", "trades.csv"];
const dir = tempDir("order-path");
let run = "";
let summary: Record<string, unknown>;
const PINNED = ["performance", "performance_by_strategy", "performance_by_symbol", "trading"] as const;
const pinned = () => Object.fromEntries(PINNED.map((k) => [k, summary[k]]));

beforeAll(() => {
  // The store: 30 symbols, every 10th thin (30% of its minutes missing), 2 and 3 June 2025.
  const nyse = MarketCalendar.for("US_EQUITY", "EQUITY");
  const symbols = Array.from({ length: 30 }, (_, i) => `S${String(i + 1).padStart(4, "0")}`);
  const market = new SyntheticMarket(nyse, symbols, { seed: 11, missingRate: (i) => (i % 10 === 9 ? 0.3 : 0) });
  const days = nyse.tradingDays(isoDay("2025-06-02"), isoDay("2025-06-03"));
  const perSymbol = symbols.map(() => ({ ts: [] as number[], open: [] as number[], high: [] as number[], low: [] as number[], close: [] as number[], volume: [] as number[] }));
  for (const day of days) {
    market.day(day).forEach((c, s) => {
      const b = perSymbol[s]!;
      for (const k of ["ts", "open", "high", "low", "close", "volume"] as const) b[k].push(...c[k]);
    });
  }
  const store = new Store(join(dir.path, "store"), "US_EQUITY");
  perSymbol.forEach((b, s) => {
    const columns = Object.fromEntries(Object.entries(b).map(([k, values]) => [k, Float64Array.from(values)]));
    store.write({ kind: "bars", interval: requireInterval("1m") }, symbols[s]!, barFrame(columns as never));
  });
  run = join(dir.path, "run");
  const result = runScript("session", [join(FIXTURE, "session.yaml"), "--set", `data.root=${join(dir.path, "store")}`, "--out", run, "--json"]);
  if (result.exitCode !== 0) throw new Error(`the session failed (${result.exitCode}): ${result.stderr}`);
  summary = JSON.parse(result.stdout);
  if (process.env.ORDER_PATH_UPDATE === "1") {
    mkdirSync(EXPECTED, { recursive: true });
    for (const table of TABLES) writeFileSync(join(EXPECTED, table), readFileSync(join(run, table)));
    writeFileSync(join(EXPECTED, "summary.json"), `${JSON.stringify(pinned(), null, 1)}\n`);
  }
});

afterAll(() => dir[Symbol.dispose]());

test("the session exercises the whole order path: fills, risk rejections, partial sizing, many symbols", () => {
  const orders = readFileSync(join(run, "orders.csv"), "utf8").trimEnd().split("\n");
  const header = orders[0]!.split(",");
  const status = header.indexOf("status");
  const counts = new Map<string, number>();
  for (const line of orders.slice(1)) {
    const s = line.split(",")[status]!;
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  expect(orders.length - 1).toBeGreaterThan(1000);
  expect(counts.get("filled") ?? 0).toBeGreaterThan(500);
  expect(counts.get("rejected") ?? 0).toBeGreaterThan(50);
});

for (const table of TABLES) {
  test(`${table} is byte for byte what it was`, () => {
    expect(readFileSync(join(run, table), "utf8")).toBe(readFileSync(join(EXPECTED, table), "utf8"));
  });
}

test("the summary's performance and trading figures are what they were", () => {
  expect(pinned()).toEqual(JSON.parse(readFileSync(join(EXPECTED, "summary.json"), "utf8")));
});
