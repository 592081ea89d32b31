/**
 * What every `bun run data` command shares: --root, --exchange, --asset-class, --json, and
 * date windows of the exchange's trading dates.
 */
import { DataManager } from "../core/data/data-manager.ts";
import { Store } from "../core/data/store.ts";
import { usageError } from "../core/errors.ts";
import { MarketCalendar } from "../core/time/calendar.ts";
import { parseIsoDate, type DayNumber } from "../core/time/dates.ts";
import { parseInterval, type Interval } from "../core/time/interval.ts";
import { markets } from "../core/time/markets.ts";

/** The flags every data command takes. */
export const commonArgs = {
  root: { type: "string", description: "The store folder", default: "data", valueHint: "DIR" },
  exchange: { type: "string", description: "exchange_group", default: "US_EQUITY", valueHint: "GROUP" },
  "asset-class": { type: "string", description: "asset_class (default: the exchange group's only one)", valueHint: "CLASS" },
  json: { type: "boolean", description: "Print JSON for scripts" },
} as const;

/** The store, calendar and data manager the flags point at. */
export function openData(args: { root: string; exchange: string; "asset-class"?: string }) {
  const classes = markets().filter((m) => m.exchange_group === args.exchange).map((m) => m.asset_class);
  const calendar = MarketCalendar.for(args.exchange, args["asset-class"] ?? (classes.length === 1 ? classes[0]! : "EQUITY"));
  const store = new Store(args.root, args.exchange);
  return { calendar, store, data: new DataManager(store, calendar) };
}

/** A YYYY-MM-DD flag as a day number. */
export function dayFlag(value: string | undefined, flag: string): DayNumber | undefined {
  if (value === undefined || value === "") return undefined;
  const day = parseIsoDate(value);
  if (day === undefined) throw usageError(`--${flag} ${JSON.stringify(value)} is not a date; allowed: YYYY-MM-DD`);
  return day;
}

/** An interval flag. */
export function intervalFlag(value: string, flag = "interval"): Interval {
  const parsed = parseInterval(value);
  if (!parsed) throw usageError(`--${flag} ${JSON.stringify(value)} is not an interval; allowed: Ns, Nm, Nh, 1d, 1w (e.g. 1m, 5m)`);
  return parsed;
}

/** [start, end) instants covering trading dates from..to (inclusive): local midnights, or the evening opens of a market whose sessions start the day before. */
export function dayWindow(calendar: MarketCalendar, from: DayNumber, to: DayNumber): { start: number; end: number } {
  if (to < from) throw usageError("--to is before --from");
  return { start: calendar.dayStart(from), end: calendar.dayStart(to + 1) };
}

/** A required string flag. */
export function required(value: string | undefined, flag: string, example: string): string {
  if (value === undefined || value === "") throw usageError(`--${flag} is required, e.g. --${flag} ${example}`);
  return value;
}

/** Formats a count with thousands separators. */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** Prints a value as pretty JSON. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
