/**
 * Importing a large CSV: a year of one-minute bars of 100 symbols (about 9.8 M rows, 0.6 GB),
 * time-major with a symbol column, written once under bench/.cache, imported into a fresh store
 * with `data import`'s code (rows checked, then written; refuse mode reads the file twice). Rows
 * per second and this process's peak memory, to be compared with the file's size.
 */
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { importFiles } from "../../src/core/data/import/importer.ts";
import { Store } from "../../src/core/data/store.ts";
import { MarketCalendar } from "../../src/core/time/calendar.ts";
import { dayFromCivil } from "../../src/core/time/dates.ts";
import { requireInterval } from "../../src/core/time/interval.ts";
import { round, type BenchResult } from "../_results.ts";
import { CACHE } from "../store.ts";

const NYSE = MarketCalendar.for("US_EQUITY", "EQUITY");

/** Writes the CSV (streamed, so writing it does not hold it in memory either). */
async function makeCsv(file: string, symbols: number, year: number): Promise<number> {
  const days = NYSE.tradingDays(dayFromCivil(year, 1, 1), dayFromCivil(year, 12, 31));
  const names = Array.from({ length: symbols }, (_, i) => `S${String(i).padStart(3, "0")}`);
  const tmp = `${file}.tmp`;
  const out = createWriteStream(tmp);
  const write = (text: string) => new Promise<void>((resolve) => (out.write(text) ? resolve() : out.once("drain", () => resolve())));
  await write("timestamp,symbol,open,high,low,close,volume\n");
  let rows = 0;
  for (const day of days) {
    const session = NYSE.session(day)!;
    let chunk = "";
    for (let t = session.open; t < session.close; t += 60_000) {
      const iso = new Date(t).toISOString();
      for (let k = 0; k < names.length; k++) {
        const p = 50 + k + ((t / 60_000 + k * 7) % 113) / 100;
        chunk += `${iso},${names[k]},${p.toFixed(2)},${(p + 0.05).toFixed(2)},${(p - 0.05).toFixed(2)},${(p + 0.01).toFixed(2)},${1000 + k}\n`;
        rows++;
      }
    }
    await write(chunk);
  }
  await new Promise<void>((resolve) => out.end(resolve));
  renameSync(tmp, file);
  return rows;
}

export async function importLarge(symbols: number): Promise<BenchResult[]> {
  mkdirSync(CACHE, { recursive: true });
  const file = join(CACHE, `import-${symbols}x2024.csv`);
  if (!existsSync(file)) await makeCsv(file, symbols, 2024);
  const root = join(CACHE, `import-store-${process.pid}`);
  rmSync(root, { recursive: true, force: true });
  try {
    const started = performance.now();
    const summary = await importFiles(new Store(root, "US_EQUITY"), NYSE, [file], { interval: requireInterval("1m"), kind: "bars", format: "csv", zone: "UTC", shiftMs: 0, onBadRow: "refuse", tickBars: [] });
    const ms = performance.now() - started;
    const rows = summary.rowsWritten;
    const peakMb = process.resourceUsage().maxRSS / 1024;
    return [
      {
        name: "import_csv",
        symbols,
        days: 252,
        bars: rows,
        bars_per_second: Math.round(rows / (ms / 1000)),
        ratio_to_read_once: null,
        ns_per_bar: round((ms * 1e6) / rows, 1),
        samples: 1,
        rme: 0,
        file_mb: round(statSync(file).size / 1024 ** 2, 0),
        wall_s: round(ms / 1000, 1),
        peak_rss_mb: round(peakMb, 0),
        partitions: summary.partitions.length,
      },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
