/**
 * Finds the timestamp, price and volume columns of an input file by their usual names, so the
 * files in ../shared/data (and most vendor exports) import without a column map.
 */
import { importError } from "../../errors.ts";

/** The fields an import looks for. */
export type Field = "ts" | "open" | "high" | "low" | "close" | "volume" | "vwap" | "trade_count" | "price" | "size" | "kind" | "symbol";

const ALIASES: Record<Field, string[]> = {
  // Earlier aliases win: `timestamp` before `timestamp_utc`, epoch ms before ISO text.
  ts: ["timestamp", "ts", "time", "datetime", "date_time", "date", "t", "opentimeinmillis", "open_time", "opentime", "bar_start", "start", "opentimeiniso"],
  open: ["open", "o", "open_price"],
  high: ["high", "h", "high_price"],
  low: ["low", "l", "low_price"],
  close: ["close", "c", "close_price", "last"],
  volume: ["volume", "v", "vol"],
  vwap: ["vwap", "vw"],
  trade_count: ["trade_count", "trades", "transactions", "num_trades", "n"],
  price: ["price", "p", "trade_price"],
  size: ["size", "qty", "quantity", "s", "trade_size"],
  kind: ["interval", "type", "kind"],
  symbol: ["symbol", "ticker", "sym", "instrument"],
};

/** Column indexes of the fields found in a header. */
export type ColumnMap = Partial<Record<Field, number>>;

/** Maps a header to fields by alias (case-insensitive, spaces and dashes as underscores). */
export function detectColumns(columns: readonly string[]): ColumnMap {
  const normalised = columns.map((name) => name.trim().toLowerCase().replace(/[\s-]+/g, "_"));
  const map: ColumnMap = {};
  for (const field of Object.keys(ALIASES) as Field[]) {
    for (const alias of ALIASES[field]) {
      const index = normalised.indexOf(alias);
      if (index !== -1) {
        map[field] = index;
        break;
      }
    }
  }
  return map;
}

/** Throws unless the map has every field in `needed`, naming what was found. */
export function requireColumns(file: string, columns: readonly string[], map: ColumnMap, needed: readonly Field[]): void {
  const missing = needed.filter((field) => map[field] === undefined);
  if (missing.length === 0) return;
  const hints = missing.map((field) => `${field} (${ALIASES[field].slice(0, 4).join(", ")} ...)`).join("; ");
  throw importError(`${file}: no column for ${hints}. The file's columns are: ${columns.join(", ")}`);
}
