/**
 * A session that dies mid-run leaves a readable run: a strategy kills the process (process.exit)
 * on day 3 of a 5-day window; days 1-2 are on disk, status.json says the run did not finish, and
 * `bun run report` renders those two days with the run marked incomplete - the same figures a
 * 2-day run of the same session gives.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { runScript } from "../helpers/cli.ts";
import { tempDir } from "../helpers/tmp.ts";

const EXIT_ON_DAY = `import { defineStrategy, v } from "sessionflow";
export const exitOnDay = defineStrategy({
  name: "exit_on_day",
  params: v.strictObject({ date: v.string() }),
  subscribe: () => [{ symbol: "MSFT", interval: "1m" }],
  onBar(ctx) {
    if (ctx.session.date === ctx.params.date) process.exit(7);
  },
});
`;

const dir = tempDir("unfinished");
afterAll(() => dir[Symbol.dispose]());
dir.write("plugins/exit_on_day.ts", EXIT_ON_DAY);
const common = [
  "--set", "backtest_config.start_date=2025-06-26", "--set", "backtest_config.end_date=2025-07-02",
  "--set", `plugins.dirs=[src/plugins, strategies, ${dir.path}/plugins]`,
];
const killed = runScript("session", ["sessions/july.yaml", "--out", `${dir.path}/killed`, ...common, "--set", "strategies=[{name: sma_crossover, params: {interval: 5m}}, {name: exit_on_day, params: {date: 2025-06-30}}]"]);
const report = runScript("report", [`${dir.path}/killed`]);
// The same session stopped after its second day, for the figures of those two days.
const twoDays = runScript("session", ["sessions/july.yaml", "--out", `${dir.path}/two`, ...common, "--set", "backtest_config.end_date=2025-06-27", "--set", "strategies=[{name: sma_crossover, params: {interval: 5m}}, {name: exit_on_day, params: {date: 2025-06-30}}]"]);

describe("a run whose process dies on day 3 of 5", () => {
  test("the process ended on day 3 and the directory says how far it got", () => {
    expect(killed.exitCode).toBe(7);
    expect(JSON.parse(readFileSync(`${dir.path}/killed/status.json`, "utf8"))).toMatchObject({ state: "running", days_complete: 2, last_day: "2025-06-27" });
    expect(existsSync(`${dir.path}/killed/summary.json`)).toBe(false);
    const days = readFileSync(`${dir.path}/killed/days.csv`, "utf8").trim().split("\n").map((l) => l.split(",")[0]);
    expect(days).toEqual(["date", "2025-06-26", "2025-06-27"]);
    expect(readFileSync(`${dir.path}/killed/session.log`, "utf8")).toContain("2025-06-27: ");
  });

  test("bun run report renders days 1-2 and marks the run incomplete", () => {
    expect(report.exitCode).toBe(0);
    const html = readFileSync(`${dir.path}/killed/report.html`, "utf8");
    expect(html).toContain(`data-incomplete="running"`);
    expect(html).toContain("Incomplete run: its process ended before the session did; 2 trading days are complete, the last 2025-06-27.");
    expect(html).toContain("2025-06-26 to 2025-06-27");
  });

  test("the days that reached the disk hold the same orders, fills and trades as a run of just those days", () => {
    expect(twoDays.exitCode).toBe(0);
    for (const file of ["orders.csv", "fills.csv", "trades.csv", "quality.csv"]) {
      const partial = readFileSync(`${dir.path}/killed/${file}`, "utf8").trim().split("\n");
      const whole = readFileSync(`${dir.path}/two/${file}`, "utf8").trim().split("\n");
      // Orders still pending at the two-day run's end are listed there; the killed run had not settled them yet.
      const settled = file === "orders.csv" ? whole.filter((l) => !l.includes(",pending,")) : whole;
      expect({ file, rows: partial.sort() }).toEqual({ file, rows: settled.sort() });
    }
  });
});
