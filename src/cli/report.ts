#!/usr/bin/env bun
/**
 * `bun run report <run-dir>`: rebuild report.html (and report.png with --screenshot) from a run's
 * files; `bun run report diff <run-a> <run-b>`: what differs between two runs.
 */
import { defineCommand } from "citty";
import { resolve } from "node:path";
import { runCli } from "./_run-cli.ts";

const diff = defineCommand({
  meta: {
    name: "diff",
    description: "What differs between two runs: config, summary (timings aside) and metrics, trades, and the first order or fill where they part ways. Exit code 0 when they are the same, 1 when they differ.",
  },
  args: {
    a: { type: "positional", description: "The first run directory", required: true },
    b: { type: "positional", description: "The second run directory", required: true },
    json: { type: "boolean", description: "Print the differences as JSON" },
  },
  async run({ args }) {
    const { diffRuns, formatDiff } = await import("../core/report/diff.ts");
    const result = diffRuns(resolve(args.a), resolve(args.b));
    process.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatDiff(result)}\n`);
    if (!result.same) process.exitCode = 1;
  },
});

const main = defineCommand({
  meta: {
    name: "report",
    description: "Rebuild the report page of a run from its files.\n\nExamples:\n  bun run report runs/july/2026-12-01T20-00-00Z\n  bun run report runs/july/2026-12-01T20-00-00Z --screenshot\n  bun run report diff runs/july/A runs/july/B",
  },
  args: {
    dir: { type: "positional", description: "The run directory", required: true },
    screenshot: { type: "boolean", description: "Also write report.png (headless Chromium)" },
  },
  async run({ args }) {
    const { writeReport } = await import("../core/report/write-report.ts");
    const written = await writeReport(resolve(args.dir), { png: Boolean(args.screenshot) });
    process.stdout.write(`report: ${written.html}\n${written.png ? `screenshot: ${written.png}\n` : ""}`);
  },
});

await runCli({ main, subCommands: { diff } });
