/**
 * The main job of `bun run session <file>`: run the session, print a compact summary table (or
 * the summary as JSON with --json) and say where the run directory is.
 */
import { runSession } from "../core/system-manager.ts";
import { LiveClock } from "../core/time/clock.ts";
import type { RunSummary } from "../core/run/summary.ts";

/** Options of the run command. */
export interface RunCommandOptions {
  file: string;
  json: boolean;
  out?: string;
  logLevel: "error" | "warn" | "info" | "debug";
  overrides: string[];
}

/** Runs the session and reports it. */
export async function runSessionCommand(options: RunCommandOptions): Promise<void> {
  const { summary, runDir } = await runSession({
    file: options.file,
    overrides: options.overrides,
    out: options.out,
    logLevel: options.json && options.logLevel === "info" ? "warn" : options.logLevel,
    wall: new LiveClock(),
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...summary, run_dir: runDir }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${summaryTable(summary, runDir)}\n`);
}

/** The console's closing table. */
export function summaryTable(summary: RunSummary, runDir: string): string {
  const lines: string[] = [];
  const days = summary.trading_days.map((d) => `${d.date}${d.early_close ? "*" : ""}`).join(", ");
  lines.push(`session ${summary.session_name}: ${summary.totals.trading_days} trading days (${days}${summary.trading_days.some((d) => d.early_close) ? "; * early close" : ""})`);
  lines.push(`bars: ${summary.totals.bars.toLocaleString("en-US")} streamed, ${summary.totals.derived_bars.toLocaleString("en-US")} generated, ${summary.timings.bars_per_second?.toLocaleString("en-US") ?? "-"} bars/s, ${summary.timings.total_ms} ms`);
  const rows = summary.streams.map((s) => [s.symbol, s.interval, s.source, s.bars.toLocaleString("en-US"), `${s.quality.toFixed(2)}%`, String(s.gaps)]);
  const header = ["symbol", "stream", "source", "bars", "quality", "gaps"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const format = (cells: string[]) => `  ${cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ")}`;
  lines.push(format(header), ...rows.map(format));
  lines.push(`run directory: ${runDir}`);
  return lines.join("\n");
}
