/**
 * The session language beyond a file format: extends, ${VAR} interpolation, --set overrides,
 * defaults, and `show` printing exactly what will run.
 */
import { describe, expect, test } from "bun:test";
import { parse } from "yaml";
import { loadSession } from "../../src/core/config/load-session.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { runScript } from "../helpers/cli.ts";
import { tempDir } from "../helpers/tmp.ts";

const BASE = `
backtest_config:
  start_date: 2025-07-02
  end_date: 2025-07-07
  speed_multiplier: 0
session_data_config:
  symbols: [MSFT, JPM]
  streams: [1m, 5m]
  historical:
    data:
      - { trailing_days: 5, intervals: [1m] }
trading_config:
  max_buying_power: 50000
  max_per_trade: 5000
metadata:
  team: research
  owner: ana
`;

function issuesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.path} @${i.location?.file.split("/").pop()}:${i.location?.line}: ${i.message}`);
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("extends", () => {
  test("maps merge deeply, lists replace, and the child wins", () => {
    using dir = tempDir();
    dir.write("base.yaml", BASE);
    const child = dir.write("child.yaml", `extends: base.yaml\nsession_name: child\nsession_data_config:\n  symbols: [XLK]\ntrading_config:\n  max_per_trade: 2500\nmetadata: { owner: bo }\n`);
    const { session, files } = loadSession(child, { env: {} });
    expect(session.session_name).toBe("child");
    expect(session.session_data_config.symbols).toEqual(["XLK"]); // list replaced
    expect(session.session_data_config.streams).toEqual(["1m", "5m"]); // inherited
    expect(session.session_data_config.historical.data).toEqual([{ trailing_days: 5, intervals: ["1m"], apply_to: "all" }]);
    expect(session.trading_config).toEqual({ max_buying_power: 50000, max_per_trade: 2500, max_per_symbol: 20000, max_open_positions: 5, max_daily_loss: null, external_positions: {} });
    expect(session.metadata).toEqual({ team: "research", owner: "bo" });
    expect(files.map((f) => f.split("/").pop())).toEqual(["child.yaml", "base.yaml"]);
  });

  test("a chain of three resolves relative to each file", () => {
    using dir = tempDir();
    dir.write("shared/base.yaml", BASE);
    dir.write("team/middle.yaml", "extends: ../shared/base.yaml\nbacktest_config:\n  end_date: 2025-07-03\n");
    const leaf = dir.write("leaf.yaml", "extends: team/middle.yaml\nsession_name: leaf\n");
    const { session } = loadSession(leaf, { env: {} });
    expect(session.backtest_config).toEqual({ start_date: "2025-07-02", end_date: "2025-07-03", speed_multiplier: 0, prefetch_days: 1 });
  });

  test("an error inherited from the base names the base file and line", () => {
    using dir = tempDir();
    dir.write("base.yaml", BASE.replace("max_per_trade: 5000", "max_per_trade: 90000"));
    const child = dir.write("child.yaml", "extends: base.yaml\nsession_name: child\n");
    expect(issuesOf(() => loadSession(child, { env: {} }))).toEqual([
      "trading_config.max_per_trade @base.yaml:14: 90000 is above max_buying_power 50000; a trade limit must be <= max_buying_power",
    ]);
  });

  test("a missing base is reported where the child names it", () => {
    using dir = tempDir();
    const child = dir.write("child.yaml", "session_name: child\nextends: nowhere.yaml\n");
    expect(issuesOf(() => loadSession(child, { env: {} }))[0]).toStartWith('extends @child.yaml:2: base file "nowhere.yaml" not found');
  });
});

describe("interpolation", () => {
  test("${VAR} and ${VAR:-default}; a whole plain reference keeps its YAML type", () => {
    using dir = tempDir();
    const file = dir.write(
      "s.yaml",
      BASE.replace("speed_multiplier: 0", "speed_multiplier: ${SPEED:-0}").replace("team: research", () => "team: ${TEAM}-desk\n  root: '${ROOT:-data}'\n  literal: $${NOT_A_VAR}"),
    );
    const { session } = loadSession(file, { env: { TEAM: "macro", SPEED: "60" } });
    expect(session.backtest_config!.speed_multiplier).toBe(60);
    expect(session.metadata).toEqual({ team: "macro-desk", root: "data", literal: "${NOT_A_VAR}", owner: "ana" });
  });

  test("an unset variable without a default is an error naming it and its line", () => {
    using dir = tempDir();
    const file = dir.write("s.yaml", BASE.replace("owner: ana", "owner: ${OWNER}"));
    expect(issuesOf(() => loadSession(file, { env: {} }))).toEqual([
      "metadata.owner @s.yaml:17: environment variable OWNER is not set and has no default (write ${OWNER:-default})",
    ]);
  });
});

describe("--set", () => {
  test("overrides are applied after extends and validated like the file", () => {
    using dir = tempDir();
    const file = dir.write("s.yaml", BASE);
    const { session } = loadSession(file, {
      env: {},
      overrides: ["backtest_config.end_date=2025-07-03", "session_data_config.symbols[2]=XLK", "session_data_config.streams=[1m, 15m]", "metadata.note=hello world"],
    });
    expect(session.backtest_config!.end_date).toBe("2025-07-03");
    expect(session.session_data_config.symbols).toEqual(["MSFT", "JPM", "XLK"]);
    expect(session.session_data_config.streams).toEqual(["1m", "15m"]);
    expect(session.metadata.note).toBe("hello world");
    // A malformed override stops before validation; a well-formed one is validated like the file.
    expect(issuesOf(() => loadSession(file, { env: {}, overrides: ["nonsense"] }))).toEqual([
      "nonsense @--set #1 (nonsense):0: is not an override: it has no `=`; allowed: --set path=value, e.g. --set backtest_config.end_date=2025-07-03",
    ]);
    expect(issuesOf(() => loadSession(file, { env: {}, overrides: ["backtest_config.speed_multiplier=-3"] }))).toEqual([
      "backtest_config.speed_multiplier @--set #1 (backtest_config.speed_multiplier=-3):0: -3 must be >= 0",
    ]);
  });
});

describe("defaults and show", () => {
  test("every documented default is filled in", () => {
    using dir = tempDir();
    const file = dir.write("minimal.yaml", "backtest_config: { start_date: 2025-07-02, end_date: 2025-07-02 }\nsession_data_config: { symbols: [MSFT] }\n");
    const { session } = loadSession(file, { env: {} });
    expect(session).toEqual({
      session_name: "minimal",
      exchange_group: "US_EQUITY",
      asset_class: "EQUITY",
      mode: "backtest",
      backtest_config: { start_date: "2025-07-02", end_date: "2025-07-02", speed_multiplier: 0, prefetch_days: 1 },
      live_config: {},
      session_data_config: {
        symbols: ["MSFT"],
        streams: ["1m"],
        symbol_streams: {},
        streaming: { catchup_threshold_seconds: 60, catchup_check_interval: 10, bar_grace_ms: 2000 },
        historical: { enable_quality: true, data: [] },
        gap_filler: { enable_session_quality: true, max_retries: 5, retry_interval_seconds: 60 },
        indicators: { session: [], historical: [] },
      },
      strategies: [],
      scanners: [],
      trading_config: { max_buying_power: 100000, max_per_trade: 10000, max_per_symbol: 20000, max_open_positions: 5, max_daily_loss: null, external_positions: {} },
      api_config: {
        data_api: "store",
        trade_api: "simulated",
        account_id: null,
        alpaca: { data_url: "https://data.alpaca.markets", stream_url: "wss://stream.data.alpaca.markets/v2/iex", trading_url: "https://paper-api.alpaca.markets", feed: "iex" },
      },
      metadata: {},
      data: { root: "data" },
      plugins: { dirs: [], typecheck: true },
      broker: { initial_cash: 100000, commission: { per_share: 0, per_order: 0, bps: 0, minimum: 0 }, slippage: { bps: 0, ticks: 0, tick_size: 0.01 }, fill: "next_open" },
      report: { dir: "runs", formats: ["json", "csv", "parquet", "html"] },
    });
  });

  test("`bun run session show` prints the resolved session as YAML that loads back to the same thing", () => {
    const result = runScript("session", ["show", "sessions/july.yaml", "--set", "backtest_config.end_date=2025-07-03"]);
    expect(result.exitCode).toBe(0);
    const shown = parse(result.stdout);
    const { session } = loadSession("sessions/july.yaml", { overrides: ["backtest_config.end_date=2025-07-03"] });
    expect(shown).toEqual(JSON.parse(JSON.stringify(session)));
    expect(shown.backtest_config.end_date).toBe("2025-07-03");
  });

  test("the bundled sessions validate, including the original's example converted from JSON", () => {
    for (const file of ["sessions/july.yaml", "sessions/example_session.json"]) {
      const result = runScript("session", ["validate", file]);
      // Only warnings about the data (the example's second day is not in the bundled store).
      expect({ file, exitCode: result.exitCode, other: result.stderr.split("\n").filter((l) => l !== "" && !l.startsWith("warning: ")) }).toEqual({ file, exitCode: 0, other: [] });
      expect(result.stdout).toContain(`${file}: valid.`);
    }
    const example = loadSession("sessions/example_session.json").session;
    expect(example.session_data_config.indicators.session.map((i) => i.key)).toContain("macd_5m");
    expect(example.session_data_config.indicators.session.length + example.session_data_config.indicators.historical.length).toBe(26);
  });
});
