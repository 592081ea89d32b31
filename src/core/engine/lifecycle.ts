/**
 * The session's lifecycle as a transition table: an illegal transition names both states, so a
 * bug that runs a phase twice or streams after stopping fails loudly instead of silently.
 */
import { engineError } from "../errors.ts";

/** The states a session goes through. */
export type LifecycleState = "created" | "initialized" | "running" | "stopped" | "failed";

const ALLOWED: Record<LifecycleState, readonly LifecycleState[]> = {
  created: ["initialized", "failed"],
  initialized: ["running", "failed"],
  running: ["stopped", "failed"],
  stopped: [],
  failed: [],
};

/** Holds the current state and refuses transitions the table does not allow. */
export class Lifecycle {
  private current: LifecycleState = "created";

  get state(): LifecycleState {
    return this.current;
  }

  /** Moves to `next`, or throws naming both states. */
  to(next: LifecycleState): void {
    if (!ALLOWED[this.current].includes(next)) {
      throw engineError(`illegal lifecycle transition ${this.current} -> ${next} (allowed from ${this.current}: ${ALLOWED[this.current].join(", ") || "none"})`);
    }
    this.current = next;
  }
}
