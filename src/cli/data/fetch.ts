/**
 * `bun run data fetch --provider synthetic --symbols A,B --from --to`: bars from a provider
 * plugin into the store (the way a market-data download plugs in).
 */
import { defineCommand } from "citty";
import * as v from "valibot";
import type { ProviderPlugin } from "../../core/data/provider.ts";
import { guarded, guardedAsync, usageError } from "../../core/errors.ts";
import { discoverPlugins } from "../../core/plugins/discover.ts";
import { commonArgs, count, dayFlag, dayWindow, intervalFlag, openData, printJson, required } from "../_data-common.ts";

export default defineCommand({
  meta: {
    name: "fetch",
    description:
      "Write a provider's bars into the store.\n\nExamples:\n" +
      "  bun run data fetch --provider synthetic --symbols SYN1,SYN2 --from 2024-01-02 --to 2024-12-31 --root /tmp/synthetic\n" +
      "  bun run data fetch --provider synthetic --count 100 --param seed=7 --param missing_rate=0.02 --from 2024-01-02 --to 2024-01-31 --root /tmp/s",
  },
  args: {
    provider: { type: "string", description: "A provider plugin's name", default: "synthetic" },
    symbols: { type: "string", description: "Comma-separated symbols", valueHint: "A,B,C" },
    count: { type: "string", description: "Or: this many symbols named S0001, S0002 ...", valueHint: "N" },
    interval: { type: "string", description: "Bar interval", default: "1m" },
    from: { type: "string", description: "First trading date (a session that opens the evening before starts then)", valueHint: "YYYY-MM-DD" },
    to: { type: "string", description: "Last trading date (inclusive)", valueHint: "YYYY-MM-DD" },
    param: { type: "string", description: "A provider parameter key=value (repeatable)", valueHint: "key=value" },
    "plugins-dir": { type: "string", description: "Folder of provider plugins", default: "src/plugins" },
    ...commonArgs,
  },
  async run({ args, rawArgs }) {
    const { calendar, store } = openData(args);
    const registry = await discoverPlugins([args["plugins-dir"]]);
    const found = registry.get<ProviderPlugin>("provider", args.provider);
    if (!found) throw usageError(`no provider named ${JSON.stringify(args.provider)}; available: ${registry.names("provider").join(", ")}`);
    const params: Record<string, unknown> = {};
    rawArgs.forEach((arg, i) => {
      const text = arg === "--param" ? rawArgs[i + 1] : arg.startsWith("--param=") ? arg.slice(8) : undefined;
      if (text === undefined) return;
      const eq = text.indexOf("=");
      if (eq < 1) throw usageError(`--param ${text}: allowed: key=value`);
      const raw = text.slice(eq + 1);
      params[text.slice(0, eq)] = raw !== "" && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
    });
    const checked = v.safeParse(found.plugin.params, params);
    if (!checked.success) throw usageError(`provider ${found.plugin.name}: bad --param: ${checked.issues.map((i) => `${i.path?.map((p) => p.key).join(".") ?? ""} ${i.message}`).join("; ")}`);
    const plugin = { plugin: found.plugin.name, file: found.file };
    const provider = guarded({ ...plugin, hook: "create" }, () => found.plugin.create(checked.output, { calendar }));
    const symbols = args.symbols
      ? args.symbols.split(",").map((s) => s.trim().toUpperCase()).filter(Boolean)
      : Array.from({ length: Number(required(args.count, "symbols", "SYN1,SYN2 (or --count 100)")) }, (_, i) => `S${String(i + 1).padStart(4, "0")}`);
    const interval = intervalFlag(args.interval);
    const from = dayFlag(required(args.from, "from", "2024-01-02"), "from")!;
    const { start, end } = dayWindow(calendar, from, dayFlag(args.to, "to") ?? from);
    const written: { symbol: string; bars: number; files: number }[] = [];
    for (const [index, symbol] of symbols.entries()) {
      const bars = await guardedAsync({ ...plugin, hook: "historicalBars", symbol }, () => provider.historicalBars({ symbol, interval, start, end }));
      const partitions = store.write({ kind: "bars", interval }, symbol, bars);
      written.push({ symbol, bars: bars.height, files: partitions.filter((p) => p.changed).length });
      if (!args.json && symbols.length > 10 && (index + 1) % 10 === 0) process.stderr.write(`fetched ${index + 1}/${symbols.length} symbols\n`);
      await Bun.sleep(0); // let Bun free Polars memory between symbols
    }
    if (args.json) return printJson(written);
    const total = written.reduce((n, w) => n + w.bars, 0);
    process.stdout.write(`fetched ${count(total)} ${interval.text} bars of ${symbols.length} symbols from ${found.plugin.name} into ${store.root}\n`);
  },
});
