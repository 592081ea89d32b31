/**
 * Rolling-window primitives for O(1) indicators, all on preallocated typed arrays: a ring of the
 * last N values with their sum, and a monotonic deque for the window maximum or minimum.
 */

/** The last `size` values, their sum, and the value that fell out on the last push. */
export class RollingWindow {
  private readonly ring: Float64Array;
  private head = 0;
  count = 0;
  sum = 0;

  constructor(readonly size: number) {
    this.ring = new Float64Array(size);
  }

  /** Adds a value; returns the value that left the window (NaN while filling). */
  push(value: number): number {
    let evicted = NaN;
    if (this.count === this.size) {
      evicted = this.ring[this.head]!;
      this.sum -= evicted;
    } else this.count++;
    this.ring[this.head] = value;
    this.sum += value;
    if (this.head + 1 === this.size) {
      this.head = 0;
      // Once per lap, re-add the window from scratch: running sums drift over millions of
      // pushes; this bounds the error to one window's rounding at O(1) amortized cost.
      let exact = 0;
      for (let i = 0; i < this.count; i++) exact += this.ring[i]!;
      this.sum = exact;
    } else this.head++;
    return evicted;
  }

  /** True once `size` values are in the window. */
  get full(): boolean {
    return this.count === this.size;
  }

  get mean(): number {
    return this.sum / this.count;
  }

  /** The value `back` pushes ago (0 = the newest). */
  at(back: number): number {
    const i = this.head - 1 - back;
    return this.ring[i < 0 ? i + this.size : i]!;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
    this.sum = 0;
  }
}

/** The maximum (or minimum) of the last `size` values, amortized O(1), no allocation. */
export class RollingExtreme {
  private readonly values: Float64Array;
  private readonly indexes: Float64Array;
  private first = 0;
  private length = 0;
  private n = 0;

  constructor(readonly size: number, private readonly max: boolean) {
    this.values = new Float64Array(size + 1);
    this.indexes = new Float64Array(size + 1);
  }

  push(value: number): void {
    const cap = this.values.length;
    // Drop values the new one dominates, from the back.
    while (this.length > 0) {
      const back = (this.first + this.length - 1) % cap;
      const v = this.values[back]!;
      if (this.max ? v <= value : v >= value) this.length--;
      else break;
    }
    const slot = (this.first + this.length) % cap;
    this.values[slot] = value;
    this.indexes[slot] = this.n;
    this.length++;
    // Drop the front when it has left the window.
    if (this.indexes[this.first]! <= this.n - this.size) {
      this.first = (this.first + 1) % cap;
      this.length--;
    }
    this.n++;
  }

  get value(): number {
    return this.values[this.first]!;
  }

  /** True once `size` values have been pushed. */
  get full(): boolean {
    return this.n >= this.size;
  }

  clear(): void {
    this.first = 0;
    this.length = 0;
    this.n = 0;
  }
}
