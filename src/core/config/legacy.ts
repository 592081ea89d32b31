/**
 * The original system's own session files, read unchanged: it names strategies and scanners inside
 * `session_data_config` by Python module path (`{ module, enabled, config }`), and keeps historical
 * indicators as a map under `session_data_config.historical.indicators`
 * (`{ avg_volume: { type: trailing_average, period: "10d", granularity: daily, field: volume } }`).
 * These are rewritten into sessionflow's form before validation, keeping each value's file position,
 * so an error still points at the line the user wrote. Formats the original itself no longer reads
 * (`data_streams`, `historical_bars`, `use_clock_time`) are refused with what to write instead.
 */
import type { ConfigIssue } from "../errors.ts";
import { formatPath, isRecord, locate, type Located, type PathSegment } from "../yaml/located.ts";

/** The original's module paths and the plugins that do what they did. */
const MODULES: Record<string, string> = {
  "strategies.examples.simple_ma_cross": "sma_crossover",
  "strategies.simple_ma_cross": "sma_crossover",
  "scanners.gap_scanner": "gap_scanner",
  "scanners.examples.gap_scanner": "gap_scanner",
  "scanners.examples.gap_scanner_complete": "gap_scanner",
  "scanners.gap_scanner_complete": "gap_scanner",
  "scanners.momentum_scanner": "momentum_scanner",
  "scanners.examples.momentum_scanner": "momentum_scanner",
};

/** Keys the original stopped reading, and what replaced them. */
const RETIRED: Record<string, string> = {
  data_streams: "session_data_config.streams (a list of intervals, e.g. [1m, 5m])",
  historical_bars: "session_data_config.historical.data (trailing_days, intervals, apply_to)",
  use_clock_time: "nothing: the session's clock follows its bars (backtest_config.speed_multiplier paces it)",
};

/** A plugin name for a module path: the original's known ones, else the path's last part. */
export function pluginForModule(module: string): string {
  return MODULES[module] ?? module.split(".").at(-1)!;
}

/** Rewrites the original's forms in place; returns the retired keys found, as issues. */
export function upgradeLegacy(located: Located): ConfigIssue[] {
  const doc = located.value;
  const issues: ConfigIssue[] = [];
  if (!isRecord(doc)) return issues;
  for (const [where, container] of [[[], doc], [["session_data_config"], doc.session_data_config]] as [PathSegment[], unknown][]) {
    if (!isRecord(container)) continue;
    for (const key of Object.keys(RETIRED)) {
      if (!(key in container)) continue;
      const path = [...where, key];
      issues.push({ path: formatPath(path), message: `is a format the original system itself no longer reads; write ${RETIRED[key]}`, location: located.locations.get(`${formatPath(path)}#key`) ?? locate(located, path) });
    }
  }
  const sd = doc.session_data_config;
  if (!isRecord(sd)) return issues;
  for (const list of ["strategies", "scanners"] as const) {
    const entries = sd[list];
    if (!Array.isArray(entries) || !entries.some((e) => isRecord(e) && typeof e.module === "string")) continue;
    if (doc[list] !== undefined) {
      issues.push({ path: `session_data_config.${list}`, message: `and the top-level ${list} both name ${list}; keep one`, location: locate(located, ["session_data_config", list]) });
      continue;
    }
    doc[list] = entries.map((entry, i) => (isRecord(entry) && typeof entry.module === "string" ? convertEntry(located, list, entry, i) : entry));
    moveLocations(located, `session_data_config.${list}`, list);
    delete sd[list];
  }
  const historical = sd.historical;
  if (isRecord(historical) && isRecord(historical.indicators)) {
    const converted: unknown[] = [];
    for (const [key, spec] of Object.entries(historical.indicators)) {
      const path: PathSegment[] = ["session_data_config", "historical", "indicators", key];
      const entry = isRecord(spec) ? historicalIndicator(key, spec) : undefined;
      if (!entry) {
        issues.push({ path: formatPath(path), message: `is not an indicator this build can compute; allowed: { type: trailing_average | trailing_max | trailing_min, period: "<N>d" | "<N>w", field: volume | high | low | close, granularity: daily | minute }`, location: locate(located, path) });
        continue;
      }
      const indicators = isRecord(sd.indicators) ? sd.indicators : (sd.indicators = {});
      const list = Array.isArray(indicators.historical) ? indicators.historical : (indicators.historical = []);
      const index = list.length + converted.length;
      converted.push(entry);
      const from = locate(located, path);
      if (from) for (const field of ["", ".name", ".period", ".unit", ".interval", ".key"]) located.locations.set(`session_data_config.indicators.historical[${index}]${field}`, from);
    }
    const indicators = isRecord(sd.indicators) ? sd.indicators : (sd.indicators = {});
    indicators.historical = [...(Array.isArray(indicators.historical) ? indicators.historical : []), ...converted];
    delete historical.indicators;
  }
  return issues;
}

/** `{ module, enabled, config }` -> `{ name, enabled, params }` (a scanner's universe, windows and flags lifted out of config). */
function convertEntry(located: Located, list: "strategies" | "scanners", entry: Record<string, unknown>, index: number): Record<string, unknown> {
  const { module, config, ...rest } = entry;
  const params: Record<string, unknown> = isRecord(config) ? { ...config } : {};
  delete params.comment;
  const out: Record<string, unknown> = { name: pluginForModule(module as string), ...rest };
  if (list === "scanners") {
    if (params.universe !== undefined) out.universe = params.universe;
    delete params.universe;
    // The original names a strategy's symbols with an empty list for "none given".
  } else if (Array.isArray(params.symbols) && params.symbols.length === 0) delete params.symbols;
  out.params = params;
  const base = `session_data_config.${list}[${index}]`;
  const at = located.locations.get(`${base}.module`);
  if (at) located.locations.set(`${base}.name`, at);
  const config_ = located.locations.get(`${base}.config`);
  if (config_) located.locations.set(`${base}.params`, config_);
  for (const key of [...located.locations.keys()]) {
    if (key.startsWith(`${base}.config.universe`)) located.locations.set(key.replace(`${base}.config.universe`, `${base}.universe`), located.locations.get(key)!);
    else if (key.startsWith(`${base}.config.`)) located.locations.set(key.replace(`${base}.config.`, `${base}.params.`), located.locations.get(key)!);
  }
  return out;
}

/** Moves every location under `from` to the same place under `to`. */
function moveLocations(located: Located, from: string, to: string): void {
  for (const [key, location] of [...located.locations]) {
    if (key === from || key.startsWith(`${from}[`) || key.startsWith(`${from}#`)) located.locations.set(to + key.slice(from.length), location);
  }
}

/** The original's historical indicator map entry as one of the built-in historical indicators. */
function historicalIndicator(key: string, spec: Record<string, unknown>): Record<string, unknown> | undefined {
  const period = typeof spec.period === "string" ? /^(\d+)([dw])$/.exec(spec.period.trim()) : null;
  if (!period) return undefined;
  const n = Number(period[1]);
  const unit = period[2] === "w" ? "weeks" : "days";
  const minute = spec.granularity === "minute";
  switch (spec.type) {
    case "trailing_average":
      if (spec.field !== undefined && spec.field !== "volume") return undefined;
      return { name: "avg_volume", period: n, unit, interval: minute ? "1m" : "1d", key };
    case "trailing_max":
    case "trailing_min":
      // The period's highest high and lowest low; the key names the one the original kept.
      if (spec.field !== undefined && !["high", "low"].includes(String(spec.field))) return undefined;
      return { name: "high_low", period: n, unit, interval: "1d", key };
    default:
      return undefined;
  }
}
