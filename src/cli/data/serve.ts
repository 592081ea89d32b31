/**
 * `bun run data serve --from D --to D --speed 60`: replay the store as Alpaca's market data stream,
 * REST bars and clock on 127.0.0.1, and a broker behind Alpaca's Trading API and order events
 * stream that fills on the replayed bars by the simulated broker's rules - for paper and live
 * sessions to rehearse against (and tests), with faults on request. Prints the URLs as the
 * session's api_config.alpaca keys.
 */
import { defineCommand } from "citty";
import { parseTime } from "../../core/alpaca/messages.ts";
import { usageError } from "../../core/errors.ts";
import { noFaults, plainAccount, type Faults, type TradingFaults } from "../../core/server/faults.ts";
import { ReplayServer } from "../../core/server/replay-server.ts";
import type { MarketCalendar } from "../../core/time/calendar.ts";
import { LiveClock } from "../../core/time/clock.ts";
import { formatDay, parseIsoDate, type DayNumber } from "../../core/time/dates.ts";
import { parseClockTime } from "../../core/time/tz.ts";
import { collectRepeated } from "../_run-cli.ts";
import { commonArgs, dayFlag, openData, required } from "../_data-common.ts";

/** The port a server takes when --port is not given (sessions/paper.yaml points at it). */
export const DEFAULT_PORT = 8642;

export default defineCommand({
  meta: {
    name: "serve",
    description:
      "Replay the store as Alpaca's market data (stream, REST bars, clock) and serve a broker behind its Trading API\n" +
      "(orders, account, positions, the order events stream) on 127.0.0.1, for paper and live sessions to rehearse against.\n" +
      "Orders fill on the replayed bars by the simulated broker's rules (--fill, --slippage-bps: set them as the session's broker).\n\n" +
      "Times (--start-at, --drop-at, --withhold) are 'YYYY-MM-DD HH:MM' in the exchange's time, or RFC 3339 with a Z.\n\nExamples:\n" +
      "  bun run data serve --from 2025-07-02 --to 2025-07-03 --speed 60\n" +
      "  bun run data serve --from 2025-07-02 --speed 0 --port 0 --json\n" +
      "  bun run data serve --from 2025-07-02 --speed 0 --drop-at '2025-07-02 11:00' --withhold 'FXY@2025-07-02 10:00..2025-07-02 10:05'\n" +
      "  bun run data serve --from 2025-07-02 --speed 60 --slippage-bps 1 --position MSFT:10@495.5 --partial-fills",
  },
  args: {
    from: { type: "string", description: "The first day replayed", valueHint: "YYYY-MM-DD" },
    to: { type: "string", description: "The last day replayed (default: --from)", valueHint: "YYYY-MM-DD" },
    speed: { type: "string", description: "N x real time; 0 = as fast as the client reads", default: "60" },
    port: { type: "string", description: `The port (0 = any free one)`, default: String(DEFAULT_PORT) },
    "start-at": { type: "string", description: "Start the replay at this instant instead of the first day's open (a late start)", valueHint: "TIME" },
    "drop-at": { type: "string", description: "Drop the stream connection at TIME, the replay running on MINUTES without it (repeatable)", valueHint: "TIME[+MINUTES]" },
    "delay-ms": { type: "string", description: "Send each minute's bars this many ms of market time after it ends", valueHint: "MS" },
    withhold: { type: "string", description: "Never stream SYMBOL's (or every symbol's) minutes in [FROM, TO); REST still serves them (repeatable)", valueHint: "[SYMBOL@]FROM..TO" },
    "update-every": { type: "string", description: "Send every Nth bar wrong, then its correction (u) 30 s later", valueHint: "N" },
    "refuse-auth": { type: "boolean", description: "Refuse every authentication (402)" },
    "hold-stream": { type: "boolean", description: "Refuse every connection as if another client held the stream (406)" },
    fill: { type: "enum", options: ["next_open", "close"], description: "Orders fill as the simulated broker's broker.fill says", default: "next_open" },
    "slippage-bps": { type: "string", description: "Slippage in basis points, as broker.slippage.bps", default: "0" },
    cash: { type: "string", description: "The account's cash at the start", default: "100000" },
    position: { type: "string", description: "A position the account holds at the start (repeatable; negative QTY: short)", valueHint: "SYMBOL:QTY@PRICE" },
    "open-order": { type: "string", description: "An order open at the start (repeatable)", valueHint: "CLIENT_ID:SIDE:QTY:SYMBOL[:limit|stop:PRICE]" },
    "reject-every": { type: "string", description: "Reject every Nth order", valueHint: "N" },
    "partial-fills": { type: "boolean", description: "Fill every order in two parts (half, then the rest)" },
    "ack-delay": { type: "string", description: "Answer the Nth order's POST this many ms late (past a client's timeout)", valueHint: "N:MS" },
    "cancel-race": { type: "boolean", description: "A cancel finds the order filled on its next bar and is refused (422)" },
    "drop-orders-at": { type: "string", description: "Close the order events stream when the replay reaches TIME", valueHint: "TIME" },
    ...commonArgs,
  },
  async run({ args, rawArgs }) {
    const { calendar, store } = openData(args);
    const from = dayFlag(required(args.from, "from", "2025-07-02"), "from")!;
    const to = dayFlag(args.to, "to") ?? from;
    const days = calendar.tradingDays(from, to);
    if (days.length === 0) throw usageError(`no trading day between ${formatDay(from)} and ${formatDay(to)}`);
    const speed = number(args.speed, "speed", 0);
    const port = number(args.port, "port", 0);
    const instant = (text: string, flag: string) => instantFlag(text, flag, calendar, days[0]!);
    const faults: Faults = {
      ...noFaults(),
      drops: collectRepeated(rawArgs, "drop-at").map((text) => {
        const [time, minutes] = text.split("+");
        return { at: instant(time!, "drop-at"), skipMinutes: minutes === undefined ? 0 : number(minutes, "drop-at minutes", 0) };
      }),
      delayMs: args["delay-ms"] ? number(args["delay-ms"], "delay-ms", 0) : 0,
      withhold: collectRepeated(rawArgs, "withhold").map((text) => {
        const at = text.indexOf("@");
        const symbol = at > 0 ? text.slice(0, at).toUpperCase() : undefined;
        const [a, b] = text.slice(at + 1).split("..");
        if (!a || !b) throw usageError(`--withhold ${JSON.stringify(text)}: allowed: [SYMBOL@]FROM..TO, e.g. FXY@'2025-07-02 10:00'..'2025-07-02 10:05'`);
        return { symbol, from: instant(a, "withhold"), to: instant(b, "withhold") };
      }),
      updateEvery: args["update-every"] ? number(args["update-every"], "update-every", 1) : 0,
      refuseAuth: Boolean(args["refuse-auth"]),
      holdStream: Boolean(args["hold-stream"]),
    };
    const trading: TradingFaults = {
      ...plainAccount(),
      cash: number(args.cash, "cash", 0),
      positions: collectRepeated(rawArgs, "position").map(positionFlag),
      openOrders: collectRepeated(rawArgs, "open-order").map(openOrderFlag),
      rejectEvery: args["reject-every"] ? number(args["reject-every"], "reject-every", 1) : 0,
      partialFills: Boolean(args["partial-fills"]),
      ackDelay: args["ack-delay"] ? ackDelayFlag(args["ack-delay"]) : null,
      cancelRace: Boolean(args["cancel-race"]),
      dropTradeStreamAt: args["drop-orders-at"] ? instant(args["drop-orders-at"], "drop-orders-at") : null,
    };
    const matching = { fill: args.fill as "next_open" | "close", slippage: { bps: number(args["slippage-bps"], "slippage-bps", 0), ticks: 0, tick_size: 0.01 } };
    const server = new ReplayServer({
      store,
      calendar,
      days,
      speed,
      port,
      startAt: args["start-at"] ? instant(args["start-at"], "start-at") : undefined,
      wall: new LiveClock(),
      faults,
      trading,
      matching,
      log: args.json ? undefined : (line) => process.stderr.write(`${line}\n`),
    });
    const urls = server.start();
    const port_ = Number(new URL(urls.data_url).port);
    if (args.json) process.stdout.write(`${JSON.stringify({ ...urls, port: port_, from: formatDay(days[0]!), to: formatDay(days.at(-1)!), speed })}\n`);
    else {
      process.stdout.write(
        `replaying ${formatDay(days[0]!)} to ${formatDay(days.at(-1)!)} of ${store.root}/${store.exchangeGroup} at ${speed === 0 ? "the client's pace" : `${speed}x`} on 127.0.0.1:${port_}\n` +
          `api_config.alpaca.data_url=${urls.data_url}\napi_config.alpaca.stream_url=${urls.stream_url}\napi_config.alpaca.trading_url=${urls.trading_url}\n` +
          "Ctrl-C stops it.\n",
      );
    }
    await new Promise<void>((resolve) => {
      const end = () => resolve();
      process.once("SIGINT", end);
      process.once("SIGTERM", end);
    });
    await server.stop();
  },
});

function number(text: string, flag: string, min: number): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < min) throw usageError(`--${flag} ${JSON.stringify(text)}: allowed: a number >= ${min}`);
  return value;
}

/** 'YYYY-MM-DD HH:MM' in the exchange's time, 'HH:MM' on the first day, or RFC 3339 with a zone. */
function instantFlag(text: string, flag: string, calendar: MarketCalendar, firstDay: DayNumber): number {
  const trimmed = text.trim();
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(trimmed)) {
    const ms = parseTime(trimmed);
    if (!Number.isNaN(ms)) return ms;
  }
  const m = /^(?:(\d{4}-\d{2}-\d{2})[ T])?(\d{2}:\d{2})$/.exec(trimmed);
  const day = m?.[1] ? parseIsoDate(m[1]) : firstDay;
  const time = m ? parseClockTime(m[2]!) : undefined;
  if (day === undefined || time === undefined) throw usageError(`--${flag} ${JSON.stringify(text)}: allowed: 'YYYY-MM-DD HH:MM' (exchange time), 'HH:MM', or RFC 3339 such as 2025-07-02T15:00:00Z`);
  return calendar.toUtc(day, time);
}

/** SYMBOL:QTY@PRICE */
function positionFlag(text: string): TradingFaults["positions"][number] {
  const m = /^([A-Za-z.]+):(-?\d+(?:\.\d+)?)@(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!m || Number(m[2]) === 0) throw usageError(`--position ${JSON.stringify(text)}: allowed: SYMBOL:QTY@PRICE with QTY not 0, e.g. MSFT:10@495.5 or MSFT:-10@495.5`);
  return { symbol: m[1]!.toUpperCase(), qty: Number(m[2]), price: Number(m[3]) };
}

/** CLIENT_ID:SIDE:QTY:SYMBOL[:limit|stop:PRICE] */
function openOrderFlag(text: string): TradingFaults["openOrders"][number] {
  const [id, side, qty, symbol, type, price, ...rest] = text.trim().split(":");
  const allowed = `--open-order ${JSON.stringify(text)}: allowed: CLIENT_ID:SIDE:QTY:SYMBOL[:limit|stop:PRICE], e.g. sf-july-orb-run1-3:buy:10:MSFT:limit:490`;
  if (!id || (side !== "buy" && side !== "sell") || !(Number(qty) > 0) || !symbol || rest.length > 0) throw usageError(allowed);
  if (type === undefined) return { client_order_id: id, side, qty: Number(qty), symbol: symbol.toUpperCase(), type: "market" };
  if ((type !== "limit" && type !== "stop") || !(Number(price) > 0)) throw usageError(allowed);
  return { client_order_id: id, side, qty: Number(qty), symbol: symbol.toUpperCase(), type, ...(type === "limit" ? { limit: Number(price) } : { stop: Number(price) }) };
}

/** N:MS */
function ackDelayFlag(text: string): { order: number; ms: number } {
  const [n, ms] = text.split(":").map(Number);
  if (!(n! >= 1) || !(ms! >= 0) || !Number.isInteger(n)) throw usageError(`--ack-delay ${JSON.stringify(text)}: allowed: N:MS (the Nth order's answer comes MS late), e.g. 3:15000`);
  return { order: n!, ms: ms! };
}
