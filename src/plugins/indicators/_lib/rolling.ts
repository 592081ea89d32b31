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

/**
 * The maximum (or minimum) of the last `size` values, amortized O(1), no allocation: a monotonic
 * deque in a power-of-two ring (a mask instead of `%`, which cost half the update). A minimum is
 * kept as the maximum of the negated values, so there is no branch on the direction.
 */
export class RollingExtreme {
  private readonly values: Float64Array;
  private readonly indexes: Float64Array;
  private readonly mask: number;
  private readonly sign: number;
  private first = 0;
  private length = 0;
  private n = 0;

  constructor(readonly size: number, max: boolean) {
    let capacity = 1;
    while (capacity < size + 1) capacity *= 2;
    this.values = new Float64Array(capacity);
    this.indexes = new Float64Array(capacity);
    this.mask = capacity - 1;
    this.sign = max ? 1 : -1;
  }

  push(value: number): void {
    const x = this.sign * value;
    const mask = this.mask;
    const values = this.values;
    // Drop values the new one dominates, from the back.
    let length = this.length;
    while (length > 0 && values[(this.first + length - 1) & mask]! <= x) length--;
    const slot = (this.first + length) & mask;
    values[slot] = x;
    this.indexes[slot] = this.n;
    length++;
    // Drop the front when it has left the window.
    if (this.indexes[this.first]! <= this.n - this.size) {
      this.first = (this.first + 1) & mask;
      length--;
    }
    this.length = length;
    this.n++;
  }

  get value(): number {
    return this.sign * this.values[this.first]!;
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
