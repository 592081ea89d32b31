/**
 * The session language: every key a session file may hold, its type and its default.
 * Keys are snake_case and cover the original system's session config one to one; the keys it
 * lacked (`data`, `plugins`, `broker`, `report`) are added with documented defaults.
 */
import * as v from "valibot";
import { INTERVAL_HELP, isInterval, QUOTES_STREAM } from "../time/interval.ts";
import { isIsoDate } from "../time/dates.ts";

const interval = v.pipe(v.string(), v.check(isInterval, `is not an interval; allowed: ${INTERVAL_HELP}`));
const stream = v.pipe(
  v.string(),
  v.check((text) => text === QUOTES_STREAM || isInterval(text), `is not a stream; allowed: ${INTERVAL_HELP}, or quotes`),
);
const isoDate = v.pipe(v.string(), v.check(isIsoDate, "is not a date; allowed: YYYY-MM-DD (a real calendar date)"));
const clockTime = v.pipe(
  v.string(),
  v.regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, "is not a time of day; allowed: HH:MM in the exchange's local time, e.g. 09:35"),
);
const nonNegative = v.pipe(v.number(), v.minValue(0, "must be >= 0"));
const positive = v.pipe(v.number(), v.gtValue(0, "must be > 0"));
const count = v.pipe(v.number(), v.integer("must be a whole number"), v.minValue(0, "must be >= 0"));
const symbol = v.pipe(
  v.string(),
  v.regex(/^[A-Z0-9][A-Z0-9._-]{0,19}$/, "is not a symbol; allowed: 1-20 upper-case letters, digits, '.', '_' or '-' (e.g. MSFT, BRK.B)"),
);
const params = v.optional(v.record(v.string(), v.unknown()), {});
/** Free text for the reader of the file (JSON has no comments); never interpreted. */
const comment = v.optional(v.string());

const backtestConfig = v.strictObject({
  start_date: isoDate,
  end_date: isoDate,
  /** 0 = as fast as possible; N = N x real time. @default 0 */
  speed_multiplier: v.optional(nonNegative, 0),
  /** Trading days whose queues load in the background while the current day streams. @default 1 */
  prefetch_days: v.optional(count, 1),
});

const historicalEntry = v.strictObject({
  trailing_days: v.pipe(v.number(), v.integer("must be a whole number"), v.minValue(1, "must be >= 1")),
  intervals: v.pipe(v.array(interval), v.minLength(1, "needs at least one interval")),
  /** `all`, or a list of symbols from session_data_config.symbols. @default "all" */
  apply_to: v.optional(v.union([v.literal("all"), v.array(v.string())], "must be \"all\" or a list of symbols"), "all"),
  comment,
});

/** An explicit key, for two indicators that would share `name_period_interval`. */
const indicatorKeyField = v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "is not a key; allowed: letters, digits and _")));

const sessionIndicator = v.strictObject({
  name: v.string(),
  key: indicatorKeyField,
  /** Bars of lookback; 0 for indicators without a period (vwap, obv, macd ...). @default 0 */
  period: v.optional(count, 0),
  interval,
  /** A free label (trend, momentum ...), kept for the original's files. */
  type: v.optional(v.string()),
  params,
  comment,
});

const historicalIndicator = v.strictObject({
  name: v.string(),
  key: indicatorKeyField,
  period: v.pipe(v.number(), v.integer("must be a whole number"), v.minValue(1, "must be >= 1")),
  /** What `period` counts: bars, trading days, or weeks of trading days. @default "days" */
  unit: v.optional(v.picklist(["bars", "days", "weeks"]), "days"),
  interval: v.optional(interval, "1d"),
  type: v.optional(v.string()),
  params,
  comment,
});

const sessionDataConfig = v.strictObject({
  symbols: v.pipe(v.array(symbol), v.minLength(1, "needs at least one symbol")),
  /** Bar streams (1m, 5m, 15m, 1h, 1d ...) and `quotes`, for every symbol. @default ["1m"] */
  streams: v.optional(v.pipe(v.array(stream), v.minLength(1, "needs at least one stream")), ["1m"]),
  /** A symbol's own streams, instead of `streams` (a symbol with seconds beside symbols with minutes). @default {} */
  symbol_streams: v.optional(v.record(symbol, v.pipe(v.array(stream), v.minLength(1, "needs at least one stream"))), {}),
  streaming: v.optional(
    v.strictObject({
      /** Paper and live: a session further behind the market than this catches up through REST. @default 60 */
      catchup_threshold_seconds: v.optional(nonNegative, 60),
      /** Paper and live: while catching up, the lag is checked again every this many minutes streamed. @default 10 */
      catchup_check_interval: v.optional(v.pipe(count, v.minValue(1, "must be >= 1")), 10),
      /** Paper and live: how long after a minute's end its missing bars are waited for before it streams without them. @default 2000 */
      bar_grace_ms: v.optional(nonNegative, 2000),
    }),
    {},
  ),
  historical: v.optional(
    v.strictObject({
      /** Compute per-day quality of the trailing history. @default true */
      enable_quality: v.optional(v.boolean(), true),
      data: v.optional(v.array(historicalEntry), []),
    }),
    {},
  ),
  gap_filler: v.optional(
    v.strictObject({
      /** Compute session quality and gaps while streaming. @default true */
      enable_session_quality: v.optional(v.boolean(), true),
      /** Paper and live: re-requests of a minute that had no bar. @default 5 */
      max_retries: v.optional(count, 5),
      /** Paper and live: seconds between re-requests. @default 60 */
      retry_interval_seconds: v.optional(nonNegative, 60),
    }),
    {},
  ),
  indicators: v.optional(
    v.strictObject({
      session: v.optional(v.array(sessionIndicator), []),
      historical: v.optional(v.array(historicalIndicator), []),
    }),
    {},
  ),
});

const strategy = v.strictObject({
  name: v.string(),
  /** @default true */
  enabled: v.optional(v.boolean(), true),
  params,
  /**
   * What a throwing strategy does. `continue` (the default): the strategy stops, the session goes
   * on; `stop`: the session stops. The map form says more: `flatten` (default true) cancels the
   * strategy's orders and closes its positions when it stops; `fail_run` (default true) makes the
   * run exit with 1 when a strategy stopped.
   */
  on_error: v.pipe(
    v.optional(
      v.union([
        v.picklist(["continue", "stop"]),
        v.strictObject({ action: v.optional(v.picklist(["continue", "stop"]), "continue"), flatten: v.optional(v.boolean(), true), fail_run: v.optional(v.boolean(), true) }),
      ]),
      "continue",
    ),
    v.transform((value) => (typeof value === "string" ? { action: value, flatten: true, fail_run: true } : value)),
  ),
  comment,
});

const scannerWindow = v.strictObject({ start: clockTime, end: clockTime, interval });

const scanner = v.strictObject({
  name: v.string(),
  /** @default true */
  enabled: v.optional(v.boolean(), true),
  /** Run once before the session opens. @default false */
  pre_session: v.optional(v.boolean(), false),
  /** Intraday scan windows; null or [] for none. @default [] */
  regular_session: v.optional(v.nullable(v.array(scannerWindow)), []),
  /** The symbols scanned: a list, or a file with one symbol per line. @default the scanner's own */
  universe: v.optional(v.union([v.array(symbol), v.string()], "must be a list of symbols or the path of a file of symbols")),
  params,
  comment,
});

const tradingConfig = v.strictObject({
  /** @default 100000 */
  max_buying_power: v.optional(positive, 100_000),
  /** @default 10000 */
  max_per_trade: v.optional(positive, 10_000),
  /** @default 20000 */
  max_per_symbol: v.optional(positive, 20_000),
  /** @default 5 */
  max_open_positions: v.optional(v.pipe(count, v.minValue(1, "must be >= 1")), 5),
  /** Money the session may lose in one day: reached, orders are cancelled, positions closed and trading stops for the rest of the session. @default null (no limit) */
  max_daily_loss: v.optional(v.nullable(positive), null),
  /**
   * Live: shares of a traded symbol the account holds that the session must leave alone (signed:
   * negative for a short). Any other position in a traded symbol stops a live session from starting. @default {}
   */
  external_positions: v.optional(v.record(symbol, v.number()), {}),
  /** Kept for the original's files (read by nothing): paper or live is what `mode` says. */
  paper_trading: v.optional(v.boolean()),
});

const commission = v.strictObject({
  /** @default 0 */
  per_share: v.optional(nonNegative, 0),
  /** @default 0 */
  per_order: v.optional(nonNegative, 0),
  /** Basis points of the fill's notional. @default 0 */
  bps: v.optional(nonNegative, 0),
  /** The least an order with any fill pays. @default 0 */
  minimum: v.optional(nonNegative, 0),
});

const slippage = v.strictObject({
  /** Basis points against the order, applied to market and stop fills. @default 0 */
  bps: v.optional(nonNegative, 0),
  /** Ticks against the order. @default 0 */
  ticks: v.optional(nonNegative, 0),
  /** @default 0.01 */
  tick_size: v.optional(positive, 0.01),
});

/** The session's modes. */
export const MODES = ["backtest", "paper", "live"] as const;
/** The market data providers of this build: the store (backtests) and Alpaca (paper, live). */
/** `schwab` is read (the original's sessions name it) but only backtests, which read the store, can run with it. */
export const DATA_APIS = ["store", "alpaca", "schwab"] as const;
/** The trading providers of this build: the simulated broker and Alpaca's Trading API. */
export const TRADE_APIS = ["simulated", "alpaca"] as const;

/** A URL with one of the schemes. */
function url(schemes: readonly string[]) {
  return v.pipe(
    v.string(),
    v.check((text) => {
      try {
        return schemes.includes(new URL(text).protocol.replace(/:$/, ""));
      } catch {
        return false;
      }
    }, `is not a URL; allowed: ${schemes.map((s) => `${s}://host[:port][/path]`).join(" or ")}`),
  );
}


/** The output formats a run can write (html, the report page, is built from the other three). */
export const REPORT_FORMATS = ["json", "csv", "parquet", "html"] as const;

/** The whole session file. */
export const sessionSchema = v.strictObject({
  /** Where the file inherits from (resolved before validation). */
  extends: v.optional(v.string()),
  /** @default the file name without its extension */
  session_name: v.optional(v.pipe(v.string(), v.minLength(1, "must not be empty"))),
  /** @default "US_EQUITY" */
  exchange_group: v.optional(v.string(), "US_EQUITY"),
  /** @default "EQUITY" */
  /** @default the exchange group's only asset class (CRYPTO), else EQUITY */
  asset_class: v.optional(v.string(), "EQUITY"),
  /** backtest: the store, the simulated broker; paper: live market data, the simulated broker; live: live data, orders to the broker. @default "backtest" */
  mode: v.optional(v.picklist(MODES), "backtest"),
  /** The window of a backtest (required in backtest mode; a paper or live file may keep one for --set mode=backtest). */
  backtest_config: v.optional(backtestConfig),
  /** Paper and live: the session runs from the market's current session day to the close of end_date. */
  live_config: v.optional(
    v.strictObject({
      /** The last session day. @default the day the session starts in */
      end_date: v.optional(isoDate),
    }),
    {},
  ),
  session_data_config: sessionDataConfig,
  strategies: v.optional(v.array(strategy), []),
  scanners: v.optional(v.array(scanner), []),
  trading_config: v.optional(tradingConfig, {}),
  api_config: v.optional(
    v.strictObject({
      /** Where paper and live sessions get market data (backtests always replay the store). @default "store" */
      data_api: v.optional(v.picklist(DATA_APIS, `is not a data provider of this build; allowed: ${DATA_APIS.join(", ")}`), "store"),
      /** Where live sessions send orders (backtests and paper sessions fill on the simulated broker). @default "simulated" */
      trade_api: v.optional(v.picklist(TRADE_APIS, `is not a trading provider of this build; allowed: ${TRADE_APIS.join(", ")}`), "simulated"),
      /** The broker account the session trades (checked against the account the keys open, when given). @default null */
      account_id: v.optional(v.nullable(v.string()), null),
      alpaca: v.optional(
        v.strictObject({
          /** The market data REST base. @default "https://data.alpaca.markets" */
          data_url: v.optional(url(["http", "https"]), "https://data.alpaca.markets"),
          /** The market data stream, feed included. @default "wss://stream.data.alpaca.markets/v2/<feed>" */
          stream_url: v.optional(url(["ws", "wss"])),
          /** The Trading API base (its clock, orders, account). @default "https://paper-api.alpaca.markets" */
          trading_url: v.optional(url(["http", "https"]), "https://paper-api.alpaca.markets"),
          /** @default "iex" */
          feed: v.optional(v.picklist(["iex", "sip"]), "iex"),
        }),
        {},
      ),
    }),
    {},
  ),
  metadata: v.optional(v.record(v.string(), v.unknown()), {}),
  data: v.optional(
    v.strictObject({
      /** The bar store, relative to the working directory. @default "data" */
      root: v.optional(v.pipe(v.string(), v.minLength(1, "must not be empty")), "data"),
    }),
    {},
  ),
  plugins: v.optional(
    v.strictObject({
      /** Your plugin folders, besides the built-in ones (which always load). Relative to the session file's folder. @default [] */
      dirs: v.optional(v.array(v.string()), []),
      /** Type-check plugin files outside sessionflow's sources before loading them. @default true */
      typecheck: v.optional(v.boolean(), true),
    }),
    {},
  ),
  broker: v.optional(
    v.strictObject({
      /** @default trading_config.max_buying_power */
      initial_cash: v.optional(positive),
      commission: v.optional(commission, {}),
      slippage: v.optional(slippage, {}),
      /** Market orders fill at the next bar's open, or at the close of the bar after the decision. @default "next_open" */
      fill: v.optional(v.picklist(["next_open", "close"]), "next_open"),
    }),
    {},
  ),
  report: v.optional(
    v.strictObject({
      /** Where run directories go (runs/<session>/<timestamp>/). @default "runs" */
      dir: v.optional(v.string(), "runs"),
      /** @default ["json", "csv", "parquet", "html"] */
      formats: v.optional(v.array(v.picklist(REPORT_FORMATS)), [...REPORT_FORMATS]),
    }),
    {},
  ),
});

/** A session as written, after defaults (before semantic checks and plugin params). */
export type SessionInput = v.InferOutput<typeof sessionSchema>;
