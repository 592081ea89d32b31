/**
 * The DataManager answers `getBars(symbol, interval, start, end)` for any interval the store can
 * give: stored bars directly, coarser ones aggregated from the finest stored base on read
 * (so 1d history exists without a daily file). Every answer is filtered to the asked window.
 */
import pl from "nodejs-polars";
import { dataError } from "../errors.ts";
import type { MarketCalendar } from "../time/calendar.ts";
import { weekdayOf } from "../time/dates.ts";
import { canDerive, type Interval } from "../time/interval.ts";
import { aggregateBars, barEndExpr, regularSessionBars, sessionsFrame } from "./aggregate.ts";
import { emptyBarFrame } from "./bars.ts";
import { cachedAnswer, type Store } from "./store.ts";

/** How an interval is obtained for a symbol: read as stored, or derived from a stored base. */
export type IntervalSource = { source: "stored"; interval: Interval } | { source: "derived"; base: Interval; interval: Interval };

/** Options of getBars. */
export interface GetBarsOptions {
  /** Keep only bars of each day's regular session (derived bars always are). @default false */
  regularHoursOnly?: boolean;
}

/** Bars for the engine, the CLI and reports, from one store and one calendar. */
export class DataManager {
  readonly store: Store;
  readonly calendar: MarketCalendar;

  constructor(store: Store, calendar: MarketCalendar) {
    this.store = store;
    this.calendar = calendar;
  }

  /** Where bars of `interval` come from for `symbol`, or undefined when the store cannot give them. */
  sourceOf(symbol: string, interval: Interval): IntervalSource | undefined {
    const stored = this.store.barIntervals(symbol);
    if (stored.some((s) => s.text === interval.text)) return { source: "stored", interval };
    const base = stored.find((s) => canDerive(s, interval));
    return base ? { source: "derived", base, interval } : undefined;
  }

  /** Like sourceOf, but a clear error naming what is stored when the interval cannot be had. */
  requireSource(symbol: string, interval: Interval): IntervalSource {
    const found = this.sourceOf(symbol, interval);
    if (found) return found;
    const stored = this.store.barIntervals(symbol).map((i) => i.text);
    const what = stored.length > 0 ? `stored intervals: ${stored.join(", ")}` : "nothing is stored for it";
    throw dataError(`${symbol} ${interval.text}: the store under ${this.store.root} cannot give these bars (${what}); import a finer base, e.g. bun run data import <file> --symbol ${symbol} --interval 1m`);
  }

  /**
   * Bars with start in [start, end), ascending, as a Polars DataFrame (ts Int64, OHLCV Float64;
   * derived bars add `bars` and `partial`). A derived bar is returned only when its whole period
   * lies in the window, so it is never built from part of its data.
   */
  getBars(symbol: string, interval: Interval, start: number, end: number, options: GetBarsOptions = {}): pl.DataFrame {
    const source = this.requireSource(symbol, interval);
    // A process that runs many sessions on the same data (a sweep's worker) computes each answer once.
    const table = { kind: "bars", interval: source.source === "stored" ? interval : source.base } as const;
    const key = `${this.store.root}|${this.store.exchangeGroup}|${symbol}|${interval.text}|${start}|${end}|${options.regularHoursOnly === true}`;
    return cachedAnswer(key, this.store.stamp(table, symbol, start, end), () => this.computeBars(source, symbol, interval, start, end, options));
  }

  private computeBars(source: IntervalSource, symbol: string, interval: Interval, start: number, end: number, options: GetBarsOptions): pl.DataFrame {
    if (source.source === "stored") {
      const bars = this.store.read({ kind: "bars", interval }, symbol, start, end);
      if (!options.regularHoursOnly || !interval.intraday || bars.height === 0) return bars;
      return regularSessionBars(bars.lazy(), sessionsFrame(this.calendar, start, end)).select(...bars.columns).collectSync();
    }
    const base = this.store.read({ kind: "bars", interval: source.base }, symbol, start, end);
    if (base.height === 0) return derivedEmpty();
    const aggregated = aggregateBars(base, interval, sessionsFrame(this.calendar, start, end));
    const inside = aggregated.filter(pl.col("ts").gtEq(pl.lit(start).cast(pl.Int64)).and(barEndExpr(interval).ltEq(pl.lit(end).cast(pl.Int64)))).drop("s_open", "s_bstart", "s_close");
    if (interval.unit !== "w" || inside.height === 0) return inside;
    // A week ends with its last trading day's close, not with the last day the window holds.
    const ts = inside.getColumn("ts").cast(pl.Float64).toArray() as number[];
    const whole = ts.map((t) => this.weekClose(t) <= end);
    return inside.withColumns(pl.Series("__whole", whole, pl.Bool)).filter(pl.col("__whole")).drop("__whole");
  }

  /** The close of the last trading day of the Monday-to-Sunday week holding instant `t`. */
  private weekClose(t: number): number {
    const day = this.calendar.dayOf(t);
    const monday = day - ((weekdayOf(day) + 6) % 7);
    for (let d = monday + 6; d >= monday; d--) {
      const session = this.calendar.session(d);
      if (session) return session.close;
    }
    return Infinity;
  }
}

function derivedEmpty(): pl.DataFrame {
  return emptyBarFrame().withColumns(pl.Series("bars", [], pl.Float64), pl.Series("partial", [], pl.Bool));
}
