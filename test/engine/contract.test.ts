/**
 * The engine contract (src/core/engine/extension.ts): hooks run in stage order whatever order the
 * extensions are given in, the broker's fill hook before any bar hook, and teardowns always run,
 * in reverse stage order, also when a phase throws.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import type { EngineExtension, Stage } from "../../src/core/engine/extension.ts";
import { runTestSession } from "../helpers/session.ts";
import { tempDir } from "../helpers/tmp.ts";

const FIRST_BAR = Date.parse("2025-07-02T13:30:00Z");

/** A probe at `stage` that records, for MSFT's first 1m bar, that it ran. */
function probe(name: string, stage: Stage, calls: string[], extra: Partial<EngineExtension> = {}): EngineExtension {
  return {
    name,
    stage,
    setup(engine) {
      const stream = engine.data.streamId("MSFT", "1m");
      engine.hooks.onBar(stream, (bar) => {
        if (bar.ts === FIRST_BAR) calls.push(`bar:${name}`);
      });
      engine.hooks.onStep((end) => {
        if (end === FIRST_BAR + 60_000) calls.push(`step:${name}`);
      });
    },
    ...extra,
  };
}

const oneDay = ["backtest_config.end_date=2025-07-02", "strategies=[]", "session_data_config.indicators.session=[]", "session_data_config.indicators.historical=[]"];

describe("stage order", () => {
  test("bar and step hooks run in STAGES order, not in the order the extensions are given", async () => {
    const calls: string[] = [];
    await runTestSession("sessions/july.yaml", oneDay, {
      extensions: () => [probe("recorder", "recorders", calls), probe("scanner", "scanners", calls), probe("strategy", "strategies", calls), probe("indicator", "indicators", calls), probe("execution", "execution", calls)],
    });
    expect(calls).toEqual([
      "bar:execution", "bar:indicator", "bar:strategy", "bar:scanner", "bar:recorder",
      "step:execution", "step:indicator", "step:strategy", "step:scanner", "step:recorder",
    ]);
  });

  test("a second fill hook is refused: there is one per session, the execution stage's", async () => {
    const thief: EngineExtension = { name: "thief", stage: "strategies", setup: (engine) => engine.hooks.onFill(new Int32Array(5), () => {}) };
    await expect(runTestSession("sessions/july.yaml", oneDay, { extensions: () => [thief] })).rejects.toThrow("thief: the session already has a fill hook");
  });
});

describe("teardown", () => {
  test("every teardown runs once, in reverse stage order, after a normal run", async () => {
    const calls: string[] = [];
    const ext = (name: string, stage: Stage) => probe(name, stage, [], { teardown: (error) => void calls.push(`${name}:${error === undefined ? "ok" : "error"}`) });
    await runTestSession("sessions/july.yaml", oneDay, { extensions: () => [ext("a", "execution"), ext("c", "recorders"), ext("b", "strategies")] });
    expect(calls).toEqual(["c:ok", "b:ok", "a:ok"]);
  });

  test("when a phase throws, every teardown still runs in reverse with the error, and the run is marked failed", async () => {
    using dir = tempDir("teardown");
    const calls: string[] = [];
    const ext = (name: string, stage: Stage) => probe(name, stage, [], { teardown: (error) => void calls.push(`${name}:${(error as Error)?.message ?? "ok"}`) });
    const thrower: EngineExtension = {
      name: "thrower",
      stage: "strategies",
      onDayStart(session) {
        if (session.date === "2025-07-03") throw new Error("boom on day 2");
      },
      teardown: () => void calls.push("thrower:teardown"),
    };
    const run = runTestSession("sessions/july.yaml", ["strategies=[]"], { keep: `${dir.path}/run`, extensions: () => [ext("a", "execution"), thrower, ext("z", "recorders")] });
    await expect(run).rejects.toThrow("boom on day 2");
    expect(calls).toEqual(["z:boom on day 2", "thrower:teardown", "a:boom on day 2"]);
    expect(JSON.parse(readFileSync(`${dir.path}/run/status.json`, "utf8"))).toMatchObject({ state: "failed", days_complete: 1, last_day: "2025-07-02" });
  });
});

describe("quality switches", () => {
  test("gap_filler.enable_session_quality: false keeps no gaps and reports no quality; strategies read NaN", async () => {
    using dir = tempDir("quality-off");
    const seen: number[] = [];
    const reader: EngineExtension = {
      name: "reader",
      stage: "strategies",
      setup(engine) {
        const fxy = engine.data.streamId("FXY", "1m");
        engine.hooks.onBar(fxy, () => void seen.push(engine.data.qualityOf(fxy)));
      },
    };
    const { summary, runDir } = await runTestSession("sessions/july.yaml", ["session_data_config.gap_filler.enable_session_quality=false"], { keep: `${dir.path}/run`, extensions: () => [reader] });
    expect(summary.streams.every((s) => s.quality === null)).toBe(true);
    expect(summary.streams.every((s) => s.gaps === 0)).toBe(true);
    expect(summary.days.map((d) => d.base_quality)).toEqual([null, null, null]);
    expect(readFileSync(`${runDir}/gaps.csv`, "utf8")).toBe("date,symbol,interval,start_utc,end_utc,bars\n");
    expect(readFileSync(`${runDir}/quality.csv`, "utf8").split("\n")[1]).toBe("2025-07-02,MSFT,1m,streamed,390,390,,0");
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((q) => Number.isNaN(q))).toBe(true);
    // The bars are the same ones a run with quality streams.
    const on = await runTestSession("sessions/july.yaml");
    expect(summary.streams.map((s) => s.bars)).toEqual(on.summary.streams.map((s) => s.bars));
  });

  test("historical.enable_quality: false computes no per-day quality of the history windows", async () => {
    const { summary, log } = await runTestSession("sessions/july.yaml", ["session_data_config.historical.enable_quality=false"]);
    const minutes = summary.history.find((h) => h.symbol === "FXY" && h.interval === "1m")!;
    expect(minutes.days.length).toBe(5);
    expect(minutes.days.every((d) => d.quality === null && d.expected === null && d.gaps === null && d.bars > 0)).toBe(true);
    expect(log.some((l) => l.includes("FXY 1m: 5 days") && l.endsWith("quality not computed (historical.enable_quality: false)"))).toBe(true);
  });
});
