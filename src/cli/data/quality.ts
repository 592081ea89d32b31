/** `bun run data quality <symbol>`: per day expected vs actual bars, gaps, duplicates, quality %. */
import { defineCommand } from "citty";
import { dayQuality, percent } from "../../core/data/day-quality.ts";
import { barColumns } from "../../core/data/bars.ts";
import { isoUtc } from "../../core/time/dates.ts";
import { formatClockTime } from "../../core/time/tz.ts";
import { commonArgs, dayFlag, intervalFlag, openData, printJson } from "../_data-common.ts";

export default defineCommand({
  meta: { name: "quality", description: "Regular-session quality per day against the calendar.\n\nExample:\n  bun run data quality FXY --from 2025-07-01 --to 2025-07-07" },
  args: {
    symbol: { type: "positional", description: "The symbol", required: true },
    interval: { type: "string", description: "The interval to check (stored or derivable)", default: "1m" },
    from: { type: "string", description: "First trading date (default: the first stored bar)", valueHint: "YYYY-MM-DD" },
    to: { type: "string", description: "Last trading date (default: the last stored bar)", valueHint: "YYYY-MM-DD" },
    ...commonArgs,
  },
  run({ args }) {
    const { calendar, store, data } = openData(args);
    const symbol = args.symbol.toUpperCase();
    const interval = intervalFlag(args.interval);
    const stored = store.list().filter((s) => s.symbol === symbol && s.first !== null);
    const first = dayFlag(args.from, "from") ?? (stored.length ? calendar.dayOf(Math.min(...stored.map((s) => s.first!))) : undefined);
    const last = dayFlag(args.to, "to") ?? (stored.length ? calendar.dayOf(Math.max(...stored.map((s) => s.last!))) : undefined);
    if (first === undefined || last === undefined) throw data.requireSource(symbol, interval);
    const days = calendar.tradingDays(first, last);
    const bars = data.getBars(symbol, interval, calendar.dayStart(first), calendar.dayStart(last + 1));
    const ts = barColumns(bars).ts;
    let i = 0;
    const report = days.map((day) => {
      const session = calendar.session(day)!;
      const start = i;
      const dayEnd = calendar.dayStart(day + 1);
      while (i < ts.length && ts[i]! < dayEnd) i++;
      let from = start;
      while (from < i && ts[from]! < calendar.dayStart(day)) from++;
      return dayQuality(ts, from, i, session, interval);
    });
    const expected = report.reduce((n, d) => n + d.expected, 0);
    const actual = report.reduce((n, d) => n + d.actual, 0);
    const totals = { symbol, interval: interval.text, days: report.length, expected, actual, quality: percent(actual, expected), gaps: report.reduce((n, d) => n + d.gaps.length, 0), duplicates: report.reduce((n, d) => n + d.duplicates, 0) };
    if (args.json) {
      return printJson({ ...totals, by_day: report.map((d) => ({ ...d, gaps: d.gaps.map((g) => ({ start: isoUtc(g.start), end: isoUtc(g.end), bars: g.bars })) })) });
    }
    const local = (ms: number) => formatClockTime(calendar.localTime(ms).msOfDay);
    const lines = report.map((d) => {
      const gaps = d.gaps.slice(0, 4).map((g) => `${local(g.start)}-${local(g.end)} (${g.bars})`).join(", ");
      const more = d.gaps.length > 4 ? ` +${d.gaps.length - 4} more` : "";
      return `${d.date}  ${String(d.actual).padStart(4)}/${String(d.expected).padEnd(4)} ${d.quality.toFixed(2).padStart(6)}%  gaps ${d.gaps.length}${d.gaps.length ? `: ${gaps}${more}` : ""}${d.duplicates ? `  duplicates ${d.duplicates}` : ""}`;
    });
    process.stdout.write(`${symbol} ${interval.text}, regular session (${calendar.timezone})\n${lines.join("\n")}\ntotal: ${actual}/${expected} bars, quality ${totals.quality}%, ${totals.gaps} gaps, ${totals.duplicates} duplicates over ${report.length} trading ${report.length === 1 ? "day" : "days"}\n`);
  },
});
