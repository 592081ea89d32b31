/**
 * Paper sessions as a user runs them: `bun run data serve` and `bun run session sessions/paper.yaml`
 * as real processes on 127.0.0.1 (free ports, bounded in time, stopped by the test). Refused
 * credentials, a server killed mid-day and started again, corrected bars, Ctrl-C, and the
 * provider that fills the store through REST.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Store } from "../../src/core/data/store.ts";
import { requireInterval } from "../../src/core/time/interval.ts";
import { ROOT, runScript } from "../helpers/cli.ts";
import { NYSE, paperEnv, spawnServer } from "../helpers/replay.ts";
import { readUntil } from "../helpers/stream.ts";
import { tempDir } from "../helpers/tmp.ts";
import { isoDay } from "../../src/core/time/dates.ts";

const dir = tempDir("paper-cli");
afterAll(() => dir[Symbol.dispose]());

/** Every file under a folder, as text (for greps). */
function allText(folder: string): string {
  let out = "";
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    out += statSync(path).isDirectory() ? allText(path) : readFileSync(path).toString("latin1");
  }
  return out;
}

/** The regular-session 1m bars of a symbol on a day, as rows. */
function dayRows(root: string, symbol: string, date: string): string[] {
  const session = NYSE.requireSession(isoDay(date));
  const frame = new Store(root, "US_EQUITY").read({ kind: "bars", interval: requireInterval("1m") }, symbol, session.open, session.close);
  return frame.rows().map((r) => r.join(","));
}

const LIGHT = ["--set", "session_data_config.symbols=[MSFT, FXY]", "--set", "strategies=[]", "--set", "session_data_config.indicators.session=[]", "--set", "session_data_config.indicators.historical=[]"];

describe("credentials", () => {
  test("refused authentication: exit 2, the message names the variables, and no secret appears anywhere", async () => {
    const server = await spawnServer(["--from", "2025-07-02", "--speed", "0", "--port", "0", "--refuse-auth"]);
    const secret = { APCA_API_KEY_ID: "AKTESTKEY7431", APCA_API_SECRET_KEY: "sEcReT-9f3a-4477-b0c1" };
    try {
      const out = `${dir.path}/refused`;
      const result = runScript("session", ["sessions/paper.yaml", "--out", out, ...LIGHT, "--set", `data.root=${dir.path}/refused-store`], { env: paperEnv(server.urls, secret) });
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain("authentication failed");
      expect(result.stderr).toContain("APCA_API_KEY_ID and APCA_API_SECRET_KEY");
      const everything = result.stdout + result.stderr + allText(out);
      for (const value of Object.values(secret)) expect(everything.includes(value)).toBe(false);
      expect(JSON.parse(readFileSync(`${out}/status.json`, "utf8")).state).toBe("failed");
    } finally {
      await server.kill();
    }
  });
});

describe("the server is killed mid-day and started again", () => {
  test("the session reconnects, backfills, and the recorded store equals what the server served", async () => {
    const store = `${dir.path}/recorded-store`;
    mkdirSync(store, { recursive: true });
    const first = await spawnServer(["--from", "2025-07-03", "--speed", "600", "--port", "0", "--start-at", "2025-07-03 12:00"]);
    const port = String(first.urls.port);
    const session = Bun.spawn(["bun", "src/cli/session.ts", "sessions/paper.yaml", "--json", "--out", `${dir.path}/recorded`, ...LIGHT, "--set", `data.root=${store}`], {
      cwd: ROOT,
      stdout: "pipe",
      stderr: "pipe",
      env: { ...process.env, NO_COLOR: "1", ...paperEnv(first.urls) },
    });
    const output = { text: "" };
    let second: Awaited<ReturnType<typeof spawnServer>> | undefined;
    try {
      // Mid-day: once the session has streamed past 12:20 New York, the server dies without a word.
      await readUntil(session.stdout, (t) => /"clock":"12:2\d"/.test(t), 60_000, output);
      await first.kill("SIGKILL");
      second = await spawnServer(["--from", "2025-07-03", "--speed", "600", "--port", port, "--start-at", "2025-07-03 12:40"]);
      await readUntil(session.stdout, (t) => t.includes(`"event":"summary"`), 60_000, output);
      expect(await session.exited).toBe(0);
    } finally {
      session.kill();
      await first.kill("SIGKILL");
      await second?.kill();
    }
    const summary = JSON.parse(output.text.trim().split("\n").at(-1)!);
    expect(summary.live.reconnects).toBeGreaterThanOrEqual(1);
    expect(summary.trading_days.map((d: { date: string }) => d.date)).toEqual(["2025-07-03"]);
    expect(summary.streams.find((s: { symbol: string; interval: string }) => s.symbol === "MSFT" && s.interval === "1m").bars).toBe(210);
    // The day streamed and the history fetched through REST: the same rows as the server's store.
    const days = [...NYSE.tradingDaysBefore(isoDay("2025-07-03"), 20), isoDay("2025-07-03")].map((d) => NYSE.dayInfo(d).date);
    for (const symbol of ["MSFT", "FXY"]) {
      for (const date of days) expect({ symbol, date, rows: dayRows(store, symbol, date) }).toEqual({ symbol, date, rows: dayRows(`${ROOT}/data`, symbol, date) });
    }
    // Every journal was compacted into the store at the day's end.
    const journal = join(store, "US_EQUITY", "journal");
    const left = readdirSync(journal, { recursive: true }).filter((f) => String(f).endsWith(".csv"));
    expect(left).toEqual([]);
  });
});

describe("corrected bars and stopping", () => {
  test("updated bars (u) replace what was recorded; the count is in the summary", async () => {
    const server = await spawnServer(["--from", "2025-07-02", "--speed", "0", "--port", "0", "--update-every", "40"]);
    const store = `${dir.path}/updates-store`;
    try {
      const result = runScript("session", ["sessions/paper.yaml", "--json", "--out", `${dir.path}/updates`, ...LIGHT, "--set", `data.root=${store}`], { env: paperEnv(server.urls) });
      expect(result.exitCode).toBe(0);
      const summary = JSON.parse(result.stdout.trim().split("\n").at(-1)!);
      expect(summary.live.updated_bars).toBeGreaterThan(5);
    } finally {
      await server.kill();
    }
    for (const symbol of ["MSFT", "FXY"]) expect(dayRows(store, symbol, "2025-07-02")).toEqual(dayRows(`${ROOT}/data`, symbol, "2025-07-02"));
  });

  test("Ctrl-C ends the day cleanly: exit 0, the run written and marked stopped", async () => {
    const server = await spawnServer(["--from", "2025-07-02", "--speed", "120", "--port", "0"]);
    const out = `${dir.path}/interrupted`;
    const session = Bun.spawn(["bun", "src/cli/session.ts", "sessions/paper.yaml", "--json", "--out", out, ...LIGHT, "--set", `data.root=${dir.path}/interrupted-store`], {
      cwd: ROOT,
      stdout: "pipe",
      stderr: "pipe",
      env: { ...process.env, NO_COLOR: "1", ...paperEnv(server.urls) },
    });
    const output = { text: "" };
    try {
      await readUntil(session.stdout, (t) => t.includes(`"event":"status"`), 60_000, output);
      session.kill("SIGINT");
      await readUntil(session.stdout, (t) => t.includes(`"event":"summary"`), 60_000, output);
      expect(await session.exited).toBe(0);
    } finally {
      session.kill();
      await server.kill();
    }
    expect(JSON.parse(readFileSync(`${out}/status.json`, "utf8"))).toMatchObject({ state: "stopped", days_complete: 1, error: "interrupted (Ctrl-C)" });
    const summary = JSON.parse(readFileSync(`${out}/summary.json`, "utf8"));
    expect(summary.live.stopped).toBe("interrupted (Ctrl-C)");
  });
});

describe("a second Ctrl-C", () => {
  test("stops at once (exit 130); the run directory is readable, marked stopped, and bun run report renders it", async () => {
    const server = await spawnServer(["--from", "2025-07-02", "--speed", "120", "--port", "0"]);
    const out = `${dir.path}/killed-twice`;
    // A strategy whose end-of-day hook takes a while: the first interrupt is still ending the day when the second comes.
    const plugins = `${dir.path}/slow-plugins`;
    mkdirSync(plugins, { recursive: true });
    Bun.write(`${plugins}/slow_end.ts`, `import { defineStrategy, v } from "sessionflow";\nexport const slowEnd = defineStrategy({ name: "slow_end", params: v.strictObject({}), subscribe: () => [{ symbol: "MSFT", interval: "1m" }], onBar() {}, onSessionEnd() { Bun.sleepSync(2000); } });\n`);
    const session = Bun.spawn(["bun", "src/cli/session.ts", "sessions/paper.yaml", "--json", "--out", out, ...LIGHT, "--set", `data.root=${dir.path}/killed-twice-store`, "--set", `plugins.dirs=[src/plugins, ${plugins}]`, "--set", "strategies=[{name: slow_end}]"], {
      cwd: ROOT,
      stdout: "pipe",
      stderr: "pipe",
      env: { ...process.env, NO_COLOR: "1", ...paperEnv(server.urls) },
    });
    try {
      await readUntil(session.stdout, (t) => t.includes(`"event":"status"`), 60_000);
      session.kill("SIGINT");
      await readUntil(session.stderr, (t) => t.includes("stopping (interrupted (Ctrl-C))"), 30_000);
      session.kill("SIGINT");
      expect(await session.exited).toBe(130);
    } finally {
      session.kill();
      await server.kill();
    }
    expect(JSON.parse(readFileSync(`${out}/status.json`, "utf8"))).toMatchObject({ state: "stopped" });
    expect(readFileSync(`${out}/config.yaml`, "utf8")).toContain("mode: paper");
    const report = runScript("report", [out]);
    expect(report.exitCode).toBe(0);
    expect(readFileSync(`${out}/report.html`, "utf8")).toContain(`data-incomplete="stopped"`);
  }, 30_000);
});

describe("data fetch --provider alpaca", () => {
  test("fills a store through REST, every page", async () => {
    const server = await spawnServer(["--from", "2025-07-07", "--speed", "0", "--port", "0"]);
    const store = `${dir.path}/fetched`;
    try {
      const result = runScript("data", ["fetch", "--provider", "alpaca", "--symbols", "MSFT,JPM", "--from", "2025-06-02", "--to", "2025-06-30", "--param", `data_url=${server.urls.data_url}`, "--root", store, "--json"]);
      expect(result.exitCode).toBe(0);
      const written = JSON.parse(result.stdout) as { symbol: string; bars: number; files: number }[];
      const stored = (symbol: string) => new Store(`${ROOT}/data`, "US_EQUITY").read({ kind: "bars", interval: requireInterval("1m") }, symbol, Date.parse("2025-06-02T04:00:00Z"), Date.parse("2025-07-01T04:00:00Z"));
      expect(written).toEqual([{ symbol: "MSFT", bars: stored("MSFT").height, files: 1 }, { symbol: "JPM", bars: stored("JPM").height, files: 1 }]);
      expect(stored("MSFT").height).toBeGreaterThan(10_000); // more than one page of 10,000
      expect(new Store(store, "US_EQUITY").read({ kind: "bars", interval: requireInterval("1m") }, "MSFT", Date.parse("2025-06-02T04:00:00Z"), Date.parse("2025-07-01T04:00:00Z")).frameEqual(stored("MSFT"))).toBe(true);
    } finally {
      await server.kill();
    }
  });
});
