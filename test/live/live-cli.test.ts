/**
 * Live sessions as a user runs them: `bun run data serve` (with its broker) and `bun run session`
 * with mode live, as real processes on 127.0.0.1 (free ports, bounded in time, stopped by the
 * test): the confirmation a live-money host needs, the kill switch from a third process while the
 * session trades, and no key or secret anywhere - output, log, run directory, errors.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT, runScript } from "../helpers/cli.ts";
import { csvBody } from "../helpers/csv.ts";
import { paperEnv, spawnServer } from "../helpers/replay.ts";
import { readUntil } from "../helpers/stream.ts";
import { tempDir } from "../helpers/tmp.ts";

const dir = tempDir("live-cli");
afterAll(() => dir[Symbol.dispose]());

const SECRET = { APCA_API_KEY_ID: "AKLIVEKEY90210", APCA_API_SECRET_KEY: "liveSeCrEt-77b1-4c2e-9d0f" };
const LIVE = ["--set", "mode=live", "--set", "api_config.trade_api=alpaca"];

/** Every file under a folder, as text (for greps). */
function allText(folder: string): string {
  let out = "";
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    out += statSync(path).isDirectory() ? allText(path) : readFileSync(path).toString("latin1");
  }
  return out;
}

describe("mode live from the command line", () => {
  test("a live-money host without --confirm-live: refused before any request (exit 2), nothing written", () => {
    const out = `${dir.path}/unconfirmed`;
    const result = runScript("session", ["sessions/paper.yaml", "--out", out, ...LIVE, "--set", "api_config.alpaca.trading_url=https://api.alpaca.markets"], { env: { ...SECRET, APCA_API_DATA_URL: "http://127.0.0.1:9", APCA_API_STREAM_URL: "ws://127.0.0.1:9/v2/iex" } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("api_config.alpaca.trading_url https://api.alpaca.markets trades real money; a live session there starts only with --confirm-live on the command line");
    // Refused before reaching for the market's clock (the data URL is a closed port).
    expect(result.stderr).not.toContain("127.0.0.1:9");
    expect(() => readdirSync(out)).toThrow();
    for (const value of Object.values(SECRET)) expect(result.stdout + result.stderr).not.toContain(value);
  });

  test("trading against the local server, stopped from another terminal: flat, recorded, and no secret anywhere", async () => {
    const server = await spawnServer(["--from", "2025-07-02", "--speed", "300", "--port", "0", "--slippage-bps", "1"]);
    const out = `${dir.path}/kill`;
    const session = Bun.spawn(["bun", "src/cli/session.ts", "sessions/paper.yaml", "--json", "--out", out, ...LIVE, "--set", `data.root=${dir.path}/kill-store`, "--set", "live_config.end_date=2025-07-02"], {
      cwd: ROOT,
      stdout: "pipe",
      stderr: "pipe",
      env: { ...process.env, NO_COLOR: "1", ...paperEnv(server.urls, SECRET) },
    });
    const output = { text: "" };
    try {
      // Once the opening-range orders have been working a while (13:50 UTC = 09:50 New York), the kill switch.
      await readUntil(session.stdout, (t) => /"clock":"09:5\d"/.test(t), 60_000, output);
      const stop = runScript("session", ["stop", out]);
      expect(stop.exitCode).toBe(0);
      expect(stop.stdout).toContain(`stop sent to ${out} by `);
      await readUntil(session.stdout, (t) => t.includes(`"event":"summary"`), 60_000, output);
      expect(await session.exited).toBe(0);
    } finally {
      session.kill();
      await server.kill();
    }
    const summary = JSON.parse(output.text.trimEnd().split("\n").at(-1)!);
    expect(summary.live.execution.venue).toBe("alpaca");
    expect(summary.live.execution.orders_sent).toBeGreaterThan(0);
    expect(summary.live.stopped).toContain("(kill switch)");
    expect(summary.trading.open_positions).toEqual([]);
    expect(JSON.parse(readFileSync(`${out}/status.json`, "utf8")).state).toBe("stopped");
    const controls = csvBody(out, "controls.csv");
    expect(controls.map((c) => c[2])).toEqual(["stop"]);
    // Orders went out under this run's ids.
    const orders = csvBody(out, "orders.csv");
    expect(orders.filter((o) => o[14] !== "").every((o) => o[14]!.startsWith(`sf-paper-${o[2]}-kill-`))).toBe(true);
    expect(orders.filter((o) => o[10] === "pending")).toEqual([]);
    const everything = output.text + (await new Response(session.stderr).text()) + allText(out);
    for (const value of Object.values(SECRET)) expect(everything.includes(value)).toBe(false);
  }, 120_000);
});
