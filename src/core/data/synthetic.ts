/**
 * A deterministic synthetic market for benchmarks and tests at any scale: seeded, calendar-aware
 * (only trading days, early closes honoured), a U-shaped intraday volume curve, a random-walk
 * price in cents, and missing minutes at a per-symbol rate, like an illiquid ETF's.
 */
import { internalError } from "../errors.ts";
import type { MarketCalendar } from "../time/calendar.ts";
import type { DayNumber } from "../time/dates.ts";
import { emptyColumns, sliceColumns, type BarColumns } from "./bars.ts";

/** Options of SyntheticMarket. */
export interface SyntheticOptions {
  /** @default 1 */
  seed?: number;
  /** Bar length in ms (60_000 for 1m, 1_000 for 1s). @default 60_000 */
  barMs?: number;
  /** Share of regular-session bars left out: one rate for all symbols, or one per symbol index. @default 0 */
  missingRate?: number | ((symbolIndex: number) => number);
}

/** mulberry32: a small, fast, well-distributed 32-bit generator. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A stable 32-bit hash of a string (FNV-1a), for per-symbol seeds. */
export function hash32(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

interface SymbolState {
  random: () => number;
  price: number;
  baseVolume: number;
  missingRate: number;
}

/** Generates regular-session bars day by day, in order, for a list of symbols. */
export class SyntheticMarket {
  readonly symbols: readonly string[];
  private readonly calendar: MarketCalendar;
  private readonly barMs: number;
  private readonly states: SymbolState[];
  private lastDay = -Infinity;

  constructor(calendar: MarketCalendar, symbols: readonly string[], options: SyntheticOptions = {}) {
    this.calendar = calendar;
    this.symbols = symbols;
    this.barMs = options.barMs ?? 60_000;
    const seed = options.seed ?? 1;
    const rate = options.missingRate ?? 0;
    this.states = symbols.map((symbol, index) => {
      const random = mulberry32(hash32(symbol, seed));
      return {
        random,
        price: Math.round((20 + random() * 480) * 100) / 100,
        baseVolume: Math.round(2_000 + random() * 50_000),
        missingRate: typeof rate === "function" ? rate(index) : rate,
      };
    });
  }

  /** The bars of `day` for every symbol (days must be asked in increasing order). */
  day(day: DayNumber): BarColumns[] {
    if (day <= this.lastDay) throw internalError("SyntheticMarket days must be generated in increasing order");
    this.lastDay = day;
    const session = this.calendar.session(day);
    if (!session) return this.symbols.map(() => emptyColumns(0));
    const slots = Math.ceil((session.close - session.open) / this.barMs);
    // A midday break has no bars (and the walk pauses through it).
    const pause = { from: session.breakStart ?? Infinity, to: session.breakEnd ?? Infinity };
    return this.states.map((state) => this.generate(state, session.open, slots, pause));
  }

  private generate(state: SymbolState, open: number, slots: number, pause: { from: number; to: number }): BarColumns {
    const out = emptyColumns(slots);
    const { random } = state;
    let n = 0;
    let price = state.price;
    const volatility = 0.0008 * Math.sqrt(this.barMs / 60_000);
    for (let slot = 0; slot < slots; slot++) {
      const ts = open + slot * this.barMs;
      if (ts >= pause.from && ts < pause.to) continue;
      // Box-Muller from two uniforms: one normal step of the walk.
      const step = Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random()) * volatility;
      const openPrice = price;
      const closePrice = Math.max(0.01, Math.round(price * (1 + step) * 100) / 100);
      const wiggle = Math.abs(step) * price * random();
      const high = Math.round((Math.max(openPrice, closePrice) + wiggle) * 100) / 100;
      const low = Math.max(0.01, Math.round((Math.min(openPrice, closePrice) - wiggle) * 100) / 100);
      price = closePrice;
      if (state.missingRate > 0 && random() < state.missingRate) continue;
      const x = (slot + 0.5) / slots;
      const curve = 0.6 + 2.4 * (x - 0.5) * (x - 0.5) * 4; // U-shape: busy open and close, quiet midday
      out.ts[n] = ts;
      out.open[n] = openPrice;
      out.high[n] = high;
      out.low[n] = low;
      out.close[n] = closePrice;
      out.volume[n] = Math.round(state.baseVolume * curve * (0.5 + random()));
      n++;
    }
    state.price = price;
    return n === slots ? out : sliceColumns(out, 0, n, true);
  }
}
