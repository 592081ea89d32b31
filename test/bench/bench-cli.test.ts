/**
 * `bun run bench` keeps working: a smoke run of the real CLI writes results.json in the shape other
 * tools read. (Speed itself is measured by the benchmarks, never asserted in tests.)
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { runScript } from "../helpers/cli.ts";
import { tempDir } from "../helpers/tmp.ts";

describe("bun run bench", () => {
  test("--quick --json writes every hot-path benchmark with its bars and its ratio to the read-once loop", () => {
    using dir = tempDir("bench");
    const out = `${dir.path}/results.json`;
    const result = runScript("bench", ["--quick", "--only", "hot_path", "--json", "--out", out]);
    expect(result.stderr).toBe("");
    expect(result.exitCode).toBe(0);
    const rows = JSON.parse(readFileSync(out, "utf8")) as { name: string; symbols: number; days: number; bars: number; bars_per_second: number; ratio_to_read_once: number }[];
    expect(rows.map((r) => `${r.name}@${r.symbols}`)).toEqual(["read_once@1", "merge@1", "derived_bars@1", "hot_path@1", "read_once@10", "merge@10", "derived_bars@10", "hot_path@10"]);
    for (const r of rows) {
      expect(Object.keys(r)).toEqual(expect.arrayContaining(["name", "symbols", "days", "bars", "bars_per_second", "ratio_to_read_once"]));
      // Two complete NYSE days of synthetic minutes per symbol (no thin symbol below 20 symbols).
      expect(r.bars).toBe(r.symbols * r.days * 390);
      expect(r.bars_per_second).toBeGreaterThan(0);
    }
    // The floor is its own unit; every other row has a ratio to it (its size is the benchmark's business, not a test's).
    for (const r of rows.filter((x) => x.name === "read_once")) expect(r.ratio_to_read_once).toBe(1);
    for (const r of rows) expect(Number.isFinite(r.ratio_to_read_once) && r.ratio_to_read_once > 0).toBe(true);
    expect(result.stdout).toContain("hot path, 10 symbol(s) x 2 days");
  });

  test("an unknown group is refused with the allowed ones", () => {
    const result = runScript("bench", ["--only", "hot_pth"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("--only hot_pth: no such benchmark group; allowed: hot_path, indicators, parquet, end_to_end, memory");
  });
});
