/**
 * The replay server's Trading API routes: orders (place, list, read by id or client_order_id,
 * cancel one or all), the account and its positions. Errors are Alpaca's: 404 for what is not
 * there, 422 for what cannot be done (a duplicate client_order_id, a cancel of a filled order).
 */
import type { OrderBody } from "../alpaca/trading.ts";
import type { TradingFaults } from "./faults.ts";
import { OrderRefusal, type OrderEngine } from "./order-engine.ts";

/** Answers a Trading API request, or undefined when the path is not one. */
export async function handleTrading(url: URL, request: Request, engine: OrderEngine, now: number, faults: TradingFaults): Promise<Response | undefined> {
  const { pathname } = url;
  try {
    if (pathname === "/v2/orders" && request.method === "POST") {
      const body = (await request.json()) as OrderBody;
      const wire = engine.place(body, now);
      // The acknowledgement-delay fault: the order exists, its answer comes late.
      if (faults.ackDelay && engine.placedCount() === faults.ackDelay.order) await Bun.sleep(faults.ackDelay.ms);
      return json(wire);
    }
    if (pathname === "/v2/orders" && request.method === "GET") {
      const q = url.searchParams;
      return json(engine.list(q.get("status") ?? "open", q.get("after") ?? undefined, Number(q.get("limit") ?? 50)));
    }
    if (pathname === "/v2/orders" && request.method === "DELETE") {
      const open = engine.list("open");
      const results = open.map((o) => {
        try {
          engine.cancel(o.id, now);
          return { id: o.id, status: 200 };
        } catch (error) {
          return { id: o.id, status: (error as OrderRefusal).status ?? 500 };
        }
      });
      return json(results, 207);
    }
    if (pathname === "/v2/orders:by_client_order_id" && request.method === "GET") {
      const wire = engine.orderByClientId(url.searchParams.get("client_order_id") ?? "");
      return wire ? json(wire) : json({ message: "order not found" }, 404);
    }
    const one = /^\/v2\/orders\/([^/]+)$/.exec(pathname);
    if (one && request.method === "GET") {
      const wire = engine.order(decodeURIComponent(one[1]!));
      return wire ? json(wire) : json({ message: "order not found" }, 404);
    }
    if (one && request.method === "DELETE") {
      engine.cancel(decodeURIComponent(one[1]!), now);
      return new Response(null, { status: 204 });
    }
    if (pathname === "/v2/account" && request.method === "GET") return faults.refuseAccount ? json({ code: 40310000, message: "forbidden: these keys have no access to the trading account" }, 403) : json(engine.account(now));
    if (pathname === "/v2/positions" && request.method === "GET") return json(engine.positionsList(now));
  } catch (error) {
    if (error instanceof OrderRefusal) return json({ message: error.message }, error.status);
    if (error instanceof SyntaxError) return json({ message: "the request body is not JSON" }, 400);
    throw error;
  }
  return undefined;
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}
