/**
 * The parts a paper or live session runs on: the market's clock (Alpaca's is the wall clock; a
 * replay server says it is one in GET /v2/clock and is followed instead), the session days (from
 * the day the market is in - or the next trading day, after a close - to `live_config.end_date`),
 * and the live bar source over Alpaca's stream and REST.
 */
import { credentialsFrom } from "../alpaca/credentials.ts";
import { fetchClock } from "../alpaca/rest-data.ts";
import type { TradingEndpoint } from "../alpaca/trading.ts";
import { configError, usageError } from "../errors.ts";
import { LiveBarSource } from "../live/live-bar-source.ts";
import { ReplayMarketClock, WallMarketClock, type LiveMarketClock } from "../live/market-clocks.ts";
import type { BacktestWindow } from "../time/backtest-window.ts";
import type { Clock } from "../time/clock.ts";
import { formatDay, isoDay } from "../time/dates.ts";
import { locate } from "../yaml/located.ts";
import type { PreparedRun } from "./prepare.ts";

/** A live session's seams and days. */
export interface LiveParts {
  window: BacktestWindow;
  market: LiveMarketClock;
  source: LiveBarSource;
  /** Set when the market is a replay server's. */
  replay: { speed: number; from: string; to: string } | undefined;
  /** mode live: how the execution client reaches the Trading API. */
  trading: { endpoint: TradingEndpoint; lockStep: boolean; log: (line: string) => void } | undefined;
  /** Run after the market data stream reconnected (a live broker re-reads its orders and positions). */
  afterReconnect: (() => Promise<void>)[];
}

/** What liveParts needs from the caller. */
export interface LivePartsOptions {
  wall: Clock;
  env: Record<string, string | undefined>;
  log: (line: string) => void;
  /** --confirm-live was given. */
  confirmLive: boolean;
  /** An order request's timeout (its outcome is then read back). */
  orderTimeoutMs: number;
}

/** Hosts where orders move real money: a live session needs --confirm-live to send orders there. */
export const LIVE_MONEY_HOSTS = ["api.alpaca.markets"];

/** Reads the market's clock and builds the live source; refuses an end date before the first session day. */
export async function liveParts(prepared: PreparedRun, options: LivePartsOptions): Promise<LiveParts> {
  const { session, calendar, plan, dataManager, located, file } = prepared;
  const { wall, env, log } = options;
  const alpaca = session.api_config.alpaca;
  if (session.mode === "live" && LIVE_MONEY_HOSTS.includes(hostOf(alpaca.trading_url)) && !options.confirmLive) {
    throw usageError(`${file}: api_config.alpaca.trading_url ${alpaca.trading_url} trades real money; a live session there starts only with --confirm-live on the command line (paper hosts need no confirmation)`);
  }
  const credentials = credentialsFrom(env);
  const endpoints = { dataUrl: alpaca.data_url, tradingUrl: alpaca.trading_url, feed: alpaca.feed, credentials };
  const clock = await fetchClock(endpoints);
  const market: LiveMarketClock = clock.replay ? new ReplayMarketClock(wall, clock.now, clock.replay.speed) : new WallMarketClock(wall);
  const today = calendar.localTime(clock.now).day;
  const todays = calendar.session(today);
  // After today's close (or on a closed day) the session starts with the next trading day.
  const first = todays && clock.now < todays.close ? today : calendar.nextTradingDay(today);
  const end = session.live_config.end_date ? isoDay(session.live_config.end_date) : first;
  const days = calendar.tradingDays(first, end);
  if (days.length === 0) {
    const path = ["live_config", "end_date"];
    throw configError(file, [{ path: "live_config.end_date", message: `${session.live_config.end_date} is before the session's first day ${formatDay(first)} (the market's clock says ${new Date(clock.now).toISOString()})`, location: locate(located, path) }]);
  }
  const config = session.session_data_config;
  const afterReconnect: (() => Promise<void>)[] = [];
  const source = new LiveBarSource({
    symbols: plan.symbols,
    active: plan.symbols.map((s) => config.symbols.includes(s)),
    endpoints,
    streamUrl: alpaca.stream_url,
    credentials,
    market,
    store: dataManager.store,
    calendar,
    graceMs: config.streaming.bar_grace_ms,
    catchupThresholdMs: config.streaming.catchup_threshold_seconds * 1000,
    catchupCheckInterval: config.streaming.catchup_check_interval,
    maxRetries: config.gap_filler.max_retries,
    retryIntervalMs: config.gap_filler.retry_interval_seconds * 1000,
    log,
    onReconnected: async () => {
      for (const run of afterReconnect) await run();
    },
  });
  const trading = session.mode === "live" ? { endpoint: { url: alpaca.trading_url, credentials, timeoutMs: options.orderTimeoutMs }, lockStep: clock.replay !== undefined, log } : undefined;
  const window: BacktestWindow = { days, requestedStart: formatDay(first), requestedEnd: session.live_config.end_date ?? formatDay(first) };
  return { window, market, source, replay: clock.replay, trading, afterReconnect };
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
}
