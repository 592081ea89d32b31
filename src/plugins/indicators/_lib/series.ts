/**
 * Batch forms by definition, over whole columns: the independent computations each indicator's
 * `batch` is built from (a test checks them against the O(1) streaming forms on real data).
 */

/** Mean of values[from .. to] (inclusive). */
export function meanOf(values: ArrayLike<number>, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i <= to; i++) sum += values[i]!;
  return sum / (to - from + 1);
}

/** The highest of high[from .. to] and the lowest of low[from .. to] (inclusive). */
export function extremesOf(high: ArrayLike<number>, low: ArrayLike<number>, from: number, to: number): { high: number; low: number } {
  let h = -Infinity;
  let l = Infinity;
  for (let j = from; j <= to; j++) {
    h = Math.max(h, high[j]!);
    l = Math.min(l, low[j]!);
  }
  return { high: h, low: l };
}

/** EMA of a series (from `start`) by its definition: SMA-seeded, or seeded with the first value. */
export function emaSeries(input: ArrayLike<number>, n: number, s: "sma" | "first", start = 0, alpha = 2 / (n + 1)): Float64Array {
  const out = new Float64Array(input.length).fill(NaN);
  if (s === "first") {
    if (start >= input.length) return out;
    out[start] = input[start]!;
    for (let i = start + 1; i < input.length; i++) out[i] = alpha * input[i]! + (1 - alpha) * out[i - 1]!;
    return out;
  }
  const first = start + n - 1;
  if (first >= input.length) return out;
  let sum = 0;
  for (let i = start; i <= first; i++) sum += input[i]!;
  out[first] = sum / n;
  for (let i = first + 1; i < input.length; i++) out[i] = alpha * input[i]! + (1 - alpha) * out[i - 1]!;
  return out;
}

/** Levels of nested EMAs over a series (EMA, EMA of EMA ...), for the batch forms of DEMA and TEMA. */
export function nestedEmas(close: ArrayLike<number>, n: number, s: "sma" | "first", depth: number): Float64Array[] {
  const levels: Float64Array[] = [emaSeries(close, n, s)];
  for (let k = 1; k < depth; k++) levels.push(emaSeries(levels[k - 1]!, n, s, k * (n - 1)));
  return levels;
}

/** WMA of a series by its definition (weights 1 .. n, the newest heaviest). */
export function wmaSeries(input: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(input.length).fill(NaN);
  const divisor = (n * (n + 1)) / 2;
  for (let i = n - 1; i < input.length; i++) {
    let sum = 0;
    for (let k = 0; k < n; k++) sum += input[i - n + 1 + k]! * (k + 1);
    out[i] = sum / divisor;
  }
  return out;
}

/** Wilder ATR of whole columns, by definition (the first bar's true range is high - low). */
export function atrSeries(high: ArrayLike<number>, low: ArrayLike<number>, close: ArrayLike<number>, n: number): Float64Array {
  const length = close.length;
  const out = new Float64Array(length).fill(NaN);
  if (length < n) return out;
  const tr = (i: number) => (i === 0 ? high[0]! - low[0]! : Math.max(high[i]!, close[i - 1]!) - Math.min(low[i]!, close[i - 1]!));
  let sum = 0;
  for (let i = 0; i < n; i++) sum += tr(i);
  out[n - 1] = sum / n;
  for (let i = n; i < length; i++) out[i] = (out[i - 1]! * (n - 1) + tr(i)) / n;
  return out;
}
