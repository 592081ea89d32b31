/**
 * Running averages shared by several indicators: the exponential average (SMA-seeded or
 * first-value-seeded) and chains of them (DEMA, TEMA), Wilder's smoothing, and the linearly
 * weighted average, each O(1).
 */
import { RollingWindow } from "./rolling.ts";

/** An exponential moving average; `ready` once seeded. */
export class RunningEma {
  readonly alpha: number;
  value = NaN;
  ready = false;
  private seedSum = 0;
  private seeded = 0;

  /** `alpha` defaults to 2 / (period + 1). */
  constructor(readonly period: number, readonly seed: "sma" | "first", alpha?: number) {
    this.alpha = alpha ?? 2 / (period + 1);
  }

  push(x: number): number {
    if (this.ready) {
      this.value = (x - this.value) * this.alpha + this.value;
    } else if (this.seed === "first") {
      this.value = x;
      this.ready = true;
    } else {
      this.seedSum += x;
      this.seeded++;
      if (this.seeded === this.period) {
        this.value = this.seedSum / this.period;
        this.ready = true;
      }
    }
    return this.value;
  }

  clear(): void {
    this.value = NaN;
    this.ready = false;
    this.seedSum = 0;
    this.seeded = 0;
  }
}

/** Wilder's smoothing: the mean of the first `period` values, then avg += (x - avg) / period. */
export class WilderAverage {
  value = NaN;
  ready = false;
  private sum = 0;
  private count = 0;

  constructor(readonly period: number) {}

  push(x: number): number {
    if (this.ready) this.value += (x - this.value) / this.period;
    else {
      this.sum += x;
      this.count++;
      if (this.count === this.period) {
        this.value = this.sum / this.period;
        this.ready = true;
      }
    }
    return this.value;
  }

  clear(): void {
    this.value = NaN;
    this.ready = false;
    this.sum = 0;
    this.count = 0;
  }
}

/** The linearly weighted average of the last `period` values (weights 1 .. period, newest heaviest). */
export class RunningWma {
  private readonly window: RollingWindow;
  private weighted = 0;
  private readonly divisor: number;

  constructor(readonly period: number) {
    this.window = new RollingWindow(period);
    this.divisor = (period * (period + 1)) / 2;
  }

  /** Adds a value; returns the WMA once `period` values are in (NaN before). */
  push(x: number): number {
    const sumBefore = this.window.sum;
    const filled = this.window.count;
    this.window.push(x);
    // Every old value loses one weight step; the new one enters with the top weight.
    this.weighted = filled === this.period ? this.weighted - sumBefore + this.period * x : this.weighted + (filled + 1) * x;
    return this.window.full ? this.weighted / this.divisor : NaN;
  }

  get ready(): boolean {
    return this.window.full;
  }

  clear(): void {
    this.window.clear();
    this.weighted = 0;
  }
}

/** True range of a bar given the previous close (NaN for the first bar: then it is high - low). */
export function trueRange(high: number, low: number, previousClose: number): number {
  if (Number.isNaN(previousClose)) return high - low;
  return Math.max(high, previousClose) - Math.min(low, previousClose);
}

/** A chain of `depth` EMAs, each fed the previous one's value once that is ready. */
export class EmaChain {
  readonly levels: RunningEma[];
  private bars = 0;
  constructor(readonly period: number, readonly seed: "sma" | "first", depth: number) {
    this.levels = Array.from({ length: depth }, () => new RunningEma(period, seed));
  }
  push(x: number): void {
    const { levels } = this;
    this.bars++;
    levels[0]!.push(x);
    for (let k = 1; k < levels.length; k++) {
      // Tulip starts level k at bar k (period - 1) from the level below; SMA seeding starts it once that is ready.
      const start = this.seed === "first" ? this.bars - 1 >= k * (this.period - 1) : levels[k - 1]!.ready;
      if (start) levels[k]!.push(levels[k - 1]!.value);
    }
  }
  /** True once the last level has a value and the first output index is reached. */
  get ready(): boolean {
    // Tulip's first output is at bar depth (period - 1); with SMA seeds the deepest level decides.
    return this.seed === "first" ? this.bars - 1 >= this.levels.length * (this.period - 1) : this.levels[this.levels.length - 1]!.ready;
  }
  clear(): void {
    this.bars = 0;
    for (const level of this.levels) level.clear();
  }
}
