#!/usr/bin/env bun
/**
 * `bun run indicator <name> --input bars.csv|parquet [--param k=v ...] [--json]`: one indicator
 * over a file of bars, printed bar by bar, for checking a value by hand. `bun run indicator list`.
 */
import { defineCommand } from "citty";
import * as v from "valibot";
import { detectColumns, requireColumns } from "../core/data/import/columns.ts";
import { readAllRecords } from "../core/data/import/records.ts";
import { detectTimestampKind, parseTimestamp } from "../core/data/import/timestamps.ts";
import { fileNotFound, usageError } from "../core/errors.ts";
import type { IndicatorPlugin } from "../core/indicators/define.ts";
import { BUILTIN_PLUGIN_DIRS, discoverPlugins } from "../core/plugins/discover.ts";
import { issueText } from "../core/yaml/check-schema.ts";
import { MarketCalendar } from "../core/time/calendar.ts";
import { isoUtc } from "../core/time/dates.ts";
import { collectRepeated, runCli } from "./_run-cli.ts";
import { existsSync } from "node:fs";

const pluginArgs = { "plugins-dir": { type: "string", description: "More folders of indicator plugins besides the built-in ones (comma-separated)", valueHint: "DIRS" } } as const;

async function registryFor(dirs: string | undefined) {
  return discoverPlugins([...BUILTIN_PLUGIN_DIRS, ...(dirs ?? "").split(",").map((d) => d.trim()).filter(Boolean)]);
}

/** Reads `ts, open, high, low, close, volume` bars from a CSV, JSON or Parquet file. */
function readBars(file: string, calendar: MarketCalendar) {
  if (!existsSync(file)) throw fileNotFound("input file", file);
  const records = readAllRecords(file);
  const map = detectColumns(records.columns);
  requireColumns(file, records.columns, map, ["ts", "close"]);
  const kind = detectTimestampKind(records.rows.map((r) => r[map.ts!]));
  if (!kind) throw usageError(`${file}: the first timestamp is not one sessionflow reads`);
  const context = { kind, zone: "UTC", calendar, previousUs: -Infinity };
  const num = (row: unknown[], field: keyof typeof map, fallback: number) => (map[field] === undefined ? fallback : Number(row[map[field]!]));
  const bars = records.rows.map((row, i) => {
    const us = parseTimestamp(row[map.ts!], context);
    if (typeof us === "string") throw usageError(`${file}:${records.lines[i]}: ${us}`);
    context.previousUs = us;
    const close = num(row, "close", NaN);
    return { ts: Math.floor(us / 1000), open: num(row, "open", close), high: num(row, "high", close), low: num(row, "low", close), close, volume: num(row, "volume", 0) };
  });
  return bars;
}

const list = defineCommand({
  meta: { name: "list", description: "The indicators available, with their fields" },
  args: { ...pluginArgs },
  async run({ args }) {
    const registry = await registryFor(args["plugins-dir"]);
    for (const name of registry.names("indicator")) {
      const plugin = registry.get<IndicatorPlugin>("indicator", name)!.plugin;
      process.stdout.write(`${name.padEnd(14)} ${plugin.outputs.join(", ").padEnd(40)} ${plugin.description}\n`);
    }
  },
});

const main = defineCommand({
  meta: {
    name: "indicator",
    description:
      "Compute one indicator over a file of bars (columns ts,open,high,low,close,volume) and print it.\n\nExamples:\n" +
      "  bun run indicator rsi --input bars.csv --param period=14\n" +
      "  bun run indicator macd --input msft-5m.csv --param convention=tulip --json\n  bun run indicator list",
  },
  args: {
    name: { type: "positional", description: "The indicator (see: bun run indicator list)", required: true },
    input: { type: "string", description: "Bars as CSV, JSON or Parquet", valueHint: "FILE" },
    param: { type: "string", description: "A parameter key=value (repeatable), e.g. period=14", valueHint: "key=value" },
    json: { type: "boolean", description: "Print [{ ts, value }] (or the named fields), null before ready" },
    exchange: { type: "string", description: "The market: its sessions decide regular hours and where a new session starts (the indicators a session resets)", default: "US_EQUITY" },
    "all-hours": { type: "boolean", description: "Keep bars outside the regular session (by default they are left out, as a session leaves them out)" },
    ...pluginArgs,
  },
  async run({ args, rawArgs }) {
    if (!args.input) throw usageError("--input is required, e.g. --input bars.csv");
    const registry = await registryFor(args["plugins-dir"]);
    const found = registry.get<IndicatorPlugin>("indicator", args.name);
    if (!found) throw usageError(`no indicator named ${JSON.stringify(args.name)}; available: ${registry.names("indicator").join(", ")}`);
    const plugin = found.plugin;
    const raw: Record<string, unknown> = {};
    for (const text of collectRepeated(rawArgs, "param")) {
      const eq = text.indexOf("=");
      if (eq < 1) throw usageError(`--param ${text}: allowed: key=value`);
      const value = text.slice(eq + 1);
      raw[text.slice(0, eq)] = value === "true" ? true : value === "false" ? false : value !== "" && !Number.isNaN(Number(value)) ? Number(value) : value;
    }
    const checked = v.safeParse(plugin.params, raw);
    if (!checked.success) {
      const allowed = Object.keys((plugin.params as unknown as { entries?: object }).entries ?? {});
      const problems = checked.issues.map((i) => {
        const key = i.path?.map((p) => p.key).join(".") ?? "params";
        return i.type === "strict_object" ? `unknown parameter ${JSON.stringify(key)}; allowed: ${allowed.join(", ") || "none"}` : `--param ${key}: ${issueText(i)}`;
      });
      throw usageError(`indicator ${plugin.name}: ${problems.join("; ")}`);
    }
    const instance = plugin.create(checked.output as never);
    const calendar = MarketCalendar.for(args.exchange, args.exchange === "CRYPTO" ? "CRYPTO" : "EQUITY");
    const all = readBars(args.input, calendar);
    // As in a session: the regular session only (unless --all-hours), and a reset where a session starts for indicators that reset.
    const intraday = all.length > 1 && all.some((b, i) => i > 0 && b.ts - all[i - 1]!.ts < 86_400_000 && calendar.localTime(b.ts).day === calendar.localTime(all[i - 1]!.ts).day);
    const bars = args["all-hours"] || !intraday ? all : all.filter((b) => {
      const session = calendar.session(calendar.localTime(b.ts).day);
      return session !== undefined && b.ts >= session.open && b.ts < session.close;
    });
    const resets = plugin.resetEachSession?.(checked.output as never) ?? false;
    let day: number | undefined;
    const rows = bars.map((bar) => {
      const today = calendar.localTime(bar.ts).day;
      if (resets && day !== undefined && today !== day) instance.reset();
      day = today;
      instance.update(bar);
      const values = plugin.outputs.map((_, k) => (instance.ready ? instance.values[k]! : null));
      return { ts: isoUtc(bar.ts), values };
    });
    if (args.json) {
      const single = plugin.outputs.length === 1;
      const out = rows.map((r) => (single ? { ts: r.ts, value: r.values[0] } : { ts: r.ts, ...Object.fromEntries(plugin.outputs.map((f, k) => [f, r.values[k]])) }));
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return;
    }
    process.stdout.write(`ts,${plugin.outputs.join(",")}\n`);
    for (const r of rows) process.stdout.write(`${r.ts},${r.values.map((x) => (x === null ? "" : String(x))).join(",")}\n`);
  },
});

await runCli({ main, subCommands: { list } });
