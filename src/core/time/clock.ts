/**
 * The session clock. Nothing else in sessionflow reads the system time: backtests run on a
 * simulated clock that only the coordinator moves; live and paper sessions read the wall clock.
 */
import { engineError } from "../errors.ts";
import { isoUtc } from "./dates.ts";

/** What every component may ask the clock: the current instant, epoch ms UTC. */
export interface Clock {
  readonly kind: "simulated" | "live";
  now(): number;
}

/** A clock for backtests: moves only forward, only when told, and never past its limit. */
export class SimulatedClock implements Clock {
  readonly kind = "simulated" as const;
  private current: number;
  private limit = Infinity;

  constructor(start: number) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  /** Moves the clock to `ms`; refuses to go backwards or past the limit (the session close). */
  advanceTo(ms: number): void {
    if (ms < this.current) {
      throw engineError(`the simulated clock cannot go backwards: it is ${isoUtc(this.current)}, asked for ${isoUtc(ms)}`);
    }
    if (ms > this.limit) {
      throw engineError(`the simulated clock cannot pass the session close ${isoUtc(this.limit)} (asked for ${isoUtc(ms)})`);
    }
    this.current = ms;
  }

  /** Sets the furthest instant the clock may reach (the current session's close); Infinity lifts it. */
  setLimit(ms: number): void {
    if (ms < this.current) throw engineError(`a clock limit ${isoUtc(ms)} is before the current time ${isoUtc(this.current)}`);
    this.limit = ms;
  }

  /** The current limit. */
  get limitMs(): number {
    return this.limit;
  }
}

/** The wall clock, for live and paper sessions (and the CLI's "today"). */
export class LiveClock implements Clock {
  readonly kind = "live" as const;
  now(): number {
    return Date.now();
  }
}
