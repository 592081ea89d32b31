/** A replay server in the test's process, on 127.0.0.1 and a free port, replaying the bundled store. */
import { Store } from "../../src/core/data/store.ts";
import { ReplayServer, type ReplayServerOptions, type ReplayUrls } from "../../src/core/server/replay-server.ts";
import { MarketCalendar } from "../../src/core/time/calendar.ts";
import { LiveClock } from "../../src/core/time/clock.ts";
import { isoDay } from "../../src/core/time/dates.ts";
import { ROOT } from "./cli.ts";

export const NYSE = MarketCalendar.for("US_EQUITY", "EQUITY");

/** Starts a server replaying `from`..`to` of `root` (the bundled store by default); stop it with `await server.stop()`. */
export function startReplay(from: string, to: string, options: Partial<ReplayServerOptions> & { root?: string } = {}): { server: ReplayServer; urls: ReplayUrls } {
  const server = new ReplayServer({
    store: new Store(options.root ?? `${ROOT}/data`, "US_EQUITY"),
    calendar: NYSE,
    days: NYSE.tradingDays(isoDay(from), isoDay(to)),
    speed: 0,
    wall: new LiveClock(),
    ...options,
  });
  return { server, urls: server.start() };
}

/** The --set overrides that point a session at a server, as paper. */
export function paperOverrides(urls: ReplayUrls, endDate: string): string[] {
  return [
    "mode=paper",
    "api_config.data_api=alpaca",
    `api_config.alpaca.data_url=${urls.data_url}`,
    `api_config.alpaca.stream_url=${urls.stream_url}`,
    `api_config.alpaca.trading_url=${urls.trading_url}`,
    `live_config.end_date=${endDate}`,
  ];
}

/** The --set overrides that point a session at a server, live: orders go to its Trading API. */
export function liveOverrides(urls: ReplayUrls, endDate: string): string[] {
  return [...paperOverrides(urls, endDate).filter((o) => o !== "mode=paper"), "mode=live", "api_config.trade_api=alpaca"];
}

/** The server's matching for sessions/july.yaml's broker (next_open, 1 bps of slippage). */
export const JULY_MATCHING = { fill: "next_open", slippage: { bps: 1, ticks: 0, tick_size: 0.01 } } as const;

/** `bun run data serve ... --json` as a real process; resolves once it prints its URLs. */
export async function spawnServer(args: string[], env: Record<string, string> = {}): Promise<{ proc: Bun.Subprocess<"ignore", "pipe", "pipe">; urls: ReplayUrls & { port: number }; kill: (signal?: NodeJS.Signals) => Promise<void> }> {
  const proc = Bun.spawn(["bun", "src/cli/data.ts", "serve", "--json", ...args], { cwd: ROOT, stdin: "ignore", stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1", ...env } });
  const { readUntil } = await import("./stream.ts");
  const text = await readUntil(proc.stdout, (t) => t.includes("\n"), 30_000);
  if (!text.includes("\n")) throw new Error(`the server did not start: ${await new Response(proc.stderr).text()}`);
  const urls = JSON.parse(text.split("\n")[0]!) as ReplayUrls & { port: number };
  return {
    proc,
    urls,
    kill: async (signal = "SIGTERM") => {
      proc.kill(signal);
      await proc.exited;
    },
  };
}

/** The environment that points sessions/paper.yaml at a server. */
export function paperEnv(urls: ReplayUrls, extra: Record<string, string> = {}): Record<string, string> {
  return { APCA_API_DATA_URL: urls.data_url, APCA_API_STREAM_URL: urls.stream_url, APCA_API_BASE_URL: urls.trading_url, ...extra };
}
