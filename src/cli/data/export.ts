/** `bun run data export`: any window of any interval the store can answer, as CSV or Parquet. */
import { defineCommand } from "citty";
import pl from "nodejs-polars";
import { writeFileAtomic, writeParquetAtomic } from "../../core/data/atomic.ts";
import { BAR_COLUMNS } from "../../core/data/bars.ts";
import { usageError } from "../../core/errors.ts";
import { commonArgs, count, dayFlag, dayWindow, intervalFlag, openData, required } from "../_data-common.ts";

export default defineCommand({
  meta: {
    name: "export",
    description:
      "Write bars to a file: CSV columns ts,open,high,low,close,volume (ts = bar start, ISO 8601 UTC) or Parquet.\n\nExample:\n" +
      "  bun run data export --symbol MSFT --interval 5m --from 2025-07-03 --to 2025-07-03 --regular-hours --format csv --output msft-5m.csv",
  },
  args: {
    symbol: { type: "string", description: "The symbol", valueHint: "SYMBOL" },
    interval: { type: "string", description: "Any stored or derivable interval", default: "1m" },
    from: { type: "string", description: "First trading date (a session that opens the evening before starts then)", valueHint: "YYYY-MM-DD" },
    to: { type: "string", description: "Last trading date (inclusive)", valueHint: "YYYY-MM-DD" },
    "regular-hours": { type: "boolean", description: "Only the regular session of each day (derived bars always are)" },
    format: { type: "enum", options: ["csv", "parquet"], description: "Output format", default: "csv" },
    output: { type: "string", description: "The file to write (atomically)", valueHint: "FILE" },
    ...commonArgs,
  },
  run({ args }) {
    const symbol = required(args.symbol, "symbol", "MSFT").toUpperCase();
    const output = required(args.output, "output", "bars.csv");
    const { calendar, data } = openData(args);
    const from = dayFlag(required(args.from, "from", "2025-07-03"), "from")!;
    const to = dayFlag(args.to, "to") ?? from;
    const { start, end } = dayWindow(calendar, from, to);
    const bars = data.getBars(symbol, intervalFlag(args.interval), start, end, { regularHoursOnly: Boolean(args["regular-hours"]) }).select(...BAR_COLUMNS);
    if (args.format === "parquet") writeParquetAtomic(output, bars);
    else if (args.format === "csv") {
      const text = bars.select(pl.col("ts").cast(pl.Datetime("ms", "UTC")).dt.strftime("%Y-%m-%dT%H:%M:%SZ").alias("ts"), ...BAR_COLUMNS.slice(1)).writeCSV();
      writeFileAtomic(output, text);
    } else throw usageError(`--format ${args.format}: allowed: csv, parquet`);
    if (args.json) process.stdout.write(`${JSON.stringify({ output, rows: bars.height })}\n`);
    else process.stdout.write(`wrote ${count(bars.height)} ${args.interval} bars of ${symbol} to ${output}\n`);
  },
});
