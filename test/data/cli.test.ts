/** `bun run data ...` as a user runs it: real processes, real files, stdout, stderr and exit codes. */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { runScript, SHARED } from "../helpers/cli.ts";
import { tempDir } from "../helpers/tmp.ts";

const MSFT = `${SHARED}/data/bars_1m/MSFT_1m_2025-06-02_2025-07-07.csv`;

describe("bun run data", () => {
  test("import --json, then list, quality and export on the same store", () => {
    using dir = tempDir();
    const imported = runScript("data", ["import", MSFT, "--symbol", "MSFT", "--interval", "1m", "--from", "2025-07-01", "--to", "2025-07-07", "--root", dir.path, "--json"]);
    expect(imported.exitCode).toBe(0);
    const summary = JSON.parse(imported.stdout);
    expect([summary.rowsRead, summary.rowsRejected, summary.rowsAccepted + summary.files[0].outside]).toEqual([13104, 0, 13104]);
    expect(summary.coverage.map((d: { date: string; regular: number }) => [d.date, d.regular])).toEqual([
      ["2025-07-01", 390], ["2025-07-02", 390], ["2025-07-03", 210], ["2025-07-07", 390],
    ]);

    const list = JSON.parse(runScript("data", ["list", "--root", dir.path, "--json"]).stdout);
    expect(list).toEqual([{ symbol: "MSFT", table: "1m", files: 1, rows: summary.rowsAccepted, first: expect.stringMatching(/^2025-07-01T/), last: expect.stringMatching(/^2025-07-07T/) }]);

    const quality = JSON.parse(runScript("data", ["quality", "MSFT", "--root", dir.path, "--json"]).stdout);
    expect([quality.days, quality.expected, quality.actual, quality.quality, quality.gaps]).toEqual([4, 1380, 1380, 100, 0]);

    const out = `${dir.path}/msft-5m.csv`;
    const exported = runScript("data", ["export", "--symbol", "MSFT", "--interval", "5m", "--from", "2025-07-03", "--to", "2025-07-03", "--regular-hours", "--format", "csv", "--output", out, "--root", dir.path]);
    expect(exported).toEqual({ exitCode: 0, stdout: `wrote 42 5m bars of MSFT to ${out}\n`, stderr: "" });
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines.length).toBe(43);
    expect(lines.slice(0, 2)).toEqual(["ts,open,high,low,close,volume", "2025-07-03T13:30:00Z,493.81,495.63,493.44,495.07,697175.0"]);
  });

  test("quality shows FXY's real gaps", () => {
    const result = runScript("data", ["quality", "FXY", "--from", "2025-07-03", "--to", "2025-07-03", "--json"]);
    const report = JSON.parse(result.stdout);
    expect(report.by_day[0]).toMatchObject({ date: "2025-07-03", expected: 210, actual: 139, quality: 66.19 });
    expect(report.by_day[0].gaps[0]).toEqual({ start: "2025-07-03T13:39:00.000Z", end: "2025-07-03T13:40:00.000Z", bars: 1 });
    const gapBars = report.by_day[0].gaps.reduce((n: number, g: { bars: number }) => n + g.bars, 0);
    expect(gapBars).toBe(210 - 139);
  });

  test("a refused import exits 2 (the file must change), names the bad lines, and writes nothing", () => {
    using dir = tempDir();
    const file = dir.write("bad.csv", "timestamp,open,high,low,close,volume\n2025-07-03 13:30:00,10,11,9,10,100\n2025-07-03 13:31:00,10,9,9.5,10,100\n");
    const result = runScript("data", ["import", file, "--symbol", "X", "--root", `${dir.path}/store`]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`${file}:3: high 9 is below low 9.5`);
    expect(existsSync(`${dir.path}/store`)).toBe(false);
  });

  test("usage mistakes exit 2 with what is allowed", () => {
    expect(runScript("data", ["import", MSFT])).toMatchObject({ exitCode: 2, stderr: `${MSFT}: no symbol column (symbol, ticker ...) and no --symbol: name the symbol the rows belong to with --symbol\n` });
    expect(runScript("data", ["import", MSFT, "--symbol", "MSFT", "--interval", "7x"]).stderr).toContain('--interval "7x" is not an interval');
    expect(runScript("data", ["import", "/nope.csv", "--symbol", "MSFT"])).toMatchObject({ exitCode: 2, stderr: "input file not found: /nope.csv\n" });
    expect(runScript("data", ["quality", "MSFT", "--from", "2025-13-01"])).toMatchObject({ exitCode: 2 });
  });

  test("fetch writes a provider's bars: the synthetic provider, seeded and calendar-aware", () => {
    using dir = tempDir();
    const args = ["fetch", "--provider", "synthetic", "--symbols", "SYN1,SYN2", "--from", "2025-07-01", "--to", "2025-07-07", "--param", "seed=7", "--json"];
    const first = JSON.parse(runScript("data", [...args, "--root", `${dir.path}/a`]).stdout);
    const second = JSON.parse(runScript("data", [...args, "--root", `${dir.path}/b`]).stdout);
    expect(first).toEqual([{ symbol: "SYN1", bars: 390 * 3 + 210, files: 1 }, { symbol: "SYN2", bars: 390 * 3 + 210, files: 1 }]);
    expect(second).toEqual(first);
    const a = readFileSync(`${dir.path}/a/US_EQUITY/bars/1m/SYN1/2025-07.parquet`);
    const b = readFileSync(`${dir.path}/b/US_EQUITY/bars/1m/SYN1/2025-07.parquet`);
    expect(Buffer.compare(a, b)).toBe(0);
    const quality = JSON.parse(runScript("data", ["quality", "SYN2", "--root", `${dir.path}/a`, "--json"]).stdout);
    expect([quality.days, quality.quality]).toEqual([4, 100]);
  });
});

test("data export --interval 1w returns only whole weeks of the window (a week the window cuts is left out)", () => {
  using dir = tempDir();
  const out = `${dir.path}/w.csv`;
  const result = runScript("data", ["export", "--symbol", "MSFT", "--interval", "1w", "--from", "2025-06-30", "--to", "2025-07-08", "--format", "csv", "--output", out]);
  expect(result.exitCode).toBe(0);
  const rows = readFileSync(out, "utf8").trim().split("\n").slice(1);
  // The week of 2025-06-30 (four sessions, 07-04 a holiday) ends within the window; the week of 07-07 does not.
  expect(rows.map((r) => r.split(",")[0])).toEqual(["2025-06-30T13:30:00Z"]);
});
