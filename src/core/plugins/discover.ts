/**
 * Plugin discovery: every `.ts` / `.js` file under the configured folders, in sorted path order
 * (`_*` and `*.test.ts` skipped), imported once; each export made by a define* helper is
 * registered by kind and name. Two plugins of a kind with one name are an error naming both files.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { displayPath } from "../util/paths.ts";
import { pluginError } from "../errors.ts";
import { enableSelfImport, SESSIONFLOW_ENTRY } from "./self-import.ts";

/** sessionflow's own sources: type-checked by its CI, not at load. */
export const OWN_SOURCES = `${resolve(SESSIONFLOW_ENTRY, "..")}/`;

/** The package's root (src/plugins and the example strategies live under it). */
export const PACKAGE_ROOT = resolve(SESSIONFLOW_ENTRY, "../..");

/** The plugins every session has: the built-in indicators, scanners and providers, and the example strategies. */
export const BUILTIN_PLUGIN_DIRS = [join(PACKAGE_ROOT, "src", "plugins"), join(PACKAGE_ROOT, "strategies")];

/** The plugin kinds the define* helpers mark. */
export type PluginKind = "strategy" | "indicator" | "scanner" | "provider";

/** What every plugin object has. */
export interface PluginBase {
  readonly kind: PluginKind;
  readonly name: string;
}

/** A discovered plugin and the file it came from. */
export interface Discovered<T extends PluginBase = PluginBase> {
  plugin: T;
  /** The file as messages show it. */
  file: string;
  /** The file's absolute path. */
  path: string;
}

/** The plugins found in a set of folders, by kind and name. */
export class PluginRegistry {
  private readonly byKind = new Map<PluginKind, Map<string, Discovered>>();
  /** Files that failed to load: an error only when a session names a plugin none of the others has. */
  readonly failed: { file: string; message: string }[] = [];

  /** Adds a plugin; a second one of the same kind and name is refused with both files. */
  add(plugin: PluginBase, file: string, path = file): void {
    let names = this.byKind.get(plugin.kind);
    if (!names) this.byKind.set(plugin.kind, (names = new Map()));
    const existing = names.get(plugin.name);
    if (existing) {
      throw pluginError({ plugin: plugin.name }, `two ${plugin.kind} plugins are named "${plugin.name}": ${existing.file} and ${file}; rename one`);
    }
    names.set(plugin.name, { plugin, file, path });
  }

  /** The file of each named plugin that exists (for type-checking only what a session uses). */
  filesOf(kind: PluginKind, names: readonly string[]): string[] {
    return names.flatMap((name) => {
      const found = this.get(kind, name);
      return found ? [found.path] : [];
    });
  }

  /** The plugin of a kind by name. */
  get<T extends PluginBase>(kind: PluginKind, name: string): Discovered<T> | undefined {
    return this.byKind.get(kind)?.get(name) as Discovered<T> | undefined;
  }

  /** The names of a kind, sorted. */
  names(kind: PluginKind): string[] {
    return [...(this.byKind.get(kind)?.keys() ?? [])].sort();
  }
}

const PLUGIN_FILE = /\.(ts|js|mjs)$/;

/** The plugin files under `dirs` (relative to `cwd`), in sorted order; missing folders are skipped. */
export function pluginFiles(dirs: readonly string[], cwd = process.cwd()): string[] {
  const files: string[] = [];
  for (const dir of dirs) {
    const root = resolve(cwd, dir);
    if (!existsSync(root)) continue;
    const walk = (folder: string) => {
      for (const name of readdirSync(folder).sort()) {
        if (name.startsWith("_") || name.startsWith(".") || name === "node_modules") continue;
        const path = join(folder, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (PLUGIN_FILE.test(name) && !/\.(test|spec|d)\.[mc]?[tj]s$/.test(name)) files.push(path);
      }
    };
    walk(root);
  }
  return files;
}

/** True when a value is a plugin object made by a define* helper. */
export function isPlugin(value: unknown): value is PluginBase {
  if (typeof value !== "object" || value === null) return false;
  const { kind, name } = value as Partial<PluginBase>;
  return (kind === "strategy" || kind === "indicator" || kind === "scanner" || kind === "provider") && typeof name === "string";
}

/**
 * Imports every plugin file under `dirs` into a registry. A file that fails to load is noted, not
 * thrown: it blocks only a session that names a plugin no other file has (see PluginRegistry.failed).
 */
export async function discoverPlugins(dirs: readonly string[], cwd = process.cwd()): Promise<PluginRegistry> {
  enableSelfImport(dirs, cwd);
  const registry = new PluginRegistry();
  const files = pluginFiles(dirs, cwd);
  for (const file of files) {
    const shown = displayPath(file, cwd);
    let module: Record<string, unknown>;
    try {
      module = (await import(file)) as Record<string, unknown>;
    } catch (error) {
      registry.failed.push({ file: shown, message: ((error as Error)?.message ?? String(error)).split("\n")[0]! });
      continue;
    }
    const seen = new Set<unknown>();
    for (const value of Object.values(module)) {
      if (!isPlugin(value) || seen.has(value)) continue;
      seen.add(value);
      registry.add(value, shown, file);
    }
  }
  return registry;
}
