/**
 * Type-checks plugin files before they load (Bun only strips types): `tsc --noEmit` with this
 * package's settings and `sessionflow` mapped to its sources. A file that does not type-check is
 * an error naming it, its line and the compiler's message. Results are cached by file content.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pluginFileError } from "../errors.ts";
import { displayPath } from "../util/paths.ts";
import { SESSIONFLOW_ENTRY } from "./self-import.ts";

const ROOT = resolve(SESSIONFLOW_ENTRY, "../..");
const TSC = join(ROOT, "node_modules", ".bin", "tsc");
const CACHE = join(ROOT, "node_modules", ".cache", "sessionflow", "typecheck");

/** Checks `files`; throws a plugin error listing every type error of the first failing file. */
export function typecheckPlugins(files: readonly string[]): void {
  if (files.length === 0 || !existsSync(TSC)) return;
  const key = createHash("sha256")
    .update(readFileSync(SESSIONFLOW_ENTRY))
    .update(files.map((f) => `${f}\n${readFileSync(f, "utf8")}`).join("\n"))
    .digest("hex");
  if (existsSync(join(CACHE, key))) return;
  const dir = join(tmpdir(), `sessionflow-typecheck-${process.pid}-${key.slice(0, 8)}`);
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ESNext",
          module: "Preserve",
          moduleResolution: "bundler",
          lib: ["ESNext"],
          types: ["bun"],
          typeRoots: [join(ROOT, "node_modules", "@types")],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          allowImportingTsExtensions: true,
          verbatimModuleSyntax: true,
          paths: { sessionflow: [SESSIONFLOW_ENTRY], "*": [join(ROOT, "node_modules", "*")] },
        },
        files: files.map((f) => resolve(f)),
      }),
    );
    // tsc prints paths relative to its working directory: run it in the temp folder.
    const result = Bun.spawnSync([TSC, "-p", join(dir, "tsconfig.json")], { cwd: dir, stdout: "pipe", stderr: "pipe" });
    const output = `${result.stdout.toString()}${result.stderr.toString()}`;
    if (result.exitCode === 0) {
      mkdirSync(CACHE, { recursive: true });
      writeFileSync(join(CACHE, key), "");
      return;
    }
    const errors = output.split("\n").filter((line) => /\(\d+,\d+\): error TS\d+/.test(line));
    const failing = files.find((f) => errors.some((e) => resolve(dir, e.slice(0, e.indexOf("("))) === resolve(f))) ?? files[0]!;
    const shown = displayPath(failing);
    const lines = errors
      .map((e) => e.replace(/^(.*?)\((\d+),(\d+)\): /, (_, file: string, line: string, col: string) => `${displayPath(resolve(dir, file))}:${line}:${col}: `))
      .slice(0, 10);
    throw pluginFileError(shown, `the file does not type-check:\n  ${lines.join("\n  ") || output.trim()}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
