/**
 * What a paper or live session shows while it runs: on a terminal, one status line rewritten in
 * place (the market's clock, how far the session lags it, bars, quality, positions, P&L); in a
 * pipe, the same as a plain line each minute of market time; with --json, one JSON line per event
 * (day start and end, fills, status each minute, the source's notices).
 */
import type { BrokerExtension } from "../broker/broker-extension.ts";
import type { EngineContext, EngineExtension } from "../engine/extension.ts";
import type { DayResult } from "../engine/results.ts";
import type { TradingSession } from "../time/calendar.ts";
import type { MarketClock } from "../time/market-clock.ts";
import { formatClockTime } from "../time/tz.ts";

/** How the console takes the session's events. */
export type MonitorOutput = { kind: "tty"; write: (text: string) => void } | { kind: "plain"; write: (line: string) => void } | { kind: "json"; write: (line: string) => void };

/** One event. */
export type MonitorEvent = { event: string } & Record<string, unknown>;

/** The extension that reports a live session as it goes. */
export class LiveMonitor implements EngineExtension {
  readonly name = "live-monitor";
  readonly stage = "recorders";
  private engine!: EngineContext;
  private bars = 0;
  private lastStatus = -Infinity;

  constructor(
    private readonly output: MonitorOutput,
    private readonly market: MarketClock,
    private readonly broker: BrokerExtension,
  ) {}

  setup(engine: EngineContext): void {
    this.engine = engine;
    engine.hooks.onStep((end) => {
      this.bars++;
      // A status each minute of market time (the step's end), at most.
      if (end - this.lastStatus < 60_000) return;
      this.lastStatus = end;
      this.emit({ event: "status", ...this.status(end) });
    });
    this.broker.onFill((fill) => this.emit({ event: "fill", strategy: fill.strategy, symbol: fill.symbol, side: fill.side, qty: fill.qty, price: fill.price, time: new Date(fill.time).toISOString() }));
  }

  onDayStart(session: TradingSession): void {
    this.bars = 0;
    this.lastStatus = -Infinity;
    this.emit({ event: "day_start", date: session.date, open: new Date(session.open).toISOString(), close: new Date(session.close).toISOString() });
  }

  onDayEnd(session: TradingSession, day: DayResult): void {
    this.emit({ event: "day_end", date: session.date, bars: day.baseBars, derived_bars: day.derivedBars, ...this.status(day.finalTime) });
    if (this.output.kind === "tty") this.output.write("\n");
  }

  /** A notice from the source or the kernel (connections, catch-up, gaps). */
  notice(message: string): void {
    this.emit({ event: "notice", message });
  }

  private status(end: number): Record<string, unknown> {
    const { data, calendar } = this.engine;
    const portfolio = this.broker.book.portfolio;
    const market = this.market.now();
    const streams = data.plan.symbols.map((_, s) => s * data.plan.intervals.length + data.plan.base[s]!).filter((id) => data.activeToday[Math.floor(id / data.plan.intervals.length)]);
    const qualities = streams.map((id) => data.qualityOf(id)).filter((q) => !Number.isNaN(q));
    const equity = portfolio.equity((s) => data.lastPrice(s));
    return {
      clock: formatClockTime(calendar.localTime(end).msOfDay),
      market: Number.isNaN(market) ? null : new Date(market).toISOString(),
      lag_ms: Number.isNaN(market) ? null : Math.max(0, Math.round(market - end)),
      bars: this.bars,
      quality: qualities.length ? Math.round((qualities.reduce((a, b) => a + b, 0) / qualities.length) * 100) / 100 : null,
      positions: portfolio.openPositions(),
      pnl: Math.round((equity - portfolio.initialCash) * 100) / 100,
    };
  }

  private emit(event: MonitorEvent): void {
    const out = this.output;
    if (out.kind === "json") return out.write(JSON.stringify(event));
    const line = describe(event);
    if (out.kind === "tty" && event.event === "status") out.write(`\r\u001b[2K${line}`);
    else if (out.kind === "tty") out.write(`\r\u001b[2K${line}\n`);
    else out.write(line);
  }
}

function describe(e: MonitorEvent): string {
  switch (e.event) {
    case "status":
      return `${e.clock}  lag ${e.lag_ms === null ? "-" : `${((e.lag_ms as number) / 1000).toFixed(1)} s`}  bars ${e.bars}  quality ${e.quality === null ? "-" : `${e.quality}%`}  positions ${e.positions}  P&L ${(e.pnl as number).toFixed(2)}`;
    case "fill":
      return `fill: ${e.strategy} ${e.side} ${e.qty} ${e.symbol} @ ${e.price}`;
    case "day_start":
      return `session ${e.date}: waiting for bars (open ${e.open})`;
    case "day_end":
      return `session ${e.date} done: ${e.bars} bars, P&L ${(e.pnl as number).toFixed(2)}`;
    default:
      return String(e.message ?? JSON.stringify(e));
  }
}
