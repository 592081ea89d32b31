/** The look-ahead audit from the command line: `bun run session audit <file>` and `--audit`. */
import { availableParallelism } from "node:os";
import { usageError } from "../core/errors.ts";
import type { AuditSummary } from "../core/run/summary.ts";
import type { JobOrder } from "../core/sweep/job.ts";

/** What the commands pass. */
export interface AuditCommandOptions {
  file: string;
  overrides?: string[];
  /** --cuts (text as typed). @default 8 */
  cuts?: string;
  /** --workers (text as typed). @default the number of cores */
  workers?: string;
  /** The run's orders, when it has just run. */
  full?: JobOrder[];
}

/** Runs the audit in a pool of Bun Workers. */
export async function runAudit(options: AuditCommandOptions): Promise<AuditSummary> {
  const whole = (text: string | undefined, flag: string, fallback: number) => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw usageError(`--${flag} ${JSON.stringify(text)}: allowed: a whole number >= 1`);
    return n;
  };
  const { auditSession } = await import("../core/sweep/audit.ts");
  const { WorkerPool } = await import("../core/sweep/worker-pool.ts");
  const pool = new WorkerPool(whole(options.workers, "workers", availableParallelism()), 600_000);
  try {
    return await auditSession({ file: options.file, overrides: options.overrides, cuts: whole(options.cuts, "cuts", 8), executor: pool, full: options.full });
  } finally {
    await pool.close();
  }
}
