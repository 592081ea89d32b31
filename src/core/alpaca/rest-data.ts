/**
 * The REST side of Alpaca's market data: historical bars over a window for several symbols,
 * following `next_page_token` until it is null, and the Trading API's clock.
 */
import { httpFailure, requestJson } from "./http.ts";
import type { Credentials } from "./credentials.ts";
import { formatTime, parseTime, type BarsResponse, type ClockResponse } from "./messages.ts";

/** Bars of one symbol as columns (bar start epoch ms). */
export interface FetchedBars {
  ts: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}

/** Where the REST calls go. */
export interface RestEndpoints {
  /** The market data base, e.g. https://data.alpaca.markets */
  dataUrl: string;
  /** The Trading API base, e.g. https://paper-api.alpaca.markets */
  tradingUrl: string;
  feed: string;
  credentials: Credentials;
}

/** Alpaca's timeframe text for an interval in ms (1Min, 5Min, 1Hour, 1Day). */
export function timeframeOf(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}Day`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}Hour`;
  return `${ms / 60_000}Min`;
}

/** Bars with start in [start, end) of each symbol (every page), by symbol; a symbol with none is absent. */
export async function fetchBars(endpoints: RestEndpoints, symbols: readonly string[], intervalMs: number, start: number, end: number): Promise<Map<string, FetchedBars>> {
  const out = new Map<string, FetchedBars>();
  if (symbols.length === 0 || end <= start) return out;
  let token: string | null = null;
  const base = `${endpoints.dataUrl.replace(/\/$/, "")}/v2/stocks/bars`;
  do {
    const query = new URLSearchParams({
      symbols: symbols.join(","),
      timeframe: timeframeOf(intervalMs),
      // Alpaca's end is inclusive: the last millisecond of the window.
      start: formatTime(start),
      end: formatTime(end - 1),
      limit: "10000",
      feed: endpoints.feed,
      adjustment: "raw",
      sort: "asc",
    });
    if (token) query.set("page_token", token);
    let page: BarsResponse;
    try {
      page = await requestJson<BarsResponse>({ url: `${base}?${query}`, credentials: endpoints.credentials });
    } catch (error) {
      throw httpFailure(error, `historical bars of ${symbols.join(",")}`);
    }
    for (const [symbol, bars] of Object.entries(page.bars ?? {})) {
      let columns = out.get(symbol);
      if (!columns) out.set(symbol, (columns = { ts: [], open: [], high: [], low: [], close: [], volume: [] }));
      for (const bar of bars) {
        const ts = parseTime(bar.t);
        if (!(ts >= start && ts < end)) continue;
        columns.ts.push(ts);
        columns.open.push(bar.o);
        columns.high.push(bar.h);
        columns.low.push(bar.l);
        columns.close.push(bar.c);
        columns.volume.push(bar.v);
      }
    }
    token = page.next_page_token ?? null;
  } while (token);
  return out;
}

/** The Trading API's clock: the market's instant (a replay server's, when it runs one) and its next open and close. */
export async function fetchClock(endpoints: Pick<RestEndpoints, "tradingUrl" | "credentials">): Promise<{ now: number; isOpen: boolean; replay?: ClockResponse["x_replay"] }> {
  let clock: ClockResponse;
  try {
    clock = await requestJson<ClockResponse>({ url: `${endpoints.tradingUrl.replace(/\/$/, "")}/v2/clock`, credentials: endpoints.credentials });
  } catch (error) {
    throw httpFailure(error, "the market clock (GET /v2/clock)");
  }
  return { now: parseTime(clock.timestamp), isOpen: clock.is_open, replay: clock.x_replay };
}
