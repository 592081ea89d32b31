/**
 * Checks across keys that a schema cannot express: date order, symbol lists, unique indicator
 * keys, limits within buying power. They read the raw value defensively, so they report
 * alongside schema errors instead of waiting for them to be fixed.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { ConfigIssue } from "../errors.ts";
import { parseIsoDate } from "../time/dates.ts";
import { isInterval, parseInterval } from "../time/interval.ts";
import { formatPath, getAt, isRecord, locate, type Located, type PathSegment } from "../yaml/located.ts";

/** The key an indicator is known by: its `key`, or `name_period_interval`. */
export function indicatorKey(entry: { key?: unknown; name?: unknown; period?: unknown; interval?: unknown }): string {
  if (typeof entry.key === "string" && entry.key.length > 0) return entry.key;
  // name_period_interval (sma_20_5m); without a period, name_interval (vwap_1m).
  const period = entry.period === undefined || entry.period === null || entry.period === 0 ? "" : `_${String(entry.period)}`;
  return `${String(entry.name)}${period}_${String(entry.interval ?? "1d")}`;
}

/** Every cross-key problem in the document. */
export function semanticIssues(located: Located): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const doc = located.value;
  const report = (path: PathSegment[], message: string) =>
    issues.push({ path: formatPath(path), message, location: locate(located, path) });

  checkDates(doc, report);
  const symbols = checkSymbols(doc, report);
  checkApplyTo(doc, symbols, report);
  checkIndicators(doc, report);
  checkLimits(doc, report);
  checkScannerWindows(doc, report);
  checkUniverseFiles(doc, report);
  checkReportFormats(doc, report);
  const mode = getAt(doc, ["mode"]);
  const dataApi = getAt(doc, ["api_config", "data_api"]) ?? "store";
  const tradeApi = getAt(doc, ["api_config", "trade_api"]) ?? "simulated";
  if ((mode === "paper" || mode === "live") && dataApi === "store") {
    report(["api_config", "data_api"], `mode ${mode} streams live market data: set api_config.data_api to alpaca (the store only replays, in backtests)`);
  }
  if ((mode === "paper" || mode === "live") && dataApi === "schwab") {
    report(["api_config", "data_api"], `mode ${mode} needs a live market data provider this build has: alpaca (schwab is accepted in backtests, which read the store)`);
  }
  if (mode === "live" && tradeApi !== "alpaca") {
    report(["api_config", "trade_api"], `mode live sends orders to a broker: set api_config.trade_api to alpaca (mode paper fills on the simulated broker)`);
  }
  if ((mode ?? "backtest") === "backtest" && getAt(doc, ["backtest_config"]) === undefined) {
    report(["backtest_config"], "is required when mode is backtest (start_date and end_date, YYYY-MM-DD)");
  }
  return issues;
}

type Report = (path: PathSegment[], message: string) => void;

function checkDates(doc: unknown, report: Report): void {
  const start = getAt(doc, ["backtest_config", "start_date"]);
  const end = getAt(doc, ["backtest_config", "end_date"]);
  if (typeof start !== "string" || typeof end !== "string") return;
  const startDay = parseIsoDate(start);
  const endDay = parseIsoDate(end);
  if (startDay !== undefined && endDay !== undefined && endDay < startDay) {
    report(["backtest_config", "end_date"], `${JSON.stringify(end)} is before start_date ${JSON.stringify(start)}; end_date must be on or after start_date`);
  }
}

function checkSymbols(doc: unknown, report: Report): Set<string> {
  const list = getAt(doc, ["session_data_config", "symbols"]);
  const seen = new Set<string>();
  if (!Array.isArray(list)) return seen;
  list.forEach((symbol, index) => {
    if (typeof symbol !== "string") return;
    if (seen.has(symbol)) report(["session_data_config", "symbols", index], `${JSON.stringify(symbol)} is listed twice; each symbol may appear once`);
    seen.add(symbol);
  });
  return seen;
}

function checkApplyTo(doc: unknown, symbols: Set<string>, report: Report): void {
  const entries = getAt(doc, ["session_data_config", "historical", "data"]);
  if (!Array.isArray(entries)) return;
  entries.forEach((entry, index) => {
    const applyTo = isRecord(entry) ? entry.apply_to : undefined;
    if (!Array.isArray(applyTo)) return;
    applyTo.forEach((symbol, position) => {
      if (typeof symbol === "string" && !symbols.has(symbol)) {
        const allowed = [...symbols].join(", ");
        report(["session_data_config", "historical", "data", index, "apply_to", position], `${JSON.stringify(symbol)} is not in session_data_config.symbols; allowed: ${allowed}`);
      }
    });
  });
}

function checkIndicators(doc: unknown, report: Report): void {
  const streams = getAt(doc, ["session_data_config", "streams"]);
  const available = new Set<string>(Array.isArray(streams) ? streams.filter((s): s is string => typeof s === "string") : ["1m"]);
  const own = getAt(doc, ["session_data_config", "symbol_streams"]);
  if (isRecord(own)) for (const list of Object.values(own)) if (Array.isArray(list)) for (const s of list) if (typeof s === "string") available.add(s);
  const seen = new Map<string, string>();
  for (const list of ["session", "historical"] as const) {
    const entries = getAt(doc, ["session_data_config", "indicators", list]);
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry, index) => {
      if (!isRecord(entry) || typeof entry.name !== "string") return;
      const path: PathSegment[] = ["session_data_config", "indicators", list, index];
      const key = indicatorKey(entry);
      const first = seen.get(key);
      if (first) report(path, `indicator key ${JSON.stringify(key)} is already used by ${first}; give one of them a distinct period, interval or key`);
      else seen.set(key, formatPath(path));
      const intervalText = entry.interval;
      if (list === "session" && typeof intervalText === "string" && isInterval(intervalText)) {
        const parsed = parseInterval(intervalText)!;
        if (parsed.intraday && !available.has(intervalText)) {
          report([...path, "interval"], `${JSON.stringify(intervalText)} is not one of session_data_config.streams (or symbol_streams); add it there, or use one of: ${[...available].join(", ")}`);
        }
      }
    });
  }
}

function checkLimits(doc: unknown, report: Report): void {
  const config = getAt(doc, ["trading_config"]);
  if (!isRecord(config)) return;
  const buyingPower = typeof config.max_buying_power === "number" ? config.max_buying_power : 100_000;
  for (const key of ["max_per_trade", "max_per_symbol"] as const) {
    const value = config[key];
    if (typeof value === "number" && value > buyingPower) {
      report(["trading_config", key], `${value} is above max_buying_power ${buyingPower}; a ${key.slice(8)} limit must be <= max_buying_power`);
    }
  }
}

/** The page reads the run's JSON, CSV and Parquet files: html needs all three. */
function checkReportFormats(doc: unknown, report: Report): void {
  const formats = getAt(doc, ["report", "formats"]);
  if (!Array.isArray(formats) || !formats.includes("html")) return;
  const missing = ["json", "csv", "parquet"].filter((f) => !formats.includes(f));
  if (missing.length > 0) report(["report", "formats"], `html is built from the json, csv and parquet files; add ${missing.join(", ")} or drop html`);
}

function checkScannerWindows(doc: unknown, report: Report): void {
  const scanners = getAt(doc, ["scanners"]);
  if (!Array.isArray(scanners)) return;
  scanners.forEach((scanner, index) => {
    const windows = isRecord(scanner) ? scanner.regular_session : undefined;
    if (!Array.isArray(windows)) return;
    windows.forEach((window, position) => {
      if (isRecord(window) && typeof window.start === "string" && typeof window.end === "string" && window.start > window.end) {
        report(["scanners", index, "regular_session", position, "end"], `${JSON.stringify(window.end)} is before start ${JSON.stringify(window.start)}; a window needs start <= end`);
      }
    });
  });
}

/** A scanner's universe file must exist (read from the working directory, as the original did). */
function checkUniverseFiles(doc: unknown, report: Report): void {
  const scanners = getAt(doc, ["scanners"]);
  if (!Array.isArray(scanners)) return;
  scanners.forEach((entry, i) => {
    if (!isRecord(entry) || typeof entry.universe !== "string") return;
    if (!existsSync(entry.universe)) report(["scanners", i, "universe"], `the universe file ${JSON.stringify(entry.universe)} does not exist (looked for ${resolve(entry.universe)}); give a file with one symbol per line, or a list of symbols`);
  });
}
