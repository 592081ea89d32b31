/**
 * Each fixture in test/fixtures/bad-sessions holds one mistake. `bun run session validate` must
 * exit with 2 and name the file, the line and the YAML path of that mistake.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { runScript } from "../helpers/cli.ts";

const DIR = "test/fixtures/bad-sessions";

/** fixture -> [line, YAML path, words the message must contain]. */
const CASES: Record<string, { line: number; path: string; says: string; file?: string }> = {
  "wrong-type.yaml": { line: 5, path: "backtest_config.speed_multiplier", says: 'got "fast"; allowed: number' },
  "unknown-key.yaml": { line: 7, path: "colour", says: 'unknown key "colour"' },
  "typo-in-key.yaml": { line: 7, path: "session_data_config.strems", says: 'did you mean "streams"?' },
  "bad-date.yaml": { line: 3, path: "backtest_config.start_date", says: '"2025-02-30" is not a date' },
  "end-before-start.yaml": { line: 4, path: "backtest_config.end_date", says: "end_date must be on or after start_date" },
  "bad-interval.yaml": { line: 7, path: "session_data_config.streams[2]", says: '"7x" is not a stream; allowed:' },
  "apply-to-unknown-symbol.yaml": { line: 11, path: "session_data_config.historical.data[0].apply_to[1]", says: '"AAPL" is not in session_data_config.symbols; allowed: MSFT, JPM' },
  "duplicate-indicator-key.yaml": { line: 11, path: "session_data_config.indicators.session[1]", says: 'indicator key "sma_20_5m" is already used' },
  "limits-above-buying-power.yaml": { line: 10, path: "trading_config.max_per_symbol", says: "80000 is above max_buying_power 50000" },
  "yaml-syntax-error.yaml": { line: 7, path: "(document)", says: "YAML syntax error" },
  "empty.yaml": { line: 1, path: "(document)", says: "the file is empty" },
  "duplicate-symbol.yaml": { line: 6, path: "session_data_config.symbols[2]", says: '"MSFT" is listed twice' },
  "bad-mode.yaml": { line: 2, path: "mode", says: 'did you mean "backtest"?' },
  "missing-symbols.yaml": { line: 5, path: "session_data_config.symbols", says: "is required" },
  "unset-variable.yaml": { line: 8, path: "data.root", says: "environment variable SESSIONFLOW_FIXTURE_UNSET_ROOT is not set" },
  "duplicate-yaml-key.yaml": { line: 7, path: "(document)", says: "Map keys must be unique" },
  "scanner-window-backwards.yaml": { line: 10, path: "scanners[0].regular_session[0].end", says: "a window needs start <= end" },
  "negative-prefetch.yaml": { line: 5, path: "backtest_config.prefetch_days", says: "-1 must be >= 0" },
  "unknown-market.yaml": { line: 5, path: "exchange_group", says: "LSE/EQUITY is not a known market" },
  "wrong-type.json": { line: 6, path: "session_data_config.streams", says: 'got "1m"; allowed: a list' },
  "extends-cycle/child.yaml": { line: 1, path: "extends", file: "extends-cycle/middle.yaml", says: "extends makes a cycle" },
  "inherited-error/child.yaml": { line: 7, path: "session_data_config.streams[1]", file: "inherited-error/base.yaml", says: '"5x" is not a stream' },
  "unknown-indicator.yaml": { line: 10, path: "session_data_config.indicators.session[0].name", says: '"smaa" is not a known indicator (did you mean "sma"?)' },
  "bad-indicator-param.yaml": { line: 14, path: "session_data_config.indicators.session[0].params.slw", says: 'unknown parameter "slw" for indicator macd (did you mean "slow"?)' },
  // A missing file has no line to point at.
  "does-not-exist.yaml": { line: 0, path: "(document)", says: "session file not found" },
};

describe("bun run session validate on bad sessions", () => {
  test("there are at least 15 distinct mistakes, and every fixture has a case", () => {
    const files = readdirSync(DIR, { recursive: true, encoding: "utf8" }).filter((f) => /\.(ya?ml|json)$/.test(f) && !f.includes("base.yaml") && !f.includes("middle.yaml"));
    expect(files.sort()).toEqual(Object.keys(CASES).filter((f) => f !== "does-not-exist.yaml").sort());
    expect(Object.keys(CASES).length).toBeGreaterThanOrEqual(15);
  });

  for (const [fixture, expected] of Object.entries(CASES)) {
    test(fixture, () => {
      const result = runScript("session", ["validate", `${DIR}/${fixture}`]);
      const where = expected.line === 0 ? `${DIR}/${expected.file ?? fixture}\n` : `${DIR}/${expected.file ?? fixture}:${expected.line}:`;
      expect({ exitCode: result.exitCode, stdout: result.stdout }).toEqual({ exitCode: 2, stdout: "" });
      expect(result.stderr).toContain(`× ${expected.path}: `);
      expect(result.stderr).toContain(expected.says);
      expect(result.stderr).toContain(`→ at ${where}`);
    });
  }

  test("all errors are reported at once, not only the first", () => {
    const result = runScript("session", ["validate", `${DIR}/wrong-type.yaml`, "--set", "mode=bactest", "--set", "session_data_config.streams=[1m, 9q]"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("3 errors; nothing was run");
    expect(result.stderr).toContain("× backtest_config.speed_multiplier:");
    expect(result.stderr).toContain("× mode: got \"bactest\"");
    expect(result.stderr).toContain("× session_data_config.streams[1]: \"9q\" is not a stream");
    expect(result.stderr).toContain("→ at --set #1 (mode=bactest)");
  });
});
