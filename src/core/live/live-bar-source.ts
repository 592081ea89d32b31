/**
 * The live bar source: one-minute bars from Alpaca's stream (or a replay server speaking it), put
 * in the day's time-major queue only once they are complete. The loop may advance to an instant T
 * once every active symbol has delivered its bar ending at T, or the market has passed T plus the
 * grace (`streaming.bar_grace_ms`): a minute without trades has no bar, which is a gap, not a stall.
 * Before a minute is given up by grace, the missing symbols' bars are asked of REST once (a bar
 * the stream withheld or lost); the gap is then re-requested `gap_filler.max_retries` times every
 * `retry_interval_seconds`, and a bar found later fills SessionData and the store (strategies do
 * not see it). Behind the market by more than `catchup_threshold_seconds` (a late start, a
 * reconnect), the missing minutes come from REST and stream at full speed, in order,
 * `catchup_check_interval` minutes at a time, before the stream resumes. Every bar received is
 * journaled into the store as it arrives.
 */
import type { Credentials } from "../alpaca/credentials.ts";
import type { StreamBar } from "../alpaca/messages.ts";
import { parseTime } from "../alpaca/messages.ts";
import { fetchBars, type FetchedBars, type RestEndpoints } from "../alpaca/rest-data.ts";
import { BarJournal, type JournalBar } from "../data/bar-journal.ts";
import { barColumns } from "../data/bars.ts";
import type { BarSource, HistoryNeed, LateBar } from "../data/bar-source.ts";
import { DayQueue } from "../data/day-queue.ts";
import type { Store } from "../data/store.ts";
import type { MarketCalendar, TradingSession } from "../time/calendar.ts";
import { requireInterval } from "../time/interval.ts";
import { FeedConnection } from "./feed-connection.ts";
import type { LiveMarketClock } from "./market-clocks.ts";

const MINUTE = 60_000;

/** What a live source is configured with. */
export interface LiveSourceOptions {
  /** The plan's symbols, in session order (all provisioned: scanner universes too). */
  symbols: readonly string[];
  /** Per symbol: streaming from the start (scanner universes start inactive). */
  active: readonly boolean[];
  endpoints: RestEndpoints;
  streamUrl: string;
  credentials: Credentials;
  market: LiveMarketClock;
  store: Store;
  calendar: MarketCalendar;
  graceMs: number;
  catchupThresholdMs: number;
  catchupCheckInterval: number;
  maxRetries: number;
  retryIntervalMs: number;
  /** A line for the log (connections, catch-up, gaps). */
  log: (line: string) => void;
  /** Called after the market data stream reconnected and backfilled (a live broker re-reads its orders). */
  onReconnected?: () => Promise<void>;
}

interface PendingBar extends JournalBar {
  end: number;
}

/** Counters for the summary's `live` section. */
export interface LiveStats {
  bars_received: number;
  updated_bars: number;
  late_bars: number;
  duplicate_bars: number;
  reconnects: number;
  rest_requests: number;
  catch_up_bars: number;
  gap_requests: number;
}

/** The live bar source. */
export class LiveBarSource implements BarSource {
  readonly name = "alpaca";
  onLateBar?: (bar: LateBar) => void;
  private readonly options: LiveSourceOptions;
  private readonly index: Map<string, number>;
  private readonly active: boolean[];
  private readonly journal: BarJournal;
  private readonly connection: FeedConnection;
  private session: TradingSession | undefined;
  private queue = new DayQueue(1);
  /** Every bar ending at or before this is in the queue (or was given up). */
  private complete = 0;
  /** Per symbol: bars of today not in the queue yet, by start. */
  private pending: Map<number, PendingBar>[] = [];
  /** Per symbol: bars of today already in the queue, by start (for updates and duplicates). */
  private queued: Map<number, PendingBar>[] = [];
  /** Received bars not yet in the journal, by symbol. */
  private readonly unjournaled = new Map<string, JournalBar[]>();
  /** Per symbol: up to which instant REST has answered (bars there or not): minutes before it are not waited for. */
  private covered: Float64Array;
  /** Missing minutes still re-requested: key symbol|start -> attempts left, next attempt. */
  private readonly retries = new Map<string, { symbol: number; start: number; left: number; next: number }>();
  private failure: Error | undefined;
  /** The re-request under way, if any. */
  private retrying: Promise<void> | undefined;
  private stopped = false;
  private readonly counters: LiveStats = { bars_received: 0, updated_bars: 0, late_bars: 0, duplicate_bars: 0, reconnects: 0, rest_requests: 0, catch_up_bars: 0, gap_requests: 0 };

  constructor(options: LiveSourceOptions) {
    this.options = options;
    this.index = new Map(options.symbols.map((s, i) => [s, i]));
    this.active = [...options.active];
    this.covered = new Float64Array(options.symbols.length);
    this.journal = new BarJournal(options.store);
    this.connection = new FeedConnection({
      url: options.streamUrl,
      feed: options.endpoints.feed,
      credentials: options.credentials,
      symbols: options.symbols,
      log: options.log,
      onBar: (bar) => this.receive(bar),
      onReplayClock: (ms) => (this.options.market as { set?: (ms: number) => void }).set?.(ms),
      onReconnected: () => this.afterReconnect(),
      onFatal: (error) => {
        this.failure = error;
        options.market.poke();
      },
    });
  }

  async openDay(session: TradingSession): Promise<DayQueue> {
    const n = this.options.symbols.length;
    this.session = session;
    this.queue = new DayQueue(1024);
    this.complete = session.open;
    this.pending = Array.from({ length: n }, () => new Map());
    this.queued = Array.from({ length: n }, () => new Map());
    this.covered = new Float64Array(n).fill(session.open);
    this.retries.clear();
    // Journals a session that died left behind reach the store first.
    this.journal.compact();
    await this.connection.ensure();
    if (this.failure) throw this.failure;
    return this.queue;
  }

  completeUntil(): number {
    return this.complete;
  }

  /** Advances `complete` as far as the stream, REST and the clock allow; waits when nothing can move. */
  async waitForBars(): Promise<void> {
    const session = this.session!;
    for (;;) {
      if (this.failure) throw this.failure;
      if (this.stopped) {
        this.moveUntil(session.close);
        return;
      }
      if (await this.advance(session)) return;
      const nextGrace = Math.min(this.complete + MINUTE, session.close) + this.options.graceMs;
      const nextRetry = Math.min(...[...this.retries.values()].map((r) => r.next));
      await this.options.market.waitUntil(Math.min(nextGrace, nextRetry));
    }
  }

  activeChanged(symbol: number, active: boolean): void {
    this.active[symbol] = active;
    // A symbol that starts streaming now: its earlier minutes are not waited for.
    if (active) this.covered[symbol] = Math.max(this.covered[symbol]!, this.complete);
  }

  async prepareHistory(needs: readonly HistoryNeed[]): Promise<void> {
    const { store, calendar } = this.options;
    const base = requireInterval("1m");
    const missing = new Map<string, { start: number; end: number }[]>();
    for (const need of needs) {
      if (need.days.length === 0) continue;
      const first = calendar.requireSession(need.days[0]!);
      const last = calendar.requireSession(need.days.at(-1)!);
      const stored = barColumns(store.read({ kind: "bars", interval: base }, need.symbol, first.open, last.close)).ts;
      for (const day of need.days) {
        const s = calendar.requireSession(day);
        if (stored.some((ts) => ts >= s.open && ts < s.close)) continue;
        const list = missing.get(need.symbol) ?? [];
        list.push({ start: s.open, end: s.close });
        missing.set(need.symbol, list);
      }
    }
    let fetched = 0;
    for (const [symbol, days] of missing) {
      for (const window of days) {
        const got = (await this.rest([symbol], window.start, window.end)).get(symbol);
        if (!got || got.ts.length === 0) continue;
        this.journal.append(symbol, "1m", calendar.dayInfo(calendar.localTime(window.start).day).date, rows(got));
        fetched += got.ts.length;
      }
    }
    if (fetched > 0) {
      this.journal.compact();
      this.options.log(`history: ${fetched} bars the store lacked fetched through REST and stored`);
    }
  }

  async closeDay(session: TradingSession): Promise<void> {
    await this.retrying;
    this.retries.clear();
    this.flushJournal();
    const written = this.journal.compact(session.date);
    this.options.log(`recording: ${written} bars of ${session.date} compacted into the store`);
  }

  close(): void {
    this.connection.close();
  }

  /** Stops the day: what is pending goes to the queue and the stream ends there. */
  stop(): void {
    this.stopped = true;
    this.options.market.poke();
  }

  stats(): Record<string, number> {
    return { ...this.counters };
  }

  /**
   * One pass over the minutes after `complete`: a minute ends the wait when every active symbol
   * has its bar (or REST has answered for it); past its grace, REST is asked once for the missing
   * symbols - over every minute up to the market's clock at once, which is also how a late start
   * or a reconnect catches up. True when `complete` moved.
   */
  private async advance(session: TradingSession): Promise<boolean> {
    const { market, graceMs, catchupThresholdMs, catchupCheckInterval } = this.options;
    const now = market.now();
    // Re-requests do not hold the stream up: what they find arrives as late bars.
    if (!this.retrying) this.retrying = this.retryGaps(now).finally(() => (this.retrying = undefined));
    const behind = now - (this.complete + MINUTE) > catchupThresholdMs;
    // Far behind, the loop streams catchup_check_interval minutes at a time and the lag is checked again.
    const limit = Math.min(session.close, behind ? this.complete + catchupCheckInterval * MINUTE : Infinity);
    let until = this.complete;
    for (let end = this.nextEnd(until); end <= limit && end > until; end = this.nextEnd(end)) {
      let missing = this.missingAt(end);
      if (missing.length > 0 && now >= end + graceMs) {
        // Past the grace: one REST request for the missing symbols, up to where the market is.
        const to = Math.min(floorMinute(now - graceMs), session.close);
        const names = missing.map((s) => this.options.symbols[s]!);
        const fetched = this.take(names, await this.rest(names, end - MINUTE, to), to);
        if (behind) {
          this.counters.catch_up_bars += fetched;
          this.options.log(`catch-up: ${formatMinutes(end - MINUTE, to)} of ${names.length} symbol(s) came from REST (${fetched} bars)`);
        } else this.counters.gap_requests++;
        for (const s of missing) this.scheduleRetries(s, end - MINUTE, to, now);
        missing = this.missingAt(end);
      }
      if (missing.length > 0) break;
      until = end;
    }
    return this.moveUntil(until);
  }

  /** The end of the minute after `instant` (the close at the latest). */
  private nextEnd(instant: number): number {
    return Math.min(floorMinute(instant) + MINUTE, this.session!.close);
  }

  /** Active symbols with neither a bar ending at `end` nor an answer from REST up to it. */
  private missingAt(end: number): number[] {
    const start = end - MINUTE;
    const out: number[] = [];
    for (let s = 0; s < this.active.length; s++) {
      if (!this.active[s] || this.covered[s]! >= end || this.pending[s]!.has(start) || this.queued[s]!.has(start)) continue;
      out.push(s);
    }
    return out;
  }

  /** A bar for the store's journal: written at the next completed minute (so at most a minute later). */
  private record(symbol: string, bar: JournalBar): void {
    let list = this.unjournaled.get(symbol);
    if (!list) this.unjournaled.set(symbol, (list = []));
    list.push({ ts: bar.ts, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume });
  }

  private flushJournal(): void {
    for (const [symbol, bars] of this.unjournaled) this.journal.append(symbol, "1m", this.session!.date, bars);
    this.unjournaled.clear();
  }

  /** Moves every pending bar ending at or before `until` into the queue, time-major. */
  private moveUntil(until: number): boolean {
    this.flushJournal();
    if (until <= this.complete) return false;
    const ready: { s: number; bar: PendingBar }[] = [];
    this.pending.forEach((bars, s) => {
      for (const [ts, bar] of bars) {
        if (bar.end > until) continue;
        ready.push({ s, bar });
        bars.delete(ts);
        this.queued[s]!.set(ts, bar);
      }
    });
    ready.sort((a, b) => a.bar.end - b.bar.end || a.s - b.s);
    for (const { s, bar } of ready) this.queue.push(s, bar.ts, bar.end, bar.open, bar.high, bar.low, bar.close, bar.volume);
    this.complete = until;
    return true;
  }

  /** A bar from the stream. */
  private receive(wire: StreamBar): void {
    const s = this.index.get(wire.S);
    const session = this.session;
    if (s === undefined || !session) return;
    const ts = parseTime(wire.t);
    const bar: PendingBar = { ts, end: Math.min(ts + MINUTE, session.close), open: wire.o, high: wire.h, low: wire.l, close: wire.c, volume: wire.v };
    this.counters.bars_received++;
    this.record(wire.S, bar);
    if (ts < session.open || ts >= session.close) return; // extended hours: recorded, not streamed
    this.place(s, bar, wire.T === "u");
    this.options.market.poke();
  }

  /** Puts a bar where it belongs: pending, a correction of a pending one, or late (the loop passed it). */
  private place(s: number, bar: PendingBar, update: boolean): void {
    const pending = this.pending[s]!;
    if (bar.end > this.complete) {
      if (pending.has(bar.ts) && !update) this.counters.duplicate_bars++;
      else {
        if (update && pending.has(bar.ts)) this.counters.updated_bars++;
        pending.set(bar.ts, bar);
      }
      return;
    }
    const queued = this.queued[s]!;
    if (queued.has(bar.ts) && !update) {
      this.counters.duplicate_bars++;
      return;
    }
    if (update && !queued.has(bar.ts)) return; // a correction of a bar never streamed: the late bar comes by REST
    queued.set(bar.ts, bar);
    this.retries.delete(`${s}|${bar.ts}`);
    if (update) this.counters.updated_bars++;
    else this.counters.late_bars++;
    this.onLateBar?.({ symbol: s, ts: bar.ts, open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume, kind: update ? "update" : "late" });
  }

  /** REST bars of `symbols` in [start, end), journaled and placed; REST has answered for those symbols up to `end`. */
  private take(symbols: readonly string[], got: Map<string, FetchedBars>, end: number): number {
    const session = this.session!;
    let count = 0;
    for (const [symbol, columns] of got) {
      const s = this.index.get(symbol)!;
      const bars = rows(columns);
      for (const bar of bars) this.record(symbol, bar);
      for (const bar of bars) {
        if (bar.ts < session.open || bar.ts >= session.close) continue;
        const placed: PendingBar = { ...bar, end: Math.min(bar.ts + MINUTE, session.close) };
        if (placed.end > this.complete && this.pending[s]!.has(bar.ts)) continue;
        if (placed.end <= this.complete && this.queued[s]!.has(bar.ts)) continue;
        this.place(s, placed, false);
        count++;
      }
    }
    for (const symbol of symbols) {
      const s = this.index.get(symbol)!;
      this.covered[s] = Math.max(this.covered[s]!, end);
    }
    return count;
  }

  private scheduleRetries(s: number, from: number, until: number, now: number): void {
    const { maxRetries, retryIntervalMs } = this.options;
    if (maxRetries === 0) return;
    const have = this.pending[s]!;
    for (let start = floorMinute(from); start + MINUTE <= until; start += MINUTE) {
      if (have.has(start) || this.queued[s]!.has(start)) continue;
      this.retries.set(`${s}|${start}`, { symbol: s, start, left: maxRetries, next: now + retryIntervalMs });
    }
  }

  /** Re-requests the missing minutes that are due, in one REST call. */
  private async retryGaps(now: number): Promise<void> {
    const due = [...this.retries.values()].filter((r) => r.next <= now);
    if (due.length === 0) return;
    const symbols = [...new Set(due.map((r) => this.options.symbols[r.symbol]!))];
    const from = Math.min(...due.map((r) => r.start));
    const until = Math.max(...due.map((r) => r.start)) + MINUTE;
    const got = await this.rest(symbols, from, until);
    for (const [symbol, columns] of got) {
      const s = this.index.get(symbol)!;
      for (const bar of rows(columns)) {
        if (!this.retries.has(`${s}|${bar.ts}`)) continue;
        this.record(symbol, bar);
        this.place(s, { ...bar, end: Math.min(bar.ts + MINUTE, this.session!.close) }, false);
      }
    }
    for (const r of due) {
      const key = `${r.symbol}|${r.start}`;
      if (!this.retries.has(key)) continue;
      r.left--;
      r.next = now + this.options.retryIntervalMs;
      if (r.left <= 0) this.retries.delete(key);
    }
  }

  /** After a reconnect: what the stream missed meanwhile comes from REST. */
  private async afterReconnect(): Promise<void> {
    this.counters.reconnects++;
    const session = this.session;
    if (!session) return;
    // Everything from the first minute not yet complete, for every symbol: duplicates are dropped.
    const until = Math.min(floorMinute(this.options.market.now()), session.close);
    const from = this.complete;
    if (until > from) {
      const got = await this.rest(this.options.symbols, from, until);
      const n = this.take(this.options.symbols, got, until);
      this.options.log(`reconnected: ${n} bars of ${formatMinutes(from, until)} backfilled through REST`);
    }
    await this.options.onReconnected?.();
    this.options.market.poke();
  }

  private rest(symbols: readonly string[], start: number, end: number): Promise<Map<string, FetchedBars>> {
    this.counters.rest_requests++;
    return fetchBars(this.options.endpoints, symbols, MINUTE, start, end);
  }
}

function floorMinute(ms: number): number {
  return Math.floor(ms / MINUTE) * MINUTE;
}

function rows(columns: FetchedBars): JournalBar[] {
  return columns.ts.map((ts, i) => ({ ts, open: columns.open[i]!, high: columns.high[i]!, low: columns.low[i]!, close: columns.close[i]!, volume: columns.volume[i]! }));
}

function formatMinutes(from: number, until: number): string {
  return `${Math.round((until - from) / MINUTE)} minute(s) from ${new Date(from).toISOString().slice(11, 16)} UTC`;
}
