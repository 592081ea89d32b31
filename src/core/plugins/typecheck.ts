/**
 * Type-checks plugin files before they load (Bun only strips types): `tsc --noEmit` with this
 * package's settings and `sessionflow` mapped to its sources. A file that does not type-check is
 * an error naming it, its line and the compiler's message. A pass is cached in the user's cache
 * folder by content - the plugin files (by their path inside the package when they are in it),
 * sessionflow's own sources and the compiler's version - so a second clone of the same code, or
 * a worktree, does not pay the ~1 s check again. Failures are never cached.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { pluginFileError } from "../errors.ts";
import { displayPath } from "../util/paths.ts";
import { SESSIONFLOW_ENTRY } from "./self-import.ts";

const ROOT = resolve(SESSIONFLOW_ENTRY, "../..");
const TSC = join(ROOT, "node_modules", ".bin", "tsc");
const CACHE = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "sessionflow", "typecheck");

/** What a check's outcome depends on besides the plugin files: sessionflow's sources and the compiler (read once). */
let sourcesDigest: string | undefined;
function sessionflowDigest(): string {
  if (sourcesDigest) return sourcesDigest;
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) hash.update(`${relative(ROOT, path)}\n`).update(readFileSync(path));
    }
  };
  walk(join(ROOT, "src"));
  const compiler = join(ROOT, "node_modules", "typescript", "package.json");
  hash.update(existsSync(compiler) ? readFileSync(compiler) : "");
  return (sourcesDigest = hash.digest("hex"));
}

/** Checks `files`; throws a plugin error listing every type error of the first failing file. */
export function typecheckPlugins(files: readonly string[]): void {
  if (files.length === 0 || !existsSync(TSC)) return;
  // A plugin inside the package is keyed by its path in it: the same code in another clone hits.
  const named = (f: string) => (resolve(f).startsWith(`${ROOT}/`) ? relative(ROOT, resolve(f)) : resolve(f));
  const key = createHash("sha256")
    .update(sessionflowDigest())
    .update(files.map((f) => `${named(f)}\n${readFileSync(f, "utf8")}`).join("\n"))
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
      try {
        mkdirSync(CACHE, { recursive: true });
        writeFileSync(join(CACHE, key), "");
      } catch {
        // An unwritable cache folder only costs the next run the check.
      }
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
