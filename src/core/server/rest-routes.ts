/**
 * The replay server's REST routes: `GET /v2/stocks/bars` and `/v2/stocks/{symbol}/bars` (bars of
 * any minute, hour or day timeframe the store can give, only those that had ended by the replay's
 * instant, sorted by symbol then time, `limit` per page with `next_page_token`), and
 * `GET /v2/clock` with the replay's instant and an `x_replay` field that tells a client it is one.
 */
import type { BarsResponse, ClockResponse, WireBar } from "../alpaca/messages.ts";
import { formatTime, parseTime } from "../alpaca/messages.ts";
import { barColumns } from "../data/bars.ts";
import { DataManager } from "../data/data-manager.ts";
import { parseInterval } from "../time/interval.ts";
import type { ReplayFeed } from "./replay-feed.ts";
import type { ReplayServerOptions } from "./replay-server.ts";

/** Answers a REST request (404 for anything else). */
export function handleRest(url: URL, request: Request, feed: ReplayFeed, options: ReplayServerOptions): Response {
  if (request.method === "GET" && url.pathname === "/v2/clock") return json(clock(feed, options));
  const single = /^\/v2\/stocks\/([A-Za-z0-9._-]+)\/bars$/.exec(url.pathname);
  if (request.method === "GET" && (url.pathname === "/v2/stocks/bars" || single)) return bars(url, feed, options, single?.[1]);
  return json({ message: `not found: ${request.method} ${url.pathname}` }, 404);
}

function clock(feed: ReplayFeed, options: ReplayServerOptions): ClockResponse {
  const sessions = feed.sessions();
  const now = feed.now;
  const current = sessions.find((s) => now >= s.open && now < s.close);
  const next = sessions.find((s) => s.open > now);
  const nextClose = sessions.find((s) => s.close > now);
  return {
    timestamp: formatTime(now),
    is_open: current !== undefined,
    next_open: next ? formatTime(next.open) : formatTime(sessions.at(-1)!.open),
    next_close: nextClose ? formatTime(nextClose.close) : formatTime(sessions.at(-1)!.close),
    x_replay: { speed: options.speed, from: sessions[0]!.date, to: sessions.at(-1)!.date },
  };
}

const TIMEFRAME = /^(\d+)(Min|T|Hour|H|Day|D)$/;

function bars(url: URL, feed: ReplayFeed, options: ReplayServerOptions, single?: string): Response {
  const q = url.searchParams;
  const symbols = single ? [single] : (q.get("symbols") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (symbols.length === 0) return json({ message: "symbols is required" }, 422);
  const tf = TIMEFRAME.exec(q.get("timeframe") ?? "");
  if (!tf) return json({ message: `invalid timeframe ${JSON.stringify(q.get("timeframe"))}; allowed: 1-59Min, 1-23Hour, 1Day` }, 422);
  const unit = tf[2]!.startsWith("M") || tf[2] === "T" ? "m" : tf[2]!.startsWith("H") ? "h" : "d";
  const interval = parseInterval(`${tf[1]}${unit}`);
  if (!interval) return json({ message: `invalid timeframe ${q.get("timeframe")}` }, 422);
  const start = parseTime(q.get("start") ?? "");
  const endInclusive = q.get("end") ? parseTime(q.get("end")!) : feed.now;
  if (Number.isNaN(start) || Number.isNaN(endInclusive)) return json({ message: "start and end must be RFC 3339 times or dates" }, 422);
  const limit = Math.min(10_000, Math.max(1, Number(q.get("limit") ?? 1000) || 1000));
  const offset = q.get("page_token") ? Number(atob(q.get("page_token")!)) : 0;
  const data = new DataManager(options.store, options.calendar);
  const rows: { symbol: string; bar: WireBar }[] = [];
  for (const symbol of [...symbols].sort()) {
    if (!feed.bars.has(symbol)) continue;
    const frame = interval.text === "1m" ? null : data.getBars(symbol, interval, start, endInclusive + 1);
    const columns = frame ? barColumns(frame) : feed.served(symbol, start, endInclusive + 1);
    for (let i = 0; i < columns.ts.length; i++) {
      const ts = columns.ts[i]!;
      // Nothing that had not ended by the replay's instant.
      if (ts + (interval.intraday ? interval.ms : 0) > feed.now) break;
      rows.push({ symbol, bar: { t: formatTime(ts), o: columns.open[i]!, h: columns.high[i]!, l: columns.low[i]!, c: columns.close[i]!, v: columns.volume[i]! } });
    }
  }
  const page = rows.slice(offset, offset + limit);
  const out: BarsResponse = { bars: {}, next_page_token: offset + limit < rows.length ? btoa(String(offset + limit)) : null };
  for (const { symbol, bar } of page) (out.bars[symbol] ??= []).push(bar);
  return json(out);
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}
