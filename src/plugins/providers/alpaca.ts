/**
 * The Alpaca provider, historical side: `bun run data fetch --provider alpaca --symbols ...` fills
 * the store from Alpaca's REST bars endpoint (every page), with the credentials from
 * APCA_API_KEY_ID / APCA_API_SECRET_KEY. Point `data_url` at the local replay server to fetch
 * from a recorded store instead.
 */
import * as v from "valibot";
import { credentialsFrom } from "../../core/alpaca/credentials.ts";
import { fetchBars } from "../../core/alpaca/rest-data.ts";
import { barFrame } from "../../core/data/bars.ts";
import { defineProvider } from "../../core/data/provider.ts";
import { usageError } from "../../core/errors.ts";

export const alpaca = defineProvider({
  name: "alpaca",
  params: v.strictObject({
    /** The market data REST base. @default "https://data.alpaca.markets" */
    data_url: v.optional(v.string(), "https://data.alpaca.markets"),
    /** @default "iex" */
    feed: v.optional(v.picklist(["iex", "sip"]), "iex"),
  }),
  create(params) {
    const endpoints = { dataUrl: params.data_url, tradingUrl: params.data_url, feed: params.feed, credentials: credentialsFrom(process.env) };
    return {
      async historicalBars({ symbol, interval, start, end }) {
        if (!interval.intraday && interval.unit !== "d") throw usageError(`Alpaca serves minute, hour and day bars, not ${interval.text}`);
        const got = (await fetchBars(endpoints, [symbol], interval.intraday ? interval.ms : 86_400_000, start, end)).get(symbol);
        const f64 = (values: number[] | undefined) => Float64Array.from(values ?? []);
        return barFrame({ ts: f64(got?.ts), open: f64(got?.open), high: f64(got?.high), low: f64(got?.low), close: f64(got?.close), volume: f64(got?.volume) });
      },
    };
  },
});
