/**
 * Timers driven by the session's clock (`ctx.at` in strategies): a callback runs when the clock
 * reaches its instant, between the merge steps before and after it - also when no bar comes then
 * (an illiquid symbol's last minutes). Timers at the same instant run in the order they were set;
 * a timer set for the close or later runs at the close, after the last bar.
 */

interface Timer {
  at: number;
  order: number;
  run: () => void;
  cancelled: boolean;
}

/** The session's pending timers, in time order. */
export class TimerQueue {
  private readonly timers: Timer[] = [];
  private sequence = 0;

  /** Sets a timer; returns its cancel function. */
  at(instant: number, run: () => void): () => void {
    const timer: Timer = { at: instant, order: this.sequence++, run, cancelled: false };
    // Kept sorted (timers are few): insert after every timer at or before the same instant.
    let i = this.timers.length;
    while (i > 0 && this.timers[i - 1]!.at > instant) i--;
    this.timers.splice(i, 0, timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** The instant of the next timer (Infinity when none). */
  next(): number {
    while (this.timers.length > 0 && this.timers[0]!.cancelled) this.timers.shift();
    return this.timers[0]?.at ?? Infinity;
  }

  /** Runs every timer due at or before `instant`, in order (a timer may set another one). */
  runDue(instant: number): void {
    while (this.next() <= instant) this.timers.shift()!.run();
  }

  /** Timers not run yet. */
  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}
