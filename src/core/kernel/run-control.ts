/**
 * Control of a running session from another terminal: `bun run session pause|resume|stop <run-dir>`
 * drops a command file into `<run-dir>/control/`; the session picks it up within a fraction of a
 * second. Pause refuses new orders (closing ones pass) and holds the clock of a paced backtest or
 * a replay; resume undoes it; stop is the kill switch: open orders are cancelled, positions
 * closed through the same path as max_daily_loss, and once they have filled (or the day has
 * ended) the session ends, marked stopped. Every command is recorded in controls.csv: what, who,
 * when it was asked and when it took effect.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import { join } from "node:path";
import type { BrokerExtension } from "../broker/broker-extension.ts";
import { writeFileAtomic } from "../data/atomic.ts";
import type { EngineContext, EngineExtension } from "../engine/extension.ts";
import { usageError } from "../errors.ts";
import { readStatus } from "../run/run-status.ts";
import type { RunStop } from "./run-stop.ts";

/** The commands. */
export const CONTROL_COMMANDS = ["pause", "resume", "stop"] as const;
export type ControlCommand = (typeof CONTROL_COMMANDS)[number];

/** A command as its file holds it. */
export interface ControlRequest {
  command: ControlCommand;
  /** user@host of whoever sent it. */
  by: string;
  /** When it was sent (ISO 8601, the sender's wall clock). */
  at: string;
}

const FOLDER = "control";

/** Sends a command to the session running in `runDir` (the CLI side); refuses a run that is not running. */
export function sendControl(runDir: string, command: ControlCommand, atIso: string): ControlRequest {
  const status = readStatus(runDir);
  if (!status) throw usageError(`${runDir} is not a run directory (no status.json)`);
  if (status.state !== "running") throw usageError(`the run in ${runDir} is ${status.state}, not running; there is nothing to ${command}`);
  const request: ControlRequest = { command, by: `${userInfo().username}@${hostname()}`, at: atIso };
  writeFileAtomic(join(runDir, FOLDER, `${atIso.replace(/[:.]/g, "-")}-${process.pid}-${command}.json`), `${JSON.stringify(request)}\n`);
  return request;
}

/** The session's side: an extension that watches for commands and applies them. */
export class RunControl implements EngineExtension {
  readonly name = "run-control";
  readonly stage = "recorders";
  private engine!: EngineContext;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** A pause is in force. */
  paused = false;
  private resumed: (() => void)[] = [];
  private stopWhenFlat: string | undefined;

  constructor(
    private readonly dir: string,
    private readonly broker: BrokerExtension,
    private readonly stop: RunStop,
    private readonly wallIso: () => string,
  ) {}

  setup(engine: EngineContext): void {
    this.engine = engine;
    this.timer = setInterval(() => this.poll(), 200);
    engine.hooks.onStep(() => {
      if (this.stopWhenFlat && this.broker.book.openOrders().length === 0) {
        const reason = this.stopWhenFlat;
        this.stopWhenFlat = undefined;
        this.stop.request(reason);
      }
    });
  }

  onDayEnd(): void {
    // The kill switch's closing orders had the day: the session ends now.
    if (this.stopWhenFlat) {
      const reason = this.stopWhenFlat;
      this.stopWhenFlat = undefined;
      this.stop.request(reason);
    }
  }

  teardown(): void {
    clearInterval(this.timer);
    this.release();
  }

  /** Resolves at once, or when a pause ends (awaited before each step of a paced or live session). */
  whilePaused(): Promise<void> {
    if (!this.paused) return Promise.resolve();
    return new Promise((resolve) => this.resumed.push(resolve));
  }

  /** Reads new command files and applies them in the order they were sent. */
  poll(): void {
    const folder = join(this.dir, FOLDER);
    if (!existsSync(folder)) return;
    for (const name of readdirSync(folder).filter((n) => n.endsWith(".json")).sort()) {
      const file = join(folder, name);
      let request: ControlRequest;
      try {
        request = JSON.parse(readFileSync(file, "utf8")) as ControlRequest;
      } catch {
        continue; // being written: next poll
      }
      mkdirSync(join(folder, "applied"), { recursive: true });
      renameSync(file, join(folder, "applied", name));
      this.apply(request);
    }
  }

  private apply(request: ControlRequest): void {
    const { logger, clock, sink } = this.engine;
    const who = `${request.by} at ${request.at}`;
    switch (request.command) {
      case "pause":
        this.paused = true;
        this.broker.pause(`new orders are held: paused by ${who}`);
        break;
      case "resume":
        this.broker.pause(null);
        this.release();
        break;
      case "stop":
        this.broker.halt(`stopped by ${who} (kill switch): orders cancelled, positions closed`);
        this.release();
        this.stopWhenFlat = `stopped by ${request.by} (kill switch)`;
        break;
    }
    logger.log("warn", `control: ${request.command} by ${who}`);
    sink.append("controls", { requested_at: [request.at], received_at: [this.wallIso()], command: [request.command], by: [request.by], session_time: [clock.now()] });
    sink.flush?.();
  }

  private release(): void {
    this.paused = false;
    const waiting = this.resumed;
    this.resumed = [];
    for (const wake of waiting) wake();
  }
}
