/**
 * The clock seam: the market's time, which the streaming phase waits on before it lets a merge
 * step happen. The session's own clock (time/clock.ts) is event time, moved by the coordinator to
 * each bar's end; this one says when that may happen. A backtest's market clock is simulated: as
 * fast as possible (`speed_multiplier: 0`, nothing ever waits) or paced at N x wall time. A live
 * session's is the wall clock, or a replay server's.
 */
import type { Clock } from "./clock.ts";

/** When the market reaches an instant. */
export interface MarketClock {
  /** For logs: `simulated`, `paced`, `wall`, `replay`. */
  readonly kind: string;
  /** False when nothing ever waits (a backtest as fast as possible): steps need no await. */
  readonly paced: boolean;
  /** The market's current instant (a simulated clock without pace has none: NaN). */
  now(): number;
  /** Anchors the day: the market is at `instant` now (pacing starts from the open). */
  startDay(instant: number): void;
  /** Resolves once the market's time has reached `instant`. */
  until(instant: number): Promise<void>;
  /** Wall ms spent waiting so far. */
  readonly waited: number;
}

/**
 * A backtest's market: `speed` 0 never waits; N > 0 paces the simulated time at N x the wall
 * clock. Targets are absolute (wall start + simulated elapsed / N), so sleeping late never
 * accumulates drift.
 */
export class SimulatedMarketClock implements MarketClock {
  private wallStart = 0;
  private simStart = 0;
  waited = 0;

  constructor(
    readonly speed: number,
    private readonly wall: Clock,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => Bun.sleep(ms),
  ) {}

  get kind(): string {
    return this.speed > 0 ? "paced" : "simulated";
  }

  get paced(): boolean {
    return this.speed > 0;
  }

  now(): number {
    return this.speed > 0 ? this.simStart + (this.wall.now() - this.wallStart) * this.speed : NaN;
  }

  startDay(instant: number): void {
    this.wallStart = this.wall.now();
    this.simStart = instant;
  }

  async until(instant: number): Promise<void> {
    if (this.speed <= 0) return;
    const target = this.wallStart + (instant - this.simStart) / this.speed;
    const delay = target - this.wall.now();
    if (delay > 0) {
      this.waited += delay;
      await this.sleep(delay);
    }
  }
}
