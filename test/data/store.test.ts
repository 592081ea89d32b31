/**
 * The Parquet store: layout, atomic and idempotent writes, replace-by-timestamp, reads filtered
 * to the window, and what an interrupted write leaves behind.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import pl from "nodejs-polars";
import { writeParquetAtomic } from "../../src/core/data/atomic.ts";
import { barColumns, barFrame } from "../../src/core/data/bars.ts";
import { Store } from "../../src/core/data/store.ts";
import { requireInterval } from "../../src/core/time/interval.ts";
import { tempDir } from "../helpers/tmp.ts";

const oneMinute = { kind: "bars" as const, interval: requireInterval("1m") };
const t = (text: string) => Date.parse(text);

function bars(starts: string[], close = 10): pl.DataFrame {
  const ts = Float64Array.from(starts.map(t));
  const c = new Float64Array(ts.length).fill(close);
  return barFrame({ ts, open: c, high: c.map((x) => x + 1), low: c.map((x) => x - 1), close: c, volume: c.map(() => 100) });
}

describe("store", () => {
  test("one file per symbol per month for intraday bars, per year for daily", () => {
    using dir = tempDir();
    const store = new Store(dir.path, "US_EQUITY");
    store.write(oneMinute, "MSFT", bars(["2025-06-30T19:59:00Z", "2025-07-01T13:30:00Z"]));
    store.write({ kind: "bars", interval: requireInterval("1d") }, "MSFT", bars(["2024-12-31T14:30:00Z", "2025-01-02T14:30:00Z"]));
    expect(readdirSync(`${dir.path}/US_EQUITY/bars/1m/MSFT`).sort()).toEqual(["2025-06.parquet", "2025-07.parquet"]);
    expect(readdirSync(`${dir.path}/US_EQUITY/bars/1d/MSFT`).sort()).toEqual(["2024.parquet", "2025.parquet"]);
    expect(store.barIntervals("MSFT").map((i) => i.text)).toEqual(["1m", "1d"]);
  });

  test("re-importing the same rows changes nothing; overlapping rows replace by timestamp", () => {
    using dir = tempDir();
    const store = new Store(dir.path, "US_EQUITY");
    const first = store.write(oneMinute, "MSFT", bars(["2025-07-01T13:30:00Z", "2025-07-01T13:31:00Z"], 10));
    expect(first.map((p) => [p.rowsBefore, p.rowsAfter, p.changed])).toEqual([[0, 2, true]]);
    const file = `${dir.path}/US_EQUITY/bars/1m/MSFT/2025-07.parquet`;
    const before = statSync(file).mtimeMs;
    const again = store.write(oneMinute, "MSFT", bars(["2025-07-01T13:30:00Z", "2025-07-01T13:31:00Z"], 10));
    expect(again.map((p) => [p.rowsAfter, p.replaced, p.changed])).toEqual([[2, 2, false]]);
    expect(statSync(file).mtimeMs).toBe(before);
    const overlap = store.write(oneMinute, "MSFT", bars(["2025-07-01T13:31:00Z", "2025-07-01T13:32:00Z"], 20));
    expect(overlap.map((p) => [p.rowsBefore, p.rowsAfter, p.replaced, p.changed])).toEqual([[2, 3, 1, true]]);
    const read = barColumns(store.read(oneMinute, "MSFT", t("2025-07-01T00:00:00Z"), t("2025-07-02T00:00:00Z")));
    expect([...read.close]).toEqual([10, 20, 20]);
  });

  test("reads are filtered to [start, end), never the whole file", () => {
    using dir = tempDir();
    const store = new Store(dir.path, "US_EQUITY");
    store.write(oneMinute, "MSFT", bars(["2025-07-01T13:30:00Z", "2025-07-01T13:31:00Z", "2025-07-02T13:30:00Z", "2025-08-01T13:30:00Z"]));
    const read = store.read(oneMinute, "MSFT", t("2025-07-01T13:31:00Z"), t("2025-07-02T13:30:00Z"));
    expect([...barColumns(read).ts]).toEqual([t("2025-07-01T13:31:00Z")]);
    expect(store.read(oneMinute, "MSFT", t("2025-09-01T00:00:00Z"), t("2025-10-01T00:00:00Z")).height).toBe(0);
    expect(store.read(oneMinute, "NOPE", 0, t("2030-01-01T00:00:00Z")).height).toBe(0);
  });

  test("a write that fails midway leaves the stored file as it was, and no temp file", () => {
    using dir = tempDir();
    const path = `${dir.path}/x.parquet`;
    writeParquetAtomic(path, bars(["2025-07-01T13:30:00Z"]));
    const broken = { writeParquet(tmp: string) { writeFileSync(tmp, "half a file"); throw new Error("disk full"); } } as unknown as pl.DataFrame;
    expect(() => writeParquetAtomic(path, broken)).toThrow("disk full");
    expect(readdirSync(dir.path)).toEqual(["x.parquet"]);
    expect(pl.readParquet(path).height).toBe(1);
  });

  test("a damaged partition is a clear error naming the file", () => {
    using dir = tempDir();
    const store = new Store(dir.path, "US_EQUITY");
    store.write(oneMinute, "MSFT", bars(["2025-07-01T13:30:00Z"]));
    const file = `${dir.path}/US_EQUITY/bars/1m/MSFT/2025-07.parquet`;
    writeFileSync(file, "not parquet");
    expect(() => store.write(oneMinute, "MSFT", bars(["2025-07-01T13:31:00Z"]))).toThrow(`cannot read ${file}`);
    expect(existsSync(file)).toBe(true);
  });

  test("list reports symbols, tables, rows and ranges", () => {
    using dir = tempDir();
    const store = new Store(dir.path, "US_EQUITY");
    store.write(oneMinute, "MSFT", bars(["2025-06-30T19:59:00Z", "2025-07-01T13:30:00Z"]));
    store.write(oneMinute, "JPM", bars(["2025-07-01T13:30:00Z"]));
    expect(store.list()).toEqual([
      { symbol: "JPM", table: "1m", files: 1, rows: 1, first: t("2025-07-01T13:30:00Z"), last: t("2025-07-01T13:30:00Z") },
      { symbol: "MSFT", table: "1m", files: 2, rows: 2, first: t("2025-06-30T19:59:00Z"), last: t("2025-07-01T13:30:00Z") },
    ]);
  });
});
