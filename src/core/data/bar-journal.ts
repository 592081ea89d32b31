/**
 * Live bars reach the store through a journal: each bar is appended, as it arrives, to a CSV file
 * per symbol, interval and session day (`<root>/<EXCHANGE>/journal/<interval>/<SYMBOL>/<YYYY-MM-DD>.csv`),
 * so a session that dies loses nothing it received; at the day's end the journal is compacted into
 * the store's month file (a later row of the same minute - an updated bar - replaces the earlier)
 * and removed. Journals left by a session that died are compacted when the next one starts.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import pl from "nodejs-polars";
import { requireInterval } from "../time/interval.ts";
import type { Store } from "./store.ts";

/** One bar to journal. */
export interface JournalBar {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** The journal of one store. */
export class BarJournal {
  constructor(private readonly store: Store) {}

  private dir(): string {
    return join(this.store.root, this.store.exchangeGroup, "journal");
  }

  /** Appends bars of `symbol` for the session day `date` (YYYY-MM-DD). */
  append(symbol: string, interval: string, date: string, bars: readonly JournalBar[]): void {
    if (bars.length === 0) return;
    const folder = join(this.dir(), interval, symbol);
    mkdirSync(folder, { recursive: true });
    const file = join(folder, `${date}.csv`);
    const header = existsSync(file) ? "" : "ts,open,high,low,close,volume\n";
    appendFileSync(file, header + bars.map((b) => `${b.ts},${b.open},${b.high},${b.low},${b.close},${b.volume}`).join("\n") + "\n");
  }

  /** Compacts every journal file (of `date`, or all) into the store; returns the bars written. */
  compact(date?: string): number {
    const root = this.dir();
    if (!existsSync(root)) return 0;
    let written = 0;
    for (const interval of readdirSync(root)) {
      for (const symbol of readdirSync(join(root, interval))) {
        for (const name of readdirSync(join(root, interval, symbol))) {
          if (!name.endsWith(".csv") || (date !== undefined && name !== `${date}.csv`)) continue;
          const file = join(root, interval, symbol, name);
          const frame = pl
            .readCSV(readFileSync(file), { hasHeader: true, schema: { ts: pl.Float64, open: pl.Float64, high: pl.Float64, low: pl.Float64, close: pl.Float64, volume: pl.Float64 } })
            .withColumns(pl.col("ts").cast(pl.Int64))
            // A later row of a minute (an updated bar) replaces the earlier one.
            .unique({ subset: "ts", keep: "last", maintainOrder: true })
            .sort("ts");
          this.store.write({ kind: "bars", interval: requireInterval(interval) }, symbol, frame);
          written += frame.height;
          rmSync(file);
        }
      }
    }
    return written;
  }
}
