/**
 * Parity: the same strategies on the same days give identical orders, fills and round trips as a
 * backtest on the bundled store and as a paper session against the local server replaying that
 * store over Alpaca's protocols (real sockets on 127.0.0.1), as fast as the session reads - and
 * still identical when the server drops the connection mid-day (the replay running on without the
 * session) and withholds minutes that only REST serves. A session started late catches up the
 * morning through REST and then matches the backtest.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { cpSync, readFileSync } from "node:fs";
import { ROOT } from "../helpers/cli.ts";
import { paperOverrides, startReplay } from "../helpers/replay.ts";
import { runTestSession } from "../helpers/session.ts";
import { tempDir } from "../helpers/tmp.ts";
import { Store } from "../../src/core/data/store.ts";
import { LiveClock } from "../../src/core/time/clock.ts";
import { requireInterval } from "../../src/core/time/interval.ts";

const dir = tempDir("parity");
afterAll(() => dir[Symbol.dispose]());

const TRADING = ["orders.csv", "fills.csv", "trades.csv"];
const read = (run: string, file: string) => readFileSync(`${run}/${file}`, "utf8");

/** A paper session of sessions/july.yaml against a server; its store is a copy of the bundled one (it records into it). */
async function paper(name: string, server: ReturnType<typeof startReplay>, end: string, extra: string[] = []) {
  const store = `${dir.path}/${name}-store`;
  cpSync(`${ROOT}/data`, store, { recursive: true });
  try {
    return await runTestSession("sessions/july.yaml", [...paperOverrides(server.urls, end), `data.root=${store}`, ...extra], { keep: `${dir.path}/${name}`, wall: new LiveClock() });
  } finally {
    await server.server.stop();
  }
}

const backtest = await runTestSession("sessions/july.yaml", ["backtest_config.end_date=2025-07-03"], { keep: `${dir.path}/backtest` });

describe("a paper session against the local server equals the backtest", () => {
  test("same days, replayed as fast as the session reads: identical orders, fills, trades and per-day quality", async () => {
    const run = await paper("plain", startReplay("2025-07-02", "2025-07-03"), "2025-07-03");
    expect(run.summary.trading_days.map((d) => d.date)).toEqual(["2025-07-02", "2025-07-03"]);
    expect(Number(read(backtest.runDir, "orders.csv").split("\n").length)).toBeGreaterThan(20);
    for (const file of [...TRADING, "quality.csv", "gaps.csv"]) expect({ file, text: read(run.runDir, file) }).toEqual({ file, text: read(backtest.runDir, file) });
    expect(run.summary.performance).toEqual(backtest.summary.performance);
    expect(run.summary.live).toMatchObject({ market_clock: "replay", reconnects: 0, updated_bars: 0, late_bars: 0, stopped: null });
  });

  test("the server drops the connection mid-day and withholds minutes only REST serves: still identical", async () => {
    const at = (hhmm: string) => Date.parse(`2025-07-02T${hhmm}:00Z`);
    const server = startReplay("2025-07-02", "2025-07-03", {
      faults: {
        drops: [{ at: at("15:00"), skipMinutes: 25 }],
        withhold: [
          { symbol: "MSFT", from: at("14:00"), to: at("14:07") },
          { from: at("17:30"), to: at("17:33") },
        ],
      },
    });
    const run = await paper("faults", server, "2025-07-03");
    for (const file of [...TRADING, "quality.csv"]) expect({ file, text: read(run.runDir, file) }).toEqual({ file, text: read(backtest.runDir, file) });
    const live = run.summary.live as Record<string, number>;
    expect(live.reconnects).toBe(1);
    // The withheld minutes came through REST before their grace ended: none arrived late.
    expect(live.gap_requests).toBeGreaterThan(0);
    expect(live.late_bars).toBe(0);
  });

  test("a session started late catches the morning up through REST, then matches the backtest", async () => {
    const server = startReplay("2025-07-02", "2025-07-02", { startAt: Date.parse("2025-07-02T15:00:00Z") }); // 11:00 New York
    const run = await paper("late", server, "2025-07-02");
    const oneDay = await runTestSession("sessions/july.yaml", ["backtest_config.end_date=2025-07-02"], { keep: `${dir.path}/backtest-0702` });
    // Every bar of the five symbols from the open to 10:59 New York came from REST (and the 10:59 minute's too, while the session was still behind).
    const store = new Store(`${ROOT}/data`, "US_EQUITY");
    const morning = ["MSFT", "JPM", "XLK", "FXY", "DBB"].reduce((n, s) => n + store.read({ kind: "bars", interval: requireInterval("1m") }, s, Date.parse("2025-07-02T13:30:00Z"), Date.parse("2025-07-02T14:59:00Z")).height, 0);
    const caughtUp = (run.summary.live as Record<string, number>).catch_up_bars!;
    expect(caughtUp >= morning && caughtUp <= morning + 5).toBe(true);
    for (const file of TRADING) expect({ file, text: read(run.runDir, file) }).toEqual({ file, text: read(oneDay.runDir, file) });
    expect(run.log.some((l) => l.includes("catch-up: 89 minute(s) from 13:30 UTC of 5 symbol(s) came from REST"))).toBe(true);
  });
});
