#!/usr/bin/env bun
/**
 * `bun run data`: import, list, quality, export, fetch from a provider, and rebuild the bundled store.
 */
import { defineCommand } from "citty";
import { runCli } from "./_run-cli.ts";
import bundle from "./data/bundle.ts";
import exportCommand from "./data/export.ts";
import fetch from "./data/fetch.ts";
import importCommand from "./data/import.ts";
import list from "./data/list.ts";
import quality from "./data/quality.ts";
import serve from "./data/serve.ts";

const main = defineCommand({
  meta: {
    name: "data",
    description:
      "The Parquet bar store under data/ (or --root).\n\nExamples:\n" +
      "  bun run data list\n" +
      "  bun run data import ../shared/data/bars_1m/MSFT_1m_2025-06-02_2025-07-07.csv --symbol MSFT --interval 1m\n" +
      "  bun run data quality FXY --from 2025-07-01 --to 2025-07-07\n" +
      "  bun run data export --symbol MSFT --interval 5m --from 2025-07-03 --to 2025-07-03 --regular-hours --format csv --output msft-5m.csv\n" +
      "  bun run data serve --from 2025-07-02 --to 2025-07-03 --speed 60",
  },
  run() {
    process.stdout.write("Name a command: import, list, quality, export, fetch, bundle, serve. Use --help for the list.\n");
    process.exitCode = 2;
  },
});

await runCli({ main, subCommands: { import: importCommand, list, quality, export: exportCommand, fetch, bundle, serve } });
