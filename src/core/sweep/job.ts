/**
 * One unit of a sweep's work - a variant of a session on a window - as it travels to a worker
 * thread or through the queue to another machine, and what comes back. Plain data only.
 */
import type { SessionValue } from "../config/overrides.ts";
import type { Performance } from "../run/metrics.ts";

/** A variant to run. */
export interface SweepJob {
  /** The variant's id (its resolved session and window hashed). */
  id: string;
  /** The sweep file, absolute. */
  file: string;
  /** What the variant sets (axis values, a fold's window, absolute data and plugin paths). */
  values: SessionValue[];
  /** Also return the equity curve (a walk-forward's test runs). */
  equity: boolean;
  /** Also return the orders (the look-ahead audit). */
  orders?: boolean;
  /** `--set path=value` overrides, before the values (an audited session's). */
  overrides?: string[];
}

/** An order as the audit compares it. */
export interface JobOrder {
  time: string;
  strategy: string;
  symbol: string;
  side: string;
  type: string;
  qty: number;
  limit: number | null;
  stop: number | null;
  tif: string;
}

/** What a job gives back. */
export type SweepJobResult =
  | { id: string; ok: true; performance: Performance; equity?: { ts: number[]; equity: number[] }; orders?: JobOrder[] }
  | { id: string; ok: false; error: string };

/** How far a sweep has got. */
export interface SweepProgress {
  done: number;
  failed: number;
  total: number;
}
