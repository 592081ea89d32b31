/**
 * Records every session bar series for the run directory: at each day's end the day's bars of
 * every stream are appended to a per-stream buffer, and at the end each buffer is written as
 * `bars/<SYMBOL>_<interval>.parquet` (ts bar start, OHLCV, and `partial` for generated streams).
 */
import { join } from "node:path";
import { writeParquetAtomic } from "../data/atomic.ts";
import { BarSeries } from "../engine/bar-series.ts";
import type { EngineContext, EngineExtension } from "../engine/coordinator.ts";

/** An extension that keeps the session's bars and writes them when the run ends. */
export class BarRecorder implements EngineExtension {
  readonly name = "bar-recorder";
  private engine!: EngineContext;
  private buffers: (BarSeries | undefined)[] = [];

  setup(engine: EngineContext): void {
    this.engine = engine;
    this.buffers = engine.data.series.map((_, id) => (engine.data.roleOf(id) === "unused" ? undefined : new BarSeries(1024)));
  }

  onDayEnd(): void {
    const { series } = this.engine.data;
    for (let id = 0; id < series.length; id++) {
      const buffer = this.buffers[id];
      if (!buffer) continue;
      buffer.append(series[id]!);
    }
  }

  /** Writes `bars/<SYMBOL>_<interval>.parquet` under `dir`; returns the files written. */
  write(dir: string): string[] {
    const files: string[] = [];
    this.buffers.forEach((buffer, id) => {
      if (!buffer) return;
      const { symbol, interval } = this.engine.data.describe(id);
      const file = join(dir, "bars", `${symbol}_${interval.text}.parquet`);
      writeParquetAtomic(file, buffer.toFrame(this.engine.data.roleOf(id) === "generated"));
      files.push(file);
    });
    return files;
  }
}
