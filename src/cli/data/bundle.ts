/**
 * `bun run data bundle`: rebuilds the store bundled in data/ from ../shared/data, so that
 * sessions/july.yaml runs on a fresh clone with no network. Deterministic: the same inputs give
 * the same rows. The new store is built beside the old one and swapped in at the end.
 */
import { defineCommand } from "citty";
import { existsSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { importFiles } from "../../core/data/import/importer.ts";
import { Store } from "../../core/data/store.ts";
import { fileNotFound } from "../../core/errors.ts";
import { MarketCalendar } from "../../core/time/calendar.ts";
import { isoDay } from "../../core/time/dates.ts";
import { requireInterval } from "../../core/time/interval.ts";
import { count } from "../_data-common.ts";

/** What goes into the bundled store: June-July 2025 of every one-minute file, and the original's dumps. */
export const BUNDLE = {
  from: "2025-06-01",
  to: "2025-07-31",
  minuteFiles: ["MSFT", "JPM", "XLK", "FXY", "DBB"],
  /** The original system's dumps are 4 hours late (naive UTC read as New York time, then converted). */
  dumps: [
    { symbol: "AAPL", file: "original_dumps/bars_dump_AAPL_2025-07-02.csv", shift: -4 * 3_600_000 },
    { symbol: "RIVN", file: "original_dumps/bars_dump_RIVN_2025-07-02.csv", shift: -4 * 3_600_000 },
  ],
};

export default defineCommand({
  meta: { name: "bundle", description: "Rebuild the bundled store (data/) from ../shared/data.\n\nExample:\n  bun run data bundle --shared ../shared/data --root data" },
  args: {
    shared: { type: "string", description: "The shared data folder", default: "../shared/data", valueHint: "DIR" },
    root: { type: "string", description: "The store to (re)build", default: "data", valueHint: "DIR" },
  },
  async run({ args }) {
    const calendar = MarketCalendar.for("US_EQUITY", "EQUITY");
    const staging = `${args.root}.bundle-tmp`;
    rmSync(staging, { recursive: true, force: true });
    const store = new Store(staging, "US_EQUITY");
    const window = { start: calendar.toUtc(isoDay(BUNDLE.from), 0), end: calendar.toUtc(isoDay(BUNDLE.to) + 1, 0) };
    const base = { interval: requireInterval("1m"), kind: "bars" as const, format: "csv" as const, zone: "UTC", onBadRow: "refuse" as const, tickBars: [], window };
    const jobs = [
      ...BUNDLE.minuteFiles.map((symbol) => ({ symbol, file: findMinuteFile(args.shared, symbol), shift: 0 })),
      ...BUNDLE.dumps.map((d) => ({ symbol: d.symbol, file: join(args.shared, d.file), shift: d.shift })),
    ];
    for (const job of jobs) {
      if (!existsSync(job.file)) throw fileNotFound("shared data file", job.file);
      const summary = await importFiles(store, calendar, [job.file], { ...base, symbol: job.symbol, shiftMs: job.shift });
      process.stdout.write(`${job.symbol}: ${count(summary.rowsAccepted)} bars from ${job.file}\n`);
    }
    const target = join(args.root, "US_EQUITY");
    const old = `${target}.old-${process.pid}`;
    if (existsSync(target)) renameSync(target, old);
    renameSync(join(staging, "US_EQUITY"), target);
    rmSync(old, { recursive: true, force: true });
    rmSync(staging, { recursive: true, force: true });
    process.stdout.write(`the bundled store is in ${target}\n`);
  },
});

function findMinuteFile(shared: string, symbol: string): string {
  const dir = join(shared, "bars_1m");
  const name = existsSync(dir) ? readdirSync(dir).find((f) => f.startsWith(`${symbol}_1m_`) && f.endsWith(".csv")) : undefined;
  if (!name) throw fileNotFound(`one-minute bars of ${symbol}`, join(dir, `${symbol}_1m_*.csv`));
  return join(dir, name);
}
