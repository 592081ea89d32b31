/**
 * Mean and variance of the last N values in O(1), with Welford's rolling update (stable for
 * prices: no sum of squares, so no cancellation when the variance is small against the mean).
 */
import { RollingWindow } from "./rolling.ts";

export class RollingVariance {
  private readonly window: RollingWindow;
  private mean = 0;
  private m2 = 0;

  constructor(readonly size: number) {
    this.window = new RollingWindow(size);
  }

  push(x: number): void {
    const filled = this.window.count;
    const evicted = this.window.push(x);
    if (filled < this.size) {
      const delta = x - this.mean;
      this.mean += delta / (filled + 1);
      this.m2 += delta * (x - this.mean);
    } else {
      const previous = this.mean;
      this.mean += (x - evicted) / this.size;
      this.m2 += (x - evicted) * (x - this.mean + evicted - previous);
      if (this.m2 < 0) this.m2 = 0;
    }
  }

  get full(): boolean {
    return this.window.full;
  }

  get average(): number {
    return this.mean;
  }

  /** Population (divide by N) or sample (N - 1) standard deviation. */
  deviation(sample = false): number {
    return Math.sqrt(this.m2 / (sample ? this.size - 1 : this.size));
  }

  clear(): void {
    this.window.clear();
    this.mean = 0;
    this.m2 = 0;
  }
}

/** Standard deviation of values[from .. to] (inclusive), by definition. */
export function deviationOf(values: ArrayLike<number>, from: number, to: number, sample = false): number {
  const n = to - from + 1;
  let sum = 0;
  for (let i = from; i <= to; i++) sum += values[i]!;
  const mean = sum / n;
  let squares = 0;
  for (let i = from; i <= to; i++) squares += (values[i]! - mean) ** 2;
  return Math.sqrt(squares / (sample ? n - 1 : n));
}
