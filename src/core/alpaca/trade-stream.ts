/**
 * A client of the Trading API's order events stream (`wss://.../stream`, the `trade_updates`
 * stream): authenticate, listen, then hand every order event to the owner. Messages are single
 * JSON objects, in text or binary frames (the paper host sends binary). With sessionflow's replay
 * server, the client also reports how far its session has got (`x-progress`) and the server
 * answers once every event up to there has been sent: the lock-step that makes a live session
 * against a replay fill exactly as a backtest.
 */
import { liveError } from "../errors.ts";
import { CREDENTIAL_VARIABLES, type Credentials } from "./credentials.ts";
import { parseTime } from "./messages.ts";
import type { WireOrder } from "./trading.ts";

/** One order event. */
export interface TradeUpdate {
  event: string;
  order: WireOrder;
  timestamp?: string;
  price?: string;
  qty?: string;
  position_qty?: string;
  /** Replay server only: the bar held both exits of a bracket and the stop was assumed. */
  x_ambiguous?: boolean;
}

/** What the stream delivers. */
export interface TradeStreamHandlers {
  onUpdate(update: TradeUpdate): void;
  /** Replay server only: every event up to this instant has been sent. */
  onProgress?(instant: number): void;
  /** The connection ended after it was up. */
  onClose(reason: { error?: Error; final: boolean }): void;
}

/** The stream's URL for a Trading API base: https://host -> wss://host/stream. */
export function tradeStreamUrl(tradingUrl: string): string {
  return `${tradingUrl.replace(/\/$/, "").replace(/^http/, "ws")}/stream`;
}

/** One connection to the order events stream. */
export class TradeStream {
  private socket: WebSocket | undefined;
  private up = false;
  private closedByOwner = false;

  constructor(
    private readonly url: string,
    private readonly credentials: Credentials,
    private readonly handlers: TradeStreamHandlers,
    private readonly timeoutMs = 10_000,
  ) {}

  /** Connects, authenticates and listens to trade_updates. */
  connect(): Promise<void> {
    this.closedByOwner = false;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.socket?.close();
        reject(error);
      };
      const timer = setTimeout(() => fail(liveError(`order events stream ${this.url}: no answer within ${this.timeoutMs} ms while connecting`)), this.timeoutMs);
      const socket = new WebSocket(this.url);
      socket.binaryType = "arraybuffer";
      this.socket = socket;
      socket.onopen = () => socket.send(JSON.stringify({ action: "authenticate", data: { key_id: this.credentials.key, secret_key: this.credentials.secret } }));
      socket.onmessage = (event) => {
        const message = parse(event.data);
        if (!settled) {
          if (message.stream === "authorization") {
            if (message.data?.status !== "authorized") return fail(liveError(`order events stream ${this.url}: authentication failed; set ${CREDENTIAL_VARIABLES.join(" and ")} to this account's keys (paper and live keys differ)`, true));
            socket.send(JSON.stringify({ action: "listen", data: { streams: ["trade_updates"] } }));
          } else if (message.stream === "listening") {
            settled = true;
            clearTimeout(timer);
            this.up = true;
            resolve();
          }
          return;
        }
        if (message.stream === "trade_updates") this.handlers.onUpdate(message.data as TradeUpdate);
        else if (message.stream === "x-progress") this.handlers.onProgress?.(parseTime(message.data.t));
      };
      socket.onerror = () => fail(liveError(`order events stream ${this.url}: the connection failed`));
      socket.onclose = () => {
        if (!settled) return fail(liveError(`order events stream ${this.url}: the connection closed before listening`));
        const wasUp = this.up;
        this.up = false;
        if (wasUp && !this.closedByOwner) this.handlers.onClose({ final: false });
      };
    });
  }

  /** Replay server only: the session has handled everything up to `instant` (orders and cancels included). */
  progress(instant: number): void {
    this.socket?.send(JSON.stringify({ action: "x-progress", data: { t: new Date(instant).toISOString() } }));
  }

  get connected(): boolean {
    return this.up;
  }

  close(): void {
    this.closedByOwner = true;
    this.up = false;
    this.socket?.close();
  }
}

function parse(data: unknown): { stream?: string; data?: any } {
  const text = typeof data === "string" ? data : new TextDecoder().decode(data as ArrayBuffer);
  return JSON.parse(text);
}
