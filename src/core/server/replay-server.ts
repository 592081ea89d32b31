/**
 * The local server that speaks Alpaca's protocols on 127.0.0.1, replaying the store: the market
 * data stream (WebSocket, JSON arrays: connect, auth, subscribe, bars, updated bars), the REST
 * historical bars endpoint (with pagination) and the Trading API's clock. Tests use it; a user
 * rehearses a live strategy on recorded days with it before risking money.
 *
 * Speed 0 replays as fast as the client reads (the replay waits for a subscribed client and for
 * its socket to drain); speed N paces the replay at N x the wall clock from the moment the server
 * starts, jumping over the nights. One stream connection at a time, as Alpaca allows.
 */
import type { Server, ServerWebSocket } from "bun";
import type { StreamAction, StreamMessage } from "../alpaca/messages.ts";
import type { Store } from "../data/store.ts";
import type { MarketCalendar } from "../time/calendar.ts";
import type { Clock } from "../time/clock.ts";
import type { DayNumber } from "../time/dates.ts";
import { parseTime } from "../alpaca/messages.ts";
import { Costs } from "../broker/costs.ts";
import { noFaults, plainAccount, type Faults, type TradingFaults } from "./faults.ts";
import { OrderEngine } from "./order-engine.ts";
import { handleTrading } from "./trading-routes.ts";
import { ReplayFeed } from "./replay-feed.ts";
import { handleRest } from "./rest-routes.ts";

/** How to replay. */
export interface ReplayServerOptions {
  store: Store;
  calendar: MarketCalendar;
  /** The trading days replayed, in order. */
  days: readonly DayNumber[];
  /** 0: as fast as the client reads; N: N x real time. */
  speed: number;
  /** The replay instant to start at. @default the first day's open */
  startAt?: number;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** Wall time, for pacing. */
  wall: Clock;
  faults?: Partial<Faults>;
  /** A line per notable event (connections, drops). @default none */
  log?: (line: string) => void;
  /** Called with each batch just before it is written to the socket (benchmarks time bars from here). */
  onSend?: (messages: readonly StreamMessage[]) => void;
  /** The broker's start (cash, positions, orders) and its faults. @default 100,000 in cash, no faults */
  trading?: Partial<TradingFaults>;
  /** How orders fill: the simulated broker's settings of the sessions it serves. @default next_open, no slippage */
  matching?: { fill: "next_open" | "close"; slippage: { bps: number; ticks: number; tick_size: number } };
}

/** The URLs a session's api_config.alpaca keys take to reach this server. */
export interface ReplayUrls {
  data_url: string;
  stream_url: string;
  trading_url: string;
}

interface StreamClient {
  /** `data`: the market data stream; `trading`: the order events stream. */
  kind: "data" | "trading";
  authenticated: boolean;
  listening: boolean;
  bars: Set<string>;
  updatedBars: Set<string>;
}

/** A running replay server. */
export class ReplayServer {
  readonly feed: ReplayFeed;
  readonly faults: Faults;
  readonly trading: TradingFaults;
  readonly engine: OrderEngine;
  private server: Server<StreamClient> | undefined;
  private client: ServerWebSocket<StreamClient> | undefined;
  private tradeClient: ServerWebSocket<StreamClient> | undefined;
  private tradeDropped = false;
  private wake: (() => void) | undefined;
  private stopped = false;
  private pumping: Promise<void> | undefined;

  constructor(readonly options: ReplayServerOptions) {
    this.faults = { ...noFaults(), ...options.faults };
    this.feed = new ReplayFeed(options.store, options.calendar, options.days, this.faults, options.startAt);
    this.trading = { ...plainAccount(), ...options.trading };
    const matching = options.matching ?? { fill: "next_open", slippage: { bps: 0, ticks: 0, tick_size: 0.01 } };
    const costs = new Costs({ commission: { per_share: 0, per_order: 0, bps: 0, minimum: 0 }, slippage: matching.slippage, initial_cash: 0, fill: matching.fill });
    this.engine = new OrderEngine(this.feed.bars, options.calendar, { fillAtClose: matching.fill === "close", slip: (p, side, low, high) => costs.slip(p, side, low, high) }, this.trading, (update) => this.sendTrade({ stream: "trade_updates", data: update }), this.feed.now);
  }

  /** Starts listening on 127.0.0.1 and, at speed N > 0, the replay's clock. */
  start(): ReplayUrls {
    const server = Bun.serve<StreamClient>({
      hostname: "127.0.0.1",
      port: this.options.port ?? 0,
      fetch: (request, srv) => this.route(request, srv),
      idleTimeout: 60,
      websocket: {
        open: (ws) => this.onOpen(ws),
        message: (ws, message) => this.onMessage(ws, message),
        close: (ws) => this.onClose(ws),
        drain: () => this.poke(),
      },
    });
    this.server = server;
    this.pumping = this.pump();
    return this.urls();
  }

  /** The URLs to give a session (`--set api_config.alpaca.data_url=...`). */
  urls(feed = "iex"): ReplayUrls {
    const base = `127.0.0.1:${this.server!.port}`;
    return { data_url: `http://${base}`, stream_url: `ws://${base}/v2/${feed}`, trading_url: `http://${base}` };
  }

  /** Stops the server and its replay; the stream connection is closed. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.poke();
    this.client?.close();
    this.tradeClient?.close();
    this.server?.stop(true);
    await this.pumping;
  }

  private async route(request: Request, srv: Server<StreamClient>): Promise<Response | undefined> {
    const url = new URL(request.url);
    const data = /^\/v2\/(iex|sip|delayed_sip|test)$/.test(url.pathname) ? "data" : url.pathname === "/stream" ? "trading" : undefined;
    if (data) {
      if (srv.upgrade(request, { data: { kind: data, authenticated: false, listening: false, bars: new Set(), updatedBars: new Set() } })) return undefined;
      return new Response("expected a WebSocket upgrade", { status: 400 });
    }
    return (await handleTrading(url, request, this.engine, this.feed.now, this.trading)) ?? handleRest(url, request, this.feed, this.options);
  }

  private onOpen(ws: ServerWebSocket<StreamClient>): void {
    if (ws.data.kind === "trading") {
      this.tradeClient?.close();
      this.tradeClient = ws;
      return;
    }
    if (this.faults.holdStream || (this.client && this.client !== ws)) {
      send(ws, [{ T: "error", code: 406, msg: "connection limit exceeded" }]);
      ws.close();
      return;
    }
    this.client = ws;
    send(ws, [{ T: "success", msg: "connected" }]);
    this.options.log?.("stream: a client connected");
  }

  private onMessage(ws: ServerWebSocket<StreamClient>, raw: string | Buffer): void {
    if (ws.data.kind === "trading") return this.onTradeMessage(ws, raw);
    let action: StreamAction;
    try {
      action = JSON.parse(String(raw)) as StreamAction;
    } catch {
      send(ws, [{ T: "error", code: 400, msg: "invalid syntax" }]);
      return;
    }
    const client = ws.data;
    if (action.action === "auth") {
      if (client.authenticated) return void send(ws, [{ T: "error", code: 403, msg: "already authenticated" }]);
      if (this.faults.refuseAuth) {
        send(ws, [{ T: "error", code: 402, msg: "auth failed" }]);
        ws.close();
        return;
      }
      client.authenticated = true;
      send(ws, [{ T: "success", msg: "authenticated" }]);
      return;
    }
    if (!client.authenticated) return void send(ws, [{ T: "error", code: 401, msg: "not authenticated" }]);
    if (action.action === "subscribe" || action.action === "unsubscribe") {
      const add = action.action === "subscribe";
      for (const symbol of action.bars ?? []) add ? client.bars.add(symbol) : client.bars.delete(symbol);
      for (const symbol of action.updatedBars ?? []) add ? client.updatedBars.add(symbol) : client.updatedBars.delete(symbol);
      send(ws, [{ T: "subscription", trades: [], quotes: [], bars: [...client.bars].sort(), updatedBars: [...client.updatedBars].sort(), dailyBars: [], statuses: [] }]);
      this.poke();
      return;
    }
    send(ws, [{ T: "error", code: 400, msg: "invalid syntax" }]);
  }

  /** The order events stream: authenticate, listen, and the lock-step's progress reports. */
  private onTradeMessage(ws: ServerWebSocket<StreamClient>, raw: string | Buffer): void {
    let message: { action?: string; data?: { key_id?: string; streams?: string[]; t?: string } };
    try {
      message = JSON.parse(String(raw));
    } catch {
      return;
    }
    if (message.action === "authenticate") {
      const ok = !this.faults.refuseAuth;
      ws.data.authenticated = ok;
      ws.send(Buffer.from(JSON.stringify({ stream: "authorization", data: { status: ok ? "authorized" : "unauthorized", action: "authenticate" } })));
      if (!ok) ws.close();
      return;
    }
    if (!ws.data.authenticated) return;
    if (message.action === "listen") {
      ws.data.listening = (message.data?.streams ?? []).includes("trade_updates");
      ws.send(Buffer.from(JSON.stringify({ stream: "listening", data: { streams: ws.data.listening ? ["trade_updates"] : [] } })));
      return;
    }
    if (message.action === "x-progress" && message.data?.t) {
      const until = parseTime(message.data.t);
      this.engine.progress(until);
      this.sendTrade({ stream: "x-progress", data: { t: message.data.t } });
    }
  }

  /** An order event to the listening client (none while the stream is dropped: Alpaca replays nothing). */
  private sendTrade(message: unknown): void {
    const ws = this.tradeClient;
    if (!ws || !ws.data.listening) return;
    ws.send(Buffer.from(JSON.stringify(message)));
  }

  private onClose(ws: ServerWebSocket<StreamClient>): void {
    if (this.tradeClient === ws) this.tradeClient = undefined;
    if (this.client === ws) {
      this.client = undefined;
      this.options.log?.("stream: the client disconnected");
    }
  }

  private poke(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private sleepUntilPoked(ms = Infinity): Promise<void> {
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(resolve, Math.max(0, ms)) : undefined;
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Takes the replay's steps: at speed 0 when a subscribed client can take them, at speed N when the wall clock says so. */
  private async pump(): Promise<void> {
    const { speed, wall } = this.options;
    let anchorAt = this.feed.now;
    let anchorWall = wall.now();
    for (;;) {
      if (this.stopped) return;
      if (speed === 0) {
        // As fast as the client reads: wait for a subscribed client whose socket has drained.
        const ws = this.client;
        if (!ws || ws.data.bars.size === 0 || ws.getBufferedAmount() > 1 << 20) {
          await this.sleepUntilPoked(ws ? 50 : Infinity);
          continue;
        }
      }
      const subscribed = this.client?.data.bars ?? new Set<string>();
      const step = this.feed.next(subscribed);
      if (!step) return;
      this.engine.clock(step.at);
      const dropAt = this.trading.dropTradeStreamAt;
      if (dropAt !== null && !this.tradeDropped && step.at >= dropAt && this.tradeClient) {
        this.tradeDropped = true;
        this.options.log?.(`order events stream: dropping the connection at ${new Date(step.at).toISOString()} (fault)`);
        this.tradeClient.close();
        this.tradeClient = undefined;
      }
      if (speed > 0) {
        // Nights are jumped: a gap of more than an hour re-anchors the pace instead of being waited out.
        if (step.at - anchorAt > 3_600_000) {
          anchorAt = step.at;
          anchorWall = wall.now();
        }
        const due = anchorWall + (step.at - anchorAt) / speed;
        while (!this.stopped && wall.now() < due) await this.sleepUntilPoked(due - wall.now());
        if (this.stopped) return;
      }
      const ws = this.client;
      if (step.drop) {
        this.options.log?.(`stream: dropping the connection at ${new Date(step.at).toISOString()} (fault)`);
        ws?.close();
        this.client = undefined;
        this.feed.fastForward(this.feed.skipUntil);
        continue;
      }
      if (!ws) continue;
      const updates = ws.data.updatedBars;
      const messages = step.messages.filter((m) => m.T !== "u" || updates.has((m as { S: string }).S));
      if (messages.length > 0) {
        this.options.onSend?.(messages);
        send(ws, messages);
      }
      // Let the socket and the event loop turn (a client in this process reads meanwhile); a
      // timer would cost a millisecond a step, an immediate only the turn.
      if (speed === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

function send(ws: ServerWebSocket<StreamClient>, messages: StreamMessage[]): void {
  ws.send(JSON.stringify(messages));
}
