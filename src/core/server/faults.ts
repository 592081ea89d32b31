/**
 * What the replay server can do wrong on purpose, for tests and rehearsals: drop the stream at an
 * instant (and let the replay run on without the client for some minutes), delay each minute's
 * bars, withhold minutes from the stream (REST still serves them), send bars that are corrected
 * later (`u`), refuse authentication, and refuse every connection as if another client held the
 * stream. Instants are epoch ms of the replay.
 */

/** The faults of a replay. */
export interface Faults {
  /** Close the stream connection when the replay reaches `at`; the replay then runs `skipMinutes` on without it. */
  drops: { at: number; skipMinutes: number }[];
  /** Market-time ms after a minute's end before its bars are sent. @default 0 */
  delayMs: number;
  /** Minutes [from, to) of a symbol (all symbols when none) that the stream never sends. */
  withhold: { symbol?: string; from: number; to: number }[];
  /** Every Nth bar streamed is first sent wrong (its close moved by a tick) and corrected 30 s later with `u`. 0: none. */
  updateEvery: number;
  /** Authentication fails with 402. */
  refuseAuth: boolean;
  /** Every connection is refused with 406 (another connection holds the stream). */
  holdStream: boolean;
}

/** No faults. */
export function noFaults(): Faults {
  return { drops: [], delayMs: 0, withhold: [], updateEvery: 0, refuseAuth: false, holdStream: false };
}

/** True when the stream withholds `symbol`'s bar starting at `ts`. */
export function withheld(faults: Faults, symbol: string, ts: number): boolean {
  return faults.withhold.some((w) => (w.symbol === undefined || w.symbol === symbol) && ts >= w.from && ts < w.to);
}
