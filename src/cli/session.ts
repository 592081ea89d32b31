#!/usr/bin/env bun
/**
 * `bun run session <file>`: run a session; `validate`, `show` and `new-strategy` sub-commands.
 */
import { defineCommand } from "citty";
import { stringify } from "yaml";
import { collectRepeated, runCli } from "./_run-cli.ts";

const setArg = {
  type: "string",
  description: "Override a value, validated like the file: --set backtest_config.end_date=2025-07-03 (repeatable)",
  valueHint: "path=value",
} as const;

const validate = defineCommand({
  meta: { name: "validate", description: "Check a session file and report every problem (exit code 2 if any)" },
  args: {
    file: { type: "positional", description: "The session file (YAML or JSON)", required: true },
    set: setArg,
    "allow-missing": { type: "boolean", description: "A session symbol without data in the window is a warning, not an error" },
  },
  async run({ args, rawArgs }) {
    const sweep = await import("../core/sweep/spec.ts");
    if (sweep.hasSweep(args.file)) {
      // A sweep: every variant checked like a session.
      const { makeVariants, prepareVariants } = await import("../core/sweep/variants.ts");
      const loaded = sweep.readSweep(args.file);
      const variants = makeVariants(loaded.spec);
      await prepareVariants(loaded, variants);
      const grid = loaded.spec.axes.reduce((n, a) => n * a.values.length, 1);
      const wf = loaded.spec.walkForward;
      process.stdout.write(
        `${args.file}: valid sweep. ${variants.length} variants (${loaded.spec.axes.length} axes, a grid of ${grid}${loaded.spec.where ? ", where applied" : ""}${loaded.spec.search.kind === "random" ? `, ${loaded.spec.search.count} drawn at random` : ""}), ` +
          `objective: ${loaded.spec.objective.goal} ${loaded.spec.objective.metric}${wf ? `; walk-forward: train ${wf.trainDays}, test ${wf.testDays}, step ${wf.stepDays} days` : ""}\n`,
      );
      return;
    }
    // Every check a run makes before its first bar: plugins, the window, the store, subscriptions.
    const { prepareRun } = await import("../core/kernel/prepare.ts");
    const { session, file, window, warnings, notes } = await prepareRun({ file: args.file, overrides: collectRepeated(rawArgs, "set"), allowMissing: Boolean(args["allow-missing"]) });
    for (const line of [...notes, ...warnings.map((w) => `warning: ${w}`)]) process.stderr.write(`${line}\n`);
    const days = window ? (window.days.length === 1 ? "1 trading day" : `${window.days.length} trading days`) : "";
    const range = window && session.backtest_config
      ? ` from ${session.backtest_config.start_date} to ${session.backtest_config.end_date}, ${days}`
      : `, from the market's current session day to ${session.live_config.end_date ?? "its close"}, data ${session.api_config.alpaca.stream_url}`;
    process.stdout.write(
      `${file}: valid. Session "${session.session_name}" (${session.mode}${range}), ` +
        `${session.session_data_config.symbols.length} symbols, streams ${session.session_data_config.streams.join(", ")}\n`,
    );
  },
});

const show = defineCommand({
  meta: { name: "show", description: "Print the fully resolved session (defaults, extends and --set applied) as YAML" },
  args: {
    file: { type: "positional", description: "The session file (YAML or JSON)", required: true },
    set: setArg,
  },
  async run({ args, rawArgs }) {
    // What is shown is what would run: validated like a run, --set included.
    const { prepareRun } = await import("../core/kernel/prepare.ts");
    const { session } = await prepareRun({ file: args.file, overrides: collectRepeated(rawArgs, "set") });
    process.stdout.write(stringify(session, { lineWidth: 0 }));
  },
});

const audit = defineCommand({
  meta: {
    name: "audit",
    description:
      "Look-ahead audit: run the session, then rerun it on copies of the store cut at several instants (in a pool of Bun Workers),\n" +
      "and compare each strategy's orders up to each cut. Exit code 0 when none differ, 1 when look-ahead is found.\n\nExample:\n  bun run session audit sessions/july.yaml --cuts 8",
  },
  args: {
    file: { type: "positional", description: "The session file", required: true },
    cuts: { type: "string", description: "How many cuts, spread over the window's trading minutes (default 8)", valueHint: "N" },
    workers: { type: "string", description: "Bun Workers (default: the number of cores)", valueHint: "N" },
    json: { type: "boolean", description: "Print the verdict as JSON" },
    set: setArg,
  },
  async run({ args, rawArgs }) {
    const { runAudit } = await import("./_audit.ts");
    const verdict = await runAudit({ file: args.file, overrides: collectRepeated(rawArgs, "set"), cuts: args.cuts, workers: args.workers });
    const { formatAudit } = await import("../core/sweep/audit.ts");
    process.stdout.write(args.json ? `${JSON.stringify(verdict, null, 2)}\n` : `${formatAudit(verdict)}\n`);
    if (verdict.verdict !== "pass") process.exitCode = 1;
  },
});

/** `pause|resume|stop <run-dir>`: a command to a running session from another terminal. */
function controlCommand(command: "pause" | "resume" | "stop", description: string) {
  return defineCommand({
    meta: { name: command, description: `${description}\n\nExample:\n  bun run session ${command} runs/july/2026-12-05T14-30-00Z` },
    args: { "run-dir": { type: "positional", description: "The run directory of the running session (printed when it starts, and in its log)", required: true } },
    async run({ args }) {
      const { sendControl } = await import("../core/kernel/run-control.ts");
      const request = sendControl(args["run-dir"], command, new Date().toISOString());
      process.stdout.write(`${command} sent to ${args["run-dir"]} by ${request.by} at ${request.at}; the session applies it within a second (controls.csv records it)\n`);
    },
  });
}

const main = defineCommand({
  meta: {
    name: "session",
    description:
      "Run a trading session described in YAML.\n\nExamples:\n  bun run session sessions/july.yaml\n" +
      "  bun run session sessions/july.yaml --json --out /tmp/run\n" +
      "  bun run session sessions/july.yaml --set backtest_config.end_date=2025-07-03\n" +
      "  bun run session validate sessions/july.yaml\n  bun run session show sessions/july.yaml\n" +
      "  bun run session sessions/july.yaml --watch\n  bun run session new-strategy my_breakout\n" +
      "  bun run session pause runs/july/<run>   (resume, stop: from another terminal)\n" +
      "  bun run session audit sessions/july.yaml   (or --audit after a run)",
  },
  args: {
    file: { type: "positional", description: "The session file (YAML or JSON)", required: true },
    json: { type: "boolean", description: "Print the run summary as JSON on stdout" },
    out: { type: "string", description: "The run directory (default: <report.dir>/<session>/<timestamp>/)", valueHint: "DIR" },
    "log-level": { type: "enum", options: ["error", "warn", "info", "debug"], description: "Console detail (the log file always has every step)", default: "info" },
    set: setArg,
    screenshot: { type: "boolean", description: "Also write report.png: the report captured in headless Chromium" },
    watch: { type: "boolean", description: "Run again whenever the session file or a plugin file changes (with --out DIR, runs go to DIR-1, DIR-2 ...)" },
    "confirm-live": { type: "boolean", description: "mode live against a live-money host (api.alpaca.markets): yes, send real orders" },
    audit: { type: "boolean", description: "After the run, the look-ahead audit (bun run session audit); its verdict goes into summary.json and the report" },
    "allow-missing": { type: "boolean", description: "Run even when a session symbol has no data in the window (a warning instead of an error)" },
  },
  async run({ args, rawArgs }) {
    if (args.watch) {
      const { watchSession } = await import("./_watch.ts");
      await watchSession(args.file, rawArgs.filter((a) => a !== "--watch"), collectRepeated(rawArgs, "set"), args.out);
    }
    const { runSessionCommand } = await import("./_session-run.ts");
    await runSessionCommand({
      file: args.file,
      json: Boolean(args.json),
      out: args.out,
      logLevel: args["log-level"] as "error" | "warn" | "info" | "debug",
      overrides: collectRepeated(rawArgs, "set"),
      screenshot: Boolean(args.screenshot),
      confirmLive: Boolean(args["confirm-live"]),
      audit: Boolean(args.audit),
      allowMissing: Boolean(args["allow-missing"]),
    });
  },
});

const newStrategyCommand = defineCommand({
  meta: { name: "new-strategy", description: "Write a documented strategy skeleton that runs as is.\n\nExample:\n  bun run session new-strategy my_breakout" },
  args: {
    name: { type: "positional", description: "The strategy's name (snake_case)", required: true },
    dir: { type: "string", description: "The plugin folder", default: "strategies" },
  },
  async run({ args }) {
    const { newStrategy } = await import("./_new-strategy.ts");
    const file = await newStrategy(args.name, args.dir);
    process.stdout.write(`wrote ${file}\nname it in a session:\n  strategies:\n    - name: ${args.name}\n      params: { interval: 5m }\n`);
  },
});

await runCli({
  main,
  subCommands: {
    validate,
    show,
    "new-strategy": newStrategyCommand,
    audit,
    pause: controlCommand("pause", "Hold a running session's new orders (and the clock of a paced backtest or a replay)"),
    resume: controlCommand("resume", "Let a paused session go on"),
    stop: controlCommand("stop", "The kill switch: cancel the session's open orders, close its positions, end it"),
  },
});
