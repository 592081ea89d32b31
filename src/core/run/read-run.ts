/**
 * Reading a run directory back: its trading tables as Polars frames, typed as the writer types
 * them, from a finished run or from one that stopped early (Parquet tables then come from their
 * journal). `bun run report` and `report diff` read runs through this.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pl from "nodejs-polars";
import { reportError } from "../errors.ts";
import { journalFile, TABLES, tableFile, type TableName } from "./run-files.ts";
import { frameSchema } from "./table-buffer.ts";

/**
 * - equity: ts (epoch ms, the end of each merge step), cash, equity (the account);
 * - daily: date, scope (account | strategy | symbol), name, equity, steps, steps_in_market;
 * - trades, fills, orders: the CSV columns, times as ISO 8601 UTC text.
 */
export interface RunTables {
  equity: pl.DataFrame;
  daily: pl.DataFrame;
  trades: pl.DataFrame;
  fills: pl.DataFrame;
  orders: pl.DataFrame;
}

/** A CSV table of a run (the text as written) parsed with its schema. */
export function readCsvTable(dir: string, table: TableName): pl.DataFrame {
  const spec = TABLES[table];
  const file = join(dir, spec.file);
  if (!existsSync(file)) throw reportError(`${dir}: missing ${spec.file}; a run writes it when report.formats includes csv`);
  return pl.readCSV(readFileSync(file), { schema: frameSchema(spec.schema, "csv"), hasHeader: true });
}

/** A Parquet table of a run: the file of a finished run, else the journal an unfinished one kept. */
export function readParquetTable(dir: string, table: TableName): pl.DataFrame {
  const spec = TABLES[table];
  const file = join(dir, tableFile(table));
  if (existsSync(file)) return pl.readParquet(file);
  const journal = join(dir, journalFile(table));
  if (!existsSync(journal)) throw reportError(`${dir}: missing ${spec.file}; a run writes it when report.formats includes parquet`);
  const text = pl.readCSV(readFileSync(journal), { schema: frameSchema(spec.schema, "csv"), hasHeader: true });
  // The journal holds times as ISO text, as CSV does; the table holds epoch ms.
  const times = Object.entries(spec.schema).filter(([, type]) => type === "time").map(([name]) => name);
  return text.withColumns(...times.map((name) => pl.col(name).str.strptime(pl.Datetime("ms"), "%Y-%m-%dT%H:%M:%S%.3fZ").cast(pl.Int64).alias(name)));
}

/** Reads the trading tables of a run directory; names every missing file and what writes it. */
export function readRunTables(dir: string): RunTables {
  return {
    equity: readParquetTable(dir, "equity"),
    daily: readParquetTable(dir, "equity_daily"),
    trades: readCsvTable(dir, "trades"),
    fills: readCsvTable(dir, "fills"),
    orders: readCsvTable(dir, "orders").sort("id"),
  };
}
