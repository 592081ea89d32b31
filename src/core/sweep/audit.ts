/**
 * The look-ahead audit: a session is run on all its data, then again with the data cut at several
 * instants - each rerun reads a copy of the store truncated at its cut (store-cut.ts), so even a
 * strategy that reads the store's files itself sees nothing later. A strategy that does not look
 * ahead places the same orders up to each cut either way; the first order that differs is named
 * with its strategy, symbol, time and cut. The reruns go through the worker pool.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { cutStoreCopy } from "../data/store-cut.ts";
import { prepareRun } from "../kernel/prepare.ts";
import type { AuditFinding, AuditSummary } from "../run/summary.ts";
import { formatDay, isoUtc } from "../time/dates.ts";
import type { TradingSession } from "../time/calendar.ts";
import type { JobOrder, SweepJob } from "./job.ts";
import type { SweepExecutor } from "./worker-pool.ts";

/** What to audit. */
export interface AuditOptions {
  file: string;
  overrides?: string[];
  /** How many cuts, spread evenly over the window's trading minutes. */
  cuts: number;
  executor: SweepExecutor;
  /** The whole run's orders when it has run already (`bun run session --audit`). */
  full?: JobOrder[];
}

const MINUTE = 60_000;

/** The cut instants: `n` minute boundaries spread evenly over the sessions' minutes (never an open or a close). */
export function cutInstants(sessions: readonly TradingSession[], n: number): number[] {
  const minutes: number[] = [];
  for (const s of sessions) for (let t = s.open + MINUTE; t < s.close; t += MINUTE) minutes.push(t);
  if (minutes.length === 0) return [];
  const out: number[] = [];
  for (let k = 1; k <= n; k++) out.push(minutes[Math.min(minutes.length - 1, Math.floor((k * minutes.length) / (n + 1)))]!);
  return [...new Set(out)];
}

/** Runs the audit; the store copies live in a temporary folder removed at the end. */
export async function auditSession(options: AuditOptions): Promise<AuditSummary> {
  const prepared = await prepareRun({ file: options.file, overrides: options.overrides, record: false });
  const { session, calendar, dataManager } = prepared;
  const sessions = prepared.window!.days.map((d) => calendar.session(d)!);
  const cuts = cutInstants(sessions, options.cuts);
  const strategies = session.strategies.filter((e) => e.enabled).map((e) => e.name);
  const work = mkdtempSync(join(tmpdir(), "sessionflow-audit-"));
  try {
    const file = resolve(options.file);
    const jobs: SweepJob[] = [];
    if (!options.full) jobs.push({ id: "full", file, overrides: options.overrides, values: [], equity: false, orders: true });
    for (const [k, cut] of cuts.entries()) {
      const root = join(work, `cut-${k + 1}`);
      cutStoreCopy(dataManager.store, root, cut, calendar);
      jobs.push({
        id: `cut-${k + 1}`,
        file,
        overrides: options.overrides,
        values: [
          { path: ["data", "root"], value: root, source: `the audit's store cut at ${isoUtc(cut)}` },
          { path: ["backtest_config", "end_date"], value: formatDay(calendar.localTime(cut).day), source: `the audit's cut at ${isoUtc(cut)}` },
        ],
        equity: false,
        orders: true,
      });
    }
    const orders = new Map<string, JobOrder[]>();
    const failures: string[] = [];
    await options.executor.runAll(jobs, (result) => {
      if (result.ok) orders.set(result.id, result.orders ?? []);
      else failures.push(`${result.id}: ${result.error}`);
    });
    if (failures.length > 0) throw new Error(`the audit's runs failed:\n  ${failures.join("\n  ")}`);
    const full = options.full ?? orders.get("full")!;
    const findings: AuditFinding[] = [];
    let compared = 0;
    for (const [k, cut] of cuts.entries()) {
      const cutOrders = orders.get(`cut-${k + 1}`)!;
      for (const strategy of strategies) {
        const expected = upTo(full, strategy, cut);
        const got = upTo(cutOrders, strategy, cut);
        compared += expected.length;
        const finding = firstDifference(strategy, cut, expected, got);
        if (finding) findings.push(finding);
      }
    }
    return { verdict: findings.length === 0 ? "pass" : "look-ahead", cuts: cuts.map(isoUtc), strategies, compared_orders: compared, findings };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A strategy's orders placed at or before the cut (what it decided, not what happened later). */
function upTo(orders: readonly JobOrder[], strategy: string, cut: number): JobOrder[] {
  return orders.filter((o) => o.strategy === strategy && Date.parse(o.time) <= cut);
}

function describe(o: JobOrder): string {
  return `${o.time} ${o.side} ${o.qty} ${o.symbol} ${o.type}${o.limit !== null ? ` limit ${o.limit}` : ""}${o.stop !== null ? ` stop ${o.stop}` : ""} ${o.tif}`;
}

function firstDifference(strategy: string, cut: number, expected: JobOrder[], got: JobOrder[]): AuditFinding | undefined {
  const n = Math.max(expected.length, got.length);
  for (let i = 0; i < n; i++) {
    const a = expected[i];
    const b = got[i];
    if (a && b && describe(a) === describe(b)) continue;
    const first = a ?? b!;
    return { strategy, symbol: first.symbol, cut: isoUtc(cut), time: first.time, expected: a ? describe(a) : null, got: b ? describe(b) : null };
  }
  return undefined;
}

/** A verdict as lines for the console. */
export function formatAudit(audit: AuditSummary): string {
  const head = `look-ahead audit: ${audit.verdict === "pass" ? "pass" : "LOOK-AHEAD FOUND"} - ${audit.strategies.length} strategies, ${audit.cuts.length} cuts (${audit.cuts[0] ?? "-"} .. ${audit.cuts.at(-1) ?? "-"}), ${audit.compared_orders} orders compared`;
  const lines = audit.findings.map((f) => `  ${f.strategy}: ${f.symbol} at ${f.time} (data cut at ${f.cut}): with all the data ${f.expected ?? "no order"}; with the data cut ${f.got ?? "no order"}`);
  return [head, ...lines].join("\n");
}
