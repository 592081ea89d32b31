/**
 * Choosing among variants: `keep` decides which may be chosen, the objective which is best.
 * Ties go to the lowest variant number, so the choice never depends on the order results came in.
 */
import type { Performance } from "../run/metrics.ts";
import type { SweepJobResult } from "./job.ts";
import { evaluate, truthy } from "./expression.ts";
import type { VariantResult } from "./results.ts";
import type { SweepSpec } from "./spec.ts";
import { exprValue } from "./variants.ts";

/** Whether a variant's metrics and axis values pass `keep` (no `keep`: every variant does). */
export function passesKeep(spec: SweepSpec, values: Record<string, unknown>, performance: Performance): boolean {
  if (!spec.keep) return true;
  return truthy(
    evaluate(spec.keep, (name) => {
      const found = spec.resolveName(name);
      if (!found) return null;
      return "axis" in found ? exprValue(values[found.axis]) : exprValue(performance[found.metric as keyof Performance]);
    }),
  );
}

/** The objective's value of a result (null when it failed or the metric has none). */
export function objectiveOf(spec: SweepSpec, result: VariantResult): number | null {
  const value = result.performance?.[spec.objective.metric];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** The best result that succeeded, passed `keep` and has an objective value; undefined when none did. */
export function chooseBest(spec: SweepSpec, results: readonly VariantResult[]): VariantResult | undefined {
  let best: VariantResult | undefined;
  let bestValue = 0;
  for (const result of [...results].sort((a, b) => a.variant - b.variant)) {
    const value = objectiveOf(spec, result);
    if (result.status !== "ok" || !result.keep || value === null) continue;
    const better = spec.objective.goal === "max" ? value > bestValue : value < bestValue;
    if (!best || better) {
      best = result;
      bestValue = value;
    }
  }
  return best;
}

/** A job's outcome as a results row (keep evaluated). */
export function toResult(spec: SweepSpec, variant: { number: number; id: string; values: Record<string, unknown> }, outcome: SweepJobResult, fold: number | null): VariantResult {
  if (!outcome.ok) return { fold, variant: variant.number, id: variant.id, values: variant.values, status: "failed", error: outcome.error, performance: null, keep: null };
  return { fold, variant: variant.number, id: variant.id, values: variant.values, status: "ok", error: null, performance: outcome.performance, keep: passesKeep(spec, variant.values, outcome.performance) };
}
