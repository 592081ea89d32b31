/**
 * The replay's timeline: the store's one-minute bars of a range of trading days turned into what
 * Alpaca's stream would send, in the order it would send it. Each regular-session minute that ends
 * at E gives a clock tick at E (sessionflow's `x-clock`), the bars that started at E - 1 minute
 * (sent at E, or E + the delay fault), and, for bars the update fault picks, a corrected `u` 30 s
 * later. After a day's close one more tick lets clients see the day end; then the clock jumps to
 * the next day's open. Nothing is sent for a minute before the replay reached it.
 */
import type { StreamBar, StreamMessage } from "../alpaca/messages.ts";
import { formatTime } from "../alpaca/messages.ts";
import type { BarColumns } from "../data/bars.ts";
import type { Store } from "../data/store.ts";
import type { MarketCalendar, TradingSession } from "../time/calendar.ts";
import type { DayNumber } from "../time/dates.ts";
import { lowerBound } from "../util/bounds.ts";
import { BarCache } from "./bar-cache.ts";
import { withheld, type Faults } from "./faults.ts";

const MINUTE = 60_000;
/** How long after a bar Alpaca's corrections (`u`) typically come. */
const UPDATE_AFTER = 30_000;

/** A batch of messages due at one replay instant. */
export interface ReplayStep {
  at: number;
  messages: StreamMessage[];
  /** The stream connection must be closed here (the drop fault); the replay then runs on without it. */
  drop: boolean;
}

interface Pending {
  at: number;
  order: number;
  kind: "clock" | "bars" | "update";
  minute?: number;
  bar?: StreamBar;
}

/** The replay of days [from .. to] of a store. */
export class ReplayFeed {
  /** The replay's instant: the last step's. */
  now: number;
  private dayIndex = -1;
  private queue: Pending[] = [];
  private order = 0;
  private streamed = 0;
  private readonly cache = new Map<string, BarColumns>();
  /** Every bar the replay serves, from memory. */
  readonly bars: BarCache;
  private readonly drops: { at: number; skipMinutes: number }[];
  /** After a drop: the replay runs on to here before the client may have bars again. */
  skipUntil = -Infinity;

  constructor(
    private readonly store: Store,
    private readonly calendar: MarketCalendar,
    readonly days: readonly DayNumber[],
    private readonly faults: Faults,
    startAt?: number,
  ) {
    const first = calendar.requireSession(days[0]!);
    this.now = startAt ?? first.open;
    this.bars = new BarCache(store);
    this.drops = [...faults.drops].sort((a, b) => a.at - b.at);
  }

  /** The sessions replayed. */
  sessions(): TradingSession[] {
    return this.days.map((d) => this.calendar.requireSession(d));
  }

  /** The next step with messages for `subscribed` symbols, or undefined when the replay is over. */
  next(subscribed: ReadonlySet<string>): ReplayStep | undefined {
    for (;;) {
      if (this.queue.length === 0 && !this.startNextDay()) return undefined;
      const event = this.queue.shift()!;
      this.now = Math.max(this.now, event.at);
      const drop = this.dropDue();
      if (drop) return { at: this.now, messages: [], drop: true };
      const messages = this.messagesOf(event, subscribed);
      if (messages.length > 0) return { at: this.now, messages, drop: false };
    }
  }

  /** Runs the replay on to `until` without sending anything (a client that dropped misses these minutes). */
  fastForward(until: number): void {
    for (;;) {
      if (this.queue.length === 0 && !this.startNextDay()) return;
      if (this.queue[0]!.at > until) return;
      const event = this.queue.shift()!;
      this.now = Math.max(this.now, event.at);
    }
  }

  /** Bars of `symbol` that started in [start, end) and had ended by the replay's instant (what REST may serve). */
  served(symbol: string, start: number, end: number): BarColumns {
    const until = Math.min(end, this.now - MINUTE + 1);
    return this.bars.bars(symbol, start, Math.max(start, until));
  }

  private startNextDay(): boolean {
    while (this.dayIndex + 1 < this.days.length) {
      this.dayIndex++;
      const session = this.calendar.requireSession(this.days[this.dayIndex]!);
      this.cache.clear();
      const last = session.close + MINUTE;
      if (last <= this.now) continue; // a day the replay starts after
      for (let end = session.open + MINUTE; end <= session.close; end += MINUTE) {
        if (end <= this.now) continue;
        this.push({ at: end, kind: "clock" });
        this.push({ at: end + this.faults.delayMs, kind: "bars", minute: end - MINUTE });
      }
      this.push({ at: last, kind: "clock" });
      if (this.now < session.open) this.now = session.open;
      return true;
    }
    return false;
  }

  private push(event: Omit<Pending, "order">): void {
    const item: Pending = { ...event, order: this.order++ };
    let at = this.queue.length;
    while (at > 0 && (this.queue[at - 1]!.at > item.at || (this.queue[at - 1]!.at === item.at && this.queue[at - 1]!.order > item.order))) at--;
    this.queue.splice(at, 0, item);
  }

  private dropDue(): boolean {
    const drop = this.drops[0];
    if (!drop || this.now < drop.at) return false;
    this.drops.shift();
    this.skipUntil = drop.at + drop.skipMinutes * MINUTE;
    return true;
  }

  private messagesOf(event: Pending, subscribed: ReadonlySet<string>): StreamMessage[] {
    if (event.kind === "clock") return [{ T: "x-clock", t: formatTime(event.at) }];
    if (event.kind === "update") return subscribed.has(event.bar!.S) ? [event.bar!] : [];
    const out: StreamMessage[] = [];
    const minute = event.minute!;
    for (const symbol of [...subscribed].sort()) {
      if (withheld(this.faults, symbol, minute)) continue;
      const bar = this.barAt(symbol, minute);
      if (!bar) continue;
      this.streamed++;
      if (this.faults.updateEvery > 0 && this.streamed % this.faults.updateEvery === 0) {
        // First a wrong bar (its close a tick off, inside its range), then the correction.
        const wrong = { ...bar, c: bar.c === bar.h ? bar.c - 0.01 : Math.min(bar.h, bar.c + 0.01) };
        out.push(wrong);
        this.push({ at: event.at + UPDATE_AFTER, kind: "update", bar: { ...bar, T: "u" } });
      } else out.push(bar);
    }
    return out;
  }

  private barAt(symbol: string, start: number): StreamBar | undefined {
    const session = this.calendar.requireSession(this.days[this.dayIndex]!);
    let day = this.cache.get(symbol);
    if (!day) this.cache.set(symbol, (day = this.bars.bars(symbol, session.open, session.close)));
    const i = lowerBound(day.ts, start);
    if (i >= day.ts.length || day.ts[i] !== start) return undefined;
    return { T: "b", S: symbol, t: formatTime(start), o: day.open[i]!, h: day.high[i]!, l: day.low[i]!, c: day.close[i]!, v: day.volume[i]! };
  }
}
