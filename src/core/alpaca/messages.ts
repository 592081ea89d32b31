/**
 * Alpaca's wire formats (market data v2 and the Trading API's clock), as JSON: the shapes both the
 * client here and the local replay server speak, and time stamps in and out of RFC 3339.
 * Bars are stamped with the START of their minute. Trade and quote stamps carry nanoseconds: they
 * are cut to milliseconds here (the kernel's unit) without going through Date's parser.
 */

/** A bar as the REST endpoint returns it (and, with T and S, as the stream sends it). */
export interface WireBar {
  t: string;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n?: number;
  vw?: number;
}

/** A stream bar: `b` a minute bar, `u` an updated (corrected) one, `d` the daily bar so far. */
export interface StreamBar extends WireBar {
  T: "b" | "u" | "d";
  S: string;
}

/** A stream trade. */
export interface StreamTrade {
  T: "t";
  S: string;
  i?: number;
  x?: string;
  p: number;
  s: number;
  t: string;
  c?: string[];
  z?: string;
}

/** A stream quote. */
export interface StreamQuote {
  T: "q";
  S: string;
  bx?: string;
  bp: number;
  bs: number;
  ax?: string;
  ap: number;
  as: number;
  t: string;
  c?: string[];
  z?: string;
}

/** Control messages: success, error, subscription. */
export interface StreamControl {
  T: "success" | "error" | "subscription";
  msg?: string;
  code?: number;
  bars?: string[];
  updatedBars?: string[];
  trades?: string[];
  quotes?: string[];
  dailyBars?: string[];
  statuses?: string[];
}

/**
 * sessionflow's replay server only: where its replay clock is (a real Alpaca stream never sends
 * it; the client then uses the wall clock). Sent after each minute's bars.
 */
export interface StreamReplayClock {
  T: "x-clock";
  t: string;
}

/** Anything the market data stream sends (one array holds one or more). */
export type StreamMessage = StreamBar | StreamTrade | StreamQuote | StreamControl | StreamReplayClock;

/** What the client sends. */
export interface StreamAction {
  action: "auth" | "subscribe" | "unsubscribe";
  key?: string;
  secret?: string;
  bars?: string[];
  updatedBars?: string[];
  trades?: string[];
  quotes?: string[];
  dailyBars?: string[];
  statuses?: string[];
}

/** REST `GET /v2/stocks/bars` response. */
export interface BarsResponse {
  bars: Record<string, WireBar[]>;
  next_page_token: string | null;
}

/** `GET /v2/clock` response; `x_replay` only from sessionflow's replay server. */
export interface ClockResponse {
  timestamp: string;
  is_open: boolean;
  next_open: string;
  next_close: string;
  x_replay?: { speed: number; from: string; to: string };
}

const TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** RFC 3339 (or a date) to epoch ms, fractions beyond the millisecond cut; NaN when it is not one. */
export function parseTime(text: string): number {
  const m = TIME.exec(text);
  if (!m) return NaN;
  const [, y, mo, d, h = "0", mi = "0", s = "0", frac = "", zone = "Z"] = m;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, "0")) : 0;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone === "Z") return utc;
  const sign = zone[0] === "-" ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  return utc - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

/** Epoch ms to RFC 3339 UTC, whole seconds as Alpaca writes bar stamps (`2025-07-02T13:30:00Z`). */
export function formatTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, 19)}Z` : iso;
}
