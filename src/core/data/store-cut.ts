/**
 * A copy of a store as it was at an instant: only bars that had ended by `cut` (an intraday bar
 * at ts + its interval, a daily bar at its session's close, a weekly one a week after its start),
 * and trades and quotes before it. Files wholly before the cut are linked (copied where linking
 * is not possible), files wholly after it left out, the one across it filtered. A strategy reading
 * the copy's files itself sees nothing later than the cut: the look-ahead audit runs on these.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import pl from "nodejs-polars";
import type { MarketCalendar } from "../time/calendar.ts";
import { parseInterval, type Interval } from "../time/interval.ts";
import { writeParquetAtomic } from "./atomic.ts";
import { PARTITION_FILE } from "./layout.ts";
import type { Store } from "./store.ts";

/** Writes the cut copy of `store` under `targetRoot`; returns the number of files written or linked. */
export function cutStoreCopy(store: Store, targetRoot: string, cut: number, calendar: MarketCalendar): number {
  const base = join(store.root, store.exchangeGroup);
  if (!existsSync(base)) return 0;
  let files = 0;
  const tables: { dir: string; visible: (frame: pl.DataFrame) => pl.Expr | pl.Series }[] = [];
  const barsDir = join(base, "bars");
  if (existsSync(barsDir)) {
    for (const name of readdirSync(barsDir)) {
      const interval = parseInterval(name);
      if (interval) tables.push({ dir: join(barsDir, name), visible: (frame) => barVisible(frame, interval, cut, calendar) });
    }
  }
  if (existsSync(join(base, "ticks"))) tables.push({ dir: join(base, "ticks"), visible: () => pl.col("ts_us").lt(pl.lit(cut * 1000).cast(pl.Int64)) });
  if (existsSync(join(base, "quotes"))) tables.push({ dir: join(base, "quotes"), visible: () => pl.col("ts").lt(pl.lit(cut).cast(pl.Int64)) });
  for (const { dir, visible } of tables) {
    for (const symbol of readdirSync(dir)) {
      const folder = join(dir, symbol);
      if (!statSync(folder).isDirectory()) continue;
      for (const name of readdirSync(folder).filter((n) => PARTITION_FILE.test(n)).sort()) {
        const source = join(folder, name);
        const target = join(targetRoot, store.exchangeGroup, source.slice(base.length + 1));
        const frame = pl.readParquet(source);
        if (frame.height === 0) continue;
        const mask = visible(frame);
        const kept = frame.withColumns(mask.alias("__visible")).filter(pl.col("__visible")).drop("__visible");
        if (kept.height === 0) continue;
        if (kept.height === frame.height) link(source, target);
        else writeParquetAtomic(target, kept);
        files++;
      }
    }
  }
  return files;
}

/** Rows of bars that had ended by `cut`. */
function barVisible(frame: pl.DataFrame, interval: Interval, cut: number, calendar: MarketCalendar): pl.Expr | pl.Series {
  if (interval.intraday) return pl.col("ts").plus(pl.lit(interval.ms)).ltEq(pl.lit(cut));
  if (interval.unit !== "d") return pl.col("ts").plus(pl.lit(interval.ms)).ltEq(pl.lit(cut));
  // A daily bar ends at its session's close (an early close ends it early).
  const ts = frame.getColumn("ts").cast(pl.Float64).toArray() as number[];
  const ended = ts.map((t) => {
    const session = calendar.session(calendar.dayOf(t));
    return (session ? session.close : t + interval.ms) <= cut;
  });
  return pl.Series("ended", ended, pl.Bool);
}

function link(source: string, target: string): void {
  mkdirSync(dirname(target), { recursive: true });
  try {
    linkSync(source, target);
  } catch {
    copyFileSync(source, target);
  }
}
