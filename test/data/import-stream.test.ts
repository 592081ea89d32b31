/**
 * Imports read their files a piece at a time: a file of several batches gives the same store as
 * one read whole; a quoted field, CRLF line ends and a BOM survive the chunk boundaries; many
 * symbols in one file (a symbol column); delimiters detected or named; clear refusals for a
 * header without rows, a one-column header of another delimiter, and an enormous field (cut in
 * the message); a resource failure exits 1.
 */
import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { csvBatches, csvHeader } from "../../src/core/data/import/csv-stream.ts";
import { importFiles, type ImportOptions } from "../../src/core/data/import/importer.ts";
import { Store } from "../../src/core/data/store.ts";
import { outOfMemory } from "../../src/cli/_run-cli.ts";
import { MarketCalendar } from "../../src/core/time/calendar.ts";
import { requireInterval } from "../../src/core/time/interval.ts";
import { runScript } from "../helpers/cli.ts";
import { tempDir } from "../helpers/tmp.ts";

const nyse = MarketCalendar.for("US_EQUITY", "EQUITY");
const defaults: ImportOptions = { interval: requireInterval("1m"), kind: "auto", format: "auto", zone: "UTC", shiftMs: 0, onBadRow: "refuse", tickBars: [] };
const minute = { kind: "bars" as const, interval: requireInterval("1m") };

/** Regular-session minutes of June 2025 for `symbols`, time-major (every symbol's minute, then the next minute). */
function juneRows(symbols: string[]): string[] {
  const rows: string[] = [];
  for (const day of nyse.tradingDays(nyse.localTime(Date.parse("2025-06-02T14:00:00Z")).day, nyse.localTime(Date.parse("2025-06-30T14:00:00Z")).day)) {
    const s = nyse.session(day)!;
    for (let t = s.open; t < s.close; t += 60_000) {
      symbols.forEach((symbol, k) => {
        const p = 100 + k + ((t / 60_000) % 97) / 100;
        rows.push(`${new Date(t).toISOString()},${symbol},${p},${p + 0.5},${p - 0.5},${p + 0.25},${1000 + k}`);
      });
    }
  }
  return rows;
}

describe("streaming imports", () => {
  test("a three-symbol month in one file (24k rows, several batches): each symbol stored whole, coverage per symbol", async () => {
    using dir = tempDir();
    const rows = juneRows(["AAA", "BBB", "CCC"]);
    const file = dir.write("three.csv", `timestamp,symbol,open,high,low,close,volume\n${rows.join("\n")}\n`);
    const store = new Store(`${dir.path}/store`, "US_EQUITY");
    const summary = await importFiles(store, nyse, [file], defaults);
    expect(summary.symbols).toEqual(["AAA", "BBB", "CCC"]);
    expect(summary.rowsRead).toBe(rows.length);
    expect(summary.rowsWritten).toBe(rows.length);
    for (const symbol of ["AAA", "BBB", "CCC"]) {
      const stored = store.read(minute, symbol, 0, Date.parse("2026-01-01"));
      expect(stored.height).toBe(rows.length / 3);
    }
    expect(summary.coverage.filter((d) => d.symbol === "BBB").every((d) => d.quality === 100)).toBe(true);
    expect(summary.coverage.length).toBe(3 * 20);
  });

  test("batches of 1,000 rows give the same rows as one batch; quoted fields with delimiters and newlines, CRLF and a BOM", () => {
    using dir = tempDir();
    const lines = ['\ufefftimestamp,note,close', ...Array.from({ length: 2_500 }, (_, i) => `2025-06-02T14:${String(i % 60).padStart(2, "0")}:00Z,"a, ""quoted""\r\nnote ${i}",${i}`)];
    const file = dir.write("quoted.csv", `${lines.join("\r\n")}\r\n`);
    expect(csvHeader(file)).toEqual({ columns: ["timestamp", "note", "close"], delimiter: "," });
    const batches = [...csvBatches(file, { delimiter: ",", batchRows: 1_000 })];
    expect(batches.map((b) => b.rows.length)).toEqual([1_000, 1_000, 500]);
    const rows = batches.flatMap((b) => b.rows);
    expect(rows[1_234]).toEqual(["2025-06-02T14:34:00Z", 'a, "quoted"\r\nnote 1234', "1234"]);
    // Each row starts two lines after the last (its note holds a line break).
    expect(batches[1]!.lines[0]).toBe(2 + 1_000 * 2);
  });

  test("the delimiter is detected (; here), or named with --delimiter; a one-column header of another delimiter says which", async () => {
    using dir = tempDir();
    const semi = dir.write("semi.csv", "timestamp;open;high;low;close;volume\n2025-07-02T13:30:00Z;10;11;9;10.5;100\n");
    const store = new Store(`${dir.path}/store`, "US_EQUITY");
    expect((await importFiles(store, nyse, [semi], { ...defaults, symbol: "S" })).rowsWritten).toBe(1);
    await expect(importFiles(store, nyse, [semi], { ...defaults, symbol: "S", delimiter: "," })).rejects.toThrow('its fields look semicolon-separated: pass --delimiter ";"');
    const cli = runScript("data", ["import", semi, "--symbol", "S", "--delimiter", ";", "--root", `${dir.path}/cli`]);
    expect(cli.exitCode).toBe(0);
  });

  test("a header without rows, a file without a symbol: what is missing is said", async () => {
    using dir = tempDir();
    const store = new Store(`${dir.path}/store`, "US_EQUITY");
    const empty = dir.write("empty.csv", "timestamp,open,high,low,close,volume\n");
    await expect(importFiles(store, nyse, [empty], { ...defaults, symbol: "X" })).rejects.toThrow("the file has a header (\"timestamp,open,high,low,close,volume\") but no rows");
    const nameless = dir.write("nameless.csv", "timestamp,open,high,low,close\n2025-07-02T13:30:00Z,1,1,1,1\n");
    await expect(importFiles(store, nyse, [nameless], defaults)).rejects.toThrow("no symbol column (symbol, ticker ...) and no --symbol");
  });

  test("an enormous field is refused and quoted cut short; binary bytes are shown escaped", async () => {
    using dir = tempDir();
    const file = `${dir.path}/huge.csv`;
    writeFileSync(file, `timestamp,open,high,low,close\n${"9".repeat(3_000_000)},1,1,1,1\n`);
    const store = new Store(`${dir.path}/store`, "US_EQUITY");
    let message = "";
    try {
      await importFiles(store, nyse, [file], { ...defaults, symbol: "X" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("a field is longer than 64 KB");
    expect(message.length).toBeLessThan(400);
    const binary = `${dir.path}/binary.csv`;
    writeFileSync(binary, Buffer.concat([Buffer.from("timestamp,open,high,low,close\n"), Buffer.from([0x80, 0x81, 0xfe, 0x01]), Buffer.from(",1,1,1,1\n")]));
    const error = await (async () => {
      try {
        await importFiles(store, nyse, [binary], { ...defaults, symbol: "X" });
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    })();
    expect(error).toContain("\\ufffd");
    expect(error).not.toContain("\u0001");
  });

  test("running out of memory is a failure (exit 1), never a usage mistake", () => {
    expect(outOfMemory(new RangeError("Out of memory"))).toBe(true);
    expect(outOfMemory(Object.assign(new Error("Cannot allocate memory"), { code: "ENOMEM" }))).toBe(true);
    expect(outOfMemory(new RangeError("Maximum call stack size exceeded"))).toBe(false);
  });
});
