/**
 * A configuration value together with where each of its parts was written, so that an error
 * found after extends, interpolation and overrides still names the right file and line.
 */
import type { SourceLocation } from "../errors.ts";

/** One step of a YAML path: a map key or a list index. */
export type PathSegment = string | number;

/** A plain JSON-like value plus a map from YAML path to the place that value was written. */
export interface Located {
  value: unknown;
  /** Path (formatted with formatPath) -> location of the value at that path. */
  locations: Map<string, SourceLocation>;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `session_data_config.streams[2]`: the path form used in every error message. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** True when `value` is a plain mapping (not a list, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The location of `path`, or of its nearest ancestor that has one (a missing key points at its map). */
export function locate(located: Located, path: readonly PathSegment[]): SourceLocation | undefined {
  for (let length = path.length; length >= 0; length--) {
    const found = located.locations.get(formatPath(path.slice(0, length)));
    if (found) return found;
  }
  return undefined;
}

/** Reads the value at `path`, or undefined when any step is missing. */
export function getAt(value: unknown, path: readonly PathSegment[]): unknown {
  let current = value;
  for (const segment of path) {
    if (typeof segment === "number") {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (!isRecord(current)) return undefined;
      current = current[segment];
    }
  }
  return current;
}

/** Drops every location at or under `prefix` (the value there was replaced wholesale). */
export function dropLocationsUnder(locations: Map<string, SourceLocation>, prefix: string): void {
  for (const key of [...locations.keys()]) if (isUnder(key, prefix)) locations.delete(key);
}

/** True when the location key `key` is `prefix` itself, its `#key` entry, or anything below it. */
export function isUnder(key: string, prefix: string): boolean {
  if (prefix === "") return true;
  if (!key.startsWith(prefix)) return false;
  const next = key.charAt(prefix.length);
  return next === "" || next === "." || next === "[" || next === "#";
}

/**
 * Deep-merges `child` over `base`: maps merge key by key, lists and scalars replace. Locations
 * follow the values, so an inherited value keeps pointing at the base file.
 */
export function mergeLocated(base: Located, child: Located): Located {
  const locations = new Map(base.locations);
  const value = mergeValue(base.value, child.value, [], locations, child.locations);
  return { value, locations };
}

function mergeValue(
  base: unknown,
  child: unknown,
  path: PathSegment[],
  locations: Map<string, SourceLocation>,
  childLocations: Map<string, SourceLocation>,
): unknown {
  const key = formatPath(path);
  if (isRecord(base) && isRecord(child)) {
    const out: Record<string, unknown> = { ...base };
    for (const own of [key, `${key}#key`]) {
      const location = childLocations.get(own);
      if (location && !locations.has(own)) locations.set(own, location);
    }
    for (const [name, value] of Object.entries(child)) {
      out[name] = mergeValue(base[name], value, [...path, name], locations, childLocations);
    }
    return out;
  }
  dropLocationsUnder(locations, key);
  for (const [childKey, location] of childLocations) if (isUnder(childKey, key)) locations.set(childKey, location);
  return child;
}
