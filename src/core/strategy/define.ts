/**
 * The strategy plugin model: `defineStrategy({ name, params, subscribe, setup?, onBar, ... })`.
 * A strategy is a plain object; its per-session state is what `setup` returns (`ctx.state`).
 */
import type * as v from "valibot";
import type pl from "nodejs-polars";
import type { Fill, Order, OrderRequest, OrderType, TimeInForce } from "../broker/orders.ts";
import type { Position } from "../broker/portfolio.ts";
import type { BarColumns } from "../data/bars.ts";
import type { BarCursor } from "../engine/bar-cursor.ts";
import type { Quote } from "../engine/session-data.ts";
import type { IndicatorHandle } from "../indicators/indicator-engine.ts";
import type { TradingSession } from "../time/calendar.ts";
import type { Session } from "../config/load-session.ts";

/** A stream a strategy wants: one symbol's, or (no symbol) every session symbol's. */
export interface Subscription {
  symbol?: string;
  interval: string;
}

/** The bar a hook receives: valid during the call (the object is reused). */
export type Bar = Readonly<BarCursor>;

/** A stream's quality changed: it has a new gap. */
export interface QualityChange {
  symbol: string;
  interval: string;
  /** The stream's quality today, in %, at the clock. */
  quality: number;
  /** Gaps today so far. */
  gaps: number;
}

/** Options of ctx.buy and ctx.sell besides the symbol, side and quantity. */
export interface OrderOptions {
  type?: OrderType;
  limit?: number;
  stop?: number;
  tif?: TimeInForce;
  bracket?: { take_profit?: number; stop_loss?: number };
}

/** A read-only view of a session bar series (zero-copy: arrays with a length). */
export interface SeriesView {
  readonly length: number;
  readonly ts: Float64Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

/** What every hook receives. */
export interface StrategyContext<TParams = unknown, TState = unknown> {
  readonly strategy: string;
  readonly params: TParams;
  /** What setup() returned. */
  readonly state: TState;
  /** The clock, epoch ms UTC. */
  readonly now: number;
  /** Today's session (open, close, early close). */
  readonly session: TradingSession;
  /** The resolved session configuration this run was started with (read-only: data.root, broker, trading_config ...). */
  readonly config: Readonly<Session>;
  readonly symbols: readonly string[];
  /**
   * Runs `fn` when the session's clock reaches `time` - "HH:MM" in the exchange's time today, or an
   * instant in epoch ms - also when no bar comes then (to be flat before the close on an illiquid
   * symbol). Within today's session, up to its close; returns a function that cancels it.
   */
  at(time: string | number, fn: () => void): () => void;
  /** Today's bars of a stream so far. */
  bars(symbol: string, interval: string): SeriesView;
  /** The trailing history of a stream (the days before today), when the session keeps one. */
  history(symbol: string, interval: string): BarColumns | undefined;
  /** Today's bars as a Polars DataFrame (a copy). */
  frame(symbol: string, interval: string): pl.DataFrame;
  /** A configured indicator of a symbol, by key (e.g. sma_20_5m); resolve it once in setup. */
  indicator(symbol: string, key: string): IndicatorHandle;
  /**
   * A stream's quality today, in %. Given the bar a hook received, it reads that bar's stream
   * directly (no lookup by name: the form to use on every bar).
   */
  quality(bar: Bar): number;
  quality(symbol: string, interval: string): number;
  quote(symbol: string): Quote | undefined;
  /** This strategy's own position of a symbol (every strategy has its book in the shared account). */
  position(symbol: string): Position;
  /** The account's net position of a symbol, all strategies together. */
  accountPosition(symbol: string): Position;
  readonly cash: number;
  readonly equity: number;
  openOrders(symbol?: string): Order[];
  buy(symbol: string, qty: number, options?: OrderOptions): Order;
  sell(symbol: string, qty: number, options?: OrderOptions): Order;
  /** Flattens this strategy's position (after cancelling its open orders on the symbol). */
  close(symbol: string): Order | undefined;
  order(request: OrderRequest): Order;
  cancel(orderId: number): boolean;
  /** A line in the session log, stamped with the clock. */
  log(message: string): void;
}

/** A strategy plugin. */
export interface StrategyPlugin<TParams extends v.GenericSchema = v.GenericSchema, TState = unknown> {
  readonly kind: "strategy";
  readonly name: string;
  readonly description?: string;
  readonly params: TParams;
  subscribe(params: v.InferOutput<TParams>): Subscription[];
  /** Before the first day: build the state the other hooks read as ctx.state. */
  setup?(ctx: StrategyContext<v.InferOutput<TParams>, undefined>): TState;
  onSessionStart?(ctx: StrategyContext<v.InferOutput<TParams>, TState>): void;
  onBar(ctx: StrategyContext<v.InferOutput<TParams>, TState>, bar: Bar): void;
  onSessionEnd?(ctx: StrategyContext<v.InferOutput<TParams>, TState>): void;
  onFill?(ctx: StrategyContext<v.InferOutput<TParams>, TState>, fill: Fill): void;
  onQualityChange?(ctx: StrategyContext<v.InferOutput<TParams>, TState>, change: QualityChange): void;
}

/** Identity helper that marks a strategy plugin and carries its types (params and state are inferred). */
export function defineStrategy<const TParams extends v.GenericSchema, TState = undefined>(
  definition: Omit<StrategyPlugin<TParams, TState>, "kind">,
): StrategyPlugin<TParams, TState> {
  return { ...definition, kind: "strategy" };
}
