/**
 * A client of Alpaca's real-time market data stream (v2, JSON): connect, authenticate, subscribe,
 * then hand every message to the owner. One connection; reconnecting (with backoff, re-subscribing
 * and backfilling) is the owner's decision, made when `onClose` reports a lost connection.
 */
import { liveError } from "../errors.ts";
import { type Credentials } from "./credentials.ts";
import type { StreamAction, StreamBar, StreamControl, StreamMessage, StreamQuote, StreamTrade } from "./messages.ts";
import { parseTime } from "./messages.ts";
import { isFinal, streamError } from "./stream-errors.ts";

/** What the stream delivers to its owner. */
export interface StreamHandlers {
  /** A minute bar (`b`) or an updated one (`u`). */
  onBar(bar: StreamBar): void;
  onTrade?(trade: StreamTrade): void;
  onQuote?(quote: StreamQuote): void;
  /** A replay server's clock (sessionflow's local server only), epoch ms. */
  onReplayClock?(ms: number): void;
  /** The connection ended after it was up; `final` when reconnecting cannot help (an auth or plan error). */
  onClose(reason: { error?: Error; final: boolean }): void;
}

/** The symbols of each kind of data. */
export interface Subscription {
  bars: string[];
  updatedBars?: string[];
  trades?: string[];
  quotes?: string[];
}

/** One connection to the stream. */
export class DataStream {
  private socket: WebSocket | undefined;
  private up = false;
  private closedByOwner = false;

  constructor(
    private readonly url: string,
    private readonly feed: string,
    private readonly credentials: Credentials,
    private readonly handlers: StreamHandlers,
    /** How long connecting, authenticating and subscribing may take. */
    private readonly timeoutMs = 10_000,
  ) {}

  /** Connects, authenticates and subscribes; rejects with a clear error (402 names the variables, 406 says another connection holds the stream). */
  connect(subscription: Subscription): Promise<void> {
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
      const timer = setTimeout(() => fail(liveError(`market data stream ${this.url}: no answer within ${this.timeoutMs} ms while connecting`)), this.timeoutMs);
      let socket: WebSocket;
      try {
        socket = new WebSocket(this.url);
      } catch (error) {
        fail(liveError(`market data stream ${this.url}: ${(error as Error).message}`, true));
        return;
      }
      this.socket = socket;
      socket.onmessage = (event) => {
        const messages = parse(event.data);
        for (const message of messages) {
          if (!settled) {
            const control = message as StreamControl;
            if (control.T === "error") return fail(streamError(control.code ?? 0, control.msg ?? "", { url: this.url, feed: this.feed }));
            if (control.T === "success" && control.msg === "connected") this.send({ action: "auth", key: this.credentials.key, secret: this.credentials.secret });
            else if (control.T === "success" && control.msg === "authenticated") this.send({ action: "subscribe", ...subscription });
            else if (control.T === "subscription") {
              settled = true;
              clearTimeout(timer);
              this.up = true;
              resolve();
            }
            continue;
          }
          this.dispatch(message);
        }
      };
      socket.onerror = () => fail(liveError(`market data stream ${this.url}: the connection failed`));
      socket.onclose = () => {
        if (!settled) return fail(liveError(`market data stream ${this.url}: the connection closed before the subscription was confirmed`));
        const wasUp = this.up;
        this.up = false;
        if (wasUp && !this.closedByOwner) this.handlers.onClose({ final: false });
      };
    });
  }

  /** Adds symbols to the subscription. */
  subscribe(subscription: Subscription): void {
    this.send({ action: "subscribe", ...subscription });
  }

  /** Removes symbols from the subscription. */
  unsubscribe(subscription: Subscription): void {
    this.send({ action: "unsubscribe", ...subscription });
  }

  /** Closes the connection (no onClose for it). */
  close(): void {
    this.closedByOwner = true;
    this.up = false;
    this.socket?.close();
  }

  /** True while connected and subscribed. */
  get connected(): boolean {
    return this.up;
  }

  private dispatch(message: StreamMessage): void {
    switch (message.T) {
      case "b":
      case "u":
        this.handlers.onBar(message);
        break;
      case "t":
        this.handlers.onTrade?.(message);
        break;
      case "q":
        this.handlers.onQuote?.(message);
        break;
      case "x-clock":
        this.handlers.onReplayClock?.(parseTime(message.t));
        break;
      case "error": {
        const code = message.code ?? 0;
        const error = streamError(code, message.msg ?? "", { url: this.url, feed: this.feed });
        this.closedByOwner = true;
        this.up = false;
        this.socket?.close();
        this.handlers.onClose({ error, final: isFinal(code) });
        break;
      }
      default:
        break; // subscription confirmations, daily bars, statuses: nothing to do
    }
  }

  private send(action: StreamAction): void {
    this.socket?.send(JSON.stringify(action));
  }
}

function parse(data: unknown): StreamMessage[] {
  const text = typeof data === "string" ? data : new TextDecoder().decode(data as ArrayBuffer);
  const parsed = JSON.parse(text) as StreamMessage | StreamMessage[];
  return Array.isArray(parsed) ? parsed : [parsed];
}
