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
import { typecheckPlugins } from "./typecheck.ts";

/** sessionflow's own sources: type-checked by its CI, not at load. */
const OWN_SOURCES = `${resolve(SESSIONFLOW_ENTRY, "..")}/`;

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
  file: string;
}

/** The plugins found in a set of folders, by kind and name. */
export class PluginRegistry {
  private readonly byKind = new Map<PluginKind, Map<string, Discovered>>();

  /** Adds a plugin; a second one of the same kind and name is refused with both files. */
  add(plugin: PluginBase, file: string): void {
    let names = this.byKind.get(plugin.kind);
    if (!names) this.byKind.set(plugin.kind, (names = new Map()));
    const existing = names.get(plugin.name);
    if (existing) {
      throw pluginError({ plugin: plugin.name }, `two ${plugin.kind} plugins are named "${plugin.name}": ${existing.file} and ${file}; rename one`);
    }
    names.set(plugin.name, { plugin, file });
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

/** Options of discoverPlugins. */
export interface DiscoverOptions {
  /** Type-check plugin files outside sessionflow's own sources before importing them. @default false */
  typecheck?: boolean;
}

/** Imports every plugin file under `dirs` into a registry; an import or type error names the file. */
export async function discoverPlugins(dirs: readonly string[], cwd = process.cwd(), options: DiscoverOptions = {}): Promise<PluginRegistry> {
  enableSelfImport(dirs, cwd);
  const registry = new PluginRegistry();
  const files = pluginFiles(dirs, cwd);
  if (options.typecheck) typecheckPlugins(files.filter((f) => !f.startsWith(OWN_SOURCES) && f.endsWith(".ts")));
  for (const file of files) {
    const shown = displayPath(file, cwd);
    let module: Record<string, unknown>;
    try {
      module = (await import(file)) as Record<string, unknown>;
    } catch (error) {
      throw pluginError({ plugin: shown, hook: "import" }, `the file failed to load: ${(error as Error)?.message ?? String(error)}`, error);
    }
    const seen = new Set<unknown>();
    for (const value of Object.values(module)) {
      if (!isPlugin(value) || seen.has(value)) continue;
      seen.add(value);
      registry.add(value, shown);
    }
  }
  return registry;
}
