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
