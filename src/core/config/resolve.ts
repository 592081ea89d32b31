/**
 * Reads a session file and everything it inherits: `extends: base.yaml` (relative to the file,
 * maps deep-merged, lists replaced, cycles refused), then the `--set` overrides.
 */
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { displayPath } from "../util/paths.ts";
import type { ConfigIssue } from "../errors.ts";
import { dropLocationsUnder, isRecord, mergeLocated, type Located } from "../yaml/located.ts";
import { applyOverrides, applyValues, type SessionValue } from "./overrides.ts";
import { readYaml, type Environment } from "../yaml/read-yaml.ts";

/** Options of resolveSession. */
export interface ResolveOptions {
  /** `${VAR}` source. @default process.env */
  env?: Environment;
  /** `path=value` overrides applied after the files. @default [] */
  overrides?: readonly string[];
  /** Values applied after the overrides (a sweep's variant). @default [] */
  values?: readonly SessionValue[];
  /**
   * A `sweep` block: refused in a single session (it would do nothing there), stripped for one of
   * the sweep's variants, kept when the sweep itself is being read. @default "refuse"
   */
  sweep?: "refuse" | "strip" | "keep";
}

/** A resolved document, or every issue that prevented one. */
export type ResolveResult = { ok: true; located: Located; files: string[] } | { ok: false; issues: ConfigIssue[] };

/** Reads `file`, its `extends` chain and the overrides into one Located value. */
export function resolveSession(file: string, options: ResolveOptions = {}): ResolveResult {
  const env = options.env ?? process.env;
  const files: string[] = [];
  const loaded = loadWithBases(file, env, [], files);
  if (!loaded.ok) return loaded;
  const located = loaded.located;
  if (isRecord(located.value)) delete located.value.extends;
  if (isRecord(located.value) && located.value.sweep !== undefined) {
    const mode = options.sweep ?? "refuse";
    if (mode === "refuse") {
      const message = "this file describes a sweep (many variants of a session): run it with `bun run sweep`, check it with `bun run session validate`";
      return { ok: false, issues: [{ path: "sweep", message, location: located.locations.get("sweep#key") ?? located.locations.get("sweep") }] };
    }
    if (mode === "strip") {
      delete located.value.sweep;
      dropLocationsUnder(located.locations, "sweep");
    }
  }
  const issues = [...applyOverrides(located, options.overrides ?? []), ...applyValues(located, options.values ?? [])];
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, located, files };
}

function loadWithBases(file: string, env: Environment, chain: string[], files: string[]): ResolveResult {
  const display = displayPath(file);
  if (!existsSync(file) || !statSync(file).isFile()) {
    const via = chain.length > 0 ? ` (extended by ${displayPath(chain[chain.length - 1]!)})` : "";
    // No line to point at: the file itself is missing.
    return { ok: false, issues: [{ path: "", message: `session file not found${via}`, location: { file: display, line: 0, col: 0 } }] };
  }
  const real = realpathSync(file);
  files.push(real);
  const read = readYaml(readFileSync(file, "utf8"), display, env);
  if (!read.ok) return read;
  const { located } = read;
  if (!isRecord(located.value)) {
    return { ok: false, issues: [{ path: "", message: "a session file must be a map of keys (session_name, session_data_config ...)", location: { file: display, line: 1, col: 1 } }] };
  }
  const parent = located.value.extends;
  if (parent === undefined) return { ok: true, located, files };
  if (typeof parent !== "string" || parent.length === 0) {
    return { ok: false, issues: [{ path: "extends", message: `must be the path of a base session file, got ${JSON.stringify(parent)}`, location: located.locations.get("extends") }] };
  }
  const baseFile = resolve(dirname(file), parent);
  const here = [...chain, real];
  if (existsSync(baseFile) && here.includes(realpathSync(baseFile))) {
    const cycle = [...here.slice(here.indexOf(realpathSync(baseFile))), realpathSync(baseFile)].map((f) => displayPath(f)).join(" -> ");
    return { ok: false, issues: [{ path: "extends", message: `extends makes a cycle: ${cycle}`, location: located.locations.get("extends") }] };
  }
  const base = loadWithBases(baseFile, env, here, files);
  if (!base.ok) {
    // A missing base is reported where the child names it.
    for (const issue of base.issues) {
      if (issue.message.startsWith("session file not found") && issue.location?.file === displayPath(baseFile)) {
        issue.path = "extends";
        issue.message = `base file ${JSON.stringify(parent)} not found (looked for ${displayPath(baseFile)})`;
        issue.location = located.locations.get("extends");
      }
    }
    return base;
  }
  if (isRecord(base.located.value)) delete base.located.value.extends;
  return { ok: true, located: mergeLocated(base.located, located), files };
}

export { displayPath };
