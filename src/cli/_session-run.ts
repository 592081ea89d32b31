/**
 * The main job of `bun run session <file>`: run the session, print a compact summary table (or
 * the summary as JSON with --json) and say where the run directory is.
 */
import type { MonitorOutput } from "../core/kernel/live-monitor.ts";
import { runSession } from "../core/kernel/run-session.ts";
import { RunStop } from "../core/kernel/run-stop.ts";
import { LiveClock } from "../core/time/clock.ts";
import type { RunSummary } from "../core/run/summary.ts";
import { money, percent } from "../core/report/format.ts";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** Options of the run command. */
export interface RunCommandOptions {
  file: string;
  json: boolean;
  out?: string;
  logLevel: "error" | "warn" | "info" | "debug";
  overrides: string[];
  screenshot?: boolean;
  /** --confirm-live */
  confirmLive?: boolean;
  /** --audit */
  audit?: boolean;
  /** --allow-missing */
  allowMissing?: boolean;
}

/** Runs the session and reports it. Ctrl-C or SIGTERM ends the day under way cleanly; a second one stops at once. */
export async function runSessionCommand(options: RunCommandOptions): Promise<void> {
  const stop = new RunStop();
  const interrupted = (signal: string) => () => {
    if (!stop.requested) return stop.request(signal === "SIGINT" ? "interrupted (Ctrl-C)" : `stopped by ${signal}`);
    stop.kill(`${signal} a second time: stopped at once`);
    process.stderr.write("\nstopped at once; the run directory holds what was done\n");
    process.exit(130);
  };
  process.on("SIGINT", interrupted("SIGINT"));
  process.on("SIGTERM", interrupted("SIGTERM"));
  const monitor: MonitorOutput = options.json
    ? { kind: "json", write: (line) => process.stdout.write(`${line}\n`) }
    : process.stderr.isTTY
      ? { kind: "tty", write: (text) => process.stderr.write(text) }
      : { kind: "plain", write: (line) => process.stderr.write(`${line}\n`) };
  const { summary, runDir, failed } = await runSession({
    file: options.file,
    overrides: options.overrides,
    out: options.out,
    logLevel: options.json && options.logLevel === "info" ? "warn" : options.logLevel,
    wall: new LiveClock(),
    screenshot: options.screenshot,
    stop,
    monitor,
    confirmLive: options.confirmLive,
    allowMissing: options.allowMissing,
    audit: options.audit
      ? async (orders) => {
          const { runAudit } = await import("./_audit.ts");
          const { ordersOf } = await import("../core/sweep/run-job.ts");
          return runAudit({ file: options.file, overrides: options.overrides, full: ordersOf(orders) });
        }
      : undefined,
  });
  if (failed) {
    process.exitCode = 1;
    process.stderr.write(`the run failed: a strategy stopped after an error (summary.json strategy_errors has its stack; on_error: { fail_run: false } to exit 0)\n`);
  }
  if (options.json) {
    // A paper or live session has printed its events as JSON lines; the summary is the last one.
    if (summary.live) process.stdout.write(`${JSON.stringify({ event: "summary", ...summary, run_dir: runDir })}\n`);
    else process.stdout.write(`${JSON.stringify({ ...summary, run_dir: runDir }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${summaryTable(summary, runDir)}\n`);
  if (summary.audit) {
    const { formatAudit } = await import("../core/sweep/audit.ts");
    process.stdout.write(`${formatAudit(summary.audit)}\n`);
  }
}

/** Streams listed one by one up to this many; beyond, the least complete ones. */
const STREAM_ROWS = 30;

/** The console's closing table: streams, the days, then one line each for bars, quality, trading and the report. */
export function summaryTable(summary: RunSummary, runDir: string): string {
  const lines: string[] = [];
  const worst = summary.streams.length > STREAM_ROWS;
  const streams = worst ? [...summary.streams].sort((a, b) => (a.quality ?? 100) - (b.quality ?? 100)).slice(0, 10) : summary.streams;
  const rows = streams.map((s) => [s.symbol, s.interval, s.source, s.bars.toLocaleString("en-US"), s.quality === null ? "-" : `${s.quality.toFixed(2)}%`, String(s.gaps)]);
  const header = ["symbol", "stream", "source", "bars", "quality", "gaps"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const format = (cells: string[]) => `  ${cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ")}`;
  if (worst) lines.push(`the 10 least complete of ${summary.streams.length} streams (quality.csv has every day of every stream):`);
  lines.push(format(header), ...rows.map(format));

  const days = summary.trading_days.map((d) => `${d.date}${d.early_close ? "*" : ""}`);
  const shownDays = days.length <= 6 ? days.join(", ") : `${days[0]} .. ${days.at(-1)}`;
  const base = summary.streams.filter((s) => s.source === "streamed");
  const qualityOff = summary.streams.some((s) => s.quality === null);
  const meanQuality = base.length ? base.reduce((n, s) => n + (s.quality ?? 0), 0) / base.length : 100;
  const p = summary.performance;
  const table: [string, string][] = [
    ["bars", `${summary.totals.bars.toLocaleString("en-US")} streamed, ${summary.totals.derived_bars.toLocaleString("en-US")} generated; ${summary.timings.bars_per_second?.toLocaleString("en-US") ?? "-"} bars/s, ${summary.timings.total_ms} ms`],
    ["streams", qualityOff ? `${summary.streams.length}, session quality off (gap_filler.enable_session_quality: false)` : `${summary.streams.length}, base quality ${meanQuality.toFixed(2)}% (${summary.streams.filter((s) => s.quality! < 100).length} below 100%)`],
    ["trades", `${p.trades} round trips, win rate ${p.win_rate === null ? "-" : percent(p.win_rate)}, ${summary.trading.orders} orders (${p.rejected_orders} rejected), commissions ${money(p.commissions)}`],
    ["return", `${percent(p.total_return)} (equity ${money(p.initial_equity)} -> ${money(p.final_equity)})`],
    ["drawdown", `${percent(p.max_drawdown)}${p.max_drawdown_start ? ` (${p.max_drawdown_start} to ${p.max_drawdown_trough}, ${p.max_drawdown_recovery ? `recovered ${p.max_drawdown_recovery}` : "not recovered"})` : ""}`],
    ["sharpe", `${p.sharpe === null ? "-" : p.sharpe.toFixed(2)} (daily, x sqrt 252), sortino ${p.sortino === null ? "-" : p.sortino.toFixed(2)}`],
  ];
  if (summary.live) {
    const l = summary.live as Record<string, unknown>;
    const clock = l.replay ? `replay server (${(l.replay as { speed: number }).speed === 0 ? "as fast as read" : `${(l.replay as { speed: number }).speed}x`})` : "wall clock";
    table.push(["live", `${summary.mode}, ${clock}; ${l.bars_received} bars received, ${l.reconnects} reconnects, ${l.catch_up_bars} caught up, ${l.updated_bars} updated, ${l.late_bars} late${l.stopped ? `; stopped: ${l.stopped}` : ""}`]);
    const x = l.execution as Record<string, number> | undefined;
    if (x) table.push(["broker", `${x.orders_sent} orders sent, ${x.adopted_orders} adopted, ${x.unknown_outcomes} unanswered (${x.resolved_by_read_back} read back), ${x.cancel_races} cancel races, ${x.resyncs} resyncs, ${x.differences} differences resolved`]);
  }
  for (const e of summary.strategy_errors) {
    table.push(["error", `${e.strategy} stopped: ${e.message} (${e.hook}${e.symbol ? ` ${e.symbol}` : ""}${e.bar_time ? ` bar ${e.bar_time}` : ""}${e.at ? `, at ${e.at}` : ""})${e.flattened ? "; its positions were closed" : ""}`]);
  }
  if (summary.warnings?.length) table.push(["warnings", summary.warnings.length === 1 ? summary.warnings[0]! : `${summary.warnings.length} (summary.json lists them): ${summary.warnings[0]}`]);
  const report = join(runDir, "report.html");
  if (existsSync(report)) table.push(["report", report]);
  table.push(["run", runDir]);
  const width = Math.max(...table.map(([k]) => k.length));
  const n = summary.totals.trading_days;
  // The legend only when a star is shown.
  const legend = shownDays.includes("*") ? "; * early close" : "";
  lines.push("", `session ${summary.session_name}: ${n} trading ${n === 1 ? "day" : "days"} (${shownDays}${legend})`);
  lines.push(...table.map(([k, v]) => `${k.padEnd(width)}  ${v}`));
  return lines.join("\n");
}
