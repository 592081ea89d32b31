/**
 * `speed_multiplier`: 0 streams as fast as possible (no waiting at all: the original deadlocked
 * here); N > 0 paces the simulated clock at N x wall time. Targets are absolute (wall start +
 * simulated elapsed / N), so sleeping late never accumulates drift.
 */
import type { Clock } from "../time/clock.ts";

/** Paces one day's stream against a wall clock. */
export class Pacer {
  private wallStart = 0;
  private simStart = 0;
  /** Total time spent waiting (ms). */
  waited = 0;

  constructor(
    readonly speed: number,
    private readonly wall: Clock,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => Bun.sleep(ms),
  ) {}

  /** True when the stream must wait for wall time. */
  get paced(): boolean {
    return this.speed > 0;
  }

  /** Anchors simulated `simStart` to the wall clock's now. */
  start(simStart: number): void {
    this.wallStart = this.wall.now();
    this.simStart = simStart;
  }

  /** Waits until the wall clock reaches the moment that corresponds to simulated `simTime`. */
  async until(simTime: number): Promise<void> {
    if (this.speed <= 0) return;
    const target = this.wallStart + (simTime - this.simStart) / this.speed;
    const delay = target - this.wall.now();
    if (delay > 0) {
      this.waited += delay;
      await this.sleep(delay);
    }
  }
}
