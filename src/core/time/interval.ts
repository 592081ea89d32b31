/**
 * Bar intervals: the grammar `Ns`, `Nm`, `Nh`, `Nd`, `Nw` and what each one means in time.
 */
import { usageError } from "../errors.ts";

/** The unit letter of an interval. */
export type IntervalUnit = "s" | "m" | "h" | "d" | "w";

/** A parsed interval. Intraday intervals have an exact length; days and weeks follow the calendar. */
export interface Interval {
  /** The canonical text, e.g. `5m`. */
  readonly text: string;
  readonly count: number;
  readonly unit: IntervalUnit;
  /** Length in ms for intraday intervals; the nominal length (24 h, 7 d) for 1d and 1w. */
  readonly ms: number;
  /** True for s, m and h: bars sit on a grid anchored at the session open. */
  readonly intraday: boolean;
}

const UNIT_MS: Record<IntervalUnit, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

const GRAMMAR = /^([1-9][0-9]{0,5})(s|m|h|d|w)$/;

/** What the interval grammar allows, for error messages. */
export const INTERVAL_HELP =
  "an interval Ns, Nm or Nh (N >= 1, e.g. 1s, 1m, 5m, 15m, 1h), or 1d or 1w";

/** The stream name for synthesized or live quotes (not a bar interval). */
export const QUOTES_STREAM = "quotes";

/** Parses `5m` into an Interval; undefined when the text is not in the grammar. */
export function parseInterval(text: string): Interval | undefined {
  const match = GRAMMAR.exec(text);
  if (!match) return undefined;
  const count = Number(match[1]);
  const unit = match[2] as IntervalUnit;
  if ((unit === "d" || unit === "w") && count !== 1) return undefined;
  return { text, count, unit, ms: count * UNIT_MS[unit], intraday: unit === "s" || unit === "m" || unit === "h" };
}

/** Like parseInterval, but throws for text outside the grammar (use after validation). */
export function requireInterval(text: string): Interval {
  const parsed = parseInterval(text);
  if (!parsed) throw usageError(`not an interval: ${JSON.stringify(text)} (expected ${INTERVAL_HELP})`);
  return parsed;
}

/** True when `text` is a bar interval in the grammar. */
export function isInterval(text: string): boolean {
  return parseInterval(text) !== undefined;
}

/** Orders intervals from the finest to the coarsest (1s < 1m < 5m < 1h < 1d < 1w). */
export function compareIntervals(a: Interval, b: Interval): number {
  return a.ms - b.ms;
}

/**
 * True when bars of `target` can be built from bars of `base`: a coarser intraday interval whose
 * length is a whole multiple of the base, or 1d / 1w from any intraday base (1w also from 1d).
 */
export function canDerive(base: Interval, target: Interval): boolean {
  if (target.ms <= base.ms) return false;
  if (target.intraday) return base.intraday && target.ms % base.ms === 0;
  if (target.unit === "d") return base.intraday;
  return base.intraday || base.unit === "d";
}
