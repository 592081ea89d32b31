/**
 * Data providers: where bars come from before they are in the store (a market-data API, the
 * synthetic generator). `bun run data fetch --provider <name>` writes a provider's bars into the
 * store; backtests then read the store. Live streams will plug into the same object.
 */
import type pl from "nodejs-polars";
import type * as v from "valibot";
import type { MarketCalendar } from "../time/calendar.ts";
import type { Interval } from "../time/interval.ts";

/** What a provider is given when it is created. */
export interface ProviderContext {
  calendar: MarketCalendar;
}

/** A bar request: [start, end) in epoch ms UTC. */
export interface BarRequest {
  symbol: string;
  interval: Interval;
  start: number;
  end: number;
}

/** A created provider. */
export interface BarProvider {
  /** Bars with start in [start, end) as a store-schema frame (ts Int64 bar start, OHLCV Float64). */
  historicalBars(request: BarRequest): Promise<pl.DataFrame>;
}

/** A provider plugin: a name, a params schema, and a factory. */
export interface ProviderPlugin<TParams extends v.GenericSchema = v.GenericSchema> {
  readonly kind: "provider";
  readonly name: string;
  readonly params: TParams;
  create(params: v.InferOutput<TParams>, context: ProviderContext): BarProvider;
}

/** Identity helper that marks a provider plugin and carries its types. */
export function defineProvider<const TParams extends v.GenericSchema>(definition: Omit<ProviderPlugin<TParams>, "kind">): ProviderPlugin<TParams> {
  return { ...definition, kind: "provider" };
}
