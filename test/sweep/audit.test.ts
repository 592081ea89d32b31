/**
 * The look-ahead audit as a user runs it: the example strategies pass; a strategy planted to read
 * tomorrow's bars straight from the store's files is caught, named with its symbol, the order's
 * time and the cut; `bun run session --audit` puts the verdict in summary.json and the report.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { cutInstants } from "../../src/core/sweep/audit.ts";
import { isoDay } from "../../src/core/time/dates.ts";
import { ROOT, runScript } from "../helpers/cli.ts";
import { NYSE } from "../helpers/replay.ts";
import { tempDir } from "../helpers/tmp.ts";

const dir = tempDir("audit");
afterAll(() => dir[Symbol.dispose]());

const peeking = dir.write(
  "peeking.yaml",
  `extends: ${ROOT}/sessions/july.yaml
plugins: { dirs: [${ROOT}/test/fixtures/peeking] }
strategies:
  - { name: sma_crossover, params: { interval: 5m, fast_period: 10, slow_period: 20, notional: 5000 } }
  - { name: peeking_strategy, params: { symbol: MSFT } }
`,
);

describe("bun run session audit", () => {
  test("the example strategies of sessions/july.yaml pass (exit 0)", () => {
    const run = runScript("session", ["audit", "sessions/july.yaml", "--cuts", "6", "--json"]);
    expect(run.exitCode).toBe(0);
    const audit = JSON.parse(run.stdout);
    expect(audit).toMatchObject({ verdict: "pass", strategies: ["sma_crossover", "rsi_mean_reversion", "opening_range_breakout"], findings: [] });
    expect(audit.cuts.length).toBe(6);
    expect(audit.compared_orders).toBeGreaterThan(50);
  }, 60_000);

  test("a strategy reading tomorrow's bars from the store is caught: strategy, symbol, time, cut; the honest one beside it is not named (exit 1)", () => {
    const run = runScript("session", ["audit", peeking, "--cuts", "8"]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain("look-ahead audit: LOOK-AHEAD FOUND");
    expect(run.stdout).toContain("peeking_strategy: MSFT at 2025-07-02T19:00:00.000Z (data cut at 2025-07-02T19:00:00.000Z): with all the data 2025-07-02T19:00:00.000Z buy 1 MSFT market day; with the data cut no order");
    expect(run.stdout).not.toContain("  sma_crossover:");
  }, 60_000);

  test("--audit after a run: the verdict in summary.json, the console and the report", () => {
    const out = `${dir.path}/run`;
    const run = runScript("session", [peeking, "--audit", "--out", out]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("look-ahead audit: LOOK-AHEAD FOUND");
    const summary = JSON.parse(readFileSync(`${out}/summary.json`, "utf8"));
    expect(summary.audit.verdict).toBe("look-ahead");
    expect(summary.audit.findings[0]).toMatchObject({ strategy: "peeking_strategy", symbol: "MSFT", time: "2025-07-02T19:00:00.000Z" });
    const html = readFileSync(`${out}/report.html`, "utf8");
    expect(html).toContain('<section id="audit" data-verdict="look-ahead">');
    expect(html).toContain("<td>peeking_strategy</td><td>MSFT</td>");
  }, 60_000);
});

test("cuts are minute boundaries spread evenly inside the sessions, never an open or a close", () => {
  const sessions = NYSE.tradingDays(isoDay("2025-07-02"), isoDay("2025-07-03")).map((d) => NYSE.session(d)!);
  // 389 + 209 inner minutes (13:31 .. 19:59, then 13:31 .. 16:59 UTC); the k-th of 3 cuts is minute floor(k x 598 / 4):
  // 149 -> 13:31 + 149 min = 16:00; 299 -> 18:30; 448 = 389 + 59 -> the second day's 13:31 + 59 min = 14:30.
  const cuts = cutInstants(sessions, 3);
  expect(cuts.map((c) => new Date(c).toISOString())).toEqual(["2025-07-02T16:00:00.000Z", "2025-07-02T18:30:00.000Z", "2025-07-03T14:30:00.000Z"]);
});
