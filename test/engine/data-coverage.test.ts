/**
 * What a session streams follows what the store has on its days: ticks imported for one month do
 * not make a symbol's seconds its base on other days (the minutes are streamed, and the log says
 * why); a symbol without data in the window is refused at its line (or, with --allow-missing, a
 * warning); a window partly past the store's end runs with a warning in the console and the summary.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { cpSync } from "node:fs";
import { importFiles } from "../../src/core/data/import/importer.ts";
import { Store } from "../../src/core/data/store.ts";
import { MarketCalendar } from "../../src/core/time/calendar.ts";
import { requireInterval } from "../../src/core/time/interval.ts";
import { ROOT, runScript, SHARED } from "../helpers/cli.ts";
import { runTestSession } from "../helpers/session.ts";
import { tempDir } from "../helpers/tmp.ts";

const dir = tempDir("coverage");
afterAll(() => dir[Symbol.dispose]());
const store = `${dir.path}/store`;
cpSync(`${ROOT}/data`, store, { recursive: true });
// The README's tick example: AAPL trades of 2025-11-03 (pre-market), which build 1s and 1m bars of that day.
await importFiles(new Store(store, "US_EQUITY"), MarketCalendar.for("US_EQUITY", "EQUITY"), [`${SHARED}/data/ticks/AAPL_ticks_2025-11-03_premarket.csv`], {
  symbol: "AAPL", interval: requireInterval("1m"), kind: "ticks", format: "auto", zone: "UTC", shiftMs: 0, onBadRow: "skip", tickBars: [requireInterval("1s"), requireInterval("1m")],
});

describe("the streamed base covers the session's days", () => {
  test("AAPL's seconds of one November morning do not hide its July minutes", async () => {
    const run = await runTestSession("sessions/july.yaml", [`data.root=${store}`, "session_data_config.symbols=[AAPL]", "strategies=[]", "session_data_config.indicators.session=[]", "session_data_config.indicators.historical=[]", "backtest_config.end_date=2025-07-02"]);
    const aapl = run.summary.streams.find((s) => s.symbol === "AAPL" && s.source === "streamed")!;
    expect(aapl).toMatchObject({ interval: "1m", bars: 390, quality: 100 });
    expect(run.log.some((l) => l.includes("AAPL: streaming 1m, the finest stored interval with bars on the most of the 1 trading day (1s on 0, 1m on 1)"))).toBe(true);
  });

  test("a symbol with no data in the window is refused at its line; --allow-missing runs it with a warning", () => {
    const file = dir.write("missing.yaml", `extends: ${ROOT}/sessions/july.yaml\ndata: { root: ${store} }\nsession_data_config:\n  symbols: [MSFT, RIVN]\nstrategies: []\n`);
    const refused = runScript("session", ["validate", file, "--set", "backtest_config.start_date=2025-07-07", "--set", "backtest_config.end_date=2025-07-07"]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain("session_data_config.symbols[1]: RIVN: no 1m bars from 2025-07-07 to 2025-07-07");
    expect(refused.stderr).toContain("missing.yaml:4:");
    expect(refused.stderr).toContain("or run with --allow-missing");
    const allowed = runScript("session", [file, "--allow-missing", "--json", "--out", `${dir.path}/allowed`, "--set", "backtest_config.start_date=2025-07-07", "--set", "backtest_config.end_date=2025-07-07"]);
    expect(allowed.exitCode).toBe(0);
    expect(JSON.parse(allowed.stdout).warnings[0]).toContain("RIVN: no 1m bars");
  });

  test("a window past the store's end runs, and says on how many days the data is", () => {
    const run = runScript("session", ["sessions/july.yaml", "--set", `data.root=${store}`, "--set", "backtest_config.end_date=2025-07-10", "--out", `${dir.path}/late`]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain("MSFT: 1m bars on 3 of 6 trading days from 2025-07-02 to 2025-07-10 (the store has 1m bars from 2025-06-02 to 2025-07-07)");
    expect(run.stdout).toMatch(/warnings +5 \(summary.json lists them\)/);
  });
});
