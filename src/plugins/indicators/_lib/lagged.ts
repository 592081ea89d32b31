/** The close `period` bars ago, for ROC and momentum: a ring of period + 1 closes. */
import { RollingWindow } from "./rolling.ts";

/** Keeps the last period + 1 closes; `past` is the one `period` bars before the newest. */
export class LaggedClose {
  private readonly window: RollingWindow;
  constructor(readonly period: number) {
    this.window = new RollingWindow(period + 1);
  }
  push(close: number): void {
    this.window.push(close);
  }
  get ready(): boolean {
    return this.window.full;
  }
  get past(): number {
    return this.window.at(this.period);
  }
  clear(): void {
    this.window.clear();
  }
}
