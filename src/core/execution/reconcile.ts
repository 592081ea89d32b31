/**
 * Before a live session's first order: the account is read and reconciled. It must be readable,
 * active and not blocked, with equity at least the session's `broker.initial_cash`. Open orders
 * whose client_order_id belongs to this session's strategies (`sf-<session>-<strategy>-...`) are
 * adopted into their books; any other order is external: left alone, counted in exposure.
 * Positions are external too - counted, never traded - but one in a symbol the session trades
 * must be declared in `trading_config.external_positions` (its exact quantity), or the session
 * refuses to start: nothing could tell it apart from a position the strategies think they own.
 */
import { getAccount, getPositions, listOrders, type TradingEndpoint, type WireOrder } from "../alpaca/trading.ts";
import { parseTime } from "../alpaca/messages.ts";
import type { OrderBook } from "../broker/order-book.ts";
import type { Order } from "../broker/orders.ts";
import type { Session } from "../config/load-session.ts";
import { liveError } from "../errors.ts";

/** What reconciliation adopted. */
export interface Reconciled {
  adopted: { order: Order; wire: WireOrder }[];
}

/** Reconciles the account with the session's books; throws a clear refusal when it cannot. */
export async function reconcileAccount(endpoint: TradingEndpoint, session: Session, book: OrderBook, strategies: ReadonlySet<string>, prefix: string, log: (line: string) => void): Promise<Reconciled> {
  const refuse = (why: string) => liveError(`the live session refuses to start: ${why}`, true);
  let account;
  let open: WireOrder[];
  let positions;
  try {
    [account, open, positions] = await Promise.all([getAccount(endpoint), listOrders(endpoint, "open"), getPositions(endpoint)]);
  } catch (error) {
    throw refuse(`the account at ${endpoint.url} cannot be read (${(error as Error).message})`);
  }
  if (account.status !== "ACTIVE" || account.trading_blocked || account.account_blocked) throw refuse(`account ${account.account_number} is ${account.status}${account.trading_blocked ? ", trading blocked" : ""}${account.account_blocked ? ", account blocked" : ""}`);
  if (session.api_config.account_id && session.api_config.account_id !== account.account_number) {
    throw refuse(`the keys open account ${account.account_number}, not api_config.account_id ${session.api_config.account_id}`);
  }
  if (Number(account.equity) < session.broker.initial_cash) throw refuse(`account ${account.account_number} has equity ${account.equity}, below broker.initial_cash ${session.broker.initial_cash}`);

  const adopted: Reconciled["adopted"] = [];
  let externalOrders = 0;
  for (const wire of open) {
    const strategy = strategyOf(wire.client_order_id, prefix, strategies);
    const s = book.indexOf(wire.symbol);
    if (strategy && s >= 0 && (wire.order_class === "simple" || wire.order_class === "")) {
      const order = book.adopt(
        { symbol: wire.symbol, side: wire.side, qty: Number(wire.qty), type: wire.type as Order["type"], limit: num(wire.limit_price), stop: num(wire.stop_price), tif: wire.time_in_force === "gtc" ? "gtc" : "day" },
        strategy,
        Number(wire.filled_qty),
        wire.client_order_id,
        parseTime(wire.created_at),
      );
      adopted.push({ order, wire });
      log(`reconciliation: order ${wire.client_order_id} (${wire.side} ${wire.qty} ${wire.symbol}) adopted into ${strategy}'s book`);
      continue;
    }
    externalOrders++;
    book.externalValue += Number(wire.qty) * (num(wire.limit_price) ?? num(wire.stop_price) ?? 0);
  }
  const traded = new Set(book.symbols);
  const problems: string[] = [];
  for (const position of positions) {
    const qty = Number(position.qty) * (position.side === "short" && Number(position.qty) > 0 ? -1 : 1);
    const s = book.indexOf(position.symbol);
    if (s < 0 || !traded.has(position.symbol)) {
      book.externalValue += Math.abs(Number(position.market_value ?? 0));
      log(`reconciliation: ${position.symbol} ${qty} is external (a symbol the session does not trade)`);
      continue;
    }
    const declared = session.trading_config.external_positions[position.symbol];
    if (declared !== qty) {
      problems.push(`${position.symbol}: the account holds ${qty}, which no strategy of this session opened here${declared === undefined ? "" : ` (trading_config.external_positions says ${declared})`}; declare it in trading_config.external_positions or close it first`);
      continue;
    }
    book.external[s] = qty;
    log(`reconciliation: ${position.symbol} ${qty} is external (declared), counted in exposure, never traded`);
  }
  if (problems.length > 0) throw refuse(`positions it cannot explain:\n  ${problems.join("\n  ")}`);
  log(`reconciliation: account ${account.account_number} active, equity ${account.equity}; ${adopted.length} order(s) adopted, ${externalOrders} external, ${positions.length} position(s) external`);
  return { adopted };
}

/** The strategy a client_order_id of this session belongs to (`<prefix><strategy>-<run>-<n>`). */
function strategyOf(clientOrderId: string, prefix: string, strategies: ReadonlySet<string>): string | undefined {
  if (!clientOrderId.startsWith(prefix)) return undefined;
  const rest = clientOrderId.slice(prefix.length);
  for (const strategy of strategies) if (rest.startsWith(`${strategy}-`)) return strategy;
  return undefined;
}

function num(text: string | null | undefined): number | undefined {
  return text === null || text === undefined ? undefined : Number(text);
}
