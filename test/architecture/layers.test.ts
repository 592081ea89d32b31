/**
 * Folders are layers: a folder of src/ imports only from folders below it (the README's layout
 * table states the same order). Every import in src/ is read - static, type-only and dynamic - and
 * one that climbs, or crosses to a sibling of the same layer, fails with the file and the line.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { ROOT } from "../helpers/cli.ts";

/** Bottom to top; folders on one line are one layer and may not import each other. */
export const LAYERS: readonly (readonly string[])[] = [
  ["core/util", "core/errors", "core/log"],
  ["core/yaml"],
  ["core/time"],
  ["core/plugins"],
  ["core/config"],
  ["core/data"],
  ["core/alpaca"],
  ["core/live"],
  ["core/engine"],
  ["core/indicators", "core/broker"],
  ["core/strategy", "core/scanner"],
  ["core/execution"],
  ["core/run"],
  ["core/report"],
  ["core/server"],
  ["core/kernel"],
  ["core/sweep"],
  ["plugins"],
  ["index"],
  ["cli"],
];

const SRC = join(ROOT, "src");
const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

/** The layer unit of a file: core/<folder>, core/<file> for files at core's root, else the top folder. */
function unitOf(file: string): string {
  const parts = relative(SRC, file).split("/");
  if (parts[0] === "core") return parts.length > 2 ? `core/${parts[1]}` : `core/${parts[1]!.replace(/\.ts$/, "")}`;
  return parts.length > 1 ? parts[0]! : parts[0]!.replace(/\.ts$/, "");
}

function rank(unit: string): number {
  return LAYERS.findIndex((layer) => layer.includes(unit));
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

/** Every import of `text` (a file at `file`) that leaves its unit against the order, as `file:line: from -> to`. */
export function climbingImports(file: string, text: string): string[] {
  const from = unitOf(file);
  const problems: string[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const target = resolve(dirname(file), match[1] ?? match[2]!);
    if (!target.startsWith(`${SRC}/`)) continue;
    const to = unitOf(target);
    if (to === from) continue;
    const line = text.slice(0, match.index).split("\n").length;
    const [a, b] = [rank(from), rank(to)];
    if (a < 0 || b < 0) problems.push(`${relative(ROOT, file)}:${line}: ${a < 0 ? from : to} is in no layer; add it to LAYERS and the README's layout table`);
    else if (b > a) problems.push(`${relative(ROOT, file)}:${line}: ${from} imports ${to}, a higher layer`);
    else if (b === a) problems.push(`${relative(ROOT, file)}:${line}: ${from} imports ${to}, a sibling of the same layer`);
  }
  return problems;
}

describe("layers", () => {
  test("no import in src/ climbs", () => {
    const problems = sources(SRC).flatMap((file) => climbingImports(file, readFileSync(file, "utf8")));
    expect(problems).toEqual([]);
  });

  test("every folder of src/ has a layer", () => {
    const units = new Set(sources(SRC).map(unitOf));
    expect([...units].filter((u) => rank(u) < 0)).toEqual([]);
  });

  test("the check catches a climbing import, a sibling import and a dynamic one", () => {
    const file = join(SRC, "core/broker/x.ts");
    expect(climbingImports(file, `import { writeReport } from "../report/write-report.ts";`)).toEqual(["src/core/broker/x.ts:1: core/broker imports core/report, a higher layer"]);
    expect(climbingImports(file, `\nimport type { IndicatorEngine } from "../indicators/indicator-engine.ts";`)).toEqual(["src/core/broker/x.ts:2: core/broker imports core/indicators, a sibling of the same layer"]);
    expect(climbingImports(file, `const m = await import("../run/run-writer.ts");`)).toEqual(["src/core/broker/x.ts:1: core/broker imports core/run, a higher layer"]);
    expect(climbingImports(file, `import { round } from "./costs.ts";\nimport { engineError } from "../errors.ts";`)).toEqual([]);
  });

  test("the README's layout table lists the layers in this order", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const table = readme.slice(readme.indexOf("## Layout"));
    const positions = LAYERS.flat().filter((u) => u.startsWith("core/") && !["core/errors", "core/log"].includes(u)).map((u) => table.indexOf(`src/${u}`));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });
});
