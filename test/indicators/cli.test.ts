/** `bun run indicator` as a user runs it, on a file of bars with hand-checkable values. */
import { expect, test } from "bun:test";
import { runScript } from "../helpers/cli.ts";
import { tempDir } from "../helpers/tmp.ts";

const CSV = ["ts,open,high,low,close,volume", ...[25, 24.875, 24.781, 24.594, 24.5, 24.625, 25.219, 27.25].map((c, i) => `2025-07-02T13:${String(30 + i).padStart(2, "0")}:00Z,${c},${c},${c},${c},100`)].join("\n");

test("sma 5 over the A-to-Z closes: null until ready, then the book's values", () => {
  using dir = tempDir();
  const file = dir.write("bars.csv", CSV);
  const result = runScript("indicator", ["sma", "--input", file, "--param", "period=5", "--json"]);
  expect(result.exitCode).toBe(0);
  const rows = JSON.parse(result.stdout) as { ts: string; value: number | null }[];
  expect(rows.slice(0, 4).map((r) => r.value)).toEqual([null, null, null, null]);
  expect(rows.slice(4).map((r) => Math.round(r.value! * 1000) / 1000)).toEqual([24.75, 24.675, 24.744, 25.238]);
  expect(rows[4]!.ts).toBe("2025-07-02T13:34:00.000Z");
});

test("named fields, CSV output, and clear errors", () => {
  using dir = tempDir();
  const file = dir.write("bars.csv", CSV);
  const bands = runScript("indicator", ["bbands", "--input", file, "--param", "period=3"]);
  expect(bands.stdout.split("\n")[0]).toBe("ts,lower,middle,upper,bandwidth");
  expect(Number(bands.stdout.split("\n")[3]!.split(",")[2])).toBeCloseTo((25 + 24.875 + 24.781) / 3, 12);
  expect(runScript("indicator", ["smaa", "--input", file])).toMatchObject({ exitCode: 2 });
  expect(runScript("indicator", ["sma", "--input", file, "--param", "period=-1"]).stderr).toContain("sma: period: must be >= 1");
  expect(runScript("indicator", ["sma", "--input", `${dir.path}/none.csv`]).stderr).toContain("input file not found");
});
