/** Param schemas shared by the built-in indicators. */
import * as v from "valibot";

/** A whole number of bars, at least `min`. */
export const bars = (min = 1) => v.pipe(v.number(), v.integer("must be a whole number of bars"), v.minValue(min, `must be >= ${min}`));

/** `period` as the session entry gives it (0 means "not set"), with the indicator's default. */
export const period = (fallback: number, min = 1) =>
  v.pipe(
    v.optional(v.number(), 0),
    v.transform((n) => (n === 0 ? fallback : n)),
    v.integer("must be a whole number of bars"),
    v.minValue(min, `must be >= ${min}`),
  );

/** How an exponential average starts: the SMA of its first `period` values (TA-Lib), or the first value (Tulip). */
export const seed = v.optional(v.picklist(["sma", "first"]), "sma");

/** Keys every indicator accepts because the session entry always passes them. */
export const common = { period: v.optional(v.number(), 0) };
