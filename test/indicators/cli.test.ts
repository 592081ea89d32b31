/** `bun run indicator` as a user runs it, on a file of bars with hand-checkable values. */
import { expect, test } from "bun:test";
import { ROOT, runScript, SHARED } from "../helpers/cli.ts";
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
  expect(runScript("indicator", ["sma", "--input", file, "--param", "period=-1"]).stderr).toContain("indicator sma: --param period: -1 must be >= 1");
  expect(runScript("indicator", ["sma", "--input", `${dir.path}/none.csv`]).stderr).toContain("input file not found");
});

test("vwap from the CLI equals the session's: the regular session only, reset at each session's start (--all-hours keeps the rest)", async () => {
  const pl = (await import("nodejs-polars")).default;
  const file = `${SHARED}/data/bars_1m/MSFT_1m_2025-06-02_2025-07-07.csv`;
  const cli = JSON.parse(runScript("indicator", ["vwap", "--input", file, "--json"]).stdout) as { ts: string; value: number | null }[];
  const session = pl.readParquet(`${ROOT}/test/fixtures/golden/july/indicators/MSFT_1m.parquet`);
  const ts = session.getColumn("ts").toArray() as number[];
  const vwap = session.getColumn("vwap_1m").toArray() as number[];
  const byTime = new Map(cli.map((r) => [Date.parse(r.ts), r.value]));
  let compared = 0;
  ts.forEach((t, i) => {
    expect(byTime.get(Number(t))).toBeCloseTo(vwap[i]!, 9);
    compared++;
  });
  expect(compared).toBe(990);
  // Pre-market rows are left out unless asked for.
  expect(cli.some((r) => r.ts.startsWith("2025-06-02T12:"))).toBe(false);
  const all = JSON.parse(runScript("indicator", ["vwap", "--input", file, "--json", "--all-hours"]).stdout) as { ts: string }[];
  expect(all.some((r) => r.ts.startsWith("2025-06-02T12:"))).toBe(true);
});
