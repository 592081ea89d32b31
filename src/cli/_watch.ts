/**
 * `bun run session <file> --watch`: runs the session, then runs it again whenever the session
 * file (or a file it extends) or a plugin file changes, the way `bun --watch` restarts: each run
 * is a fresh process, so changed plugins are loaded anew.
 */
import { existsSync, watch, type FSWatcher } from "node:fs";
import { resolve } from "node:path";
import { resolveSession } from "../core/config/resolve.ts";
import { pluginDirs as sessionPluginDirs } from "../core/config/load-session.ts";
import { BUILTIN_PLUGIN_DIRS } from "../core/plugins/discover.ts";

/** Watches and re-runs until the process is stopped. `args` are the command's arguments without --watch. */
export async function watchSession(file: string, args: string[], overrides: string[], out: string | undefined): Promise<never> {
  let run = 0;
  let child: ReturnType<typeof Bun.spawn> | undefined;
  const start = () => {
    run++;
    const runArgs = out === undefined ? args : [...withoutOut(args), "--out", `${out}-${run}`];
    child?.kill();
    child = Bun.spawn(["bun", resolve(import.meta.dir, "session.ts"), ...runArgs], { stdout: "inherit", stderr: "inherit", stdin: "ignore" });
    child.exited.then((code) => process.stdout.write(`[watch] run ${run} ended with exit code ${code}; watching for changes (Ctrl-C to stop)\n`));
  };
  let watchers: FSWatcher[] = [];
  const rewatch = () => {
    for (const w of watchers) w.close();
    watchers = [];
    const resolved = resolveSession(file, { overrides });
    const files = resolved.ok ? resolved.files : [resolve(file)];
    const pluginDirs = [...BUILTIN_PLUGIN_DIRS, ...(resolved.ok ? sessionPluginDirs(resolved.located).paths : [])].filter((d) => existsSync(d));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const changed = (what: string) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        process.stdout.write(`[watch] ${what} changed: running again\n`);
        rewatch();
        start();
      }, 150);
    };
    for (const f of files) if (existsSync(f)) watchers.push(watch(f, () => changed(f)));
    for (const d of pluginDirs) watchers.push(watch(d, { recursive: true }, (_event, name) => changed(`${d}/${name ?? ""}`)));
  };
  rewatch();
  start();
  return new Promise<never>(() => {});
}

function withoutOut(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--out") i++;
    else if (!args[i]!.startsWith("--out=")) out.push(args[i]!);
  }
  return out;
}
