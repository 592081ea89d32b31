/**
 * Where the store keeps each table: `<root>/<EXCHANGE_GROUP>/bars/<interval>/<SYMBOL>/<YYYY-MM>.parquet`
 * for intraday bars (one file per month), `<YYYY>.parquet` for 1d and 1w bars (one per year), and
 * `ticks/` and `quotes/` beside `bars/`. Partitions follow the UTC date of the row's `ts`.
 */
import { join } from "node:path";
import { civilFromDay, dayFromCivil, DAY_MS, pad2 } from "../time/dates.ts";
import type { Interval } from "../time/interval.ts";

/** A table of the store: bars of one interval, trades (ticks), or quotes. */
export type Table = { kind: "bars"; interval: Interval } | { kind: "ticks" } | { kind: "quotes" };

/** One partition file: its path and the [start, end) instants it may hold. */
export interface Partition {
  path: string;
  start: number;
  end: number;
  /** `2025-07` or `2025`. */
  label: string;
}

/** The folder holding a symbol's files of a table. */
export function tableDir(root: string, exchangeGroup: string, table: Table, symbol: string): string {
  if (table.kind === "bars") return join(root, exchangeGroup, "bars", table.interval.text, symbol);
  return join(root, exchangeGroup, table.kind, symbol);
}

/** True when a table is partitioned by year (daily and weekly bars) rather than by month. */
export function yearly(table: Table): boolean {
  return table.kind === "bars" && !table.interval.intraday;
}

/** The partitions overlapping [start, end), in time order. */
export function partitionsFor(dir: string, table: Table, start: number, end: number): Partition[] {
  if (end <= start) return [];
  const out: Partition[] = [];
  const first = civilFromDay(Math.floor(start / DAY_MS));
  if (yearly(table)) {
    for (let year = first.year; ; year++) {
      const from = dayFromCivil(year, 1, 1) * DAY_MS;
      if (from >= end) break;
      out.push({ path: join(dir, `${year}.parquet`), start: from, end: dayFromCivil(year + 1, 1, 1) * DAY_MS, label: String(year) });
    }
    return out;
  }
  for (let year = first.year, month = first.month; ; ) {
    const from = dayFromCivil(year, month, 1) * DAY_MS;
    if (from >= end) break;
    const nextYear = month === 12 ? year + 1 : year;
    const nextMonth = month === 12 ? 1 : month + 1;
    out.push({ path: join(dir, `${year}-${pad2(month)}.parquet`), start: from, end: dayFromCivil(nextYear, nextMonth, 1) * DAY_MS, label: `${year}-${pad2(month)}` });
    year = nextYear;
    month = nextMonth;
  }
  return out;
}

/** Partition file names the store writes. */
export const PARTITION_FILE = /^(\d{4})(-\d{2})?\.parquet$/;
