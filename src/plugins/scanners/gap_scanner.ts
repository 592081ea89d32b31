/**
 * Gap scanner: selects the symbols of its universe whose first regular-session bar opened at
 * least `min_gap_pct` away from the previous session's close (up, down, or either), at most
 * `max_symbols` of them, the largest gaps first. Before the open there is no opening price, so a
 * pre-session scan selects nothing; run it in a window after the open (e.g. 09:31-09:31).
 */
import * as v from "valibot";
import { defineScanner } from "../../core/scanner/define.ts";

export const gapScanner = defineScanner({
  name: "gap_scanner",
  description: "Symbols that gapped at the open by at least min_gap_pct.",
  params: v.strictObject({
    /** @default 0.5 */
    min_gap_pct: v.optional(v.pipe(v.number(), v.minValue(0)), 0.5),
    /** @default "either" */
    direction: v.optional(v.picklist(["up", "down", "either"]), "either"),
    /** @default 3 */
    max_symbols: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1)), 3),
  }),
  historyDays: 2,
  scan(ctx) {
    const gaps: { symbol: string; gap: number }[] = [];
    for (const symbol of ctx.universe) {
      const daily = ctx.daily(symbol);
      const today = ctx.today(symbol);
      if (!daily || daily.close.length === 0 || today.open.length === 0) continue;
      const previous = daily.close[daily.close.length - 1]!;
      const gap = (100 * (today.open[0]! - previous)) / previous;
      const { direction, min_gap_pct } = ctx.params;
      if ((direction === "up" && gap < min_gap_pct) || (direction === "down" && gap > -min_gap_pct) || Math.abs(gap) < min_gap_pct) continue;
      gaps.push({ symbol, gap });
    }
    gaps.sort((a, b) => Math.abs(b.gap) - Math.abs(a.gap) || a.symbol.localeCompare(b.symbol));
    return gaps.slice(0, ctx.params.max_symbols).map((g) => g.symbol);
  },
});
