/**
 * The account: cash, positions (long or short) with their average price, realised P&L, and round
 * trips matched first-in first-out, each carrying its share of both fills' commissions.
 */
import { roundMoney } from "../util/money.ts";
import { lowerBound } from "../util/bounds.ts";
import { direction, type Fill } from "./orders.ts";

/** A round trip: an opening fill (or part of it) matched with a closing one. */
export interface Trade {
  strategy: string;
  symbol: string;
  side: "long" | "short";
  qty: number;
  entryTime: number;
  entryPrice: number;
  exitTime: number;
  exitPrice: number;
  /** After both commissions. */
  pnl: number;
  commission: number;
}

/** A position of one symbol. */
export interface Position {
  symbol: string;
  /** Signed: > 0 long, < 0 short. */
  qty: number;
  avgPrice: number;
  realized: number;
}

interface Lot {
  qty: number; // signed
  price: number;
  time: number;
  commissionPerShare: number;
  strategy: string;
}

/** One strategy's book: its own positions and lots (trades are matched within a strategy). */
class Book {
  readonly qty: Float64Array;
  readonly avgPrice: Float64Array;
  readonly realized: Float64Array;
  readonly lots: Lot[][];
  constructor(symbols: number) {
    this.qty = new Float64Array(symbols);
    this.avgPrice = new Float64Array(symbols);
    this.realized = new Float64Array(symbols);
    this.lots = Array.from({ length: symbols }, () => []);
  }
}

/**
 * The one account every strategy of a session trades: cash and the net position per symbol, with
 * a book per strategy so that each sees, closes and is credited with its own positions.
 */
export class Portfolio {
  readonly initialCash: number;
  cash: number;
  /** Per symbol index: the account's net signed quantity and its realised P&L. */
  readonly qty: Float64Array;
  readonly realized: Float64Array;
  readonly trades: Trade[] = [];
  commissions = 0;
  /**
   * The symbol indexes with a position, ascending (marks and limits walk these, not every symbol;
   * sums in a fixed order give the same last digit every run, without sorting per call).
   */
  readonly open: number[] = [];
  private readonly books = new Map<string, Book>();

  constructor(readonly symbols: readonly string[], initialCash: number) {
    this.initialCash = initialCash;
    this.cash = initialCash;
    this.qty = new Float64Array(symbols.length);
    this.realized = new Float64Array(symbols.length);
  }

  /** Books a fill: cash, the account's and the strategy's positions, and the trades it closes. */
  apply(fill: Fill, s: number): void {
    const dir = direction(fill.side);
    this.cash = roundMoney(this.cash - dir * fill.qty * fill.price - fill.commission);
    this.commissions = roundMoney(this.commissions + fill.commission);
    const before = this.qty[s]!;
    this.qty[s] = before + dir * fill.qty;
    if (before === 0 && this.qty[s] !== 0) this.open.splice(lowerBound(this.open, s), 0, s);
    else if (before !== 0 && this.qty[s] === 0) this.open.splice(lowerBound(this.open, s), 1);
    const book = this.book(fill.strategy);
    let remaining = fill.qty;
    const lots = book.lots[s]!;
    const exitCommissionPerShare = fill.commission / fill.qty;
    // Close the strategy's opposite lots first, oldest first.
    while (remaining > 0 && lots.length > 0 && Math.sign(lots[0]!.qty) === -dir) {
      const lot = lots[0]!;
      const closing = Math.min(remaining, Math.abs(lot.qty));
      const lotDir = Math.sign(lot.qty);
      const commission = roundMoney(closing * (lot.commissionPerShare + exitCommissionPerShare));
      const pnl = roundMoney((fill.price - lot.price) * closing * lotDir - commission);
      this.trades.push({
        strategy: fill.strategy,
        symbol: fill.symbol,
        side: lotDir > 0 ? "long" : "short",
        qty: closing,
        entryTime: lot.time,
        entryPrice: lot.price,
        exitTime: fill.time,
        exitPrice: fill.price,
        pnl,
        commission,
      });
      book.realized[s] = roundMoney(book.realized[s]! + pnl);
      this.realized[s] = roundMoney(this.realized[s]! + pnl);
      lot.qty -= lotDir * closing;
      remaining -= closing;
      if (lot.qty === 0) lots.shift();
    }
    if (remaining > 0) lots.push({ qty: dir * remaining, price: fill.price, time: fill.time, commissionPerShare: exitCommissionPerShare, strategy: fill.strategy });
    book.qty[s] = book.qty[s]! + dir * fill.qty;
    let shares = 0;
    let cost = 0;
    for (const lot of lots) {
      shares += Math.abs(lot.qty);
      cost += Math.abs(lot.qty) * lot.price;
    }
    book.avgPrice[s] = shares > 0 ? cost / shares : 0;
  }

  /** Cash plus every position marked at `last` (per symbol index; NaN marks at the entry prices). */
  equity(last: (s: number) => number): number {
    let value = this.cash;
    for (const s of this.open) value += this.qty[s]! * this.mark(s, last);
    return roundMoney(value);
  }

  /** The sum of |position| x price over the open positions (the account's gross exposure). */
  exposure(last: (s: number) => number): number {
    let value = 0;
    for (const s of this.open) value += Math.abs(this.qty[s]!) * this.mark(s, last);
    return value;
  }

  /** How many symbols the account holds. */
  openPositions(): number {
    return this.open.length;
  }

  /** The account's net position of a symbol (the average price of all strategies' open lots). */
  position(s: number): Position {
    let shares = 0;
    let cost = 0;
    for (const book of this.books.values()) {
      for (const lot of book.lots[s]!) {
        shares += Math.abs(lot.qty);
        cost += Math.abs(lot.qty) * lot.price;
      }
    }
    return { symbol: this.symbols[s]!, qty: this.qty[s]!, avgPrice: shares > 0 ? cost / shares : 0, realized: this.realized[s]! };
  }

  /** One strategy's own position of a symbol. */
  strategyPosition(strategy: string, s: number): Position {
    const book = this.books.get(strategy);
    return { symbol: this.symbols[s]!, qty: book?.qty[s] ?? 0, avgPrice: book?.avgPrice[s] ?? 0, realized: book?.realized[s] ?? 0 };
  }

  private mark(s: number, last: (s: number) => number): number {
    const price = last(s);
    return Number.isNaN(price) ? this.position(s).avgPrice : price;
  }

  private book(strategy: string): Book {
    let book = this.books.get(strategy);
    if (!book) this.books.set(strategy, (book = new Book(this.symbols.length)));
    return book;
  }
}
