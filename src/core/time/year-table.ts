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
  /** The midday break's start and end (NaN on days without one). */
  breakStart: Float64Array;
  breakEnd: Float64Array;
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
  markJapaneseRules(market, year, (day, name) => mark(day, DayCode.Holiday, name));
  for (const rule of market.early_closes) for (const day of inYears(rule)) mark(day, DayCode.EarlyClose, rule.name, rule.close);
  for (const early of market.early_closures) mark(parseIsoDate(early.date), DayCode.EarlyClose, early.name, early.close);

  const earlyPost = market.early_close_post_close ? parseClockTime(market.early_close_post_close)! : undefined;
  const breakStart = new Float64Array(length).fill(NaN);
  const breakEnd = new Float64Array(length).fill(NaN);
  const trading: number[] = [];
  const invalid: (string | undefined)[] = new Array(length).fill(undefined);
  for (let i = 0; i < length; i++) {
    const code = codes[i]!;
    if (code !== DayCode.Open && code !== DayCode.EarlyClose) continue;
    const day = firstDay + i;
    const hours = hoursOn(market, day);
    const closeMs = code === DayCode.EarlyClose ? close[i]! : hours.close;
    const postMs = code === DayCode.EarlyClose ? Math.max(closeMs, earlyPost ?? hours.postClose) : hours.postClose;
    // A break that an early close cuts off is no break.
    const pause = hours.breakStart !== undefined && hours.breakEnd !== undefined && hours.breakEnd < closeMs;
    const times = [hours.preOpen, hours.open, closeMs, postMs, pause ? hours.breakStart! : NaN, pause ? hours.breakEnd! : NaN] as const;
    const targets = [preOpen, open, close, postClose, breakStart, breakEnd] as const;
    const labels = ["pre_open", "open", "close", "post_close", "break_start", "break_end"] as const;
    // An evening open (CME Globex) is on the calendar day before the session's date.
    const openDay = market.hours.open_day === "previous" ? day - 1 : day;
    for (let k = 0; k < times.length; k++) {
      if (Number.isNaN(times[k])) continue;
      const { utcMs, exists } = localToUtc(market.timezone, k < 2 ? openDay : day, times[k]!);
      targets[k]![i] = utcMs;
      if (!exists && !invalid[i]) {
        invalid[i] = `${market.name}: the ${labels[k]} time on ${formatDay(day)} does not exist in ${market.timezone} (a daylight-saving gap); move it in src/core/time/markets.yaml`;
      }
    }
    trading.push(day);
  }
  return { year, firstDay, codes, names, preOpen, open, close, postClose, breakStart, breakEnd, tradingDays: Int32Array.from(trading), invalid };
}

interface Hours {
  preOpen: number;
  open: number;
  close: number;
  postClose: number;
  breakStart?: number;
  breakEnd?: number;
}

/** The local session times of `day` (ms of the day): the table's hours with every change from before it applied. */
function hoursOn(market: MarketDefinition, day: DayNumber): Hours {
  let times = { ...market.hours };
  for (const change of market.hours_changes) if (parseIsoDate(change.from)! <= day) times = { ...times, ...change };
  const ms = (text: string | undefined) => (text === undefined ? undefined : parseClockTime(text)!);
  return { preOpen: ms(times.pre_open)!, open: ms(times.open)!, close: ms(times.close)!, postClose: ms(times.post_close)!, breakStart: ms(times.break_start), breakEnd: ms(times.break_end) };
}

/**
 * Japan's two rules that depend on the other holidays: a holiday on a Sunday makes the next day
 * that is not a holiday one (rules with `observance: substitute`), and with `sandwiched_holidays`
 * a weekday between two holidays is one. Holidays of the neighbouring years count (31 December ...).
 */
function markJapaneseRules(market: MarketDefinition, year: number, mark: (day: DayNumber, name: string) => void): void {
  const substitutes = market.holidays.filter((rule) => rule.observance === "substitute");
  if (substitutes.length === 0 && !market.sandwiched_holidays) return;
  const holidays = new Set<DayNumber>();
  for (let y = year - 1; y <= year + 1; y++) {
    for (const rule of market.holidays) {
      const day = rule.exchange_only ? undefined : ruleDate(rule, y);
      if (day !== undefined) holidays.add(day);
    }
  }
  for (const closure of market.closures) holidays.add(parseIsoDate(closure.date)!);
  for (let y = year - 1; y <= year + 1; y++) {
    for (const rule of substitutes) {
      const day = ruleDate(rule, y);
      if (day === undefined || weekdayOf(day) !== 0) continue;
      let next = day + 1;
      while (holidays.has(next)) next++;
      holidays.add(next);
      mark(next, `${rule.name} (substitute holiday)`);
    }
  }
  if (!market.sandwiched_holidays) return;
  const first = dayFromCivil(year, 1, 1);
  const last = dayFromCivil(year + 1, 1, 1);
  for (let day = first; day < last; day++) {
    if (weekdayOf(day) !== 0 && !holidays.has(day) && holidays.has(day - 1) && holidays.has(day + 1)) mark(day, "Citizens' Holiday (between two holidays)");
  }
}
