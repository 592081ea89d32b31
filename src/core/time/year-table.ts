/**
 * One market-year, computed once from the rules: the status of every day and the instants of
 * every session. Calendar queries read these arrays, so each costs a lookup, not a rule walk.
 */
import { dayFromCivil, formatDay, parseIsoDate, weekdayOf, type DayNumber } from "./dates.ts";
import { ruleDate, WEEKDAYS, type DateRule } from "./holiday-rules.ts";
import type { MarketDefinition } from "./markets.ts";
import { localToUtc, parseClockTime } from "./tz.ts";

/** Status codes of a day in a YearTable. */
export const DayCode = { Open: 0, EarlyClose: 1, Holiday: 2, Weekend: 3 } as const;
export type DayCode = (typeof DayCode)[keyof typeof DayCode];

/** The days of one year of one market, indexed by day - firstDay. */
export interface YearTable {
  year: number;
  firstDay: DayNumber;
  codes: Uint8Array;
  /** Holiday or early-close name per day (undefined for plain days). */
  names: (string | undefined)[];
  preOpen: Float64Array;
  open: Float64Array;
  close: Float64Array;
  postClose: Float64Array;
  /** The trading days of the year, ascending. */
  tradingDays: Int32Array;
  /** Why a trading day has no valid session (a session time inside a DST gap); undefined when fine. */
  invalid: (string | undefined)[];
}

/** Builds the table of `year`; a day whose session time does not exist locally is marked invalid. */
export function buildYearTable(market: MarketDefinition, year: number): YearTable {
  const firstDay = dayFromCivil(year, 1, 1);
  const length = dayFromCivil(year + 1, 1, 1) - firstDay;
  const codes = new Uint8Array(length);
  const names: (string | undefined)[] = new Array(length).fill(undefined);
  const preOpen = new Float64Array(length).fill(NaN);
  const open = new Float64Array(length).fill(NaN);
  const close = new Float64Array(length).fill(NaN);
  const postClose = new Float64Array(length).fill(NaN);
  const tradingWeekdays = new Set(market.weekdays.map((w) => WEEKDAYS.indexOf(w)));

  for (let i = 0; i < length; i++) codes[i] = tradingWeekdays.has(weekdayOf(firstDay + i)) ? DayCode.Open : DayCode.Weekend;

  const mark = (day: DayNumber | undefined, code: DayCode, name: string, closeTime?: string) => {
    if (day === undefined || day < firstDay || day >= firstDay + length) return;
    const i = day - firstDay;
    if (codes[i] === DayCode.Weekend || codes[i] === DayCode.Holiday) return;
    codes[i] = code;
    names[i] = name;
    if (closeTime) close[i] = parseClockTime(closeTime)!;
  };
  // A rule's observed date can fall in the neighbouring year (Jan 1 on a Saturday -> Dec 31).
  const inYears = (rule: DateRule) => [ruleDate(rule, year - 1), ruleDate(rule, year), ruleDate(rule, year + 1)];
  for (const rule of market.holidays) for (const day of inYears(rule)) mark(day, DayCode.Holiday, rule.name);
  for (const closure of market.closures) mark(parseIsoDate(closure.date), DayCode.Holiday, closure.name);
  for (const rule of market.early_closes) for (const day of inYears(rule)) mark(day, DayCode.EarlyClose, rule.name, rule.close);
  for (const early of market.early_closures) mark(parseIsoDate(early.date), DayCode.EarlyClose, early.name, early.close);

  const hours = {
    preOpen: parseClockTime(market.hours.pre_open)!,
    open: parseClockTime(market.hours.open)!,
    close: parseClockTime(market.hours.close)!,
    postClose: parseClockTime(market.hours.post_close)!,
  };
  const earlyPost = market.early_close_post_close ? parseClockTime(market.early_close_post_close)! : undefined;
  const trading: number[] = [];
  const invalid: (string | undefined)[] = new Array(length).fill(undefined);
  for (let i = 0; i < length; i++) {
    const code = codes[i]!;
    if (code !== DayCode.Open && code !== DayCode.EarlyClose) continue;
    const day = firstDay + i;
    const closeMs = code === DayCode.EarlyClose ? close[i]! : hours.close;
    const postMs = code === DayCode.EarlyClose ? Math.max(closeMs, earlyPost ?? hours.postClose) : hours.postClose;
    const times = [hours.preOpen, hours.open, closeMs, postMs] as const;
    const targets = [preOpen, open, close, postClose] as const;
    const labels = ["pre_open", "open", "close", "post_close"] as const;
    for (let k = 0; k < 4; k++) {
      const { utcMs, exists } = localToUtc(market.timezone, day, times[k]!);
      targets[k]![i] = utcMs;
      if (!exists && !invalid[i]) {
        invalid[i] = `${market.name}: the ${labels[k]} time on ${formatDay(day)} does not exist in ${market.timezone} (a daylight-saving gap); move it in src/core/time/markets.yaml`;
      }
    }
    trading.push(day);
  }
  return { year, firstDay, codes, names, preOpen, open, close, postClose, tradingDays: Int32Array.from(trading), invalid };
}
