/**
 * Stream/generate marking (PHASE_1.1): per symbol, the finest stored base is STREAMED and every
 * other requested interval is GENERATED from it. Anything that cannot be had is an error before
 * the first day, naming the symbol, the interval and what is stored.
 */
import type { DataManager } from "../data/data-manager.ts";
import { dataError } from "../errors.ts";
import { canDerive, compareIntervals, interval as parse, type Interval } from "../time/interval.ts";

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

/** Marks the streams of `symbols` for the requested interval texts. */
export function planStreams(symbols: readonly string[], requested: readonly string[], data: DataManager): StreamPlan {
  const wanted = [...new Set(requested.filter((r) => r !== "quotes"))].map(parse).sort(compareIntervals);
  const problems: string[] = [];
  const bases: Interval[] = [];
  for (const symbol of symbols) {
    const stored = data.store.barIntervals(symbol);
    const base = stored.find((s) => s.intraday) ?? stored[0];
    if (!base) {
      problems.push(`${symbol}: nothing is stored under ${data.store.root}/${data.store.exchangeGroup} (import it with bun run data import)`);
      bases.push(wanted[0] ?? parse("1m"));
      continue;
    }
    bases.push(base);
    for (const target of wanted) {
      if (target.text === base.text) continue;
      if (target.ms < base.ms) problems.push(`${symbol} ${target.text}: finer than the stored base ${base.text}; stored: ${stored.map((s) => s.text).join(", ")}`);
      else if (!canDerive(base, target)) problems.push(`${symbol} ${target.text}: cannot be built from the stored ${base.text} (not a whole multiple); stored: ${stored.map((s) => s.text).join(", ")}`);
    }
  }
  if (problems.length > 0) throw dataError(`the session's streams cannot be fed:\n  ${problems.join("\n  ")}`);
  return buildPlan(symbols, bases, requested);
}

/** The plan for symbols whose streamed bases are known (every requested interval must derive from them). */
export function buildPlan(symbols: readonly string[], bases: readonly Interval[], requested: readonly string[]): StreamPlan {
  const wanted = [...new Set(requested.filter((r) => r !== "quotes"))].map(parse).sort(compareIntervals);
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
