/** BarSeries: row-major appends, columns caught up when read, growth, day reuse, bulk append. */
import { describe, expect, test } from "bun:test";
import { BarSeries, CLOSE, ROW } from "../../src/core/engine/bar-series.ts";

const bar = (i: number) => [1000 * i, 10 + i, 11 + i, 9 + i, 10.5 + i, 100 * i] as const;

describe("BarSeries", () => {
  test("columns read after appends hold every bar; reads in between see the bars so far", () => {
    const s = new BarSeries(2);
    s.push(...bar(1));
    expect(Array.from(s.close.subarray(0, s.length))).toEqual([11.5]);
    for (let i = 2; i <= 5; i++) s.push(...bar(i), i === 5 ? 1 : 0); // grows 2 -> 4 -> 8
    expect(s.length).toBe(5);
    expect(Array.from(s.ts.subarray(0, 5))).toEqual([1000, 2000, 3000, 4000, 5000]);
    expect(Array.from(s.high.subarray(0, 5))).toEqual([12, 13, 14, 15, 16]);
    expect(Array.from(s.volume.subarray(0, 5))).toEqual([100, 200, 300, 400, 500]);
    expect(Array.from(s.partial.subarray(0, 5))).toEqual([0, 0, 0, 0, 1]);
    expect(s.lastClose()).toBe(15.5);
    expect(s.rows[4 * ROW + CLOSE]).toBe(15.5);
  });

  test("clear keeps the memory and the next day's bars replace the old ones in the columns", () => {
    const s = new BarSeries(4);
    for (let i = 1; i <= 3; i++) s.push(...bar(i));
    expect(s.open[2]).toBe(13);
    s.clear();
    expect(s.lastClose()).toBeNaN();
    s.pushBase(...bar(7));
    expect(s.length).toBe(1);
    expect(s.open[0]).toBe(17);
    expect(s.view().ts).toEqual(new Float64Array([7000]));
  });

  test("copy and append are independent of the source's later changes", () => {
    const a = new BarSeries(2);
    for (let i = 1; i <= 3; i++) a.push(...bar(i));
    const copy = a.copy();
    const b = new BarSeries(1);
    b.push(...bar(0));
    b.append(a);
    a.clear();
    a.push(...bar(9));
    expect(Array.from(copy.close)).toEqual([11.5, 12.5, 13.5]);
    expect(b.length).toBe(4);
    expect(Array.from(b.view().close)).toEqual([10.5, 11.5, 12.5, 13.5]);
    expect(b.toFrame().getColumn("close").toArray()).toEqual([10.5, 11.5, 12.5, 13.5]);
  });
});
