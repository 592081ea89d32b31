/**
 * `bun run data import <files...> --symbol S --interval 1m`: CSV, JSON or Parquet bars (or ticks)
 * into the store, every row validated, with a summary of what happened.
 */
import { defineCommand } from "citty";
import { importFiles, type ImportSummary } from "../../core/data/import/importer.ts";
import { INPUT_FORMATS, type InputFormat } from "../../core/data/import/records.ts";
import { parseDuration } from "../../core/data/import/timestamps.ts";
import { fileNotFound, usageError } from "../../core/errors.ts";
import { assertTimeZone } from "../../core/time/tz.ts";
import { commonArgs, count, dayFlag, dayWindow, intervalFlag, openData, printJson } from "../_data-common.ts";
import { existsSync } from "node:fs";

export default defineCommand({
  meta: {
    name: "import",
    description:
      "Import bars or ticks; every row is validated. Files are read a piece at a time (memory does not grow with the file).\n" +
      "One symbol per file (--symbol), or many: a symbol column (symbol, ticker ...).\n\nExamples:\n" +
      "  bun run data import ../shared/data/bars_1m/MSFT_1m_2025-06-02_2025-07-07.csv --symbol MSFT --interval 1m\n" +
      "  bun run data import ../shared/data/original_dumps/bars_dump_AAPL_2025-07-02.csv --symbol AAPL --shift -4h\n" +
      "  bun run data import ../shared/data/ticks/AAPL_ticks_2025-11-03_premarket.csv --symbol AAPL --kind ticks",
  },
  args: {
    files: { type: "positional", description: "The files to import (CSV, JSON or Parquet)", required: true },
    symbol: { type: "string", description: "The symbol every row belongs to (default: the file's symbol column)", valueHint: "SYMBOL" },
    delimiter: { type: "string", description: "CSV field delimiter (default: detected from the header among , ; tab |)", valueHint: "CHAR" },
    interval: { type: "string", description: "The bars' interval", default: "1m", valueHint: "1m" },
    kind: { type: "enum", options: ["auto", "bars", "ticks"], description: "Bars or ticks (auto: ticks when the file says interval=tick)", default: "auto" },
    format: { type: "enum", options: [...INPUT_FORMATS], description: "Input format (auto: by extension)", default: "auto" },
    tz: { type: "string", description: "Zone of timestamps without a UTC offset", default: "UTC", valueHint: "ZONE" },
    shift: { type: "string", description: "Add a duration to every timestamp, e.g. -4h for the original system's dumps", valueHint: "DURATION" },
    from: { type: "string", description: "Only rows of this trading date or later", valueHint: "YYYY-MM-DD" },
    to: { type: "string", description: "Only rows of this trading date or earlier", valueHint: "YYYY-MM-DD" },
    "on-bad-row": { type: "enum", options: ["refuse", "skip"], description: "refuse: write nothing if any row is bad; skip: leave bad rows out", default: "refuse" },
    "tick-bars": { type: "string", description: "Bar intervals built from imported ticks (comma-separated, or none)", default: "1s,1m" },
    ...commonArgs,
  },
  async run({ args }) {
    const files = [args.files, ...args._.filter((f) => f !== args.files)];
    for (const file of files) if (!existsSync(file)) throw fileNotFound("input file", file);
    const symbol = args.symbol?.toUpperCase();
    const delimiter = args.delimiter === undefined ? undefined : args.delimiter === "\\t" || args.delimiter === "tab" ? "\t" : args.delimiter;
    if (delimiter !== undefined && delimiter.length !== 1) throw usageError(`--delimiter ${JSON.stringify(args.delimiter)}: allowed: one character, such as , ; | or tab`);
    const shiftMs = args.shift ? parseDuration(args.shift) : 0;
    if (shiftMs === undefined) throw usageError(`--shift ${JSON.stringify(args.shift)} is not a duration; allowed: e.g. -4h, +30m, 90s`);
    assertTimeZone(args.tz);
    const { calendar, store } = openData(args);
    const from = dayFlag(args.from, "from");
    const to = dayFlag(args.to, "to");
    const window = from !== undefined || to !== undefined ? dayWindow(calendar, from ?? -1e6, to ?? 1e6) : undefined;
    const tickBars = args["tick-bars"] === "none" ? [] : args["tick-bars"].split(",").map((t) => intervalFlag(t.trim(), "tick-bars"));
    const summary = await importFiles(store, calendar, files, {
      symbol,
      interval: intervalFlag(args.interval),
      kind: args.kind as "auto" | "bars" | "ticks",
      format: args.format as InputFormat,
      delimiter,
      zone: args.tz,
      shiftMs,
      onBadRow: args["on-bad-row"] as "refuse" | "skip",
      tickBars,
      window,
      progress: (line) => process.stderr.write(`${line}\n`),
    });
    if (args.json) printJson(summary);
    else printSummary(summary);
  },
});

function printSummary(s: ImportSummary): void {
  const lines = [
    `imported ${s.symbols.length > 5 ? `${s.symbols.length} symbols` : s.symbol} ${s.table}: ${count(s.rowsRead)} rows read, ${count(s.rowsAccepted)} accepted, ${count(s.rowsRejected)} rejected; ` +
      `${count(s.rowsWritten)} written (${count(s.rowsReplaced)} replaced stored rows)`,
  ];
  for (const f of s.files) lines.push(`  ${f.file}: ${f.format}, ${f.timestamps}${f.outside ? `, ${count(f.outside)} rows outside --from/--to` : ""}`);
  for (const p of s.partitions) lines.push(`  ${p.changed ? "wrote" : "unchanged"} ${p.path} (${count(p.rowsBefore)} -> ${count(p.rowsAfter)} rows)`);
  for (const d of s.derived) lines.push(`  built ${count(d.bars)} ${d.interval} bars from the ticks (${d.partitions.filter((p) => p.changed).length} files written)`);
  for (const note of s.notes) lines.push(`  note: ${note}`);
  for (const r of s.rejected.slice(0, 20)) lines.push(`  skipped ${r.file}:${r.line}: ${r.reason}`);
  if (s.rowsRejected > 20) lines.push(`  ... and ${count(s.rowsRejected - 20)} more skipped rows (--json lists the first ${s.rejected.length})`);
  if (s.coverage.length > 0) {
    lines.push("coverage (regular session):");
    for (const d of s.coverage) {
      const extended = d.rows - d.regular;
      lines.push(`  ${d.date}${d.symbol ? ` ${d.symbol.padEnd(6)}` : ""}  ${String(d.regular).padStart(4)}/${String(d.expected).padEnd(4)} ${d.quality === null ? "" : `${d.quality}%`}${extended > 0 ? `  (+${count(extended)} outside regular hours)` : ""}`);
    }
  }
  process.stdout.write(`${lines.join("\n")}\n`);
}
