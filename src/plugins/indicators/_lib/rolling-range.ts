/** The highest high and lowest low of the last N bars, O(1) amortized (Donchian, high/low, Williams %R, stochastic). */
import { RollingExtreme } from "./rolling.ts";

/** Two rolling extremes over one window: `high` and `low` once `full`. */
export class RollingRange {
  private readonly highs: RollingExtreme;
  private readonly lows: RollingExtreme;

  constructor(readonly size: number) {
    this.highs = new RollingExtreme(size, true);
    this.lows = new RollingExtreme(size, false);
  }

  push(high: number, low: number): void {
    this.highs.push(high);
    this.lows.push(low);
  }

  /** True once `size` bars have been pushed. */
  get full(): boolean {
    return this.highs.full;
  }

  get high(): number {
    return this.highs.value;
  }

  get low(): number {
    return this.lows.value;
  }

  clear(): void {
    this.highs.clear();
    this.lows.clear();
  }
}
