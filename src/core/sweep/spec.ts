/**
 * A sweep in the session language: a session file (usually `extends:` another) with a `sweep`
 * block naming axes - any path of the session, with a list of values or a range - a `where`
 * constraint between axes, a search (the whole grid, or a seeded random sample of it), the
 * objective (a performance metric to maximise or minimise), a `keep` condition a variant must
 * meet to be chosen, and optionally a walk-forward split of the window.
 */
import * as v from "valibot";
import { resolveSession, type ResolveOptions } from "../config/resolve.ts";
import { parsePath } from "../config/overrides.ts";
import { configError, type ConfigIssue } from "../errors.ts";
import { NUMERIC_METRICS, PERFORMANCE_FIELDS } from "../run/metrics.ts";
import { displayPath } from "../util/paths.ts";
import { checkSchema } from "../yaml/check-schema.ts";
import { formatPath, locate, type Located, type PathSegment } from "../yaml/located.ts";
import { ExpressionError, namesIn, parseExpression, type Expr } from "./expression.ts";

const count = v.pipe(v.number(), v.integer(), v.minValue(1));
const range = v.strictObject({ from: v.number(), to: v.number(), step: v.pipe(v.number(), v.gtValue(0)) });

/** The `sweep` block's schema. */
export const sweepSchema = v.strictObject({
  /** Session path -> values: a list, or { from, to, step } (both ends included). */
  axes: v.pipe(
    v.record(v.string(), v.union([v.pipe(v.array(v.unknown()), v.minLength(1, "an axis needs at least one value")), range])),
    v.check((axes) => Object.keys(axes).length > 0, "needs at least one axis"),
  ),
  /** A condition between axis values; variants failing it are not made. */
  where: v.optional(v.string()),
  /** `grid` (every combination), or `{ random: N, seed: S }` (N of them, the same N for the same seed). */
  search: v.optional(v.union([v.literal("grid"), v.strictObject({ random: count, seed: v.optional(v.pipe(v.number(), v.integer()), 1) })]), "grid"),
  /** What is best: a numeric field of `performance`, and whether more (max) or less (min) is better. */
  objective: v.strictObject({ metric: v.picklist(NUMERIC_METRICS), goal: v.optional(v.picklist(["max", "min"]), "max") }),
  /** A condition on the variant's metrics and axes; failing variants are reported, never chosen. */
  keep: v.optional(v.string()),
  /** Train on `train_days`, test the choice on the next `test_days`, move by `step_days` (default: test_days). */
  walk_forward: v.optional(v.strictObject({ train_days: count, test_days: count, step_days: v.optional(count) })),
});

/** One axis: where it sets the session and what it takes. */
export interface SweepAxis {
  path: PathSegment[];
  /** The path as written (a results column). */
  name: string;
  values: unknown[];
}

/** A sweep read and checked. */
export interface SweepSpec {
  axes: SweepAxis[];
  where: Expr | undefined;
  search: { kind: "grid" } | { kind: "random"; count: number; seed: number };
  objective: { metric: (typeof NUMERIC_METRICS)[number]; goal: "max" | "min" };
  keep: Expr | undefined;
  walkForward: { trainDays: number; testDays: number; stepDays: number } | undefined;
  /** Resolves a name of `where` / `keep` to an axis name or a metric. */
  resolveName: (name: string) => { axis: string } | { metric: string } | undefined;
}

/** The file and its sweep. */
export interface LoadedSweep {
  /** The file as given (variants are run from it). */
  file: string;
  spec: SweepSpec;
  /** The session part, with the sweep's block in it (for messages). */
  located: Located;
}

/** True when the file (or a file it extends) has a `sweep` block. */
export function hasSweep(file: string, options: Omit<ResolveOptions, "sweep"> = {}): boolean {
  const resolved = resolveSession(file, { ...options, sweep: "keep" });
  return resolved.ok && (resolved.located.value as Record<string, unknown>).sweep !== undefined;
}

/** The most values one range may make (a typo like step 0.0001 should not make a million variants). */
const MAX_RANGE_VALUES = 10_000;

/** Reads a sweep file; throws a ConfigError naming every problem at its line. */
export function readSweep(file: string, options: Omit<ResolveOptions, "sweep"> = {}): LoadedSweep {
  const display = displayPath(file);
  const resolved = resolveSession(file, { ...options, sweep: "keep" });
  if (!resolved.ok) throw configError(display, resolved.issues);
  const { located } = resolved;
  const at = (path: PathSegment[], message: string, key = false): ConfigIssue => ({ path: formatPath(path), message, location: (key ? located.locations.get(`${formatPath(path)}#key`) : undefined) ?? locate(located, path) });
  if ((located.value as Record<string, unknown>).sweep === undefined) throw configError(display, [at([], "has no `sweep` block: it is a single session; run it with `bun run session`")]);
  const checked = checkSchema(sweepSchema, located, ["sweep"]);
  if (!checked.ok) throw configError(display, checked.issues);
  const input = checked.output;
  const issues: ConfigIssue[] = [];

  const axes: SweepAxis[] = [];
  for (const [name, values] of Object.entries(input.axes)) {
    const where: PathSegment[] = ["sweep", "axes", name];
    const path = parsePath(name);
    if (!path) {
      issues.push(at(where, `${JSON.stringify(name)} is not a session path; allowed: a path such as strategies[0].params.fast_period`, true));
      continue;
    }
    if (path[0] === "sweep" || path[0] === "extends") {
      issues.push(at(where, `an axis cannot set ${String(path[0])}`, true));
      continue;
    }
    if (Array.isArray(values)) axes.push({ path, name, values });
    else {
      const n = Math.floor((values.to - values.from) / values.step + 1e-9) + 1;
      if (values.to < values.from) issues.push(at(where, `from ${values.from} is after to ${values.to}`));
      else if (n > MAX_RANGE_VALUES) issues.push(at(where, `makes ${n} values; at most ${MAX_RANGE_VALUES} per axis`));
      // Decimal steps are rounded to 10 places: 0.1 + 0.2 is 0.3 here.
      else axes.push({ path, name, values: Array.from({ length: n }, (_, i) => Math.round((values.from + i * values.step) * 1e10) / 1e10) });
    }
  }

  // Names in expressions: an axis by its path or its last segment (when no other axis ends so), a metric.
  const byLast = new Map<string, string[]>();
  for (const axis of axes) {
    const last = String(axis.path.at(-1));
    byLast.set(last, [...(byLast.get(last) ?? []), axis.name]);
  }
  const resolveName = (name: string): { axis: string } | { metric: string } | undefined => {
    if (axes.some((a) => a.name === name)) return { axis: name };
    const short = byLast.get(name);
    if (short?.length === 1) return { axis: short[0]! };
    if (name in PERFORMANCE_FIELDS) return { metric: name };
    return undefined;
  };
  const expression = (key: "where" | "keep", text: string | undefined, metrics: boolean): Expr | undefined => {
    if (text === undefined) return undefined;
    try {
      const expr = parseExpression(text);
      for (const name of namesIn(expr)) {
        const found = resolveName(name);
        const ambiguous = (byLast.get(name)?.length ?? 0) > 1;
        if (found && ("axis" in found || metrics)) continue;
        const allowed = [...axes.map((a) => `${String(a.path.at(-1))} (${a.name})`), ...(metrics ? Object.keys(PERFORMANCE_FIELDS) : [])].join(", ");
        issues.push(at(["sweep", key], ambiguous ? `${JSON.stringify(name)} names more than one axis (${byLast.get(name)!.join(", ")}); write the whole path` : `unknown name ${JSON.stringify(name)}; allowed: ${allowed}`));
      }
      return expr;
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      issues.push(at(["sweep", key], `${error.message} (at character ${error.at + 1} of ${JSON.stringify(text)})`));
      return undefined;
    }
  };
  const where = expression("where", input.where, false);
  const keep = expression("keep", input.keep, true);
  if (issues.length > 0) throw configError(display, issues);

  const search = input.search === "grid" ? ({ kind: "grid" } as const) : ({ kind: "random", count: input.search.random, seed: input.search.seed } as const);
  const wf = input.walk_forward;
  return {
    file,
    located,
    spec: {
      axes,
      where,
      search,
      objective: input.objective,
      keep,
      walkForward: wf ? { trainDays: wf.train_days, testDays: wf.test_days, stepDays: wf.step_days ?? wf.test_days } : undefined,
      resolveName,
    },
  };
}
