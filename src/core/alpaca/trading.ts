/**
 * Alpaca's Trading API v2, the parts a live session uses: orders (place, read back by id or by
 * client_order_id, list, cancel), the account and its positions. Money and quantities travel as
 * decimal strings, as the API writes them.
 */
import type { Credentials } from "./credentials.ts";
import { HttpError, requestJson } from "./http.ts";

/** An order as the API returns it. */
export interface WireOrder {
  id: string;
  client_order_id: string;
  symbol: string;
  side: "buy" | "sell";
  type: "market" | "limit" | "stop" | "stop_limit" | "trailing_stop";
  time_in_force: "day" | "gtc" | "opg" | "cls" | "ioc" | "fok";
  qty: string;
  filled_qty: string;
  filled_avg_price: string | null;
  limit_price: string | null;
  stop_price: string | null;
  status: string;
  order_class: "simple" | "bracket" | "oco" | "oto" | "";
  created_at: string;
  filled_at: string | null;
  canceled_at?: string | null;
  legs?: WireOrder[] | null;
}

/** What a new order says. */
export interface OrderBody {
  symbol: string;
  qty: string;
  side: "buy" | "sell";
  type: "market" | "limit" | "stop" | "stop_limit";
  time_in_force: "day" | "gtc" | "cls";
  limit_price?: string;
  stop_price?: string;
  client_order_id: string;
  order_class?: "bracket";
  take_profit?: { limit_price: string };
  stop_loss?: { stop_price: string };
  /** sessionflow's replay server only: the session's instant when it decided (it matches from there). */
  x_submitted_at?: string;
}

/** The account. */
export interface WireAccount {
  account_number: string;
  status: string;
  currency: string;
  cash: string;
  equity: string;
  buying_power: string;
  trading_blocked: boolean;
  account_blocked?: boolean;
}

/** A position. */
export interface WirePosition {
  symbol: string;
  qty: string;
  side: "long" | "short";
  avg_entry_price: string;
  market_value?: string;
  current_price?: string;
  unrealized_pl?: string;
}

/** Where the Trading API is. */
export interface TradingEndpoint {
  url: string;
  credentials: Credentials;
  /** How long a request may take before its outcome counts as unknown. @default 10000 */
  timeoutMs?: number;
}

const base = (e: TradingEndpoint) => e.url.replace(/\/$/, "");

/** POST /v2/orders. One attempt: a timeout or a dropped connection leaves the outcome unknown (the caller reads it back). */
export function placeOrder(e: TradingEndpoint, body: OrderBody): Promise<WireOrder> {
  return requestJson<WireOrder>({ method: "POST", url: `${base(e)}/v2/orders`, credentials: e.credentials, body, timeoutMs: e.timeoutMs, attempts: 1 });
}

/** GET /v2/orders:by_client_order_id; undefined when the broker has no such order (404). */
export async function orderByClientId(e: TradingEndpoint, clientOrderId: string): Promise<WireOrder | undefined> {
  try {
    return await requestJson<WireOrder>({ url: `${base(e)}/v2/orders:by_client_order_id?client_order_id=${encodeURIComponent(clientOrderId)}`, credentials: e.credentials, timeoutMs: e.timeoutMs });
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) return undefined;
    throw error;
  }
}

/** GET /v2/orders with a status (open, closed, all), nested legs. */
export function listOrders(e: TradingEndpoint, status: "open" | "closed" | "all", after?: string): Promise<WireOrder[]> {
  const query = new URLSearchParams({ status, limit: "500", nested: "true", direction: "asc" });
  if (after) query.set("after", after);
  return requestJson<WireOrder[]>({ url: `${base(e)}/v2/orders?${query}`, credentials: e.credentials, timeoutMs: e.timeoutMs });
}

/** DELETE /v2/orders/{id}; false when the broker says it can no longer be cancelled (422: it filled or ended). */
export async function cancelOrder(e: TradingEndpoint, id: string): Promise<boolean> {
  try {
    await requestJson({ method: "DELETE", url: `${base(e)}/v2/orders/${encodeURIComponent(id)}`, credentials: e.credentials, timeoutMs: e.timeoutMs, attempts: 2 });
    return true;
  } catch (error) {
    if (error instanceof HttpError && error.status === 422) return false;
    throw error;
  }
}

/** GET /v2/account. */
export function getAccount(e: TradingEndpoint): Promise<WireAccount> {
  return requestJson<WireAccount>({ url: `${base(e)}/v2/account`, credentials: e.credentials, timeoutMs: e.timeoutMs });
}

/** GET /v2/positions. */
export function getPositions(e: TradingEndpoint): Promise<WirePosition[]> {
  return requestJson<WirePosition[]>({ url: `${base(e)}/v2/positions`, credentials: e.credentials, timeoutMs: e.timeoutMs });
}

/** A decimal string for the API: money to the cent's hundredth, quantities as they are. */
export function decimal(x: number): string {
  return String(Math.round(x * 10_000) / 10_000);
}
