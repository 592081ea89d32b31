/**
 * The Alpaca execution client: the venue of a live session. Orders pass the same validation and
 * risk gate as in a backtest, then go to POST /v2/orders with a deterministic client_order_id
 * (session, strategy, run, sequence), so a retried request can never create a second order. What
 * happens to them comes from the order events stream and drives the same order book: fills
 * (partial ones too) are booked at the fill hook of the bar they happened in, cancels, expiries
 * and rejections as they come. An order whose outcome is unknown (a timeout, a dropped
 * connection) stays pending until it is read back - never assumed rejected or filled. After a
 * reconnect, the broker's orders and positions are read back and every difference is resolved
 * into the books and logged. Cancels and day-order expiries take effect at once, as in a backtest;
 * when the broker says an order filled after all, the fill is booked and the difference logged.
 */
import { backoff, HttpError } from "../alpaca/http.ts";
import { formatTime, parseTime } from "../alpaca/messages.ts";
import { TradeStream, tradeStreamUrl, type TradeUpdate } from "../alpaca/trade-stream.ts";
import { cancelOrder, decimal, getPositions, listOrders, orderByClientId, placeOrder, type OrderBody, type TradingEndpoint, type WireOrder } from "../alpaca/trading.ts";
import type { VenueParts } from "../broker/broker-extension.ts";
import { Costs } from "../broker/costs.ts";
import type { Execution } from "../broker/execution.ts";
import type { MatchBar } from "../broker/matching.ts";
import { OrderBook } from "../broker/order-book.ts";
import type { Order, OrderRequest } from "../broker/orders.ts";
import { liveError } from "../errors.ts";
import { reconcileAccount } from "./reconcile.ts";

/** How the client reaches the broker. */
export interface AlpacaBrokerOptions {
  endpoint: TradingEndpoint;
  /** Makes client_order_ids unique per run (the run directory's name). */
  runId: string;
  /** The market is a replay server: the session and its matching go in lock-step. */
  lockStep: boolean;
  /** The market's clock (a replay's instant, or the wall). */
  now: () => number;
  log: (line: string) => void;
}

/** A fill the stream reported, waiting for the bar it happened in. */
interface PendingFill {
  order: Order;
  qty: number;
  price: number;
  time: number;
  ambiguous: boolean;
}

/** An order the broker ended (cancelled, expired), waiting for the bar it happened in. */
interface PendingEnd {
  order: Order;
  status: "cancelled" | "expired";
  reason: string;
  time: number;
}

/** Counters for the summary. */
export interface ExecutionStats {
  orders_sent: number;
  unknown_outcomes: number;
  resolved_by_read_back: number;
  cancel_races: number;
  resyncs: number;
  differences: number;
  adopted_orders: number;
}

/** Orders through Alpaca's Trading API. */
export class AlpacaBroker implements Execution {
  readonly name = "alpaca";
  readonly book: OrderBook;
  readonly stats: ExecutionStats = { orders_sent: 0, unknown_outcomes: 0, resolved_by_read_back: 0, cancel_races: 0, resyncs: 0, differences: 0, adopted_orders: 0 };
  private readonly byClientId = new Map<string, Order>();
  private readonly byBrokerId = new Map<string, Order>();
  private readonly brokerIdOf = new Map<number, string>();
  /** A bracket entry's legs at the broker, until its exits exist locally. */
  private readonly legs = new Map<number, WireOrder[]>();
  private readonly fills: PendingFill[][];
  /** Cancels and expiries the broker reported, per symbol, booked after the fills of the same bar (an OCO's cancel follows its sibling's fill). */
  private readonly ends: PendingEnd[][];
  private readonly inflight = new Set<Promise<void>>();
  private readonly stream: TradeStream;
  private readonly strategies: Set<string>;
  private sequence = 0;
  /** When the session started (read-backs ask for orders submitted since). */
  private startedAt = "";
  private progress = -Infinity;
  private progressWaiters: (() => void)[] = [];
  private closed = false;
  /** Set while the order events stream is re-read after a reconnect (the lock-step waits for it). */
  private resyncing: Promise<void> | undefined;
  private failure: Error | undefined;

  constructor(
    private readonly parts: VenueParts,
    private readonly options: AlpacaBrokerOptions,
  ) {
    const costs = new Costs(parts.session.broker);
    this.book = new OrderBook(parts.symbols, parts.session, parts.last, (qty, price) => costs.commission(qty, price), parts.onFill);
    this.fills = parts.symbols.map(() => []);
    this.ends = parts.symbols.map(() => []);
    this.strategies = new Set(parts.session.strategies.filter((e) => e.enabled).map((e) => e.name));
    this.stream = new TradeStream(tradeStreamUrl(options.endpoint.url), options.endpoint.credentials, {
      onUpdate: (update) => this.onUpdate(update),
      onProgress: (instant) => {
        this.progress = Math.max(this.progress, instant);
        const waiters = this.progressWaiters;
        this.progressWaiters = [];
        for (const wake of waiters) wake();
      },
      onClose: () => void this.reconnect(),
    });
  }

  /** Reads the account and reconciles it (refusing to start when it cannot), then listens to order events. */
  async start(): Promise<void> {
    const { adopted } = await reconcileAccount(this.options.endpoint, this.parts.session, this.book, this.strategies, this.prefix(), this.options.log);
    for (const { order, wire } of adopted) {
      this.track(order, wire);
      this.byClientId.set(wire.client_order_id, order);
    }
    this.stats.adopted_orders = adopted.length;
    // Read-backs ask for orders since a day before the start, or since the oldest adopted one.
    this.startedAt = formatTime(Math.min(this.options.now() - 86_400_000, ...adopted.map(({ wire }) => parseTime(wire.created_at) - 1)));
    await this.stream.connect();
  }

  submit(request: OrderRequest, strategy: string, now: number): Order {
    this.assertUp();
    const order = this.book.create(request, strategy, now);
    if (order.status !== "pending") return order;
    order.clientOrderId = `${this.prefix()}${strategy}-${this.options.runId}-${++this.sequence}`;
    this.byClientId.set(order.clientOrderId, order);
    this.run(this.send(order));
    return order;
  }

  cancel(id: number, reason = "cancelled by the strategy"): boolean {
    const order = this.book.orders[id - 1];
    if (!order || order.status !== "pending") return false;
    // At once, as in a backtest; should the broker fill it first, the fill is booked when it says so.
    this.book.settle(order, "cancelled", reason);
    this.run(this.requestCancel(order));
    return true;
  }

  /** The fill hook: the fills the broker reported for this symbol up to this bar's end. */
  onBar(s: number, bar: MatchBar): void {
    const waiting = this.fills[s]!;
    if (waiting.length > 0) {
      let kept = 0;
      for (const fill of waiting) {
        if (fill.time <= bar.end) this.apply(fill, bar.end);
        else waiting[kept++] = fill;
      }
      waiting.length = kept;
    }
    const ends = this.ends[s]!;
    if (ends.length > 0) this.ends[s] = ends.filter((end) => (end.time <= bar.end ? (this.end(end), false) : true));
  }

  endOfDay(): void {
    for (const ends of this.ends) ends.splice(0).forEach((end) => this.end(end));
    // Day orders end at the close, as in a backtest; the broker's own expiries confirm it later.
    for (const order of this.book.expireDayOrders()) this.options.log(`order ${order.clientOrderId}: day order expired at the close`);
  }

  /** Lock-step with a replay server: everything up to `until` has been reported. */
  async settle(until: number): Promise<void> {
    if (!this.options.lockStep) return;
    await Promise.all([...this.inflight]);
    this.assertUp();
    if (this.progress >= until) return;
    if (this.stream.connected) this.stream.progress(until);
    for (let waited = 0; this.progress < until; waited++) {
      if (this.resyncing) {
        // The stream dropped: what it missed is read back first; the question is asked again on the new connection.
        await this.resyncing;
        this.assertUp();
        if (this.stream.connected) this.stream.progress(until);
        continue;
      }
      this.assertUp();
      if (waited >= 30) throw liveError(`the replay server did not report its orders up to ${formatTime(until)} within 30 s`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        this.progressWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (this.progress < until && this.stream.connected && !this.resyncing) this.stream.progress(until);
    }
  }


  async close(): Promise<void> {
    await Promise.all([...this.inflight]);
    this.closed = true;
    this.stream.close();
  }

  /** client_order_ids of this session start with it (adoption recognises them). */
  private prefix(): string {
    return `sf-${this.parts.session.session_name.replace(/[^A-Za-z0-9_]/g, "_")}-`;
  }

  private run(work: Promise<void>): void {
    const tracked = work.catch((error) => {
      this.failure ??= error as Error;
    });
    this.inflight.add(tracked);
    void tracked.finally(() => this.inflight.delete(tracked));
  }

  private assertUp(): void {
    if (this.failure) throw this.failure;
  }

  /** POST the order; a refusal rejects it, an unknown outcome is read back. */
  private async send(order: Order): Promise<void> {
    this.stats.orders_sent++;
    try {
      this.track(order, await placeOrder(this.options.endpoint, this.body(order)));
    } catch (error) {
      if (error instanceof HttpError && error.status >= 400 && error.status < 500 && error.status !== 429) {
        this.book.settle(order, "rejected", `the broker refused it: ${error.message}`);
        return;
      }
      this.stats.unknown_outcomes++;
      this.options.log(`order ${order.clientOrderId}: no answer from the broker (${(error as Error).message}); reading it back`);
      await this.readBack(order);
    }
  }

  /** An order whose outcome is unknown: read it back until the broker says; if it never got it, send it again (same id). */
  private async readBack(order: Order): Promise<void> {
    for (let attempt = 1; attempt <= 10 && !this.closed; attempt++) {
      await Bun.sleep(backoff(attempt, 200, 5_000));
      let found: WireOrder | undefined;
      try {
        found = await orderByClientId(this.options.endpoint, order.clientOrderId!);
      } catch {
        continue; // still unreachable: try again
      }
      if (found) {
        this.stats.resolved_by_read_back++;
        this.options.log(`order ${order.clientOrderId}: read back: ${found.status}`);
        this.track(order, found);
        this.catchUp(order, found);
        return;
      }
      try {
        this.track(order, await placeOrder(this.options.endpoint, this.body(order)));
        return;
      } catch (error) {
        if (error instanceof HttpError && error.status === 422 && /unique/i.test(error.body)) continue; // the first one arrived meanwhile
        if (error instanceof HttpError && error.status >= 400 && error.status < 500) {
          this.book.settle(order, "rejected", `the broker refused it: ${error.message}`);
          return;
        }
      }
    }
    throw liveError(`order ${order.clientOrderId}: its outcome could not be read back from the broker; check the account before trading on`);
  }

  private async requestCancel(order: Order): Promise<void> {
    const id = await this.brokerId(order);
    if (!id) return;
    const cancelled = await cancelOrder(this.options.endpoint, id);
    if (!cancelled) {
      this.stats.cancel_races++;
      this.options.log(`order ${order.clientOrderId}: the broker could not cancel it (it filled or ended first)`);
      const found = await orderByClientId(this.options.endpoint, order.clientOrderId!);
      if (found) this.catchUp(order, found);
    }
  }

  /** The broker's id of an order, waiting for its acknowledgement when it is still on its way. */
  private async brokerId(order: Order): Promise<string | undefined> {
    for (let i = 0; i < 100 && !this.brokerIdOf.has(order.id); i++) await Bun.sleep(20);
    return this.brokerIdOf.get(order.id);
  }

  private track(order: Order, wire: WireOrder): void {
    this.brokerIdOf.set(order.id, wire.id);
    this.byBrokerId.set(wire.id, order);
    if (wire.legs?.length) this.legs.set(order.id, wire.legs);
  }

  private body(order: Order): OrderBody {
    // Market-on-close is Alpaca's market order with time_in_force cls.
    const moc = order.type === "moc";
    const body: OrderBody = { symbol: order.symbol, qty: decimal(order.qty), side: order.side, type: moc ? "market" : (order.type as Exclude<typeof order.type, "moc">), time_in_force: moc ? "cls" : order.tif, client_order_id: order.clientOrderId! };
    if (order.limit !== null) body.limit_price = decimal(order.limit);
    if (order.stop !== null) body.stop_price = decimal(order.stop);
    if (order.bracket) {
      body.order_class = "bracket";
      if (order.bracket.take_profit !== null) body.take_profit = { limit_price: decimal(order.bracket.take_profit) };
      if (order.bracket.stop_loss !== null) body.stop_loss = { stop_price: decimal(order.bracket.stop_loss) };
    }
    if (this.options.lockStep) body.x_submitted_at = formatTime(order.time);
    return body;
  }

  /** An order event. */
  private onUpdate(update: TradeUpdate): void {
    const wire = update.order;
    const order = this.byClientId.get(wire.client_order_id) ?? this.byBrokerId.get(wire.id);
    if (!order) return; // an order of someone else's on the account
    if (!this.brokerIdOf.has(order.id)) this.track(order, wire);
    else if (wire.legs?.length) this.legs.set(order.id, wire.legs);
    switch (update.event) {
      case "fill":
      case "partial_fill": {
        const fill: PendingFill = { order, qty: Number(update.qty), price: Number(update.price), time: parseTime(update.timestamp ?? wire.filled_at ?? ""), ambiguous: update.x_ambiguous === true };
        if (order.status === "pending") this.fills[order.symbolIndex]!.push(fill);
        else this.race(order, fill);
        break;
      }
      case "canceled":
      case "expired":
      case "done_for_day":
        if (order.status === "pending") this.ends[order.symbolIndex]!.push({ order, status: update.event === "canceled" ? "cancelled" : "expired", reason: `the broker: ${update.event}`, time: parseTime(update.timestamp ?? "") || 0 });
        break;
      case "rejected":
        if (order.status === "pending") this.book.settle(order, "rejected", "the broker rejected it");
        break;
      case "order_cancel_rejected":
        // Still working at the broker after all.
        if (order.status === "cancelled") {
          this.book.revive(order);
          this.options.log(`order ${order.clientOrderId}: the broker refused the cancel; it works again`);
        }
        break;
      default:
        break; // new, accepted, pending_new, pending_cancel: nothing changes in the books
    }
  }

  /** A fill of an order already taken for ended (a cancel or an expiry lost the race): the fill is real, so it is booked. */
  private race(order: Order, fill: PendingFill): void {
    this.stats.cancel_races++;
    this.stats.differences++;
    this.options.log(`order ${order.clientOrderId}: filled ${fill.qty} at ${fill.price} after it was taken for ${order.status}; the fill is booked`);
    this.book.revive(order);
    this.apply(fill, fill.time);
  }

  /** Books an end the broker reported, unless the order ended already (or still has fills on their way). */
  private end({ order, status, reason }: PendingEnd): void {
    if (order.status !== "pending" || this.fills[order.symbolIndex]!.some((f) => f.order === order)) return;
    this.book.settle(order, status, reason);
  }

  private apply(fill: PendingFill, exitsFrom: number): void {
    const { order } = fill;
    if (order.status !== "pending") this.book.revive(order);
    const qty = Math.min(fill.qty, order.qty - order.filled);
    if (qty <= 0) return;
    const { exits } = this.book.fill(order, qty, fill.price, fill.time, fill.ambiguous, exitsFrom);
    // A bracket's exits are the broker's legs: limit = the take-profit, stop = the stop-loss.
    const legs = this.legs.get(order.id) ?? [];
    for (const exit of exits) {
      const leg = legs.find((l) => l.type === exit.type);
      if (!leg) continue;
      exit.clientOrderId = leg.client_order_id;
      this.byClientId.set(leg.client_order_id, exit);
      this.track(exit, leg);
    }
  }

  /** What the broker says happened to an order, brought into the books now (after a read back or a reconnect). */
  catchUp(order: Order, wire: WireOrder): void {
    const filled = Number(wire.filled_qty);
    const known = order.filled + this.fills[order.symbolIndex]!.filter((f) => f.order === order).reduce((n, f) => n + f.qty, 0);
    if (filled > known) {
      this.stats.differences++;
      const time = wire.filled_at ? parseTime(wire.filled_at) : order.time;
      const fill: PendingFill = { order, qty: filled - known, price: Number(wire.filled_avg_price), time, ambiguous: false };
      this.options.log(`order ${order.clientOrderId}: the broker filled ${filled - known} more at ${fill.price} than the stream reported; booked`);
      this.apply(fill, time);
    }
    const ended = { canceled: "cancelled", expired: "expired", rejected: "rejected", done_for_day: "expired" } as Record<string, Order["status"]>;
    const status = ended[wire.status];
    if (status && order.status === "pending") {
      this.stats.differences++;
      this.book.settle(order, status, `the broker: ${wire.status}`);
    }
  }

  /** The order events stream came back: everything since the start is read back and compared. */
  private reconnect(): Promise<void> {
    if (this.closed || this.resyncing) return Promise.resolve();
    this.resyncing = this.reconnectAndResync().finally(() => (this.resyncing = undefined));
    return this.resyncing;
  }

  private async reconnectAndResync(): Promise<void> {
    this.options.log("order events stream: connection lost; reconnecting");
    for (let attempt = 1; attempt <= 12 && !this.closed; attempt++) {
      await Bun.sleep(backoff(attempt, 250, 5_000));
      try {
        await this.stream.connect();
        await this.resync();
        return;
      } catch {
        // try again
      }
    }
    if (!this.closed) this.failure ??= liveError("order events stream: could not reconnect; the session stops (check the account's orders)");
  }

  /**
   * Reads back this session's orders (every page since the session started) and its positions,
   * brings what the stream missed into the books, and logs every difference that remains.
   */
  async resync(): Promise<void> {
    this.stats.resyncs++;
    const remote: WireOrder[] = [];
    for (let after = this.startedAt; ; ) {
      const page = await listOrders(this.options.endpoint, "all", after);
      remote.push(...page);
      if (page.length < 500) break;
      after = page.at(-1)!.created_at;
    }
    let compared = 0;
    for (const wire of remote.flatMap((o) => [o, ...(o.legs ?? [])])) {
      const order = this.byClientId.get(wire.client_order_id) ?? this.byBrokerId.get(wire.id);
      if (!order) continue;
      compared++;
      this.catchUp(order, wire);
    }
    const { portfolio, external, symbols } = this.book;
    for (const position of await getPositions(this.options.endpoint)) {
      const s = this.book.indexOf(position.symbol);
      if (s < 0) continue;
      const held = Number(position.qty) * (position.side === "short" ? -1 : 1);
      const booked = portfolio.position(s).qty + (external[s] ?? 0);
      if (held !== booked) {
        this.stats.differences++;
        this.options.log(`resync: the account holds ${held} ${symbols[s]}, the books ${booked}; fills still on their way are booked when the stream reports them - check the account if this stays`);
      }
    }
    this.options.log(`order events stream: reconnected; ${compared} orders read back and compared`);
  }
}
