/**
 * `bun run sweep` as a user runs it (real processes): sessions/july-sweep.yaml gives a
 * byte-identical results.parquet with 1 and 2 workers, best.yaml reruns to the same metrics,
 * --resume runs only what is missing, and variants that throw or hang are recorded as failed
 * while the sweep goes on. The report page is checked in headless Chromium.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import pl from "nodejs-polars";
import { launchBrowser, openReport } from "../../src/core/report/screenshot.ts";
import { ROOT, runScript } from "../helpers/cli.ts";
import { tempDir } from "../helpers/tmp.ts";

const dir = tempDir("sweep-cli");
afterAll(() => dir[Symbol.dispose]());

const one = runScript("sweep", ["sessions/july-sweep.yaml", "--workers", "1", "--out", `${dir.path}/one`, "--json"]);
const two = runScript("sweep", ["sessions/july-sweep.yaml", "--workers", "2", "--out", `${dir.path}/two`]);
const results = pl.readParquet(`${dir.path}/two/results.parquet`);
const records = results.toRecords() as Record<string, number | string | boolean | null>[];

describe("a grid sweep of sessions/july-sweep.yaml", () => {
  test("58 variants; results.parquet is byte-identical with 1 and 2 workers", () => {
    expect(one.exitCode).toBe(0);
    expect(two.exitCode).toBe(0);
    expect(results.height).toBe(58);
    expect(records.every((r) => r.status === "ok")).toBe(true);
    expect(new Set(records.map((r) => r.id)).size).toBe(58);
    expect(readFileSync(`${dir.path}/one/results.parquet`).equals(readFileSync(`${dir.path}/two/results.parquet`))).toBe(true);
    // Every axis value and every metric has a column; where (fast < slow) holds for every row.
    for (const column of ["variant", "id", "strategies[0].params.fast_period", "strategies[0].params.slow_period", "strategies[0].params.notional", "total_return", "sharpe", "max_drawdown", "trades", "keep", "status", "error"]) expect(results.columns).toContain(column);
    expect(records.every((r) => (r["strategies[0].params.fast_period"] as number) < (r["strategies[0].params.slow_period"] as number))).toBe(true);
    // --json: one line a variant, then the outcome.
    const lines = one.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.event === "variant").length).toBe(58);
    expect(lines.at(-1)).toMatchObject({ event: "done", variants: 58, failed: 0 });
  });

  test("best.yaml is the variant with the highest total_return among those passing keep, and reruns to the same metrics", () => {
    const eligible = records.filter((r) => r.keep === true);
    expect(eligible.length).toBeGreaterThan(0);
    expect(eligible.length).toBeLessThan(58);
    // keep: max_drawdown < 0.003 && trades >= 20, checked against the columns.
    for (const r of records) expect(r.keep).toBe((r.max_drawdown as number) < 0.003 && (r.trades as number) >= 20);
    const best = [...eligible].sort((a, b) => (b.total_return as number) - (a.total_return as number) || (a.variant as number) - (b.variant as number))[0]!;
    const text = readFileSync(`${dir.path}/two/best.yaml`, "utf8");
    expect(text).toContain(`variant ${best.variant} `);
    const rerun = runScript("session", [`${dir.path}/two/best.yaml`, "--json", "--out", `${dir.path}/best-run`]);
    expect(rerun.exitCode).toBe(0);
    const performance = JSON.parse(rerun.stdout).performance;
    for (const [metric, value] of Object.entries(performance)) expect({ metric, value }).toEqual({ metric, value: best[metric] ?? null });
    expect(JSON.parse(readFileSync(`${dir.path}/two/sweep.json`, "utf8"))).toMatchObject({ state: "complete", variants: 58, best: { variant: best.variant, id: best.id } });
  });

  test("--resume runs only the variants a directory does not have, and ends with the same results", () => {
    const resumed = `${dir.path}/one`;
    const journal = `${resumed}/.results.jsonl`;
    writeFileSync(journal, readFileSync(journal, "utf8").split("\n").slice(0, 20).join("\n") + "\n");
    rmSync(`${resumed}/results.parquet`);
    const run = runScript("sweep", ["sessions/july-sweep.yaml", "--resume", resumed, "--json"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout.trim().split("\n").filter((l) => l.includes('"event":"variant"')).length).toBe(38);
    expect(run.stderr).toContain("58 variants (20 done before, skipped)");
    expect(readFileSync(`${resumed}/results.parquet`).equals(readFileSync(`${dir.path}/two/results.parquet`))).toBe(true);
  });

  test("session validate counts the variants; session refuses a sweep file", () => {
    const valid = runScript("session", ["validate", "sessions/july-sweep.yaml"]);
    expect(valid.exitCode).toBe(0);
    expect(valid.stdout).toContain("valid sweep. 58 variants (3 axes, a grid of 60, where applied), objective: max total_return");
    const refused = runScript("session", ["sessions/july-sweep.yaml"]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain("this file describes a sweep");
  });

  test("the report page in Chromium: every variant, sorting, the heatmap and the sensitivity agree with results.parquet", async () => {
    const browser = await launchBrowser();
    try {
      // openReport fails on any page error or network request.
      const page = await openReport(browser, `${dir.path}/two/report.html`, "window.__sweepReady === true");
      try {
        expect(await page.evaluate("window.__sweepReady")).toBe(true);
        const rowCount = await page.evaluate(`document.querySelectorAll("[data-table=variants] tbody tr").length`);
        expect(rowCount).toBe(58);
        // Sort by total_return, twice (descending): the first row is the best total_return of all.
        const header = `[data-table=variants] th[data-column="${1 + 3 + 0}"]`;
        await page.click(header);
        await page.click(header);
        const first = (await page.evaluate(`document.querySelector("[data-table=variants] tbody tr").dataset.variant`)) as string;
        const top = [...records].sort((a, b) => (b.total_return as number) - (a.total_return as number) || (a.variant as number) - (b.variant as number))[0]!;
        expect(Number(first)).toBe(top.variant as number);
        // Heatmap of total_return over fast x slow: each cell the best over notional, among kept variants.
        const cells = (await page.evaluate(`[...document.querySelectorAll("[data-table=heatmap] td.cell")].map((td) => ({ x: JSON.parse(td.dataset.x), y: JSON.parse(td.dataset.y), v: td.dataset.value === "" ? null : Number(td.dataset.value) }))`)) as { x: number; y: number; v: number | null }[];
        expect(cells.length).toBe(6 * 5);
        for (const cell of cells) {
          const matching = records.filter((r) => r["strategies[0].params.fast_period"] === cell.x && r["strategies[0].params.slow_period"] === cell.y && r.keep === true);
          const expected = matching.length ? Math.max(...matching.map((r) => r.total_return as number)) : null;
          expect({ cell: [cell.x, cell.y], v: cell.v }).toEqual({ cell: [cell.x, cell.y], v: expected });
        }
        // Sensitivity of notional: the mean over kept variants per value.
        const sens = (await page.evaluate(`[...document.querySelectorAll("[data-table=sensitivity][data-axis='strategies[0].params.notional'] tbody tr")].map((tr) => [...tr.children].map((td) => td.dataset.value))`)) as string[][];
        for (const [value, n, mean] of sens) {
          const kept = records.filter((r) => r["strategies[0].params.notional"] === Number(JSON.parse(value!)) && r.keep === true);
          expect(Number(n)).toBe(kept.length);
          expect(Number(mean)).toBeCloseTo(kept.reduce((s, r) => s + (r.total_return as number), 0) / kept.length, 12);
        }
      } finally {
        await page.context().close();
      }
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe("variants that fail", () => {
  test("a variant that throws and one that hangs past --variant-timeout are recorded failed; the sweep goes on and chooses among the rest", () => {
    const file = dir.write(
      "fragile-sweep.yaml",
      `extends: ${ROOT}/sessions/july.yaml
session_name: fragile
backtest_config: { end_date: 2025-07-02 }
plugins: { dirs: [${ROOT}/test/fixtures/sweep-plugins] }
strategies:
  - { name: fragile, on_error: stop, params: { mode: fine } }
sweep:
  axes:
    strategies[0].params.mode: [fine, throw, hang]
  objective: { metric: total_return }
`,
    );
    const run = runScript("sweep", [file, "--workers", "2", "--variant-timeout", "3", "--out", `${dir.path}/fragile`]);
    expect(run.exitCode).toBe(0);
    const rows = pl.readParquet(`${dir.path}/fragile/results.parquet`).toRecords() as Record<string, unknown>[];
    expect(rows.map((r) => [r["strategies[0].params.mode"], r.status])).toEqual([["fine", "ok"], ["throw", "failed"], ["hang", "failed"]]);
    expect(String(rows[1]!.error)).toContain("fragile: thrown on purpose");
    expect(String(rows[2]!.error)).toContain("timed out after 3 s (--variant-timeout)");
    expect(existsSync(`${dir.path}/fragile/best.yaml`)).toBe(true);
    expect(readFileSync(`${dir.path}/fragile/best.yaml`, "utf8")).toContain("variant 1 ");
  }, 60_000);

  test("a variant that is not a valid session is refused before anything runs, naming the axis and the variant", () => {
    const file = dir.write(
      "bad-sweep.yaml",
      `extends: ${ROOT}/sessions/july.yaml
sweep:
  axes:
    strategies[0].params.slow_period: [20, 1]
    trading_config.max_per_trade: [5000]
  where: "slow_period > fast"
  objective: { metric: sharpe }
`,
    );
    const run = runScript("sweep", [file, "--out", `${dir.path}/bad`]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('unknown name "fast"; allowed: slow_period (strategies[0].params.slow_period), max_per_trade (trading_config.max_per_trade)');
    writeFileSync(file, readFileSync(file, "utf8").replace('  where: "slow_period > fast"\n', ""));
    const again = runScript("sweep", [file, "--out", `${dir.path}/bad`]);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain("1 of 2 variants are not valid sessions");
    expect(again.stderr).toContain("variant 2 (slow_period=1, max_per_trade=5000)");
    expect(again.stderr).toContain("sweep.axes.strategies[0].params.slow_period = 1 (variant 2)");
    expect(existsSync(`${dir.path}/bad/results.parquet`)).toBe(false);
  });
});
