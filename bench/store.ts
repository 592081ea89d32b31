/**
 * The benchmarks' synthetic store: 100 symbols x the 2024 NYSE year of one-minute bars
 * (about 9.7 million), written once under bench/.cache and reused.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { barFrame } from "../src/core/data/bars.ts";
import { Store } from "../src/core/data/store.ts";
import { SyntheticMarket } from "../src/core/data/synthetic.ts";
import { isoDay } from "../src/core/time/dates.ts";
import { requireInterval } from "../src/core/time/interval.ts";
import { NYSE, symbolNames } from "./_harness.ts";

export const CACHE = join(import.meta.dir, ".cache");

/** The store root and the session file of `count` symbols over 2024 (built on first use). */
export async function yearStore(count = 100): Promise<{ root: string; session: string; symbols: string[] }> {
  const root = join(CACHE, `store-${count}x2024`);
  const symbols = symbolNames(count);
  const session = join(CACHE, `year-${count}.yaml`);
  const done = join(root, ".complete");
  if (!existsSync(done)) {
    process.stderr.write(`building the synthetic store ${root} (once) ...\n`);
    const store = new Store(root, "US_EQUITY");
    const days = NYSE.tradingDays(isoDay("2024-01-01"), isoDay("2024-12-31"));
    // One month at a time for every symbol: memory stays small, files are written whole.
    const market = new SyntheticMarket(NYSE, symbols, { seed: 7, missingRate: (i) => (i % 20 === 19 ? 0.3 : 0) });
    let month = -1;
    let buffers: { ts: number[]; open: number[]; high: number[]; low: number[]; close: number[]; volume: number[] }[] = [];
    const flush = () => {
      buffers.forEach((b, s) => {
        if (b.ts.length === 0) return;
        const columns = { ts: Float64Array.from(b.ts), open: Float64Array.from(b.open), high: Float64Array.from(b.high), low: Float64Array.from(b.low), close: Float64Array.from(b.close), volume: Float64Array.from(b.volume) };
        store.write({ kind: "bars", interval: requireInterval("1m") }, symbols[s]!, barFrame(columns));
      });
    };
    for (const day of days) {
      const m = new Date(NYSE.session(day)!.open).getUTCMonth();
      if (m !== month) {
        flush();
        await Bun.sleep(0);
        month = m;
        buffers = symbols.map(() => ({ ts: [], open: [], high: [], low: [], close: [], volume: [] }));
      }
      market.day(day).forEach((c, s) => {
        const b = buffers[s]!;
        for (let i = 0; i < c.ts.length; i++) {
          b.ts.push(c.ts[i]!);
          b.open.push(c.open[i]!);
          b.high.push(c.high[i]!);
          b.low.push(c.low[i]!);
          b.close.push(c.close[i]!);
          b.volume.push(c.volume[i]!);
        }
      });
    }
    flush();
    mkdirSync(root, { recursive: true });
    writeFileSync(done, "");
  }
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(
    session,
    [
      `extends: ${join(import.meta.dir, "hot-path.yaml")}`,
      `session_name: year-${count}`,
      "backtest_config: { start_date: 2024-01-02, end_date: 2024-12-31 }",
      `session_data_config: { symbols: [${symbols.join(", ")}] }`,
      `data: { root: ${root} }`,
      `plugins: { dirs: [${join(import.meta.dir, "..", "src/plugins")}, ${join(import.meta.dir, "plugins")}] }`,
      "report: { formats: [json] }",
      "",
    ].join("\n"),
  );
  return { root, session, symbols };
}
