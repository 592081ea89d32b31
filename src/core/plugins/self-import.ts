/**
 * Lets a plugin file anywhere (a temp folder, a project beside this one) write
 * `import { defineStrategy } from "sessionflow"`: Bun resolves the package name to this copy.
 */
import { fileURLToPath } from "node:url";

/** The package's entry point. */
export const SESSIONFLOW_ENTRY = fileURLToPath(new URL("../../index.ts", import.meta.url));

let registered = false;

/** Registers the resolution once per process. */
export function enableSelfImport(): void {
  if (registered) return;
  registered = true;
  Bun.plugin({
    name: "sessionflow-self-import",
    setup(build) {
      build.onResolve({ filter: /^sessionflow$/ }, () => ({ path: SESSIONFLOW_ENTRY }));
    },
  });
}
