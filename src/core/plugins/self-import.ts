/**
 * Lets a plugin file anywhere (a temp folder, a project beside this one) write
 * `import { defineStrategy } from "sessionflow"` with nothing installed there: files under the
 * plugin folders are loaded with that specifier (and `valibot`, `nodejs-polars`) pointed at this
 * copy of sessionflow. Bun's runtime plugins rewrite the source on load; paths stay the same,
 * so a plugin's relative imports keep working.
 */
import { resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The package's entry point. */
export const SESSIONFLOW_ENTRY = fileURLToPath(new URL("../../index.ts", import.meta.url));
const ROOT = resolve(SESSIONFLOW_ENTRY, "../..");
const OWN = `${resolve(ROOT, "src")}${sep}`;

const registered = new Set<string>();

/** The modules a plugin may import by bare name, and where they are. */
function targets(): Record<string, string> {
  const out: Record<string, string> = { sessionflow: SESSIONFLOW_ENTRY };
  for (const name of ["valibot", "nodejs-polars"]) {
    try {
      out[name] = Bun.resolveSync(name, ROOT);
    } catch {
      // not installed: the plugin's import fails with Bun's own message
    }
  }
  return out;
}

/** Registers the rewrite for files under `dirs` (absolute or relative to `cwd`), once per folder. */
export function enableSelfImport(dirs: readonly string[], cwd = process.cwd()): void {
  const fresh = dirs.map((d) => `${resolve(cwd, d)}${sep}`).filter((d) => !d.startsWith(OWN) && !registered.has(d));
  if (fresh.length === 0) return;
  for (const d of fresh) registered.add(d);
  const paths = targets();
  const names = Object.keys(paths).map((n) => n.replace(/[-/\\^$*+?.()|[\]{}]/g, "\\$&"));
  const specifier = new RegExp(`((?:from|import)\\s*\\(?\\s*)(["'])(${names.join("|")})\\2`, "g");
  const filter = new RegExp(`^(?:${fresh.map((d) => d.replace(/[-/\\^$*+?.()|[\]{}]/g, "\\$&")).join("|")}).*\\.[cm]?[tj]s$`);
  Bun.plugin({
    name: `sessionflow-self-import-${registered.size}`,
    setup(build) {
      build.onLoad({ filter }, async (args) => {
        const text = await Bun.file(args.path).text();
        const contents = text.replace(specifier, (_, lead: string, quote: string, name: string) => `${lead}${quote}${paths[name]}${quote}`);
        return { contents, loader: args.path.endsWith(".js") || args.path.endsWith(".mjs") ? "js" : "ts" };
      });
    },
  });
}
