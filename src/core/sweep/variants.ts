/**
 * A sweep's variants: every combination of its axes' values (the last axis changing fastest)
 * that meets `where`, or a seeded random sample of them - numbered in grid order, so the same
 * sweep always makes the same variants. Each is checked like a session before anything runs, and
 * gets an id: a hash of its resolved session and data window (what `--resume` and the queue's job
 * ids use).
 */
import { createHash } from "node:crypto";
import type { Session } from "../config/load-session.ts";
import type { SessionValue } from "../config/overrides.ts";
import { ConfigError, configError, SessionflowError, type ConfigIssue } from "../errors.ts";
import { prepareRun } from "../kernel/prepare.ts";
import { formatDay } from "../time/dates.ts";
import type { BacktestWindow } from "../time/backtest-window.ts";
import { displayPath } from "../util/paths.ts";
import { evaluate, truthy, type ExprValue } from "./expression.ts";
import type { LoadedSweep, SweepSpec } from "./spec.ts";

/** One variant of a sweep. */
export interface Variant {
  /** 1-based, in grid order. */
  number: number;
  /** Axis name -> value. */
  values: Record<string, unknown>;
}

/** A variant checked and identified. */
export interface PreparedVariant extends Variant {
  id: string;
  /** Its backtest window (first and last trading day). */
  window: { start: string; end: string };
}

/** The most combinations a grid may have before `where` (beyond, narrow the axes). */
const MAX_GRID = 1_000_000;

/** The variants of a sweep, in grid order. */
export function makeVariants(spec: SweepSpec): Variant[] {
  const total = spec.axes.reduce((n, a) => n * a.values.length, 1);
  if (total > MAX_GRID) throw configError("sweep", [{ path: "sweep.axes", message: `make ${total.toLocaleString("en-US")} combinations; at most ${MAX_GRID.toLocaleString("en-US")}: narrow an axis or use search: { random: N }` }]);
  const kept: Record<string, unknown>[] = [];
  const index = spec.axes.map(() => 0);
  for (let n = 0; n < total; n++) {
    const values = Object.fromEntries(spec.axes.map((axis, i) => [axis.name, axis.values[index[i]!]]));
    if (!spec.where || truthy(evaluate(spec.where, (name) => exprValue(values[axisOf(spec, name)])))) kept.push(values);
    for (let i = index.length - 1; i >= 0; i--) {
      if (++index[i]! < spec.axes[i]!.values.length) break;
      index[i] = 0;
    }
  }
  const chosen = spec.search.kind === "grid" ? kept : sample(kept, spec.search.count, spec.search.seed);
  return chosen.map((values, i) => ({ number: i + 1, values }));
}

function axisOf(spec: SweepSpec, name: string): string {
  const found = spec.resolveName(name);
  return found && "axis" in found ? found.axis : name;
}

/** A value as expressions see it: numbers, strings, booleans and null as they are, anything else as JSON. */
export function exprValue(value: unknown): ExprValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  return JSON.stringify(value);
}

/** `count` of `items` drawn without replacement by a seeded generator, kept in their order. */
function sample<T>(items: T[], count: number, seed: number): T[] {
  if (count >= items.length) return items;
  const random = mulberry32(seed);
  const order = items.map((_, i) => i);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (order.length - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order.slice(0, count).sort((a, b) => a - b).map((i) => items[i]!);
}

/** A small seeded generator (Mulberry32): the same seed gives the same draws everywhere. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The values a variant sets, each named in messages by its axis and variant. */
export function variantValues(spec: SweepSpec, variant: Variant, extra: SessionValue[] = []): SessionValue[] {
  return [
    ...spec.axes.map((axis) => ({ path: axis.path, value: variant.values[axis.name], source: `sweep.axes.${axis.name} = ${JSON.stringify(variant.values[axis.name])} (variant ${variant.number})` })),
    ...extra,
  ];
}

/** "fast_period=5, slow_period=20" */
export function describeVariant(variant: Variant): string {
  return Object.entries(variant.values)
    .map(([name, value]) => `${name.split(/[.[]/).at(-1)!.replace("]", "")}=${JSON.stringify(value)}`)
    .join(", ");
}

/** A variant's id: the hash of its resolved session and data window. */
export function variantId(session: Session, window: BacktestWindow): string {
  const text = canonical({ session, window: { start: formatDay(window.days[0]!), end: formatDay(window.days.at(-1)!) } });
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The most variants whose problems are listed (the rest are counted). */
const LISTED = 5;

/**
 * Checks every variant like a session (its window, its store, its plugins) and gives it its id;
 * throws one ConfigError naming each failing variant, its axis values and its problems.
 */
export async function prepareVariants(loaded: LoadedSweep, variants: Variant[], extra: (variant: Variant) => SessionValue[] = () => []): Promise<PreparedVariant[]> {
  const out: PreparedVariant[] = [];
  const failures: string[] = [];
  for (const variant of variants) {
    try {
      const prepared = await prepareRun({ file: loaded.file, values: variantValues(loaded.spec, variant, extra(variant)), variant: true, record: false });
      if (prepared.session.mode !== "backtest") throw configError(displayPath(loaded.file), [{ path: "mode", message: `a sweep runs backtests; this variant's mode is ${prepared.session.mode}` }]);
      const window = prepared.window!;
      out.push({ ...variant, id: variantId(prepared.session, window), window: { start: formatDay(window.days[0]!), end: formatDay(window.days.at(-1)!) } });
    } catch (error) {
      if (!(error instanceof SessionflowError)) throw error;
      failures.push(`variant ${variant.number} (${describeVariant(variant)}):\n    ${error.message.split("\n").join("\n    ")}`);
    }
  }
  if (failures.length > 0) {
    const more = failures.length > LISTED ? `\n... and ${failures.length - LISTED} more variants` : "";
    const issue: ConfigIssue = { path: "sweep.axes", message: `${failures.length} of ${variants.length} variants are not valid sessions:\n  ${failures.slice(0, LISTED).join("\n  ")}${more}` };
    throw new ConfigError(displayPath(loaded.file), [issue]);
  }
  return out;
}
