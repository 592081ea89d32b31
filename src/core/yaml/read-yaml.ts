/**
 * Parses one YAML (or JSON, which YAML 1.2 reads as well) document into a Located value:
 * plain data plus the line and column of every key and value.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { ConfigIssue, SourceLocation } from "../errors.ts";
import { interpolate } from "./interpolate.ts";
import { formatPath, type Located, type PathSegment } from "./located.ts";

/** The result of reading one document: a value, or the syntax errors that prevented one. */
export type ReadResult = { ok: true; located: Located } | { ok: false; issues: ConfigIssue[] };

/** The environment used for `${VAR}` references. */
export type Environment = Record<string, string | undefined>;

/**
 * Parses `text` (the contents of `file`; `file` only labels locations) and interpolates
 * `${VAR}` references in its strings from `env`.
 */
export function readYaml(text: string, file: string, env: Environment = {}): ReadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((error) => {
        const position = error.linePos?.[0] ?? { line: 1, col: 1 };
        return {
          path: "",
          message: `YAML syntax error (${error.code}): ${firstLine(error.message)}`,
          location: { file, line: position.line, col: position.col },
        };
      }),
    };
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    return {
      ok: false,
      issues: [{ path: "", message: "the file is empty; a session needs at least session_data_config.symbols", location: { file, line: 1, col: 1 } }],
    };
  }
  const locations = new Map<string, SourceLocation>();
  const at = (node: { range?: [number, number, number] | null }): SourceLocation => {
    const { line, col } = lineCounter.linePos(node.range?.[0] ?? 0);
    return { file, line, col };
  };
  const issues: ConfigIssue[] = [];
  const context: Context = { doc, locations, at, env, issues };
  const value = toValue(doc.contents, [], context);
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, located: { value, locations } };
}

interface Context {
  doc: Document;
  locations: Map<string, SourceLocation>;
  at: (node: Node) => SourceLocation;
  env: Environment;
  issues: ConfigIssue[];
}

function toValue(node: unknown, path: PathSegment[], context: Context): unknown {
  const { doc, locations, at } = context;
  if (isAlias(node)) return toValue(node.resolve(doc), path, context);
  if (isScalar(node)) {
    const location = at(node);
    locations.set(formatPath(path), location);
    if (typeof node.value !== "string") return node.value;
    const result = interpolate(node.value, context.env, node.type === "PLAIN");
    if (result.ok) return result.value;
    context.issues.push({ path: formatPath(path), message: result.message, location });
    return node.value;
  }
  if (isMap(node)) {
    locations.set(formatPath(path), at(node));
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const childPath = [...path, key];
      out[key] = pair.value === null ? null : toValue(pair.value, childPath, context);
      // A key's own position is the better place to point at (for unknown keys, and for null values).
      if (isScalar(pair.key)) {
        const keyLocation = at(pair.key);
        locations.set(`${formatPath(childPath)}#key`, keyLocation);
        if (pair.value === null) locations.set(formatPath(childPath), keyLocation);
      }
    }
    return out;
  }
  if (isSeq(node)) {
    locations.set(formatPath(path), at(node));
    return node.items.map((item, index) => toValue(item, [...path, index], context));
  }
  return null;
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}
