/**
 * The per-bar hook lists the streaming loop calls, kept in stage order whenever a hook is added
 * (an extension may register late, e.g. for a symbol a scanner adds): a hook runs after every
 * hook of an earlier stage, and after the hooks its own stage registered before it.
 */
import { engineError } from "../errors.ts";
import { STAGES, type BarListener, type FillHook, type Stage, type StepHook, type StreamHooks } from "./extension.ts";

/** Every stream's bar listeners, the step hooks and the one fill hook, in call order. */
export class HookLists {
  /** Per stream id: listeners in call order. */
  readonly bars: BarListener[][];
  readonly steps: StepHook[] = [];
  /** The fill hook and its gate (per symbol: call only while > 0). */
  fill: FillHook | undefined;
  fillGate: Int32Array | undefined;
  private readonly barRanks: number[][];
  private readonly stepRanks: number[] = [];

  constructor(streams: number) {
    this.bars = Array.from({ length: streams }, () => []);
    this.barRanks = Array.from({ length: streams }, () => []);
  }

  /** The registration view of one stage. */
  forStage(stage: Stage, owner: string): StreamHooks {
    const rank = STAGES.indexOf(stage);
    return {
      onFill: (gate, hook) => {
        if (this.fill) throw engineError(`${owner}: the session already has a fill hook; there is one per session (the execution stage's)`);
        this.fillGate = gate;
        this.fill = hook;
      },
      onBar: (stream, listener) => insert(this.bars[stream]!, this.barRanks[stream]!, listener, rank),
      onStep: (hook) => insert(this.steps, this.stepRanks, hook, rank),
    };
  }
}

/** Inserts after every entry of the same or an earlier rank. */
function insert<T>(list: T[], ranks: number[], item: T, rank: number): void {
  let at = list.length;
  while (at > 0 && ranks[at - 1]! > rank) at--;
  list.splice(at, 0, item);
  ranks.splice(at, 0, rank);
}
