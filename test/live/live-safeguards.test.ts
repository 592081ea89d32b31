/**
 * The safeguards of a live session: max_daily_loss (in a backtest and live, the same path),
 * control from another terminal through `bun run session pause|resume|stop <run-dir>` (the real
 * CLI), and the recorded commands.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { cpSync } from "node:fs";
import { csvBody } from "../helpers/csv.ts";
import { ROOT } from "../helpers/cli.ts";
import { JULY_MATCHING, liveOverrides, startReplay } from "../helpers/replay.ts";
import { runTestSession } from "../helpers/session.ts";
import { tempDir } from "../helpers/tmp.ts";
import type { EngineContext, EngineExtension } from "../../src/core/engine/extension.ts";
import { readStatus } from "../../src/core/run/run-status.ts";
import { LiveClock } from "../../src/core/time/clock.ts";

const dir = tempDir("safeguards");
afterAll(() => dir[Symbol.dispose]());

const rows = csvBody;
const ORDER = { id: 0, time: 1, strategy: 2, symbol: 3, side: 4, type: 5, qty: 6, tif: 9, status: 10, reason: 11, filled: 13 } as const;

/** A live session of sessions/july.yaml against a fresh server over `days`. */
async function live(name: string, days: [string, string], extra: string[] = [], extensions?: () => EngineExtension[]) {
  const server = startReplay(days[0], days[1], { matching: JULY_MATCHING });
  const store = `${dir.path}/${name}-store`;
  cpSync(`${ROOT}/data`, store, { recursive: true });
  try {
    const run = await runTestSession("sessions/july.yaml", [...liveOverrides(server.urls, days[1]), `data.root=${store}`, ...extra], { keep: `${dir.path}/${name}`, wall: new LiveClock(), extensions });
    return { ...run, positions: server.server.engine.positionsList(0) };
  } finally {
    await server.server.stop();
  }
}

/** Runs `bun run session <command> <run-dir>` (the real CLI) when the session's clock reaches `at`, once. */
function commandAt(at: string, command: "pause" | "resume" | "stop", runDir: string, then?: () => void): EngineExtension {
  const instant = Date.parse(at);
  let sent = false;
  return {
    name: `send-${command}`,
    stage: "recorders",
    setup(engine: EngineContext) {
      engine.hooks.onStep((end) => {
        if (sent || end < instant) return;
        sent = true;
        const result = Bun.spawnSync(["bun", "src/cli/session.ts", command, runDir], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
        if (result.exitCode !== 0) throw new Error(`session ${command} failed: ${result.stderr.toString()}`);
        then?.();
      });
    },
  };
}

describe("max_daily_loss", () => {
  const LIMIT = ["trading_config.max_daily_loss=60"];

  test("backtest: the day's loss reaches it, orders are cancelled, positions closed, trading stops, data keeps being recorded", async () => {
    const run = await runTestSession("sessions/july.yaml", LIMIT, { keep: `${dir.path}/loss-backtest` });
    const line = run.log.find((l) => l.includes("trading stopped: the day's loss reached max_daily_loss 60.00"));
    expect(line).toBeDefined();
    // Every day still ran and streamed its bars.
    expect(run.summary.trading_days.map((d) => d.date)).toEqual(["2025-07-02", "2025-07-03", "2025-07-07"]);
    expect(rows(run.runDir, "days.csv").every((d) => Number(d[3]) > 0)).toBe(true);
    // Flat at the end, and nothing opened after the halt: later orders are the closing ones or refused.
    expect(run.summary.trading.open_positions).toEqual([]);
    const orders = rows(run.runDir, "orders.csv");
    const halted = orders.filter((o) => o[ORDER.reason]?.startsWith("trading stopped: the day's loss reached max_daily_loss"));
    expect(halted.length).toBeGreaterThan(0);
    const haltTime = / - at (\S+)$/.exec(line!)![1]!;
    // The halt closed every open position at market at that instant, and they filled.
    const closing = orders.filter((o) => o[ORDER.time] === haltTime && o[ORDER.type] === "market");
    expect(closing.length).toBeGreaterThan(0);
    expect(closing.every((o) => o[ORDER.status] === "filled")).toBe(true);
    const fills = rows(run.runDir, "fills.csv");
    const after = fills.filter((f) => f[0]! >= haltTime);
    // What filled after the halt only closed positions: the account ends flat and no trade opened after it.
    const trades = rows(run.runDir, "trades.csv");
    expect(trades.every((t) => t[3]! <= haltTime)).toBe(true);
    expect(after.map((f) => [f[1], f[2], f[3]])).toEqual(closing.map((o) => [o[ORDER.symbol], o[ORDER.side], o[ORDER.qty]]));
    // Without the limit the session trades on after that instant.
    const free = rows(`${ROOT}/test/fixtures/golden/july`, "orders.csv").filter((o) => o[ORDER.time]! > haltTime && o[ORDER.status] === "filled");
    expect(free.length).toBeGreaterThan(5);
  });

  test("live: the same halt through the broker's API gives the backtest's orders, fills and trades; nothing opens after it; the books equal the account", async () => {
    const backtest = await runTestSession("sessions/july.yaml", LIMIT, { keep: `${dir.path}/loss-backtest-2` });
    const run = await live("loss-live", ["2025-07-02", "2025-07-07"], LIMIT);
    expect(run.log.some((l) => l.includes("trading stopped: the day's loss reached max_daily_loss 60.00"))).toBe(true);
    for (const file of ["fills.csv", "trades.csv"]) expect({ file, rows: rows(run.runDir, file) }).toEqual({ file, rows: rows(backtest.runDir, file) });
    expect(rows(run.runDir, "orders.csv").map((o) => o.slice(0, 14))).toEqual(rows(backtest.runDir, "orders.csv").map((o) => o.slice(0, 14)));
    // After the halt nothing was opened: every order placed later was refused or only reduced a position.
    const haltTime = / - at (\S+)$/.exec(run.log.find((l) => l.includes("trading stopped: the day's loss"))!)![1]!;
    const later = rows(run.runDir, "orders.csv").filter((o) => o[ORDER.time]! > haltTime);
    expect(later.every((o) => o[ORDER.status] === "rejected")).toBe(true);
    // The books equal the broker's account.
    const held = run.positions.map((p) => ({ symbol: p.symbol, qty: Number(p.qty) * (p.side === "short" ? -1 : 1) })).sort((a, b) => a.symbol.localeCompare(b.symbol));
    expect(held).toEqual(run.summary.trading.open_positions.map(({ symbol, qty }) => ({ symbol, qty })).sort((a, b) => a.symbol.localeCompare(b.symbol)));
  }, 60_000);
});

describe("control from another terminal (the real CLI)", () => {
  test("stop, the kill switch: open orders cancelled, positions closed through the broker, the session ends marked stopped, the command recorded", async () => {
    const runDir = `${dir.path}/kill`;
    const run = await live("kill", ["2025-07-02", "2025-07-03"], [], () => [commandAt("2025-07-02T13:47:00Z", "stop", runDir)]);
    const controls = rows(runDir, "controls.csv");
    expect(controls.length).toBe(1);
    expect(controls[0]![2]).toBe("stop");
    expect(controls[0]![3]).toMatch(/^.+@.+$/);
    // Applied before the next step.
    expect(controls[0]![4]).toBe("2025-07-02T13:47:00.000Z");
    expect(readStatus(runDir)).toMatchObject({ state: "stopped" });
    expect(readStatus(runDir)!.error).toContain("(kill switch)");
    expect(run.summary.trading_days.map((d) => d.date)).toEqual(["2025-07-02"]);
    // The opening-range positions of 13:45 were open: closed at market, and the account is flat.
    const orders = rows(runDir, "orders.csv");
    const closing = orders.filter((o) => o[ORDER.time] === "2025-07-02T13:47:00.000Z" && o[ORDER.type] === "market");
    expect(closing.length).toBeGreaterThan(0);
    expect(closing.every((o) => o[ORDER.status] === "filled")).toBe(true);
    const cancelled = orders.filter((o) => o[ORDER.reason]?.includes("(kill switch): orders cancelled, positions closed"));
    expect(cancelled.length).toBeGreaterThan(0);
    expect(run.summary.trading.open_positions).toEqual([]);
    expect(run.positions).toEqual([]);
    expect(orders.filter((o) => o[ORDER.time]! > "2025-07-02T13:47:00.000Z" && o[ORDER.status] !== "rejected")).toEqual([]);
  }, 60_000);

  test("pause holds the replay's clock until resume; the run then equals the backtest", async () => {
    const runDir = `${dir.path}/pause`;
    let pausedAt = 0;
    const resume = () => {
      pausedAt = performance.now();
      setTimeout(() => Bun.spawn(["bun", "src/cli/session.ts", "resume", runDir], { cwd: ROOT, stdout: "ignore", stderr: "ignore" }), 600);
    };
    let firstStepAfter = 0;
    const watch: EngineExtension = {
      name: "watch",
      stage: "recorders",
      setup(engine) {
        engine.hooks.onStep((end) => {
          if (end === Date.parse("2025-07-02T14:01:00Z")) firstStepAfter = performance.now();
        });
      },
    };
    const run = await live("pause", ["2025-07-02", "2025-07-02"], [], () => [commandAt("2025-07-02T13:59:00Z", "pause", runDir, resume), watch]);
    const controls = rows(runDir, "controls.csv");
    expect(controls.map((c) => c[2])).toEqual(["pause", "resume"]);
    expect(controls[0]![4]).toBe("2025-07-02T13:59:00.000Z");
    // The step after the pause waited for the resume, sent 600 ms later.
    expect(controls[1]![4]).toBe("2025-07-02T13:59:00.000Z");
    expect(firstStepAfter - pausedAt).toBeGreaterThan(500);
    const backtest = await runTestSession("sessions/july.yaml", ["backtest_config.end_date=2025-07-02"], { keep: `${dir.path}/pause-backtest` });
    for (const file of ["fills.csv", "trades.csv"]) expect({ file, rows: rows(run.runDir, file) }).toEqual({ file, rows: rows(backtest.runDir, file) });
    expect(readStatus(runDir)!.state).toBe("complete");
  }, 60_000);

  test("a command to a run that is not running is refused (exit 2) with the run's state", async () => {
    const done = `${dir.path}/kill`;
    const result = Bun.spawnSync(["bun", "src/cli/session.ts", "pause", done], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.toString()).toContain(`the run in ${done} is stopped, not running; there is nothing to pause`);
    const none = Bun.spawnSync(["bun", "src/cli/session.ts", "stop", `${dir.path}/nowhere`], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
    expect(none.exitCode).toBe(2);
    expect(none.stderr.toString()).toContain(`${dir.path}/nowhere is not a run directory (no status.json)`);
  }, 30_000);
});
