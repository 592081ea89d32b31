/**
 * The simulated broker. An order fills no earlier than the bar after the decision, on the base
 * bars of its symbol, by the rules of matching.ts. Bracket exits (take-profit limit, stop-loss
 * stop, one cancelling the other) start on the bar after the entry fill; when one bar holds both,
 * the stop is assumed to fill first (the worst case) and the fill is flagged ambiguous. Day orders
 * expire at the close; bracket exits are good till cancelled. It never fills partially.
 */
import type { Session } from "../config/load-session.ts";
import { Costs } from "./costs.ts";
import type { Execution } from "./execution.ts";
import { fillPrice, fillTime, type MatchBar, type MatchRules } from "./matching.ts";
import { OrderBook, type FillListener } from "./order-book.ts";
import type { Order, OrderRequest } from "./orders.ts";

/** The simulated venue. */
export class SimulatedBroker implements Execution {
  readonly name = "simulated";
  readonly book: OrderBook;
  private readonly rules: MatchRules;

  constructor(symbols: readonly string[], config: Pick<Session, "broker" | "trading_config">, last: (s: number) => number, onFill?: FillListener) {
    const costs = new Costs(config.broker);
    this.rules = { fillAtClose: config.broker.fill === "close", slip: (price, side, low, high) => costs.slip(price, side, low, high) };
    this.book = new OrderBook(symbols, config, last, (qty, price) => costs.commission(qty, price), onFill);
  }

  submit(request: OrderRequest, strategy: string, now: number): Order {
    return this.book.create(request, strategy, now);
  }

  cancel(id: number, reason?: string): boolean {
    return this.book.cancel(id, reason);
  }

  /** Fills what this base bar of symbol `s` triggers. Called for every base bar with working orders. */
  onBar(s: number, bar: MatchBar): void {
    const { book, rules } = this;
    // Iterate over a snapshot: fills add bracket exits and remove orders.
    for (const order of [...book.workingOf(s)]) {
      if (order.status !== "pending" || order.activeFrom > bar.ts) continue;
      if (order.sibling !== null && order.type === "limit") {
        // A take-profit whose stop-loss sibling is in the same bar: the stop goes first.
        const sibling = book.orders[order.sibling - 1]!;
        if (sibling.status === "pending" && sibling.activeFrom <= bar.ts && fillPrice(sibling, bar, rules) !== undefined && fillPrice(order, bar, rules) !== undefined) {
          this.execute(sibling, bar, fillPrice(sibling, bar, rules)!, true);
          continue;
        }
      }
      const price = fillPrice(order, bar, rules);
      if (price !== undefined) this.execute(order, bar, price, false);
    }
  }

  endOfDay(close: number): void {
    this.book.fillOnClose(close);
    this.book.expireDayOrders();
  }

  private execute(order: Order, bar: MatchBar, price: number, ambiguous: boolean): void {
    this.book.fill(order, order.qty - order.filled, price, fillTime(order, bar, this.rules), ambiguous, bar.end);
  }
}
