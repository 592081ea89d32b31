/**
 * The run directory's file list and each table's schema: the one place that names them. The run
 * writer writes these, the readers read them, the report and `report diff` go through both.
 *
 *   config.yaml            the resolved session, written before the first day
 *   status.json            running | complete | failed | stopped, the days done, the error
 *   session.log            every [SESSION_FLOW] line (appended, flushed at each day's end)
 *   summary.json           the RunSummary, when the run ends (report.formats: json)
 *   orders.csv ... days.csv   tables that grow during the run (csv), appended at each day's end
 *   equity.parquet, equity_daily.parquet   tables that grow (parquet), journaled as CSV under
 *                          .journal/ while the run goes and written whole when it ends
 *   bars/<SYMBOL>_<interval>.parquet, indicators/<SYMBOL>_<interval>.parquet   written when it ends
 *   report.html, report.png    the report (html), its capture (--screenshot)
 */

/** How a column is stored: `time` is epoch ms in memory, ISO 8601 UTC text in CSV, Int64 in Parquet. */
export type ColumnType = "time" | "number" | "text" | "flag";

/** A table's columns, in file order. */
export type Schema = Readonly<Record<string, ColumnType>>;

/** Where a table goes. */
export interface TableSpec {
  /** The file, relative to the run directory (`{key}` for per-stream tables). */
  file: string;
  format: "csv" | "parquet";
  schema: Schema;
  /** Rows are appended during the run (flushed at each day's end); otherwise put once at the end. */
  grows: boolean;
  /** Rewritten in this column's order when the run ends (rows arrive as they settle). */
  sortBy?: string;
  /** The file exists only once it has a row (a rare event's table). */
  whenUsed?: boolean;
}

export const ORDERS_SCHEMA = { id: "number", time: "time", strategy: "text", symbol: "text", side: "text", type: "text", qty: "number", limit: "number", stop: "number", tif: "text", status: "text", reason: "text", parent: "number", filled_qty: "number", client_order_id: "text" } as const satisfies Schema;
export const FILLS_SCHEMA = { time: "time", symbol: "text", side: "text", qty: "number", price: "number", commission: "number", order_id: "number", strategy: "text", ambiguous: "flag" } as const satisfies Schema;
export const TRADES_SCHEMA = { symbol: "text", side: "text", qty: "number", entry_time: "time", entry_price: "number", exit_time: "time", exit_price: "number", pnl: "number", commission: "number", strategy: "text" } as const satisfies Schema;
export const QUALITY_SCHEMA = { date: "text", symbol: "text", interval: "text", source: "text", bars: "number", expected: "number", quality: "number", gaps: "number" } as const satisfies Schema;
export const GAPS_SCHEMA = { date: "text", symbol: "text", interval: "text", start_utc: "time", end_utc: "time", bars: "number" } as const satisfies Schema;
export const DAYS_SCHEMA = { date: "text", early_close: "flag", iterations: "number", bars: "number", derived_bars: "number", final_time: "time", base_quality: "number", gaps: "number", incomplete_streams: "number" } as const satisfies Schema;
export const EQUITY_SCHEMA = { ts: "time", cash: "number", equity: "number" } as const satisfies Schema;
export const EQUITY_DAILY_SCHEMA = { date: "text", scope: "text", name: "text", equity: "number", steps: "number", steps_in_market: "number" } as const satisfies Schema;
export const CONTROLS_SCHEMA = { requested_at: "text", received_at: "text", command: "text", by: "text", session_time: "time" } as const satisfies Schema;
export const BARS_SCHEMA = { ts: "time", open: "number", high: "number", low: "number", close: "number", volume: "number" } as const satisfies Schema;

/** Every table of a run. Bars and indicators have one file per stream; their columns beyond the schema are the stream's own (partial, indicator keys). */
export const TABLES = {
  orders: { file: "orders.csv", format: "csv", schema: ORDERS_SCHEMA, grows: true, sortBy: "id" },
  fills: { file: "fills.csv", format: "csv", schema: FILLS_SCHEMA, grows: true },
  trades: { file: "trades.csv", format: "csv", schema: TRADES_SCHEMA, grows: true },
  quality: { file: "quality.csv", format: "csv", schema: QUALITY_SCHEMA, grows: true },
  gaps: { file: "gaps.csv", format: "csv", schema: GAPS_SCHEMA, grows: true },
  days: { file: "days.csv", format: "csv", schema: DAYS_SCHEMA, grows: true },
  controls: { file: "controls.csv", format: "csv", schema: CONTROLS_SCHEMA, grows: true, whenUsed: true },
  equity: { file: "equity.parquet", format: "parquet", schema: EQUITY_SCHEMA, grows: true },
  equity_daily: { file: "equity_daily.parquet", format: "parquet", schema: EQUITY_DAILY_SCHEMA, grows: true },
  bars: { file: "bars/{key}.parquet", format: "parquet", schema: BARS_SCHEMA, grows: false },
  indicators: { file: "indicators/{key}.parquet", format: "parquet", schema: { ts: "time" }, grows: false },
} as const satisfies Record<string, TableSpec>;

/** A table's name. */
export type TableName = keyof typeof TABLES;

/** The other files. */
export const RUN_FILES = {
  config: "config.yaml",
  status: "status.json",
  log: "session.log",
  summary: "summary.json",
  report: "report.html",
  screenshot: "report.png",
  journal: ".journal",
} as const;

/** The path of a table's file (with its key for per-stream tables). */
export function tableFile(table: TableName, key?: string): string {
  const file: string = TABLES[table].file;
  return key === undefined ? file : file.replace("{key}", key);
}

/** The journal a Parquet table keeps while the run goes (CSV text, one chunk per day). */
export function journalFile(table: TableName): string {
  return `${RUN_FILES.journal}/${table}.csv`;
}
