/**
 * The kernel's results do not move when its code does: sessions/july.yaml against a golden run kept
 * in test/fixtures/golden/july (made by the engine before its reshaping). The summary (timings aside,
 * and the digest of the resolved config, which changes whenever the language gains a key), every
 * trading table and every Parquet row must be the same.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import pl from "nodejs-polars";
import { ROOT } from "../helpers/cli.ts";
import { runTestSession } from "../helpers/session.ts";
import { tempDir } from "../helpers/tmp.ts";

const GOLDEN = `${ROOT}/test/fixtures/golden/july`;
const dir = tempDir("golden");
afterAll(() => dir[Symbol.dispose]());
const { runDir } = await runTestSession("sessions/july.yaml", [], { keep: `${dir.path}/run` });

const text = (root: string, file: string) => readFileSync(`${root}/${file}`, "utf8");

describe("sessions/july.yaml equals its golden run", () => {
  test("summary.json, timings and config digest aside", () => {
    const summary = JSON.parse(text(runDir, "summary.json"));
    delete summary.timings;
    delete summary.config_digest;
    expect(summary).toEqual(JSON.parse(text(GOLDEN, "summary.json")));
  });

  test("orders, fills, trades, quality and gaps, byte for byte", () => {
    for (const file of ["orders.csv", "fills.csv", "trades.csv", "quality.csv", "gaps.csv"]) {
      expect({ file, text: text(runDir, file) }).toEqual({ file, text: text(GOLDEN, file) });
    }
  });

  test("every Parquet row: equity, equity_daily, bars and indicators", () => {
    const files = ["equity.parquet", "equity_daily.parquet", ...readdirSync(`${GOLDEN}/bars`).map((f) => `bars/${f}`), ...readdirSync(`${GOLDEN}/indicators`).map((f) => `indicators/${f}`)];
    expect(readdirSync(`${runDir}/bars`).sort()).toEqual(readdirSync(`${GOLDEN}/bars`).sort());
    expect(readdirSync(`${runDir}/indicators`).sort()).toEqual(readdirSync(`${GOLDEN}/indicators`).sort());
    for (const file of files) {
      const actual = pl.readParquet(`${runDir}/${file}`);
      const golden = pl.readParquet(`${GOLDEN}/${file}`);
      expect({ file, columns: actual.columns, equal: actual.frameEqual(golden, true) }).toEqual({ file, columns: golden.columns, equal: true });
    }
  });
});
