/**
 * `bun run session` on a year of 100 symbols of 1m bars (about 9.7 million), as a user runs it: a
 * fresh process each time, the session loaded and validated, plugins discovered, every month read
 * from Parquet, the hot path of hot-path.yaml, summary.json written. Timed from spawn to exit;
 * the peak RSS is the process's own (getrusage), and its session.log gives the RSS after each day.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { result, round, type BenchResult } from "../_results.ts";
import { yearStore } from "../store.ts";

const ROOT = join(import.meta.dir, "..", "..");

/** One run: wall ms, peak RSS (MB), bars streamed, RSS (MB) after each day. */
function runOnce(session: string): { wallMs: number; peakMb: number; bars: number; days: number; rssByDay: number[] } {
  const dir = mkdtempSync(join(tmpdir(), "sessionflow-bench-"));
  try {
    const started = Bun.nanoseconds();
    const child = Bun.spawnSync([process.execPath, "run", "session", session, "--out", join(dir, "run"), "--log-level", "warn"], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
    const wallMs = (Bun.nanoseconds() - started) / 1e6;
    if (child.exitCode !== 0) throw new Error(`bun run session failed (${child.exitCode}):\n${child.stderr.toString()}`);
    const summary = JSON.parse(readFileSync(join(dir, "run", "summary.json"), "utf8"));
    const rssByDay = [...readFileSync(join(dir, "run", "session.log"), "utf8").matchAll(/PHASE_6\.1: memory: rss ([\d.]+) MB/g)].map((m) => Number(m[1]));
    return { wallMs, peakMb: child.resourceUsage.maxRSS / 1048576, bars: summary.totals.bars, days: summary.totals.trading_days, rssByDay };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function endToEnd(runs: number, readOnceNsPerBar: number | undefined): Promise<BenchResult[]> {
  const { session, symbols } = await yearStore(100);
  runOnce(session); // warm: the plugin type-check cache, the page cache
  const measured = Array.from({ length: runs }, () => runOnce(session));
  const walls = measured.map((m) => m.wallMs).sort((a, b) => a - b);
  const median = walls[Math.floor(walls.length / 2)]!;
  const mean = walls.reduce((a, b) => a + b, 0) / walls.length;
  const sd = Math.sqrt(walls.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, walls.length - 1));
  const last = measured.at(-1)!;
  const rss = last.rssByDay;
  const at = (day: number) => rss[Math.min(rss.length, day) - 1]!;
  const half = Math.floor(rss.length / 2);
  // RSS growth over the second half of the year, per day streamed (the first weeks fill the heap).
  const slopeKbPerDay = rss.length > 1 ? ((at(rss.length) - at(half)) * 1024) / (rss.length - half) : 0;
  return [
    {
      ...result("end_to_end", { symbols: symbols.length, days: last.days, bars: last.bars }, median, walls.length, (100 * 1.96 * sd) / Math.sqrt(walls.length) / mean, readOnceNsPerBar),
      wall_ms: round(median, 1),
      wall_ms_all: walls.map((w) => round(w, 1)),
      peak_rss_mb: round(Math.max(...measured.map((m) => m.peakMb)), 1),
      peak_rss_mb_all: measured.map((m) => round(m.peakMb, 1)),
      rss_mb_after_day: { 1: at(1), 25: at(25), 50: at(50), 125: at(125), [rss.length]: at(rss.length) },
      rss_growth_kb_per_day_second_half: round(slopeKbPerDay, 1),
    },
  ];
}
