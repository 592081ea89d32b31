/** The sweep language: expressions (where, keep), axes and ranges, grid order, seeded random search, errors at their lines. */
import { afterAll, describe, expect, test } from "bun:test";
import { evaluate, parseExpression, ExpressionError } from "../../src/core/sweep/expression.ts";
import { readSweep } from "../../src/core/sweep/spec.ts";
import { makeVariants } from "../../src/core/sweep/variants.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { ROOT } from "../helpers/cli.ts";
import { tempDir } from "../helpers/tmp.ts";

const dir = tempDir("sweep-spec");
afterAll(() => dir[Symbol.dispose]());

describe("expressions", () => {
  const values: Record<string, number | string | null> = { fast: 5, slow: 20, name: "a", sharpe: null };
  const run = (text: string) => evaluate(parseExpression(text), (n) => values[n] ?? null);
  test("arithmetic, comparisons, logic and precedence", () => {
    expect(run("fast < slow")).toBe(true);
    expect(run("fast * 4 == slow && !(fast > 6)")).toBe(true);
    expect(run("slow - fast * 2 / 2 >= 15 || false")).toBe(true);
    expect(run("-fast + 5 == 0")).toBe(true);
    expect(run("name == 'a' && name != \"b\"")).toBe(true);
  });
  test("a comparison with null (a metric without a value) is false, whichever way it is asked", () => {
    expect(run("sharpe > 1")).toBe(false);
    expect(run("sharpe <= 1")).toBe(false);
    expect(run("sharpe == null")).toBe(true);
  });
  test("what cannot be read is refused with where it went wrong", () => {
    const error = (text: string) => {
      try {
        parseExpression(text);
      } catch (e) {
        return e as ExpressionError;
      }
      throw new Error("parsed");
    };
    expect(error("fast <").message).toBe("the expression ends too early");
    expect(error("fast < slow )").message).toContain('unexpected ")"');
    expect(error("fast ; slow").message).toBe('unexpected ";"');
    expect(error("(fast").at).toBe(5);
  });
});

describe("axes and variants", () => {
  const sweep = (body: string) => readSweep(dir.write(`s-${Math.random().toString(36).slice(2)}.yaml`, `extends: ${ROOT}/sessions/july.yaml\nsweep:\n${body}`));

  test("a range includes both ends without float drift; the grid runs the last axis fastest", () => {
    const { spec } = sweep("  axes:\n    strategies[0].params.notional: { from: 0.1, to: 0.3, step: 0.1 }\n    trading_config.max_open_positions: [1, 2]\n  objective: { metric: sharpe }\n");
    expect(spec.axes[0]!.values).toEqual([0.1, 0.2, 0.3]);
    expect(makeVariants(spec).map((v) => Object.values(v.values))).toEqual([[0.1, 1], [0.1, 2], [0.2, 1], [0.2, 2], [0.3, 1], [0.3, 2]]);
  });

  test("where filters before numbering; random search draws the same variants for the same seed", () => {
    const body = (search: string) => `  axes:\n    strategies[0].params.fast_period: { from: 2, to: 20, step: 2 }\n    strategies[0].params.slow_period: { from: 10, to: 40, step: 10 }\n  where: "fast_period * 2 < slow_period"\n  search: ${search}\n  objective: { metric: sharpe }\n`;
    const grid = makeVariants(sweep(body("grid")).spec);
    expect(grid.every((v) => (v.values["strategies[0].params.fast_period"] as number) * 2 < (v.values["strategies[0].params.slow_period"] as number))).toBe(true);
    expect(grid.map((v) => v.number)).toEqual(grid.map((_, i) => i + 1));
    const a = makeVariants(sweep(body("{ random: 7, seed: 3 }")).spec);
    const b = makeVariants(sweep(body("{ random: 7, seed: 3 }")).spec);
    const c = makeVariants(sweep(body("{ random: 7, seed: 4 }")).spec);
    expect(a.map((v) => v.values)).toEqual(b.map((v) => v.values));
    expect(a.map((v) => v.values)).not.toEqual(c.map((v) => v.values));
    expect(a.length).toBe(7);
    const key = (v: { values: Record<string, unknown> }) => JSON.stringify(v.values);
    expect(a.every((v) => grid.some((g) => key(g) === key(v)))).toBe(true);
    // Kept in grid order.
    const order = a.map((v) => grid.findIndex((g) => key(g) === key(v)));
    expect([...order].sort((x, y) => x - y)).toEqual(order);
  });

  test("errors name the sweep's line: a bad path, an unknown metric, an empty axis, an ambiguous name", () => {
    const issues = (body: string) => {
      try {
        sweep(body);
      } catch (error) {
        return (error as ConfigError).message;
      }
      throw new Error("accepted");
    };
    expect(issues("  axes:\n    \"strategies[0]..x\": [1]\n  objective: { metric: sharpe }\n")).toContain('is not a session path');
    expect(issues("  axes:\n    trading_config.max_open_positions: [1]\n  objective: { metric: happiness }\n")).toMatch(/sweep\.objective\.metric[\s\S]*happiness/);
    expect(issues("  axes:\n    trading_config.max_open_positions: []\n  objective: { metric: sharpe }\n")).toContain(`sweep.axes["trading_config.max_open_positions"]: [] an axis needs at least one value`);
    const ambiguous = issues("  axes:\n    strategies[0].params.notional: [1]\n    strategies[1].params.notional: [2]\n  where: \"notional > 0\"\n  objective: { metric: sharpe }\n");
    expect(ambiguous).toContain('"notional" names more than one axis (strategies[0].params.notional, strategies[1].params.notional); write the whole path');
    expect(ambiguous).toMatch(/\.yaml:6:10$/);
  });
});
