/**
 * Stopping a running session from outside (Ctrl-C, SIGTERM, `bun run session stop <run-dir>`):
 * the first request ends the day under way cleanly - its end-of-day hooks run, its rows are
 * written - and no other day starts; the run is marked stopped. A second one (`kill`) stops at
 * once: what was handed over is flushed and the run directory stays readable, marked stopped.
 */

/** Stop requests for one run. */
export class RunStop {
  requested = false;
  reason = "";
  private readonly onStop: ((reason: string) => void)[] = [];
  private readonly onKill: ((reason: string) => void)[] = [];

  /** Asks the run to end after the day under way. */
  request(reason: string): void {
    if (this.requested) return;
    this.requested = true;
    this.reason = reason;
    for (const listener of this.onStop) listener(reason);
  }

  /** Stops at once (the run directory is flushed and marked stopped by the listeners). */
  kill(reason: string): void {
    for (const listener of this.onKill) listener(reason);
  }

  /** Called on the first request. */
  whenRequested(listener: (reason: string) => void): void {
    this.onStop.push(listener);
    if (this.requested) listener(this.reason);
  }

  /** Called on a kill. */
  whenKilled(listener: (reason: string) => void): void {
    this.onKill.push(listener);
  }
}
