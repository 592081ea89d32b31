/** Money as sessionflow books it: to 1/10,000 of a unit, so sums stay exact enough to print and compare. */

/** `x` rounded to 1/10,000. */
export function roundMoney(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}
