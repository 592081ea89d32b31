/**
 * The context a strategy's hooks receive: the clock, SessionData's bars, history and indicators
 * (views, no copies), quality, quotes, the shared portfolio, and the order API. Nothing in it can
 * reach data beyond the clock: bars are today's so far, history ends before today.
 */
import type { Execution } from "../broker/execution.ts";
import type { Order, OrderRequest } from "../broker/orders.ts";
import type { EngineContext } from "../engine/extension.ts";
import { apiError } from "../errors.ts";
import type { IndicatorEngine } from "../indicators/indicator-engine.ts";
import { isoUtc } from "../time/dates.ts";
import { parseClockTime } from "../time/tz.ts";
import type { Bar, OrderOptions, StrategyContext } from "./define.ts";

/** What a context is made from. */
export interface ContextParts {
  engine: EngineContext;
  broker: Execution;
  indicators: IndicatorEngine;
  strategy: string;
  params: unknown;
  /** Runs a callback of the strategy's the way its hooks run (an error stops the strategy). */
  guard: (hook: string, run: () => void) => void;
}

/** Builds the context of one strategy instance. */
export function createContext(parts: ContextParts): StrategyContext<unknown, unknown> & { state: unknown } {
  const { engine, broker, indicators, strategy, params, guard } = parts;
  const { data, clock } = engine;
  const book = broker.book;
  const portfolio = book.portfolio;
  const symbolIndex = (symbol: string) => {
    const s = data.symbolIndex(symbol);
    if (s < 0) throw apiError(`${symbol} is not a symbol of the session; symbols: ${data.symbols.join(", ")}`);
    return s;
  };
  const submit = (request: OrderRequest) => broker.submit(request, strategy, clock.now());
  const side = (s: "buy" | "sell") => (symbol: string, qty: number, options: OrderOptions = {}) => submit({ ...options, symbol, side: s, qty });
  const last = (s: number) => data.lastPrice(s);
  return {
    strategy,
    params,
    state: undefined,
    get now() {
      return clock.now();
    },
    get session() {
      return data.session;
    },
    config: engine.session,
    symbols: data.symbols,
    bars: (symbol, interval) => data.bars(symbol, interval),
    history: (symbol, interval) => data.historyOf(symbol, interval)?.columns(),
    frame: (symbol, interval) => data.frame(symbol, interval),
    indicator(symbol, key) {
      const handle = indicators.handle(symbol, key);
      if (!handle) {
        const keys = [...new Set(indicators.handles().map((h) => h.key))];
        throw apiError(`no indicator ${key} for ${symbol}; configured keys: ${keys.join(", ") || "none"} (add it under session_data_config.indicators)`);
      }
      return handle;
    },
    quality: (barOrSymbol: Bar | string, interval?: string) => {
      if (typeof barOrSymbol !== "string") return data.qualityOf(barOrSymbol.stream);
      const symbol = barOrSymbol;
      const stream = data.streamId(symbol, interval ?? "");
      if (stream < 0) throw apiError(`the session has no ${interval} stream for ${symbol}`);
      return data.qualityOf(stream);
    },
    quote: (symbol) => data.quote(symbol),
    position: (symbol) => portfolio.strategyPosition(strategy, symbolIndex(symbol)),
    accountPosition: (symbol) => portfolio.position(symbolIndex(symbol)),
    get cash() {
      return portfolio.cash;
    },
    get equity() {
      return portfolio.equity(last);
    },
    openOrders(symbol) {
      if (symbol === undefined) return book.openOrders().filter((o) => o.strategy === strategy);
      // One pass over the symbol's working orders (strategies ask on every signal).
      const s = book.indexOf(symbol);
      const mine: Order[] = [];
      if (s >= 0) for (const order of book.workingOf(s)) if (order.strategy === strategy) mine.push(order);
      return mine;
    },
    buy: side("buy"),
    sell: side("sell"),
    close(symbol) {
      const s = symbolIndex(symbol);
      for (const order of book.openOrders(symbol)) if (order.strategy === strategy) broker.cancel(order.id, "replaced by close()");
      const qty = portfolio.strategyPosition(strategy, s).qty;
      if (qty === 0) return undefined;
      return submit({ symbol, side: qty > 0 ? "sell" : "buy", qty: Math.abs(qty) });
    },
    order: (request) => submit(request),
    cancel: (id) => {
      const order = book.orders[id - 1];
      return order !== undefined && order.strategy === strategy && broker.cancel(id);
    },
    at(time, fn) {
      const today = data.session;
      let instant: number;
      if (typeof time === "number") instant = time;
      else {
        const ms = parseClockTime(time);
        if (ms === undefined || !today) throw apiError(`ctx.at(${JSON.stringify(time)}): allowed: a time of today's session as "HH:MM" (exchange time), or an instant in epoch ms`);
        instant = engine.calendar.sessionInstant(today.day, ms);
      }
      return engine.at(instant, () => guard(`at ${typeof time === "string" ? time : isoUtc(time)}`, () => fn()));
    },
    log: (message) => engine.logger.log("info", `[${strategy} ${isoUtc(clock.now())}] ${message}`),
  };
}
