/**
 * The batch path for derived bars (history, exports, research): session-anchored aggregation
 * in Polars. Intraday bars sit on a grid from each day's open (5m at 09:30, 09:35 ...), a bar cut
 * by the close (early closes included) ends there and is marked partial, 1d is the regular
 * session, and 1w the trading days of a Monday-to-Sunday week. A midday break holds no bars: the
 * period it cuts ends at its start (partial), the next starts at its end. The streaming path
 * (engine/derived-bars.ts) builds the same bars incrementally; a test compares the two.
 */
import pl from "nodejs-polars";
import type { MarketCalendar } from "../time/calendar.ts";
import { weekdayOf, type DayNumber } from "../time/dates.ts";
import type { Interval } from "../time/interval.ts";

/**
 * The regular sessions touching [start, end): `s_open`, `s_close`, `s_week` (open of the week's
 * first session) and the break `s_bstart`, `s_bend` (both the close on a day without one).
 */
export function sessionsFrame(calendar: MarketCalendar, start: number, end: number): pl.DataFrame {
  const firstDay = calendar.localTime(start).day - 7;
  const lastDay = calendar.localTime(Math.max(start, end - 1)).day + 1;
  const opens: number[] = [];
  const closes: number[] = [];
  const weeks: number[] = [];
  const breakStarts: number[] = [];
  const breakEnds: number[] = [];
  let weekKey: DayNumber | undefined;
  let weekOpen = 0;
  for (const day of calendar.tradingDays(firstDay, lastDay)) {
    const session = calendar.session(day)!;
    const monday = day - ((weekdayOf(day) + 6) % 7);
    if (monday !== weekKey) {
      weekKey = monday;
      weekOpen = session.open;
    }
    opens.push(session.open);
    closes.push(session.close);
    weeks.push(weekOpen);
    breakStarts.push(session.breakStart ?? session.close);
    breakEnds.push(session.breakEnd ?? session.close);
  }
  return pl.DataFrame({
    s_open: pl.Series("s_open", opens).cast(pl.Int64),
    s_close: pl.Series("s_close", closes).cast(pl.Int64),
    s_week: pl.Series("s_week", weeks).cast(pl.Int64),
    s_bstart: pl.Series("s_bstart", breakStarts).cast(pl.Int64),
    s_bend: pl.Series("s_bend", breakEnds).cast(pl.Int64),
  });
}

/** Tags each bar with its session (joins on the latest open at or before it) and keeps regular-session bars (none in a break). */
export function regularSessionBars(bars: pl.LazyDataFrame, sessions: pl.DataFrame): pl.LazyDataFrame {
  return bars
    .joinAsof(sessions.lazy(), { leftOn: "ts", rightOn: "s_open", strategy: "backward" })
    .filter(pl.col("s_open").isNotNull().and(pl.col("ts").lt(pl.col("s_close"))).and(pl.col("ts").lt(pl.col("s_bstart")).or(pl.col("ts").gtEq(pl.col("s_bend")))));
}

/** The start of the grid period (anchored at the open) that holds `ts`, for periods of `ms`. */
function gridStart(ts: pl.Expr, ms: number): pl.Expr {
  const offset = ts.sub(pl.col("s_open"));
  return pl.col("s_open").add(offset.sub(offset.rem(pl.lit(ms).cast(pl.Int64))));
}

/**
 * Aggregates base bars (sorted by ts) into `target` bars of the regular session. Columns: ts (bar
 * start), open, high, low, close, volume, [vwap], bars (base bars used), partial (cut by the close).
 */
export function aggregateBars(base: pl.DataFrame, target: Interval, sessions: pl.DataFrame): pl.DataFrame {
  const hasVwap = base.columns.includes("vwap");
  // A period that the break cuts resumes at the break's end: its bars after the break start there.
  const grid = gridStart(pl.col("ts"), target.ms);
  const bucket = target.intraday
    ? pl.when(pl.col("ts").gtEq(pl.col("s_bend")).and(grid.lt(pl.col("s_bend")))).then(pl.col("s_bend")).otherwise(grid)
    : target.unit === "d"
      ? pl.col("s_open")
      : pl.col("s_week");
  const aggregations = [
    pl.col("open").first().alias("open"),
    pl.col("high").max().alias("high"),
    pl.col("low").min().alias("low"),
    pl.col("close").last().alias("close"),
    pl.col("volume").sum().alias("volume"),
    pl.len().cast(pl.Float64).alias("bars"),
    pl.col("s_close").last().alias("s_close"),
    pl.col("s_open").last().alias("s_open"),
    pl.col("s_bstart").last().alias("s_bstart"),
  ];
  if (hasVwap) aggregations.push(pl.col("vwap").mul(pl.col("volume")).sum().div(pl.col("volume").sum()).alias("vwap"));
  // Partial: cut by the close or by the break (the period is shorter than the interval).
  const partial = target.intraday ? barEndExpr(target).sub(pl.col("ts")).lt(pl.lit(target.ms).cast(pl.Int64)) : pl.lit(false);
  return regularSessionBars(base.lazy(), sessions)
    .withColumn(bucket.alias("bucket"))
    .groupBy("bucket")
    .agg(...aggregations)
    .rename({ bucket: "ts" })
    .withColumn(partial.alias("partial"))
    .sort("ts")
    .select("ts", "open", "high", "low", "close", "volume", ...(hasVwap ? ["vwap"] : []), "bars", "partial", "s_open", "s_bstart", "s_close")
    .collectSync();
}

/** The instant an aggregated bar ends: its grid end, or the break or the close that cut it (needs s_open, s_bstart, s_close). */
export function barEndExpr(target: Interval): pl.Expr {
  if (!target.intraday) return pl.col("s_close");
  const gridEnd = gridStart(pl.col("ts"), target.ms).add(pl.lit(target.ms).cast(pl.Int64));
  const cut = pl.when(pl.col("ts").lt(pl.col("s_bstart"))).then(pl.col("s_bstart")).otherwise(pl.col("s_close"));
  return pl.when(gridEnd.gt(cut)).then(cut).otherwise(gridEnd);
}
