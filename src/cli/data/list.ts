/** `bun run data list`: every stored symbol and table with its date range and row count. */
import { defineCommand } from "citty";
import { isoUtc } from "../../core/time/dates.ts";
import { commonArgs, count, openData, printJson } from "../_data-common.ts";

export default defineCommand({
  meta: { name: "list", description: "Symbols, intervals, date ranges and row counts in the store.\n\nExample:\n  bun run data list --root data" },
  args: { ...commonArgs },
  run({ args }) {
    const { store } = openData(args);
    const rows = store.list().map((s) => ({ ...s, first: s.first === null ? null : isoUtc(s.first), last: s.last === null ? null : isoUtc(s.last) }));
    if (args.json) return printJson(rows);
    if (rows.length === 0) return void process.stdout.write(`${store.root}/${store.exchangeGroup}: the store is empty\n`);
    const table = [["symbol", "table", "files", "rows", "first bar (UTC)", "last bar (UTC)"], ...rows.map((r) => [r.symbol, r.table, String(r.files), count(r.rows), r.first ?? "", r.last ?? ""])];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    process.stdout.write(`${table.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n")}\n`);
  },
});
