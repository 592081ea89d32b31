/**
 * `bun run session new-strategy <name>`: writes a documented strategy skeleton that runs as is.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../core/data/atomic.ts";
import { usageError } from "../core/errors.ts";
import { BUILTIN_PLUGIN_DIRS, discoverPlugins } from "../core/plugins/discover.ts";

/** The skeleton's source for a strategy called `name`. */
export function skeleton(name: string): string {
  const exportName = name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return `/**
 * ${name}: a strategy skeleton made by \`bun run session new-strategy ${name}\`. It runs as is:
 * it buys \`notional\` worth of each subscribed symbol on the first bar after \`entry_minutes\` of
 * the session, and closes the position \`exit_minutes_before_close\` before the close. Replace the
 * logic in onBar with yours; name the strategy in a session under \`strategies:\`.
 *
 *   strategies:
 *     - name: ${name}
 *       params: { interval: 5m, notional: 2000 }
 */
import { defineStrategy, v } from "sessionflow";

export const ${exportName} = defineStrategy({
  name: "${name}",
  description: "Describe what ${name} does.",

  // Every parameter is checked against this schema; a bad value is a config error with its YAML line.
  params: v.strictObject({
    /** Symbols to trade. @default every session symbol */
    symbols: v.optional(v.array(v.string())),
    /** The bars onBar receives (a stream of the session, or one it can derive). @default "5m" */
    interval: v.optional(v.string(), "5m"),
    /** Money per entry. @default 2000 */
    notional: v.optional(v.pipe(v.number(), v.gtValue(0)), 2000),
    /** @default 30 */
    entry_minutes: v.optional(v.pipe(v.number(), v.minValue(0)), 30),
    /** @default 10 */
    exit_minutes_before_close: v.optional(v.pipe(v.number(), v.minValue(1)), 10),
  }),

  // The streams onBar is called for. No symbol: every symbol of the session.
  subscribe: (p) => (p.symbols ?? [undefined]).map((symbol) => ({ symbol, interval: p.interval })),

  // Runs once before the first day; what it returns is ctx.state in every other hook.
  setup: () => ({ enteredToday: new Set<string>() }),

  onSessionStart(ctx) {
    ctx.state.enteredToday.clear();
  },

  // Called once per bar of each subscribed stream, when the bar has ended (ctx.now === bar.end).
  // Orders fill on a later bar, never this one.
  onBar(ctx, bar) {
    const minutesIn = (bar.end - ctx.session.open) / 60_000;
    const minutesLeft = (ctx.session.close - bar.end) / 60_000;
    const position = ctx.position(bar.symbol).qty;
    if (minutesLeft <= ctx.params.exit_minutes_before_close) {
      if (position !== 0) ctx.close(bar.symbol);
      return;
    }
    if (minutesIn >= ctx.params.entry_minutes && position === 0 && !ctx.state.enteredToday.has(bar.symbol)) {
      ctx.state.enteredToday.add(bar.symbol);
      ctx.order({ symbol: bar.symbol, side: "buy", notional: ctx.params.notional });
    }
  },

  onFill(ctx, fill) {
    ctx.log(\`\${fill.side} \${fill.qty} \${fill.symbol} at \${fill.price}\`);
  },
});
`;
}

/** Writes the skeleton to `<dir>/<name>.ts`; refuses names that are not snake_case and existing files. */
export async function newStrategy(name: string, dir: string): Promise<string> {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw usageError(`${JSON.stringify(name)} is not a strategy name; allowed: snake_case (a-z, 0-9, _), starting with a letter, e.g. my_breakout`);
  // A name a strategy already has would clash in every session that loads both.
  const registry = await discoverPlugins([...BUILTIN_PLUGIN_DIRS, ...(existsSync(dir) ? [dir] : [])]);
  const taken = registry.get("strategy", name);
  if (taken) throw usageError(`a strategy named ${JSON.stringify(name)} already exists (${taken.file}); choose another name`);
  const file = join(dir, `${name}.ts`);
  if (existsSync(file)) throw usageError(`${file} already exists; nothing was written (choose another name)`);
  writeFileAtomic(file, skeleton(name));
  return file;
}
