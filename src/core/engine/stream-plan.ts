/**
 * Stream/generate marking (PHASE_1.1): per symbol, the finest stored base is STREAMED and every
 * other requested interval is GENERATED from it. Anything that cannot be had is an error before
 * the first day, naming the symbol, the interval and what is stored.
 */
import type { DataManager } from "../data/data-manager.ts";
import type { TradingSession } from "../time/calendar.ts";
import { formatDay } from "../time/dates.ts";
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

/** The plan, or every stream that cannot be fed; notes say which base was chosen where it was a choice, warnings what data is missing. */
export type PlanResult = ({ ok: true; plan: StreamPlan } | { ok: false; problems: PlanProblem[] }) & { notes: string[]; warnings: PlanProblem[] };

/** What the window has: its sessions, and how symbols without data there are treated. */
export interface PlanWindow {
  sessions: readonly TradingSession[];
  /** Symbols whose missing data is a warning, not an error (scanner universes; everything with --allow-missing). */
  lenient: (symbol: string) => boolean;
}

/**
 * Marks the streams of `symbols` for the requested interval texts. A symbol streams the finest
 * stored interval that has bars on every day of the window (one with more days otherwise): a
 * table of ticks' seconds for one month never hides the minutes of the others.
 */
export function planStreams(symbols: readonly string[], requested: (symbol: string) => readonly string[], data: DataManager, window?: PlanWindow): PlanResult {
  const problems: PlanProblem[] = [];
  const warnings: PlanProblem[] = [];
  const notes: string[] = [];
  const bases: Interval[] = [];
  for (const symbol of symbols) {
    const wanted = [...new Set(requested(symbol).filter((r) => r !== "quotes"))].map(requireInterval).sort(compareIntervals);
    const stored = data.store.barIntervals(symbol);
    const chosen = window && stored.length > 0 ? chooseBase(symbol, stored, data, window.sessions) : { base: stored.find((s) => s.intraday) ?? stored[0], days: -1, notes: [] as string[] };
    const base = chosen.base;
    notes.push(...chosen.notes);
    if (!base) {
      problems.push({ symbol, message: `${symbol}: nothing is stored under ${data.store.root}/${data.store.exchangeGroup} (import it with bun run data import)` });
      bases.push(wanted[0] ?? requireInterval("1m"));
      continue;
    }
    if (window && chosen.days >= 0 && chosen.days < window.sessions.length) {
      const range = `${formatDay(window.sessions[0]!.day)} to ${formatDay(window.sessions.at(-1)!.day)}`;
      const extent = storedExtent(data, symbol, base);
      if (chosen.days === 0) {
        const problem = { symbol, message: `${symbol}: no ${base.text} bars from ${range} in ${data.store.root}/${data.store.exchangeGroup} (it has ${extent}); import them, or run with --allow-missing` };
        if (window.lenient(symbol)) warnings.push(problem);
        else problems.push(problem);
      } else {
        warnings.push({ symbol, message: `${symbol}: ${base.text} bars on ${chosen.days} of ${window.sessions.length} trading days from ${range} (the store has ${extent}): the days without are streamed empty, at 0% quality` });
      }
    }
    bases.push(base);
    const storedText = stored.map((s) => s.text).join(", ");
    for (const target of wanted) {
      if (target.text === base.text) continue;
      if (target.ms < base.ms) problems.push({ symbol, interval: target.text, message: `${symbol} ${target.text}: finer than the stored base ${base.text}; stored: ${storedText}` });
      else if (!canDerive(base, target)) problems.push({ symbol, interval: target.text, message: `${symbol} ${target.text}: cannot be built from the stored ${base.text} (not a whole multiple); stored: ${storedText}` });
    }
  }
  return problems.length > 0 ? { ok: false, problems, notes, warnings } : { ok: true, plan: buildPlan(symbols, bases, requested), notes, warnings };
}

/** The finest stored interval with bars on every session day (else on the most days), and why when it is not the finest. */
function chooseBase(symbol: string, stored: Interval[], data: DataManager, sessions: readonly TradingSession[]): { base: Interval | undefined; days: number; notes: string[] } {
  const candidates = [...stored.filter((s) => s.intraday), ...stored.filter((s) => !s.intraday)];
  let best: { base: Interval; days: number } | undefined;
  const counts: string[] = [];
  for (const interval of candidates) {
    const days = daysWithBars(data, symbol, interval, sessions);
    counts.push(`${interval.text} on ${days}`);
    if (!best || days > best.days) best = { base: interval, days };
    if (days === sessions.length) break;
  }
  const days = sessions.length === 1 ? "the 1 trading day" : `the ${sessions.length} trading days`;
  const notes = best && best.base !== candidates[0] ? [`${symbol}: streaming ${best.base.text}, the finest stored interval with bars on the most of ${days} (${counts.join(", ")})`] : [];
  return { base: best?.base, days: best?.days ?? 0, notes };
}

/** How many of the sessions have at least one bar of `interval` in their regular hours. */
function daysWithBars(data: DataManager, symbol: string, interval: Interval, sessions: readonly TradingSession[]): number {
  if (sessions.length === 0) return 0;
  const ts = data.store.timestamps({ kind: "bars", interval }, symbol, sessions[0]!.open - (interval.intraday ? 0 : 86_400_000), sessions.at(-1)!.close);
  let days = 0;
  let i = 0;
  for (const s of sessions) {
    const from = interval.intraday ? s.open : s.open - 86_400_000;
    while (i < ts.length && ts[i]! < from) i++;
    if (i < ts.length && ts[i]! < s.close) days++;
  }
  return days;
}

/** "2025-06-02 .. 2025-07-07" of what is stored, or "nothing". */
function storedExtent(data: DataManager, symbol: string, interval: Interval): string {
  const extent = data.store.extent({ kind: "bars", interval }, symbol);
  return extent ? `${interval.text} bars from ${new Date(extent.first).toISOString().slice(0, 10)} to ${new Date(extent.last).toISOString().slice(0, 10)}` : `no ${interval.text} bars`;
}

/**
 * The plan of a live session: the provider's capabilities, not the store, decide. Alpaca streams
 * one-minute bars, and everything coarser is generated from them as in a backtest.
 */
export function planLiveStreams(symbols: readonly string[], requested: (symbol: string) => readonly string[]): PlanResult {
  const base = requireInterval("1m");
  const problems: PlanProblem[] = [];
  for (const symbol of symbols) {
    const mine = requested(symbol);
    for (const text of new Set(mine.filter((r) => r !== "quotes"))) {
      const target = requireInterval(text);
      if (target.text === base.text || canDerive(base, target)) continue;
      const why = target.ms < base.ms ? "finer than the one-minute bars a live feed streams (this build builds no second bars from live trades)" : "cannot be built from one-minute bars (not a whole multiple)";
      problems.push({ symbol, interval: text, message: `${symbol} ${text}: ${why}` });
    }
    if (mine.includes("quotes")) problems.push({ symbol, interval: "quotes", message: `${symbol} quotes: a live session streams bars only in this build (quotes are synthesized from bars in backtests)` });
  }
  return problems.length > 0 ? { ok: false, problems, notes: [], warnings: [] } : { ok: true, plan: buildPlan(symbols, symbols.map(() => base), requested), notes: [], warnings: [] };
}

/** The symbols a session provisions: its own, then the extensions' (scanner universes), each once, in that order. */
export function sessionSymbols(configured: readonly string[], extra: readonly string[]): string[] {
  return [...new Set([...configured, ...extra])];
}

/** The plan for symbols whose streamed bases are known (every requested interval must derive from them). */
export function buildPlan(symbols: readonly string[], bases: readonly Interval[], requested: readonly string[] | ((symbol: string) => readonly string[])): StreamPlan {
  const of = typeof requested === "function" ? requested : () => requested;
  const wantedOf = (symbol: string) => [...new Set(of(symbol).filter((r) => r !== "quotes"))].map(requireInterval).sort(compareIntervals);
  const all = symbols.flatMap(wantedOf);
  const intervals = [...new Map([...all, ...bases].map((i) => [i.text, i])).values()].sort(compareIntervals);
  const index = (i: Interval) => intervals.findIndex((x) => x.text === i.text);
  const roles: StreamRole[] = [];
  const generated: number[][] = [];
  symbols.forEach((symbol, s) => {
    const base = index(bases[s]!);
    const wanted = wantedOf(symbol);
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
  return { symbols: [...symbols], intervals, base: bases.map(index), roles, generated, quotes: symbols.some((symbol) => of(symbol).includes("quotes")) };
}
