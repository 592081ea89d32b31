/**
 * Records every session bar series for the run directory (a recorder: it runs last): at each day's
 * end the day's bars of every stream are appended to a per-stream buffer, and when the session ends
 * each buffer goes to the run as `bars/<SYMBOL>_<interval>` (ts bar start, OHLCV, and `partial` for
 * generated streams).
 */
import { BarSeries } from "./bar-series.ts";
import type { EngineContext, EngineExtension } from "./extension.ts";

/** An extension that keeps the session's bars and hands them over when the run ends. */
export class BarRecorder implements EngineExtension {
  readonly name = "bar-recorder";
  readonly stage = "recorders";
  private engine!: EngineContext;
  private buffers: (BarSeries | undefined)[] = [];

  setup(engine: EngineContext): void {
    this.engine = engine;
    this.buffers = engine.data.series.map((_, id) => (engine.data.roleOf(id) === "unused" ? undefined : new BarSeries(1024)));
  }

  onDayEnd(): void {
    const { series } = this.engine.data;
    for (let id = 0; id < series.length; id++) this.buffers[id]?.append(series[id]!);
  }

  onFinish(): void {
    const { data, sink } = this.engine;
    this.buffers.forEach((buffer, id) => {
      if (!buffer) return;
      const { symbol, interval } = data.describe(id);
      const v = buffer.view();
      const rows = { ts: v.ts, open: v.open, high: v.high, low: v.low, close: v.close, volume: v.volume };
      const generated = data.roleOf(id) === "generated";
      sink.put("bars", `${symbol}_${interval.text}`, generated ? { ...rows, partial: Array.from(v.partial, (p) => p === 1) } : rows);
    });
  }
}
