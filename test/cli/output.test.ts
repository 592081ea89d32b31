/**
 * Every command's output arrives whole whatever the reader's speed: a --json of several hundred
 * KB read by a reader that waits a second before reading was cut at 64 KiB when the CLI called
 * process.exit() after a "drain" that Bun 1.4.5 reports early. Help text is plain when piped.
 */
import { expect, test } from "bun:test";
import { ROOT, SHARED } from "../helpers/cli.ts";

test("a large --json through a slow reader arrives whole and parses", async () => {
  const proc = Bun.spawn(["bun", "src/cli/indicator.ts", "sma", "--input", `${SHARED}/data/bars_1m/MSFT_1m_2025-06-02_2025-07-07.csv`, "--json"], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  await Bun.sleep(1_500);
  const text = await new Response(proc.stdout).text();
  expect(await proc.exited).toBe(0);
  expect(text.length).toBeGreaterThan(200_000);
  const values = JSON.parse(text) as unknown[];
  expect(values.length).toBeGreaterThan(9_000);
}, 30_000);

test("--help piped has no colour codes", () => {
  const result = Bun.spawnSync(["bun", "src/cli/session.ts", "--help"], { cwd: ROOT, stdout: "pipe", env: { ...process.env, FORCE_COLOR: "1" } });
  const text = result.stdout.toString();
  expect(text).toContain("Run a trading session described in YAML");
  expect(text).not.toContain("\u001b[");
});
