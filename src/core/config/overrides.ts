/**
 * `--set path=value` overrides: `path` is a YAML path (`backtest_config.end_date`,
 * `session_data_config.symbols[0]`), `value` is read as YAML (`0`, `true`, `[MSFT, JPM]`).
 */
import { parse as parseYaml } from "yaml";
import type { ConfigIssue, SourceLocation } from "../errors.ts";
import { dropLocationsUnder, formatPath, isRecord, type Located, type PathSegment } from "../yaml/located.ts";

const SEGMENT = /^(?:\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\])/;

/** Splits `a.b[2].c` into segments; undefined when the text is not a path. */
export function parsePath(text: string): PathSegment[] | undefined {
  const segments: PathSegment[] = [];
  let rest = text;
  while (rest.length > 0) {
    const match = SEGMENT.exec(rest);
    if (!match || (segments.length === 0 && rest.startsWith("."))) return undefined;
    segments.push(match[1] !== undefined ? match[1] : Number(match[2]));
    rest = rest.slice(match[0].length);
  }
  return segments.length > 0 ? segments : undefined;
}

/** Applies the overrides in order; each one's location is `--set #N`. Returns the issues found. */
export function applyOverrides(located: Located, overrides: readonly string[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  overrides.forEach((override, index) => {
    const location: SourceLocation = { file: `--set #${index + 1} (${override})`, line: 0, col: 0 };
    const equals = override.indexOf("=");
    const text = equals > 0 ? override.slice(0, equals) : override;
    const path = equals > 0 ? parsePath(text) : undefined;
    if (!path) {
      // strategies.0.x: list items take brackets.
      const bracketed = /\.\d+(\.|$)/.test(text) ? text.replace(/\.(\d+)(?=\.|$)/g, "[$1]") : undefined;
      const message =
        equals <= 0
          ? "is not an override: it has no `=`; allowed: --set path=value, e.g. --set backtest_config.end_date=2025-07-03"
          : bracketed && parsePath(bracketed)
            ? `is not a path: list items are written with brackets, ${bracketed}`
            : "is not a path; allowed: keys joined by dots, list items in brackets, e.g. strategies[0].params.fast_period";
      issues.push({ path: text, message, location });
      return;
    }
    let value: unknown;
    try {
      value = parseYaml(override.slice(equals + 1));
    } catch (error) {
      issues.push({ path: formatPath(path), message: `the value is not valid YAML: ${(error as Error).message.split("\n")[0]}`, location });
      return;
    }
    const problem = setAt(located, path, value ?? null, location);
    if (problem) issues.push({ path: formatPath(path), message: problem, location });
  });
  return issues;
}

/** A value set by the program rather than typed (a sweep's axis value); `source` names it in messages. */
export interface SessionValue {
  path: PathSegment[];
  value: unknown;
  source: string;
}

/** Sets each value in order, like an override; returns the issues found. */
export function applyValues(located: Located, values: readonly SessionValue[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const { path, value, source } of values) {
    const location: SourceLocation = { file: source, line: 0, col: 0 };
    const problem = setAt(located, path, structuredClone(value), location);
    if (problem) issues.push({ path: formatPath(path), message: problem, location });
  }
  return issues;
}

function setAt(located: Located, path: PathSegment[], value: unknown, location: SourceLocation): string | undefined {
  if (!isRecord(located.value)) located.value = {};
  let container: unknown = located.value;
  for (let i = 0; i < path.length - 1; i++) {
    const segment = path[i]!;
    const next = path[i + 1]!;
    const child = readChild(container, segment);
    if (child === undefined || child === null) {
      const fresh = typeof next === "number" ? [] : {};
      const problem = writeChild(container, segment, fresh, formatPath(path.slice(0, i + 1)));
      if (problem) return problem;
      container = fresh;
    } else if (typeof child !== "object") {
      return `cannot set inside ${formatPath(path.slice(0, i + 1))}, which is ${JSON.stringify(child)}`;
    } else container = child;
  }
  const last = path[path.length - 1]!;
  const key = formatPath(path);
  const problem = writeChild(container, last, value, key);
  if (problem) return problem;
  dropLocationsUnder(located.locations, key);
  located.locations.set(key, location);
  located.locations.set(`${key}#key`, location);
  return undefined;
}

function readChild(container: unknown, segment: PathSegment): unknown {
  if (typeof segment === "number") return Array.isArray(container) ? container[segment] : undefined;
  return isRecord(container) ? container[segment] : undefined;
}

function writeChild(container: unknown, segment: PathSegment, value: unknown, where: string): string | undefined {
  if (typeof segment === "number") {
    if (!Array.isArray(container)) return `${where} is not a list`;
    if (segment > container.length) return `index ${segment} is past the end of a list of ${container.length}`;
    container[segment] = value;
    return undefined;
  }
  if (!isRecord(container)) return `${where} is not a map`;
  container[segment] = value;
  return undefined;
}
