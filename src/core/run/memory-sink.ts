/**
 * A run kept in memory: the trading tables a run's metrics are computed from, and nothing written
 * (a sweep's variants, an audit's reruns). Bars, indicators and the day's quality rows are dropped.
 */
import type { Rows, RunSink } from "../engine/run-sink.ts";
import type { RunTables } from "./read-run.ts";
import { TABLES, type TableName } from "./run-files.ts";
import { TableBuffer } from "./table-buffer.ts";

const KEPT = ["orders", "fills", "trades", "equity", "equity_daily"] as const satisfies readonly TableName[];

/** The sink of an in-memory run. */
export class MemorySink implements RunSink {
  private readonly buffers = new Map<string, TableBuffer>(KEPT.map((name) => [name, new TableBuffer(name, TABLES[name].schema)]));

  append(table: string, rows: Rows): void {
    this.buffers.get(table)?.push(rows);
  }

  put(): void {}

  endDay(): void {}

  /** The trading tables as frames, as a run directory's files would give them. */
  tables(): RunTables {
    const orders = this.buffers.get("orders")!;
    orders.sortBy("id");
    return {
      equity: this.buffers.get("equity")!.frame("parquet"),
      daily: this.buffers.get("equity_daily")!.frame("parquet"),
      trades: this.buffers.get("trades")!.frame("csv"),
      fills: this.buffers.get("fills")!.frame("csv"),
      orders: orders.frame("csv"),
    };
  }
}
