/**
 * `bun run session validate` makes every check the run makes before its first bar, and reports each
 * at the line of the session file it concerns: a session that validates does not then fail on its
 * configuration. The run refuses the same sessions with the same messages, before writing anything.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { ROOT, runScript } from "../helpers/cli.ts";
import { tempDir } from "../helpers/tmp.ts";

const dir = tempDir("pre-run");
afterAll(() => dir[Symbol.dispose]());

/** A session file extending the bundled example, with `body` after the extends line (line 2 on). */
const file = (name: string, body: string) => dir.write(`${name}.yaml`, `extends: ${ROOT}/sessions/july.yaml\n${body}`);

const cases = [
  {
    name: "a window with holidays and a weekend only",
    file: file("holiday-window", "backtest_config:\n  start_date: 2025-07-04\n  end_date: 2025-07-06\n"),
    line: 3,
    message: "× backtest_config.start_date: no trading day between 2025-07-04 and 2025-07-06 on New York Stock Exchange (XNYS): 2025-07-04 Independence Day, 2025-07-05 weekend, 2025-07-06 weekend",
  },
  {
    name: "a strategy subscribing to a symbol the session does not have",
    file: file("unknown-symbol", "strategies:\n  - name: sma_crossover\n    params:\n      symbols: [MSFT, TSLA]\n"),
    line: 5,
    message: "× strategies[0].params.symbols[1]: strategy sma_crossover subscribes to TSLA 5m, which is not a symbol of the session; symbols: MSFT, JPM, XLK, FXY, DBB",
  },
  {
    name: "mode paper with the store as its data provider",
    file: file("paper", "mode: paper\napi_config:\n  data_api: store\n"),
    line: 4,
    message: "× api_config.data_api: mode paper streams live market data: set api_config.data_api to alpaca",
  },
  {
    name: "a data provider this build does not have",
    file: file("no-provider", "api_config:\n  data_api: nosuch\n"),
    line: 3,
    message: `× api_config.data_api: "nosuch" is not a data provider of this build; allowed: store, alpaca`,
  },
  {
    name: "a symbol the store does not hold",
    file: file("no-data", "session_data_config:\n  symbols: [MSFT, ZZZZ]\n"),
    line: 3,
    message: "× session_data_config.symbols[1]: ZZZZ: nothing is stored under data/US_EQUITY",
  },
];

describe("validate refuses at the line, the run refuses the same before writing", () => {
  for (const c of cases) {
    test(c.name, () => {
      const validate = runScript("session", ["validate", c.file]);
      expect(validate.exitCode).toBe(2);
      expect(validate.stderr).toContain(c.message);
      expect(validate.stderr).toContain(`→ at ${c.file}:${c.line}:`);
      const run = runScript("session", [c.file, "--out", `${dir.path}/run-${c.line}`]);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toContain(c.message);
      expect(existsSync(`${dir.path}/run-${c.line}`)).toBe(false);
    });
  }

  test("show validates like a run: --set included", () => {
    const shown = runScript("session", ["show", "sessions/july.yaml", "--set", "strategies=[{name: sma_crossover, params: {symbols: [TSLA]}}]"]);
    expect(shown.exitCode).toBe(2);
    expect(shown.stderr).toContain("× strategies[0].params.symbols[0]: strategy sma_crossover subscribes to TSLA 5m");
    expect(shown.stdout).toBe("");
  });

  test("a valid session says how many trading days it has", () => {
    const ok = runScript("session", ["validate", "sessions/july.yaml"]);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toContain(`sessions/july.yaml: valid. Session "july" (backtest from 2025-07-02 to 2025-07-07, 3 trading days)`);
  });
});
