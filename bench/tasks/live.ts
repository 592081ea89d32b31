/**
 * A paper session against the local replay server, bars served as fast as the session reads them
 * (real sockets on 127.0.0.1, in this process): for each base bar, the time from the server
 * writing its message to the strategy's onBar, p50 and p99, and the bars per second streamed.
 * The session is the bundled July days with every example strategy, the session's store a copy.
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseTime, type StreamBar, type StreamMessage } from "../../src/core/alpaca/messages.ts";
import { Store } from "../../src/core/data/store.ts";
import type { EngineExtension } from "../../src/core/engine/extension.ts";
import { runSession } from "../../src/core/kernel/run-session.ts";
import { ReplayServer } from "../../src/core/server/replay-server.ts";
import { MarketCalendar } from "../../src/core/time/calendar.ts";
import { LiveClock } from "../../src/core/time/clock.ts";
import { isoDay } from "../../src/core/time/dates.ts";
import { round, type BenchResult } from "../_results.ts";

const ROOT = join(import.meta.dir, "..", "..");

export async function liveLatency(rounds: number): Promise<BenchResult[]> {
  const calendar = MarketCalendar.for("US_EQUITY", "EQUITY");
  const latencies: number[] = [];
  let bars = 0;
  let streamMs = 0;
  for (let round_ = 0; round_ < rounds; round_++) {
    const dir = mkdtempSync(join(tmpdir(), "sessionflow-live-bench-"));
    const sent = new Map<string, number>();
    const server = new ReplayServer({
      store: new Store(join(ROOT, "data"), "US_EQUITY"),
      calendar,
      days: calendar.tradingDays(isoDay("2025-07-02"), isoDay("2025-07-07")),
      speed: 0,
      wall: new LiveClock(),
      onSend: (messages: readonly StreamMessage[]) => {
        const now = performance.now();
        for (const m of messages) if (m.T === "b") sent.set(`${(m as StreamBar).S}|${parseTime((m as StreamBar).t)}`, now);
      },
    });
    const urls = server.start();
    const probe: EngineExtension = {
      name: "latency-probe",
      stage: "strategies",
      setup(engine) {
        for (let s = 0; s < engine.plan.symbols.length; s++) {
          const stream = s * engine.plan.intervals.length + engine.plan.base[s]!;
          engine.hooks.onBar(stream, (bar) => {
            const at = sent.get(`${bar.symbol}|${bar.ts}`);
            if (at !== undefined) latencies.push(performance.now() - at);
          });
        }
      },
    };
    try {
      cpSync(join(ROOT, "data"), join(dir, "store"), { recursive: true });
      const outcome = await runSession({
        file: join(ROOT, "sessions", "july.yaml"),
        overrides: ["mode=paper", "api_config.data_api=alpaca", `api_config.alpaca.data_url=${urls.data_url}`, `api_config.alpaca.stream_url=${urls.stream_url}`, `api_config.alpaca.trading_url=${urls.trading_url}`, "live_config.end_date=2025-07-07", `data.root=${join(dir, "store")}`, "report.formats=[json]"],
        out: join(dir, "run"),
        logLevel: "error",
        console: () => {},
        wall: new LiveClock(),
        extensions: () => [probe],
      });
      bars += outcome.summary.totals.bars;
      streamMs += outcome.result.timings.streamMs;
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!, 3);
  return [
    {
      name: "live_paper_replay",
      symbols: 5,
      days: 3 * rounds,
      bars,
      bars_per_second: Math.round(bars / (streamMs / 1000)),
      ratio_to_read_once: null,
      ns_per_bar: round((streamMs * 1e6) / bars, 1),
      samples: latencies.length,
      rme: 0,
      latency_p50_ms: pct(50),
      latency_p99_ms: pct(99),
      latency_max_ms: round(latencies.at(-1)!, 3),
    },
  ];
}
