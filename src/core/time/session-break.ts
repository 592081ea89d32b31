/**
 * Sessions with a midday break (Tokyo's lunch): trading runs in [open, breakStart) and
 * [breakEnd, close). These helpers count and place bars on a session's grid around the break, so
 * quality, gaps and derived periods treat the break as time that does not exist. Sessions without
 * a break give the same answers as plain arithmetic from the open.
 */
import type { TradingSession } from "./calendar.ts";

type Span = Pick<TradingSession, "open" | "close" | "breakStart" | "breakEnd">;

/** Grid slots of `step` from `open` that have ended by `now`, the last one cut at `close`. */
function slotsEnded(open: number, close: number, step: number, now: number): number {
  if (now <= open) return 0;
  if (now >= close) return Math.ceil((close - open) / step);
  return Math.floor((now - open) / step);
}

/** Bars a complete feed has delivered by `now`: slots from the open, none in the break. */
export function expectedBarsAt(session: Span, step: number, now: number): number {
  const { breakStart, breakEnd } = session;
  if (breakStart === undefined || breakEnd === undefined) return slotsEnded(session.open, session.close, step, now);
  return slotsEnded(session.open, breakStart, step, now) + slotsEnded(breakEnd, session.close, step, now);
}

/** Where the n-th expected slot ends (n >= 1), the break skipped. */
export function slotEnd(session: Span, step: number, n: number): number {
  const { breakStart, breakEnd } = session;
  if (breakStart === undefined || breakEnd === undefined) return Math.min(session.open + n * step, session.close);
  const before = Math.ceil((breakStart - session.open) / step);
  if (n <= before) return Math.min(session.open + n * step, breakStart);
  return Math.min(breakEnd + (n - before) * step, session.close);
}

/** Milliseconds of [from, to) inside the break. */
export function breakOverlap(session: Span, from: number, to: number): number {
  const { breakStart, breakEnd } = session;
  if (breakStart === undefined || breakEnd === undefined) return 0;
  return Math.max(0, Math.min(to, breakEnd) - Math.max(from, breakStart));
}

/**
 * The derived period of `length` that starts at `start` on the grid anchored at the open: it
 * ends at the next grid line, cut by the break's start and by the close. A period that the break
 * cuts resumes at the break's end. Returns [start, end).
 */
export function periodFrom(session: Span, length: number, start: number): [number, number] {
  const { breakStart, breakEnd } = session;
  let from = start;
  if (breakStart !== undefined && breakEnd !== undefined && from >= breakStart && from < breakEnd) from = breakEnd;
  const gridEnd = session.open + (Math.floor((from - session.open) / length) + 1) * length;
  let end = Math.min(gridEnd, session.close);
  if (breakStart !== undefined && from < breakStart) end = Math.min(end, breakStart);
  return [from, end];
}
