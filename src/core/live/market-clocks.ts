/**
 * Live market clocks. A session against Alpaca reads the wall clock; against a replay server
 * (its GET /v2/clock says so with `x_replay`) it reads the replay's clock: the instant of the
 * latest `x-clock` the stream sent, moved on at the replay's speed between them (speed 0 moves
 * only with the stream). In both, bars are complete only once they have ended, so the streaming
 * phase needs no pacing of its own: the bar source holds bars back until the market has passed them.
 */
import type { Clock } from "../time/clock.ts";
import type { MarketClock } from "../time/market-clock.ts";

/** A market clock a live source can also wait on and push. */
export interface LiveMarketClock extends MarketClock {
  /** Resolves when the market reaches `instant`, or earlier when poked (a message arrived). */
  waitUntil(instant: number): Promise<void>;
  /** Wakes every waiter (a delivery, a stop). */
  poke(): void;
}

/** Waiters shared by both clocks. */
abstract class Waiters {
  private readonly waiting = new Set<() => void>();

  poke(): void {
    const all = [...this.waiting];
    this.waiting.clear();
    for (const wake of all) wake();
  }

  /** Waits up to `ms` (at most a second: callers re-check what they wait for) or until poked. */
  protected park(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, Math.min(ms, 1000)));
      const self = this.waiting;
      function done(): void {
        clearTimeout(timer);
        self.delete(done);
        resolve();
      }
      self.add(done);
    });
  }
}

/** The wall clock (a session against Alpaca). */
export class WallMarketClock extends Waiters implements LiveMarketClock {
  readonly kind = "wall";
  readonly paced = false;
  readonly waited = 0;

  constructor(private readonly wall: Clock) {
    super();
  }

  now(): number {
    return this.wall.now();
  }

  startDay(): void {}

  async until(instant: number): Promise<void> {
    while (this.now() < instant) await this.park(instant - this.now());
  }

  waitUntil(instant: number): Promise<void> {
    return this.park(instant - this.now());
  }
}

/** A replay server's clock. */
export class ReplayMarketClock extends Waiters implements LiveMarketClock {
  readonly kind = "replay";
  readonly paced = false;
  readonly waited = 0;
  private instant: number;
  private at: number;

  /** `start` is the replay's instant as GET /v2/clock gave it; `speed` its pace (0: it moves with the stream only). */
  constructor(private readonly wall: Clock, start: number, readonly speed: number) {
    super();
    this.instant = start;
    this.at = wall.now();
  }

  now(): number {
    if (this.speed <= 0) return this.instant;
    // Between ticks (a minute apart), the replay moves at its speed; never past the next tick.
    return this.instant + Math.min(60_000, (this.wall.now() - this.at) * this.speed);
  }

  /** The stream (or the clock endpoint) says where the replay is. */
  set(instant: number): void {
    if (instant < this.instant) return;
    this.instant = instant;
    this.at = this.wall.now();
    this.poke();
  }

  startDay(): void {}

  async until(instant: number): Promise<void> {
    while (this.now() < instant) await this.waitUntil(instant);
  }

  waitUntil(instant: number): Promise<void> {
    if (this.speed <= 0) return this.park(Infinity);
    return this.park((instant - this.now()) / this.speed);
  }
}
