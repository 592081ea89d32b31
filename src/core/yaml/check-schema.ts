/**
 * Runs a valibot schema over a Located value and turns valibot's issues into ConfigIssues that
 * name the YAML path, the value, what is allowed, and the file position it came from.
 */
import * as v from "valibot";
import type { ConfigIssue } from "../errors.ts";
import { formatPath, getAt, locate, type Located, type PathSegment } from "./located.ts";
import { didYouMean } from "./suggest.ts";

type AnySchema = v.GenericSchema;

/** Validates `getAt(located.value, prefix)` with `schema`; issue paths are prefixed with `prefix`. */
export function checkSchema<T extends AnySchema>(
  schema: T,
  located: Located,
  prefix: readonly PathSegment[] = [],
): { ok: true; output: v.InferOutput<T> } | { ok: false; issues: ConfigIssue[] } {
  const result = v.safeParse(schema, getAt(located.value, prefix));
  if (result.success) return { ok: true, output: result.output };
  return { ok: false, issues: result.issues.map((issue) => toConfigIssue(issue, schema, located, prefix)) };
}

function toConfigIssue(issue: v.BaseIssue<unknown>, schema: AnySchema, located: Located, prefix: readonly PathSegment[]): ConfigIssue {
  const relative = (issue.path ?? []).map((item) => item.key as PathSegment);
  const path = [...prefix, ...relative];
  if (issue.type === "strict_object" && issue.expected === "never" && issue.path?.at(-1)?.origin === "key") {
    const key = String(relative.at(-1));
    const parent = path.slice(0, -1);
    const allowed = keysAt(schema, relative.slice(0, -1));
    return {
      path: formatPath(path),
      message: `unknown key ${JSON.stringify(key)}${didYouMean(key, allowed)}; allowed here: ${allowed.join(", ")}`,
      location: located.locations.get(`${formatPath(path)}#key`) ?? locate(located, parent),
    };
  }
  const missing = issue.kind === "schema" && issue.input === undefined;
  const parentKey = `${formatPath(path.slice(0, -1))}#key`;
  const location = missing ? (located.locations.get(parentKey) ?? locate(located, path)) : locate(located, path);
  return { path: formatPath(path), message: describe(issue), location };
}

/** What a valibot issue says, in the project's words: the value, then what is allowed. */
export function issueText(issue: v.BaseIssue<unknown>): string {
  return describe(issue);
}

/** A check's requirement in words (valibot's own messages say "Received ..."). */
function validationText(issue: v.BaseIssue<unknown>): string {
  const requirement = (issue as { requirement?: unknown }).requirement;
  const things = typeof issue.input === "string" ? "characters" : "items";
  switch (issue.type) {
    case "integer":
      return "must be a whole number";
    case "min_value":
      return `must be ${requirement} or more`;
    case "max_value":
      return `must be ${requirement} or less`;
    case "gt_value":
      return `must be more than ${requirement}`;
    case "lt_value":
      return `must be less than ${requirement}`;
    case "min_length":
      return `needs at least ${requirement} ${things}`;
    case "max_length":
      return `allows at most ${requirement} ${things}`;
    case "regex":
      return `must match ${String(requirement)}`;
    case "finite":
      return "must be a finite number";
    default:
      return issue.message.replace(/^Invalid [\w ]+: /, "").replace(/^Received .*$/, "is not allowed here");
  }
}

function describe(issue: v.BaseIssue<unknown>): string {
  // A check with its own message (v.check(..., "needs ...")) says it as written.
  if (issue.kind === "validation") return `${show(issue.input)} ${issue.message.startsWith("Invalid ") ? validationText(issue) : issue.message}`;
  if (issue.kind === "schema") {
    if (issue.input === undefined) {
      // A missing key: valibot names the key itself as what it expected.
      return issue.expected?.startsWith('"') ? "is required" : `is required (expected ${expectedName(issue.expected)})`;
    }
    const suggestion =
      issue.type === "picklist" && typeof issue.input === "string" && issue.expected
        ? didYouMean(issue.input, [...issue.expected.matchAll(/"([^"]*)"/g)].map((m) => m[1]!))
        : "";
    if (issue.message && !issue.message.startsWith("Invalid ")) return `${show(issue.input)} ${issue.message}`;
    return `got ${show(issue.input)}; allowed: ${expectedName(issue.expected)}${suggestion}`;
  }
  return `${show(issue.input)} ${issue.message}`;
}

/** valibot's type names in the words of a YAML file. */
function expectedName(expected: string | null): string {
  const words: Record<string, string> = { Array: "a list", Object: "a map", never: "nothing" };
  return (expected ?? "").replace(/\b(Array|Object|never)\b/g, (word) => words[word]!);
}

function show(value: unknown): string {
  if (Array.isArray(value)) return value.length > 5 ? `a list of ${value.length}` : JSON.stringify(value);
  if (value !== null && typeof value === "object") return "a map";
  return JSON.stringify(value) ?? String(value);
}

/** The keys an object schema allows at `path` (walking through optional, nullable, pipe, array). */
export function keysAt(schema: AnySchema, path: readonly PathSegment[]): string[] {
  let current: unknown = schema;
  for (const segment of [...path, null]) {
    current = unwrap(current);
    if (segment === null) break;
    const node = current as { entries?: Record<string, unknown>; item?: unknown };
    if (typeof segment === "number") current = node.item;
    else current = node.entries?.[segment];
  }
  const entries = (current as { entries?: Record<string, unknown> } | undefined)?.entries;
  return entries ? Object.keys(entries) : [];
}

function unwrap(schema: unknown): unknown {
  let current = schema as { type?: string; wrapped?: unknown; pipe?: unknown[] } | undefined;
  for (;;) {
    if (!current) return current;
    if (current.wrapped) current = current.wrapped as typeof current;
    else if (current.pipe && current.pipe[0] !== current) current = current.pipe[0] as typeof current;
    else return current;
  }
}
