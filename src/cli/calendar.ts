#!/usr/bin/env bun
/**
 * `bun run calendar`: an exchange's trading days, holidays and session times; `next` and `previous`.
 */
import { defineCommand } from "citty";
import { usageError } from "../core/errors.ts";
import { MarketCalendar, type DayInfo } from "../core/time/calendar.ts";
import { formatDay, isoUtc, parseIsoDate, WEEKDAY_NAMES, weekdayOf, type DayNumber } from "../core/time/dates.ts";
import { LiveClock } from "../core/time/clock.ts";
import { markets } from "../core/time/markets.ts";
import { formatClockTime } from "../core/time/tz.ts";
import { runCli } from "./_run-cli.ts";

const marketArgs = {
  exchange: { type: "string", description: "exchange_group of the market", default: "US_EQUITY", valueHint: "GROUP" },
  "asset-class": { type: "string", description: "asset_class (default: the market's only one)", valueHint: "CLASS" },
  json: { type: "boolean", description: "Print JSON for scripts" },
} as const;

function calendarFor(exchange: string, assetClass: string | undefined): MarketCalendar {
  if (assetClass) return MarketCalendar.for(exchange, assetClass);
  const classes = markets().filter((m) => m.exchange_group === exchange).map((m) => m.asset_class);
  return MarketCalendar.for(exchange, classes.length === 1 ? classes[0]! : "EQUITY");
}

function dayArg(value: string | undefined, flag: string, fallback: DayNumber): DayNumber {
  if (value === undefined || value === "") return fallback;
  const day = parseIsoDate(value);
  if (day === undefined) throw usageError(`--${flag} ${JSON.stringify(value)} is not a date; allowed: YYYY-MM-DD`);
  return day;
}

function today(calendar: MarketCalendar): DayNumber {
  return calendar.localTime(new LiveClock().now()).day;
}

/** The JSON row of a day: instants as ISO 8601 UTC, null where closed. */
export function dayJson(info: DayInfo) {
  const s = info.session;
  return {
    date: info.date,
    status: info.status,
    holiday: info.holiday ?? null,
    early_close_reason: s?.earlyCloseName ?? null,
    open_utc: s ? isoUtc(s.open) : null,
    close_utc: s ? isoUtc(s.close) : null,
    pre_open_utc: s ? isoUtc(s.preOpen) : null,
    post_close_utc: s ? isoUtc(s.postClose) : null,
    break_start_utc: s?.breakStart !== undefined ? isoUtc(s.breakStart) : null,
    break_end_utc: s?.breakEnd !== undefined ? isoUtc(s.breakEnd) : null,
  };
}

function printDays(calendar: MarketCalendar, infos: DayInfo[], json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(infos.map(dayJson), null, 2)}\n`);
    return;
  }
  const local = (ms: number) => formatClockTime(calendar.localTime(ms).msOfDay);
  // A close on the next day's midnight is 24:00 (a 24-hour session), not 00:00.
  const localClose = (open: number, close: number) => (close > open && calendar.localTime(close).msOfDay === 0 ? "24:00" : local(close));
  const utc = (ms: number) => isoUtc(ms).slice(0, 16).replace("T", " ");
  // The close's UTC date is shown when it is not the open's (an evening open, a session across midnight UTC).
  const utcClose = (open: number, close: number) => {
    if (close > open && close % 86_400_000 === 0 && close - open <= 86_400_000 && utc(open).slice(0, 10) === utc(close - 1).slice(0, 10)) return "24:00";
    return utc(close).slice(0, 10) === utc(open).slice(0, 10) ? utc(close).slice(11) : utc(close);
  };
  const rows = infos.map((info) => {
    const s = info.session;
    const status =
      info.status === "holiday" ? `holiday: ${info.holiday}` : info.status === "early_close" ? `early close (${s?.earlyCloseName})` : info.status;
    // A midday break shows as two spans: 09:00-11:30, 12:30-15:00.
    // An evening open (CME Globex) is the day before: "17:00 (day before)-17:00".
    const opens = s ? `${local(s.open)}${calendar.eveningOpen !== undefined ? " (day before)" : ""}` : "";
    const localHours = s ? (s.breakStart !== undefined ? `${opens}-${local(s.breakStart)}, ${local(s.breakEnd!)}-${localClose(s.open, s.close)}` : `${opens}-${localClose(s.open, s.close)}`) : "";
    const utcHours = s ? (s.breakStart !== undefined ? `${utc(s.open)} - ${utc(s.breakStart).slice(11)}, ${utc(s.breakEnd!).slice(11)} - ${utcClose(s.open, s.close)}` : `${utc(s.open)} - ${utcClose(s.open, s.close)}`) : "";
    return [info.date, WEEKDAY_NAMES[weekdayOf(info.day)]!, status, localHours, utcHours];
  });
  const header = ["date", "day", "status", `local (${calendar.timezone})`, "UTC"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  process.stdout.write(`${calendar.market.name}\n${line(header)}\n${rows.map(line).join("\n")}\n`);
}

function stepCommand(direction: "next" | "previous") {
  return defineCommand({
    meta: { name: direction, description: `The ${direction} n trading days (exclusive of the start day). Example: bun run calendar ${direction} --n 3` },
    args: {
      ...marketArgs,
      n: { type: "string", description: "How many trading days", default: "1" },
      from: { type: "string", description: "Start day (default: today in the market's time zone)", valueHint: "YYYY-MM-DD" },
    },
    run({ args }) {
      const calendar = calendarFor(args.exchange, args["asset-class"]);
      const n = Number(args.n);
      if (!Number.isInteger(n) || n < 1 || n > 10_000) throw usageError(`--n ${JSON.stringify(args.n)}: allowed: a whole number from 1 to 10000`);
      const start = dayArg(args.from, "from", today(calendar));
      const days: DayNumber[] = [];
      let day = start;
      for (let i = 0; i < n; i++) {
        day = direction === "next" ? calendar.nextTradingDay(day) : calendar.previousTradingDay(day);
        days.push(day);
      }
      printDays(calendar, days.map((d) => calendar.dayInfo(d)), Boolean(args.json));
    },
  });
}

const main = defineCommand({
  meta: {
    name: "calendar",
    description:
      "Each day of a range: status (open, early close, holiday and its name, weekend) and session times.\n\nExamples:\n" +
      "  bun run calendar --exchange US_EQUITY --from 2025-06-30 --to 2025-07-08\n" +
      "  bun run calendar --from 2025-07-01 --to 2025-07-07 --json\n  bun run calendar next --n 3",
  },
  args: {
    ...marketArgs,
    from: { type: "string", description: "First day (default: today)", valueHint: "YYYY-MM-DD" },
    to: { type: "string", description: "Last day, inclusive (default: 14 days after --from)", valueHint: "YYYY-MM-DD" },
  },
  run({ args }) {
    const calendar = calendarFor(args.exchange, args["asset-class"]);
    const from = dayArg(args.from, "from", today(calendar));
    const to = dayArg(args.to, "to", from + 14);
    if (to < from) throw usageError(`--to ${formatDay(to)} is before --from ${formatDay(from)}`);
    if (to - from > 366 * 50) throw usageError("the range is longer than 50 years; ask for less");
    const infos: DayInfo[] = [];
    for (let day = from; day <= to; day++) infos.push(calendar.dayInfo(day));
    printDays(calendar, infos, Boolean(args.json));
  },
});

await runCli({ main, subCommands: { next: stepCommand("next"), previous: stepCommand("previous") } });
