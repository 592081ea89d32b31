/**
 * The market table (markets.yaml): read once, checked with a schema, looked up by
 * (exchange_group, asset_class).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as v from "valibot";
import { checkSchema } from "../yaml/check-schema.ts";
import { readYaml } from "../yaml/read-yaml.ts";
import { calendarError, formatConfigIssues } from "../errors.ts";
import { isIsoDate } from "./dates.ts";
import { WEEKDAYS } from "./holiday-rules.ts";
import { assertTimeZone, parseClockTime } from "./tz.ts";

const time = v.pipe(v.string(), v.check((t) => parseClockTime(t) !== undefined, "is not a time; allowed: HH:MM (00:00-24:00)"));
const weekday = v.picklist(WEEKDAYS);
const year = v.pipe(v.number(), v.integer());
const date = v.pipe(v.string(), v.check(isIsoDate, "is not a YYYY-MM-DD date"));

const rule = v.pipe(
  v.strictObject({
    name: v.string(),
    month: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(12))),
    day: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(31))),
    weekday: v.optional(weekday),
    nth: v.optional(v.pipe(v.number(), v.integer(), v.minValue(-5), v.maxValue(5))),
    easter_offset: v.optional(v.pipe(v.number(), v.integer())),
    equinox: v.optional(v.picklist(["march", "september"])),
    offset_days: v.optional(v.pipe(v.number(), v.integer())),
    observance: v.optional(v.picklist(["none", "sunday_to_monday", "nearest_weekday", "substitute"])),
    weekdays: v.optional(v.array(weekday)),
    exchange_only: v.optional(v.boolean()),
    from: v.optional(year),
    to: v.optional(year),
    close: v.optional(time),
  }),
  v.check(
    (r) => r.easter_offset !== undefined || r.equinox !== undefined || (r.month !== undefined && (r.day !== undefined || r.weekday !== undefined)),
    "a rule needs month + day, month + weekday (+ nth), easter_offset, or equinox",
  ),
);

const marketSchema = v.strictObject({
  exchange_group: v.string(),
  asset_class: v.string(),
  name: v.string(),
  timezone: v.string(),
  valid_from: v.optional(date),
  weekdays: v.array(weekday),
  hours: v.strictObject({
    pre_open: time,
    open: time,
    close: time,
    post_close: time,
    break_start: v.optional(time),
    break_end: v.optional(time),
    /** `previous`: the session opens (and pre-opens) the evening before the date it belongs to (CME Globex). */
    open_day: v.optional(v.picklist(["same", "previous"]), "same"),
  }),
  /** Later hours: from a date on, these times replace the ones above. */
  hours_changes: v.optional(
    v.array(v.strictObject({ from: date, pre_open: v.optional(time), open: v.optional(time), close: v.optional(time), post_close: v.optional(time), break_start: v.optional(time), break_end: v.optional(time) })),
    [],
  ),
  early_close_post_close: v.optional(time),
  /** Japan's rule: a weekday between two holidays is a holiday too. */
  sandwiched_holidays: v.optional(v.boolean(), false),
  holidays: v.optional(v.array(rule), []),
  closures: v.optional(v.array(v.strictObject({ date, name: v.string() })), []),
  early_closes: v.optional(v.array(rule), []),
  early_closures: v.optional(v.array(v.strictObject({ date, close: time, name: v.string() })), []),
});

/** One market of the table. */
export type MarketDefinition = v.InferOutput<typeof marketSchema>;

const TABLE_FILE = fileURLToPath(new URL("./markets.yaml", import.meta.url));
let table: MarketDefinition[] | undefined;

/** Every market in the table (read and checked on first use). */
export function markets(file = TABLE_FILE): MarketDefinition[] {
  if (table && file === TABLE_FILE) return table;
  const read = readYaml(readFileSync(file, "utf8"), file);
  if (!read.ok) throw calendarError(formatConfigIssues(file, read.issues));
  const checked = checkSchema(v.array(marketSchema), read.located);
  if (!checked.ok) throw calendarError(formatConfigIssues(file, checked.issues));
  for (const market of checked.output) {
    assertTimeZone(market.timezone);
    for (const hours of [market.hours, ...market.hours_changes]) {
      if ((hours.break_start === undefined) !== (hours.break_end === undefined)) throw calendarError(`${file}: ${market.name}: break_start and break_end go together (a midday break has both)`);
    }
  }
  if (file === TABLE_FILE) table = checked.output;
  return checked.output;
}

/** The market for (exchange_group, asset_class), or a clear error listing the known pairs. */
export function findMarket(exchangeGroup: string, assetClass: string): MarketDefinition {
  const all = markets();
  const found = all.find((m) => m.exchange_group === exchangeGroup && m.asset_class === assetClass);
  if (found) return found;
  const known = all.map((m) => `${m.exchange_group}/${m.asset_class}`).join(", ");
  throw calendarError(`unknown market ${exchangeGroup}/${assetClass}; known (exchange_group/asset_class): ${known}. Add one to src/core/time/markets.yaml.`);
}
