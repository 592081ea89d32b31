/**
 * The market data stream as a connection that stays up: on a closed or failed socket it
 * reconnects with exponential backoff and jitter, authenticates and re-subscribes, then lets its
 * owner backfill what was missed. Errors reconnecting cannot fix (refused credentials, a plan
 * without the feed) end it; a 406 while connecting (the previous connection not gone yet) is retried.
 */
import type { Credentials } from "../alpaca/credentials.ts";
import { DataStream } from "../alpaca/data-stream.ts";
import { backoff } from "../alpaca/http.ts";
import type { StreamBar } from "../alpaca/messages.ts";
import type { SessionflowError } from "../errors.ts";

/** What a connection is for. */
export interface FeedConnectionOptions {
  url: string;
  feed: string;
  credentials: Credentials;
  symbols: readonly string[];
  log: (line: string) => void;
  onBar: (bar: StreamBar) => void;
  onReplayClock: (ms: number) => void;
  /** Up again after a drop: backfill now. */
  onReconnected: () => Promise<void>;
  /** Reconnecting cannot help. */
  onFatal: (error: Error) => void;
  /** Attempts before giving up on a connection that keeps failing. @default 12 */
  maxAttempts?: number;
}

/** A stream connection that reconnects. */
export class FeedConnection {
  private stream: DataStream | undefined;
  private closed = false;
  private reconnecting: Promise<void> | undefined;

  constructor(private readonly options: FeedConnectionOptions) {}

  /** Connected and subscribed (the first connection's errors are thrown, with their message). */
  async ensure(): Promise<void> {
    if (this.stream?.connected) return;
    if (this.reconnecting) return this.reconnecting;
    await this.connect(1);
  }

  close(): void {
    this.closed = true;
    this.stream?.close();
  }

  private async connect(attempt: number): Promise<void> {
    const { url, feed, credentials, symbols } = this.options;
    const stream = new DataStream(url, feed, credentials, {
      onBar: (bar) => this.options.onBar(bar),
      onReplayClock: (ms) => this.options.onReplayClock(ms),
      onClose: ({ error, final }) => {
        if (this.closed) return;
        if (final) return this.options.onFatal(error!);
        this.options.log(`stream: connection lost${error ? ` (${error.message})` : ""}; reconnecting`);
        this.reconnecting = this.reconnect();
      },
    });
    this.stream = stream;
    try {
      await stream.connect({ bars: [...symbols], updatedBars: [...symbols] });
      if (attempt > 1) this.options.log(`stream: connected again after ${attempt} attempts`);
    } catch (error) {
      const code = (error as SessionflowError).exitCode;
      const retryable = code !== 2 || /connection limit exceeded/.test((error as Error).message);
      if (!retryable || attempt >= (this.options.maxAttempts ?? 12)) throw error;
      await Bun.sleep(backoff(attempt, 250, 5_000));
      return this.connect(attempt + 1);
    }
  }

  private async reconnect(): Promise<void> {
    try {
      await Bun.sleep(backoff(1, 250, 5_000));
      if (this.closed) return;
      await this.connect(1);
      this.reconnecting = undefined;
      await this.options.onReconnected();
    } catch (error) {
      this.reconnecting = undefined;
      if (!this.closed) this.options.onFatal(error as Error);
    }
  }
}
