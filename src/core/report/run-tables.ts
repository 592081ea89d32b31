/**
 * The run's trading tables, as Polars frames: what the metrics and the report read. In a session
 * they are built from the very text and frames written to the run directory (CSV parsed with the
 * same schema as a later read), so `bun run report` on the files computes the same numbers.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pl, { type DataType } from "nodejs-polars";
import { reportError } from "../errors.ts";

/** The files, by table. */
export const RUN_FILES = {
  equity: "equity.parquet",
  daily: "equity_daily.parquet",
  trades: "trades.csv",
  fills: "fills.csv",
  orders: "orders.csv",
} as const;

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

export const TRADES_SCHEMA = {
  symbol: pl.Utf8,
  side: pl.Utf8,
  qty: pl.Float64,
  entry_time: pl.Utf8,
  entry_price: pl.Float64,
  exit_time: pl.Utf8,
  exit_price: pl.Float64,
  pnl: pl.Float64,
  commission: pl.Float64,
  strategy: pl.Utf8,
};

export const FILLS_SCHEMA = {
  time: pl.Utf8,
  symbol: pl.Utf8,
  side: pl.Utf8,
  qty: pl.Float64,
  price: pl.Float64,
  commission: pl.Float64,
  order_id: pl.Float64,
  strategy: pl.Utf8,
  ambiguous: pl.Bool,
};

export const ORDERS_SCHEMA = {
  id: pl.Float64,
  time: pl.Utf8,
  strategy: pl.Utf8,
  symbol: pl.Utf8,
  side: pl.Utf8,
  type: pl.Utf8,
  qty: pl.Float64,
  limit: pl.Float64,
  stop: pl.Float64,
  tif: pl.Utf8,
  status: pl.Utf8,
  reason: pl.Utf8,
  parent: pl.Float64,
};

/** A CSV table (the text as written) parsed with its schema. */
export function parseCsv(text: string, schema: Record<string, DataType>): pl.DataFrame {
  return pl.readCSV(text, { schema, hasHeader: true });
}

/** Reads the tables of a run directory; names every missing file and what writes it. */
export function readRunTables(dir: string): RunTables {
  const missing = Object.values(RUN_FILES).filter((file) => !existsSync(join(dir, file)));
  if (missing.length > 0) {
    throw reportError(`${dir}: missing ${missing.join(", ")}; a run writes them when report.formats includes csv and parquet`);
  }
  const text = (file: string) => readFileSync(join(dir, file), "utf8");
  return {
    equity: pl.readParquet(join(dir, RUN_FILES.equity)),
    daily: pl.readParquet(join(dir, RUN_FILES.daily)),
    trades: parseCsv(text(RUN_FILES.trades), TRADES_SCHEMA),
    fills: parseCsv(text(RUN_FILES.fills), FILLS_SCHEMA),
    orders: parseCsv(text(RUN_FILES.orders), ORDERS_SCHEMA),
  };
}
