#!/usr/bin/env bun
/**
 * `bun run bench`: the benchmarks of bench/README.md, in one process and one run, so every ratio
 * compares figures measured side by side on this (noisy) machine.
 *
 *   bun run bench                 hot path at 1, 10, 100 symbols, components, indicators, Parquet, end to end, memory
 *   bun run bench --large         adds the hot path at 500 symbols x 250 days (about 49 million bars)
 *   bun run bench --json          also writes bench/results.json (or --out FILE)
 *   bun run bench --only hot_path,indicators
 *   bun run bench --quick         a smoke run: small sizes and budgets, no store-backed benchmarks
 */
import { defineCommand } from "citty";
import { join } from "node:path";
import { runCli } from "../src/cli/_run-cli.ts";
import { usageError } from "../src/core/errors.ts";
import type { Budget } from "./_measure.ts";
import { printTable, writeResults, type BenchResult } from "./_results.ts";
import { endToEnd } from "./tasks/end-to-end.ts";
import { hotPath } from "./tasks/hot-path.ts";
import { indicatorUpdates } from "./tasks/indicators.ts";
import { liveLatency } from "./tasks/live.ts";
import { sweepThroughput } from "./tasks/sweep.ts";
import { importLarge } from "./tasks/import.ts";
import { prepareTradingStore, trading } from "./tasks/trading.ts";
import { memoryOverAYear } from "./tasks/memory.ts";
import { parquetLoads } from "./tasks/parquet.ts";

const GROUPS = ["hot_path", "indicators", "parquet", "end_to_end", "memory", "live", "sweep", "import", "trading"] as const;
type Group = (typeof GROUPS)[number];

const main = defineCommand({
  meta: { name: "bench", description: "Benchmarks of the streaming hot path and its parts (bench/README.md)" },
  args: {
    json: { type: "boolean", description: "Write the results as JSON (bench/results.json unless --out)" },
    out: { type: "string", description: "Where --json writes", valueHint: "FILE" },
    large: { type: "boolean", description: "Add the hot path at 500 symbols x 250 days" },
    quick: { type: "boolean", description: "Smoke run: small sizes, short budgets, no store-backed benchmarks" },
    only: { type: "string", description: `Comma-separated groups: ${GROUPS.join(", ")}`, valueHint: "GROUPS" },
    job: { type: "string", description: "(internal) run one job in this process and print its results as JSON" },
  },
  async run({ args }) {
    if (args.job) {
      process.stdout.write(`${JSON.stringify(await runJob(JSON.parse(args.job) as Job))}\n`);
      return;
    }
    const groups = selectGroups(args.only, args.quick === true);
    const write = (line: string) => process.stdout.write(`${line}\n`);
    const results: BenchResult[] = [];
    const section = (title: string, rows: BenchResult[]) => {
      write(`\n${title}`);
      printTable(rows, write);
      results.push(...rows);
    };
    const budget = args.quick ? { time: 0, iterations: 2, warmupIterations: 1 } : { time: 2000, iterations: 10, warmupIterations: 3 };
    const days = args.quick ? 2 : 20;
    write(`sessionflow benchmarks: bun ${Bun.version}, ${new Date().toISOString().slice(0, 10)}${args.quick ? " (quick: smoke sizes, not figures)" : ""}`);
    let readOnce100: number | undefined;
    if (groups.has("hot_path")) {
      for (const symbols of args.quick ? [1, 10] : [1, 10, 100]) {
        const rows = inChild({ kind: "hot_path", symbols, days, budget, parts: symbols === 100 });
        if (symbols === 100) readOnce100 = rows.find((r) => r.name === "read_once")!.ns_per_bar;
        section(`hot path, ${symbols} symbol(s) x ${days} days`, rows);
      }
      if (args.large) section("hot path, 500 symbols x 250 days", inChild({ kind: "hot_path", symbols: 500, days: 250, budget: { time: 0, iterations: 3, warmupIterations: 1 } }));
    }
    if (groups.has("indicators")) section("indicator updates (one instance, default params, 1m bars)", inChild({ kind: "indicators", days: args.quick ? 5 : 250, budget: args.quick ? budget : { time: 300, iterations: 10, warmupIterations: 3 } }));
    if (groups.has("parquet")) section("Parquet loads (100 symbols)", inChild({ kind: "parquet", budget: { time: 2000, iterations: 10, warmupIterations: 2 }, readOnce: readOnce100 }));
    if (groups.has("end_to_end")) section("end to end: bun run session, a year of 100 symbols", await endToEnd(5, readOnce100));
    if (groups.has("memory")) section("memory over a year streamed (100 symbols, GC before each sample)", inChild({ kind: "memory" }));
    if (groups.has("live")) section("paper session against the replay server, as fast as it reads (latency: server write to onBar)", inChild({ kind: "live", rounds: args.quick ? 1 : 3 }));
    if (groups.has("trading")) section("a strategy that trades: sma_crossover on 1m, 100 symbols x 20 days (streaming per bar, and the whole process)", inChild({ kind: "trading", budget, runs: args.quick ? 1 : 3 }));
    if (groups.has("import")) section("import: a year of 1m bars of 100 symbols from one CSV (rows checked, then written)", inChild({ kind: "import", symbols: args.quick ? 2 : 100 }));
    if (groups.has("sweep")) section("sweep of sessions/july-sweep.yaml (58 variants): variants per second on 1 and 2 Bun Workers; a warm variant's overhead", inChild({ kind: "sweep", rounds: args.quick ? 1 : 3 }));
    write("");
    if (!args.quick) for (const line of targets(results)) write(line);
    if (args.json) {
      const path = args.out ?? join(import.meta.dir, "results.json");
      writeResults(path, results);
      write(`results: ${path}`);
    }
  },
});

/** One benchmark job; each runs in a fresh process so no job inherits another's JIT state or heap. */
type Job =
  | { kind: "hot_path"; symbols: number; days: number; budget: Budget; parts?: boolean }
  | { kind: "indicators"; days: number; budget: Budget }
  | { kind: "parquet"; budget: Budget; readOnce?: number }
  | { kind: "memory" }
  | { kind: "live"; rounds: number }
  | { kind: "sweep"; rounds: number }
  | { kind: "import"; symbols: number }
  | { kind: "trading"; budget: Budget; runs: number };

async function runJob(job: Job): Promise<BenchResult[]> {
  switch (job.kind) {
    case "hot_path":
      return hotPath(job.symbols, job.days, job.budget, job.parts);
    case "indicators":
      return indicatorUpdates(job.days, job.budget);
    case "parquet":
      return parquetLoads(job.budget, job.readOnce);
    case "memory":
      return memoryOverAYear();
    case "live":
      return liveLatency(job.rounds);
    case "sweep":
      return sweepThroughput(job.rounds);
    case "import":
      return importLarge(job.symbols);
    case "trading":
      await prepareTradingStore();
      return trading(job.budget, job.runs);
  }
}

/**
 * Runs a job in a child process, so a figure does not depend on which benchmarks ran before it in
 * the same process (JIT type feedback, heap size); each job is measured as a session would run.
 */
function inChild(job: Job): BenchResult[] {
  const child = Bun.spawnSync([process.execPath, import.meta.path, "--job", JSON.stringify(job)], { stdout: "pipe", stderr: "inherit", env: process.env });
  if (child.exitCode !== 0) throw new Error(`benchmark job ${JSON.stringify(job)} failed with exit code ${child.exitCode}`);
  return JSON.parse(child.stdout.toString().trim().split("\n").at(-1)!) as BenchResult[];
}

function selectGroups(only: string | undefined, quick: boolean): Set<Group> {
  if (!only) return new Set(quick ? ["hot_path", "indicators"] : GROUPS);
  const names = only.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(GROUPS as readonly string[]).includes(n));
  if (unknown.length > 0) throw usageError(`--only ${unknown.join(", ")}: no such benchmark group; allowed: ${GROUPS.join(", ")}`);
  return new Set(names as Group[]);
}

/** The targets of the benchmarks issue, met or not, from this run's figures. */
function targets(results: readonly BenchResult[]): string[] {
  const lines: string[] = [];
  const mark = (ok: boolean) => (ok ? "met   " : "MISSED");
  const hot = results.find((r) => r.name === "hot_path" && r.symbols === 100);
  if (hot) {
    lines.push(`${mark(hot.bars_per_second >= 10e6)} hot path at 100 symbols >= 10 M bars/s: ${(hot.bars_per_second / 1e6).toFixed(2)} M`);
    lines.push(`${mark(hot.ratio_to_read_once! <= 25)} hot path at 100 symbols <= 25x read-once: ${hot.ratio_to_read_once}x`);
  }
  const e2e = results.find((r) => r.name === "end_to_end");
  if (e2e) lines.push(`${mark(Number(e2e.wall_ms) < 3000)} a year of 100 symbols end to end < 3 s: ${(Number(e2e.wall_ms) / 1000).toFixed(2)} s (median of ${e2e.samples})`);
  const indicators = results.filter((r) => r.name.startsWith("indicator:"));
  if (indicators.length > 0) {
    const slow = indicators.filter((r) => r.ns_per_bar >= 20);
    lines.push(`${mark(slow.length === 0)} each indicator update < 20 ns: ${indicators.length - slow.length} of ${indicators.length}${slow.length ? `; over: ${slow.map((r) => `${r.name.slice(10)} ${r.ns_per_bar.toFixed(0)}`).join(", ")}` : ""}`);
  }
  const memory = results.find((r) => r.name === "memory_year");
  if (memory) lines.push(`info   live heap after GC grows ${memory.live_heap_growth_kb_per_day} KB per day streamed (what the session keeps per day)`);
  return lines;
}

await runCli({ main });
