/**
 * Strategy plugins as a user writes them: a file in a fresh folder outside the repository, named
 * in plugins.dirs, loads and trades through the CLI; broken files are clear errors before the
 * first day; a throwing hook stops its strategy (or the session); new-strategy and --watch.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { ROOT, runScript } from "../helpers/cli.ts";
import { readUntil } from "../helpers/stream.ts";
import { tempDir } from "../helpers/tmp.ts";

const BUY_FIRST_BAR = `import { defineStrategy, v } from "sessionflow";
export const buyFirst = defineStrategy({
  name: "buy_first",
  params: v.strictObject({ qty: v.optional(v.number(), 3) }),
  subscribe: () => [{ symbol: "MSFT", interval: "5m" }],
  setup: () => ({ bought: false }),
  onBar(ctx, bar) {
    if (!ctx.state.bought) { ctx.state.bought = true; ctx.buy(bar.symbol, ctx.params.qty); }
  },
});
`;

const session = (dir: string, strategies: string, extra: string[] = []) => [
  "sessions/july.yaml", "--out", `${dir}/run`, "--json",
  "--set", `plugins.dirs=[src/plugins, strategies, ${dir}/plugins]`, "--set", `strategies=${strategies}`, ...extra.flatMap((e) => ["--set", e]),
];

describe("plugins from outside the repository", () => {
  test("a strategy in a fresh temp folder loads and trades through the CLI", () => {
    using dir = tempDir("outside");
    dir.write("plugins/buy_first.ts", BUY_FIRST_BAR);
    const result = runScript("session", session(dir.path, "[{name: buy_first, params: {qty: 3}}]"));
    expect({ code: result.exitCode, stderr: result.stderr.split("\n").filter((l) => l.includes("plugin")) }).toEqual({ code: 0, stderr: [] });
    const summary = JSON.parse(result.stdout);
    expect(summary.trading).toMatchObject({ orders: 1, fills: 1, open_positions: [{ symbol: "MSFT", qty: 3 }] });
    const fills = readFileSync(`${dir.path}/run/fills.csv`, "utf8").trim().split("\n");
    // Decided at the end of the 09:30 5m bar (09:35), filled at the 09:35 one-minute bar's open.
    expect(fills[1]!.startsWith("2025-07-02T13:35:00.000Z,MSFT,buy,3,")).toBe(true);
  });

  test("a file that does not type-check is an error naming the file and line, and nothing runs", () => {
    using dir = tempDir("typecheck");
    dir.write("plugins/buy_first.ts", BUY_FIRST_BAR.replace("ctx.buy(bar.symbol, ctx.params.qty)", 'ctx.buy(bar.symbol, "three")'));
    const result = runScript("session", session(dir.path, "[{name: buy_first}]"));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`plugin file ${dir.path}/plugins/buy_first.ts: the file does not type-check`);
    expect(result.stderr).toContain(`${dir.path}/plugins/buy_first.ts:8:75: error TS2345: Argument of type 'string' is not assignable to parameter of type 'number'.`);
    expect(existsSync(`${dir.path}/run`)).toBe(false);
  });

  test("a pass is cached by content in $XDG_CACHE_HOME/sessionflow/typecheck; a failure is never cached", () => {
    using dir = tempDir("typecheck-cache");
    const env = { XDG_CACHE_HOME: `${dir.path}/cache` };
    const entries = () => (existsSync(`${dir.path}/cache/sessionflow/typecheck`) ? readdirSync(`${dir.path}/cache/sessionflow/typecheck`) : []);
    dir.write("plugins/buy_first.ts", BUY_FIRST_BAR);
    const args = (run: string) => session(dir.path, "[{name: buy_first}]").map((a) => (a === `${dir.path}/run` ? `${dir.path}/${run}` : a));
    expect(runScript("session", args("run-1"), { env }).exitCode).toBe(0);
    expect(entries().length).toBe(1);
    // The same content again: the same entry (nothing new); a broken edit: refused, and not cached.
    expect(runScript("session", args("run-2"), { env }).exitCode).toBe(0);
    expect(entries().length).toBe(1);
    dir.write("plugins/buy_first.ts", BUY_FIRST_BAR.replace("ctx.buy(bar.symbol, ctx.params.qty)", 'ctx.buy(bar.symbol, "three")'));
    expect(runScript("session", args("run-3"), { env }).exitCode).toBe(2);
    expect(entries().length).toBe(1);
  });

  test("a file that fails to load blocks only a session naming a plugin it may hold, and is named then", () => {
    using dir = tempDir("import");
    dir.write("plugins/broken.js", 'import { nothing } from "./missing.js";\nexport const x = nothing;\n');
    dir.write("plugins/buy_first.ts", BUY_FIRST_BAR);
    // A session using another plugin of the folder runs.
    expect(runScript("session", session(dir.path, "[{name: buy_first}]")).exitCode).toBe(0);
    const result = runScript("session", session(dir.path, "[{name: broken_one}]"));
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('"broken_one" is not a known strategy');
    expect(result.stderr).toContain("1 plugin file(s) could not be loaded:");
    expect(result.stderr).toContain("plugins/broken.js: ");
  });

  test("only the plugins a session names are type-checked: a broken file beside them does not block it", () => {
    using dir = tempDir("unused");
    dir.write("plugins/buy_first.ts", BUY_FIRST_BAR);
    dir.write("plugins/other.ts", BUY_FIRST_BAR.replace("buy_first", "other_one").replace("buyFirst", "otherOne").replace("ctx.buy(bar.symbol, ctx.params.qty)", 'ctx.buy(bar.symbol, "three")'));
    expect(runScript("session", session(dir.path, "[{name: buy_first}]")).exitCode).toBe(0);
    const named = runScript("session", session(dir.path, "[{name: other_one}]"));
    expect(named.exitCode).toBe(2);
    expect(named.stderr).toContain("plugins/other.ts: the file does not type-check");
  });

  test("plugins.dirs adds to the built-in plugins; a relative folder is read from the session file's folder; a missing one is refused at its line", () => {
    using dir = tempDir("dirs");
    dir.write("mine/buy_first.ts", BUY_FIRST_BAR);
    const file = dir.write("s.yaml", `extends: ${ROOT}/sessions/july.yaml\nplugins:\n  dirs: [mine]\nstrategies: [{ name: buy_first }]\nsession_data_config:\n  indicators:\n    session: [{ name: vwap, interval: 1m }]\n`);
    const ok = runScript("session", ["validate", file]);
    expect(ok.exitCode).toBe(0);
    const missing = dir.write("t.yaml", `extends: ${ROOT}/sessions/july.yaml\nplugins:\n  dirs: [nowhere]\n`);
    const refused = runScript("session", ["validate", missing]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('plugins.dirs[0]: the folder "nowhere" does not exist');
    expect(refused.stderr).toContain(`t.yaml:3:`);
  });

  test("an unknown strategy and a bad parameter are config errors with their YAML path", () => {
    using dir = tempDir("params");
    dir.write("plugins/buy_first.ts", BUY_FIRST_BAR);
    const args = session(dir.path, "[{name: buy_frst}, {name: buy_first, params: {qty: nope, size: 1}}]").filter((a) => a !== "--json");
    const result = runScript("session", ["validate", args[0]!, ...args.slice(3)]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('× strategies[0].name: "buy_frst" is not a known strategy (did you mean "buy_first"?)');
    expect(result.stderr).toContain('× strategies[1].params.qty: got "nope"; allowed: number (strategy buy_first)');
    expect(result.stderr).toContain('× strategies[1].params.size: unknown parameter "size" for strategy buy_first');
  });
});

describe("strategy errors", () => {
  const THROWS = BUY_FIRST_BAR.replace("if (!ctx.state.bought)", 'if (bar.ts >= Date.parse("2025-07-02T14:00:00Z")) throw new Error("boom");\n    if (!ctx.state.bought)');

  test("a throwing hook stops that strategy (its positions closed), is reported with the file's line and stack in the summary and the closing table, the session goes on, and the run exits 1", () => {
    using dir = tempDir("throws");
    dir.write("plugins/buy_first.ts", THROWS);
    const result = runScript("session", session(dir.path, "[{name: buy_first}, {name: sma_crossover, params: {notional: 5000}}]", ["plugins.typecheck=false"]));
    expect(result.exitCode).toBe(1);
    const summary = JSON.parse(result.stdout);
    expect(summary.strategy_errors).toMatchObject([{ strategy: "buy_first", hook: "onBar", symbol: "MSFT", bar_time: "2025-07-02T14:00:00.000Z", message: "boom", at: `${dir.path}/plugins/buy_first.ts:8:65`, flattened: true }]);
    expect(summary.strategy_errors[0].stack).toContain("Error: boom");
    expect(summary.strategies.map((s: { name: string; stopped: boolean }) => [s.name, s.stopped])).toEqual([["buy_first", true], ["sma_crossover", false]]);
    expect(result.stderr).toContain(`ERROR: plugin buy_first (${dir.path}/plugins/buy_first.ts:8:65) hook onBar symbol MSFT bar 2025-07-02T14:00:00.000Z: boom (the strategy is stopped, its positions closed; the session goes on)`);
    expect(result.stderr).toContain("the run failed: a strategy stopped after an error");
    // The 3 shares it bought were sold when it stopped (at the end of the bar it threw on): it holds nothing at the end.
    const orders = readFileSync(`${dir.path}/run/orders.csv`, "utf8").trim().split("\n").filter((l) => l.includes(",buy_first,"));
    expect(orders.map((l) => l.split(",").slice(1, 7).join(","))).toEqual(["2025-07-02T13:35:00.000Z,buy_first,MSFT,buy,market,3", "2025-07-02T14:05:00.000Z,buy_first,MSFT,sell,market,3"]);
    expect(summary.trading.open_positions.filter((p: { symbol: string }) => p.symbol === "MSFT").length).toBeLessThanOrEqual(1);
    expect(summary.trading.trades).toBeGreaterThan(0);
  });

  test("on_error: { flatten: false, fail_run: false } keeps the position and exits 0; the closing table still names the error", () => {
    using dir = tempDir("throws-keep");
    dir.write("plugins/buy_first.ts", THROWS);
    const args = session(dir.path, "[{name: buy_first, on_error: {action: continue, flatten: false, fail_run: false}}]", ["plugins.typecheck=false"]).filter((a) => a !== "--json");
    const result = runScript("session", args);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/error +buy_first stopped: boom \(onBar MSFT bar 2025-07-02T14:00:00.000Z, at .*buy_first.ts:8:65\)/);
    const summary = JSON.parse(readFileSync(`${dir.path}/run/summary.json`, "utf8"));
    expect(summary.trading.open_positions).toEqual([{ symbol: "MSFT", qty: 3, avg_price: expect.any(Number) }]);
  });

  test("with on_error: stop, the session stops with the error and exit code 1", () => {
    using dir = tempDir("stops");
    dir.write("plugins/buy_first.ts", THROWS);
    const result = runScript("session", session(dir.path, "[{name: buy_first, on_error: stop}]", ["plugins.typecheck=false"]));
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain("hook onBar symbol MSFT bar 2025-07-02T14:00:00.000Z: boom");
    expect(result.stderr).toContain("on_error: stop, so the session stopped");
    // Said once, not twice.
    expect(result.stderr.split("hook onBar symbol MSFT").length - 1).toBe(1);
    expect(result.stderr).toContain("at onBar (");
    // The run directory stays where it was, marked failed with the reason, with the day it reached.
    expect(JSON.parse(readFileSync(`${dir.path}/run/status.json`, "utf8"))).toMatchObject({ state: "failed", days_complete: 0, last_day: null });
    expect(JSON.parse(readFileSync(`${dir.path}/run/status.json`, "utf8")).error).toContain("boom");
    expect(readFileSync(`${dir.path}/run/session.log`, "utf8")).toContain("on_error: stop, so the session stopped");
  });
});

describe("new-strategy and --watch", () => {
  test("new-strategy writes a documented skeleton that runs as is", () => {
    using dir = tempDir("skeleton");
    const made = runScript("session", ["new-strategy", "my_idea", "--dir", `${dir.path}/plugins`]);
    expect(made.exitCode).toBe(0);
    expect(made.stdout).toContain(`wrote ${dir.path}/plugins/my_idea.ts`);
    expect(runScript("session", ["new-strategy", "my_idea", "--dir", `${dir.path}/plugins`]).stderr).toContain(`a strategy named "my_idea" already exists (${dir.path}/plugins/my_idea.ts); choose another name`);
    expect(runScript("session", ["new-strategy", "My-Idea", "--dir", `${dir.path}/plugins`]).exitCode).toBe(2);
    const result = runScript("session", session(dir.path, "[{name: my_idea, params: {interval: 5m}}]"));
    expect(result.exitCode).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.trading.trades).toBe(3 * 5); // one round trip a day for each of the five symbols
  });

  test("--watch runs again when the session file changes", async () => {
    using dir = tempDir("watch");
    const file = dir.write("watched.yaml", `extends: ${ROOT}/sessions/july.yaml\nsession_name: watched\nbacktest_config:\n  end_date: 2025-07-02\nstrategies: []\n`);
    const child = Bun.spawn(["bun", "run", "--silent", "session", file, "--watch", "--out", `${dir.path}/run`], { cwd: ROOT, stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
    // Bounded even when the child prints nothing: each wait races a timer, and the child is killed whatever happens.
    const output = { text: "" };
    try {
      await readUntil(child.stdout, (t) => t.includes("run 1 ended with exit code 0"), 60_000, output);
      writeFileSync(file, readFileSync(file, "utf8").replace("end_date: 2025-07-02", "end_date: 2025-07-03"));
      await readUntil(child.stdout, (t) => t.includes("run 2 ended with exit code 0"), 60_000, output);
    } finally {
      child.kill();
      await child.exited;
    }
    const text = output.text;
    expect(text).toContain("changed: running again");
    expect(text).toContain("session watched: 1 trading day (2025-07-02)");
    expect(text).toContain("session watched: 2 trading days (2025-07-02, 2025-07-03*; * early close)");
    expect(existsSync(`${dir.path}/run-1/summary.json`) && existsSync(`${dir.path}/run-2/summary.json`)).toBe(true);
  });
});
