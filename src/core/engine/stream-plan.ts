/**
 * Stream/generate marking (PHASE_1.1): per symbol, the finest stored base is STREAMED and every
 * other requested interval is GENERATED from it. Anything that cannot be had is an error before
 * the first day, naming the symbol, the interval and what is stored.
 */
import type { DataManager } from "../data/data-manager.ts";
import { canDerive, compareIntervals, requireInterval, type Interval } from "../time/interval.ts";

/** How a stream of a symbol is fed. */
export type StreamRole = "streamed" | "generated" | "unused";

/** The streams of a session, fixed before the first bar. Stream id = symbol * intervals.length + interval. */
export interface StreamPlan {
  symbols: string[];
  /** Every interval any symbol uses, finest first. */
  intervals: Interval[];
  /** Per symbol: the index (into `intervals`) of its streamed base. */
  base: number[];
  /** Per stream id: its role. */
  roles: StreamRole[];
  /** Per symbol: the generated interval indexes, finest first. */
  generated: number[][];
  /** Whether a `quotes` stream is synthesized from the bars. */
  quotes: boolean;
}

/** The symbol and interval of a stream id. */
export function streamOf(plan: StreamPlan, stream: number): { symbol: string; symbolIndex: number; interval: Interval } {
  const count = plan.intervals.length;
  const symbolIndex = Math.floor(stream / count);
  return { symbol: plan.symbols[symbolIndex]!, symbolIndex, interval: plan.intervals[stream % count]! };
}

/** A stream that cannot be fed: the symbol, the interval when one is at fault, and why. */
export interface PlanProblem {
  symbol: string;
  interval?: string;
  message: string;
}

/** The plan, or every stream that cannot be fed. */
export type PlanResult = { ok: true; plan: StreamPlan } | { ok: false; problems: PlanProblem[] };

/** Marks the streams of `symbols` for the requested interval texts. */
export function planStreams(symbols: readonly string[], requested: readonly string[], data: DataManager): PlanResult {
  const wanted = [...new Set(requested.filter((r) => r !== "quotes"))].map(requireInterval).sort(compareIntervals);
  const problems: PlanProblem[] = [];
  const bases: Interval[] = [];
  for (const symbol of symbols) {
    const stored = data.store.barIntervals(symbol);
    const base = stored.find((s) => s.intraday) ?? stored[0];
    if (!base) {
      problems.push({ symbol, message: `${symbol}: nothing is stored under ${data.store.root}/${data.store.exchangeGroup} (import it with bun run data import)` });
      bases.push(wanted[0] ?? requireInterval("1m"));
      continue;
    }
    bases.push(base);
    const storedText = stored.map((s) => s.text).join(", ");
    for (const target of wanted) {
      if (target.text === base.text) continue;
      if (target.ms < base.ms) problems.push({ symbol, interval: target.text, message: `${symbol} ${target.text}: finer than the stored base ${base.text}; stored: ${storedText}` });
      else if (!canDerive(base, target)) problems.push({ symbol, interval: target.text, message: `${symbol} ${target.text}: cannot be built from the stored ${base.text} (not a whole multiple); stored: ${storedText}` });
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, plan: buildPlan(symbols, bases, requested) };
}

/**
 * The plan of a live session: the provider's capabilities, not the store, decide. Alpaca streams
 * one-minute bars, and everything coarser is generated from them as in a backtest.
 */
export function planLiveStreams(symbols: readonly string[], requested: readonly string[]): PlanResult {
  const base = requireInterval("1m");
  const problems: PlanProblem[] = [];
  for (const text of new Set(requested.filter((r) => r !== "quotes"))) {
    const target = requireInterval(text);
    if (target.text === base.text || canDerive(base, target)) continue;
    const why = target.ms < base.ms ? "finer than the one-minute bars a live feed streams (this build builds no second bars from live trades)" : "cannot be built from one-minute bars (not a whole multiple)";
    for (const symbol of symbols) problems.push({ symbol, interval: text, message: `${symbol} ${text}: ${why}` });
  }
  if (requested.includes("quotes")) for (const symbol of symbols) problems.push({ symbol, interval: "quotes", message: `${symbol} quotes: a live session streams bars only in this build (quotes are synthesized from bars in backtests)` });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, plan: buildPlan(symbols, symbols.map(() => base), requested) };
}

/** The symbols a session provisions: its own, then the extensions' (scanner universes), each once, in that order. */
export function sessionSymbols(configured: readonly string[], extra: readonly string[]): string[] {
  return [...new Set([...configured, ...extra])];
}

/** The plan for symbols whose streamed bases are known (every requested interval must derive from them). */
export function buildPlan(symbols: readonly string[], bases: readonly Interval[], requested: readonly string[]): StreamPlan {
  const wanted = [...new Set(requested.filter((r) => r !== "quotes"))].map(requireInterval).sort(compareIntervals);
  const intervals = [...new Map([...wanted, ...bases].map((i) => [i.text, i])).values()].sort(compareIntervals);
  const index = (i: Interval) => intervals.findIndex((x) => x.text === i.text);
  const roles: StreamRole[] = [];
  const generated: number[][] = [];
  symbols.forEach((_, s) => {
    const base = index(bases[s]!);
    const mine: number[] = [];
    intervals.forEach((target, i) => {
      if (i === base) roles.push("streamed");
      else if (wanted.some((w) => w.text === target.text) && target.ms > intervals[base]!.ms) {
        roles.push("generated");
        mine.push(i);
      } else roles.push("unused");
    });
    generated.push(mine);
  });
  return { symbols: [...symbols], intervals, base: bases.map(index), roles, generated, quotes: requested.includes("quotes") };
}
