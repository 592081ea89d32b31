/**
 * Validation that needs the plugins: every indicator (and, once they exist, strategy and scanner)
 * named in the session must exist, and its params must pass the plugin's own schema. Errors carry
 * the YAML path and line like any other config error.
 */
import * as v from "valibot";
import type { ConfigIssue } from "../errors.ts";
import type { PluginKind, PluginRegistry } from "../plugins/discover.ts";
import { formatPath, getAt, isRecord, locate, type Located, type PathSegment } from "../yaml/located.ts";
import { didYouMean } from "../yaml/suggest.ts";
import { issueText } from "../yaml/check-schema.ts";

/** A list in the session whose entries name plugins of one kind. */
interface PluginList {
  path: PathSegment[];
  kind: PluginKind;
  /** Entry keys passed to the plugin's schema besides `params` (indicators get `period`). */
  lifted: string[];
}

const LISTS: PluginList[] = [
  { path: ["session_data_config", "indicators", "session"], kind: "indicator", lifted: ["period"] },
  { path: ["session_data_config", "indicators", "historical"], kind: "indicator", lifted: ["period"] },
  { path: ["strategies"], kind: "strategy", lifted: [] },
  { path: ["scanners"], kind: "scanner", lifted: [] },
];

/** Every plugin problem of the document, given the discovered plugins. */
export function pluginIssues(located: Located, registry: PluginRegistry, lists: PluginList[] = LISTS): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const list of lists) {
    const entries = getAt(located.value, list.path);
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry, index) => {
      if (!isRecord(entry) || typeof entry.name !== "string") return;
      const at = [...list.path, index];
      const found = registry.get(list.kind, entry.name);
      if (!found) {
        const names = registry.names(list.kind);
        const failed = registry.failed.length > 0 ? `; ${registry.failed.length} plugin file(s) could not be loaded: ${registry.failed.map((f) => `${f.file}: ${f.message}`).join("; ")}` : "";
        issues.push({
          path: formatPath([...at, "name"]),
          message: `${JSON.stringify(entry.name)} is not a known ${list.kind}${didYouMean(entry.name, names)}; known: ${names.join(", ") || "none"}${failed}`,
          location: locate(located, [...at, "name"]),
        });
        return;
      }
      const schema = (found.plugin as unknown as { params: v.GenericSchema }).params;
      const input: Record<string, unknown> = { ...(isRecord(entry.params) ? entry.params : {}) };
      for (const key of list.lifted) if (entry[key] !== undefined) input[key] = entry[key];
      const result = v.safeParse(schema, input);
      if (result.success) return;
      for (const issue of result.issues) {
        const keys = (issue.path ?? []).map((p) => p.key as PathSegment);
        const head = keys[0];
        const path: PathSegment[] = head !== undefined && list.lifted.includes(String(head)) ? [...at, ...keys] : [...at, "params", ...keys];
        const unknown = issue.type === "strict_object" && issue.expected === "never";
        const message = unknown
          ? `unknown parameter ${JSON.stringify(head)} for ${list.kind} ${entry.name}${didYouMean(String(head), Object.keys((unwrap(schema) as { entries?: object }).entries ?? {}))}`
          : `${issueText(issue)} (${list.kind} ${entry.name})`;
        issues.push({ path: formatPath(path), message, location: located.locations.get(`${formatPath(path)}#key`) ?? locate(located, path) });
      }
    });
  }
  return issues;
}

function unwrap(schema: unknown): unknown {
  let current = schema as { pipe?: unknown[]; wrapped?: unknown } | undefined;
  while (current && (current.wrapped || (current.pipe && current.pipe[0] !== current))) current = (current.wrapped ?? current.pipe![0]) as typeof current;
  return current;
}
