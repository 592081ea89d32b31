/**
 * The account seen per strategy and per symbol, for the report's per-scope metrics: each scope's
 * equity is the account's initial equity plus that scope's own P&L (cash flows of its fills,
 * commissions included, plus its open position marked at the last price), so the scopes' P&L add
 * up to the account's. Time in the market is counted in merge steps that end with a position open.
 *
 * Fed by the broker's fills and by one call per merge step; a day's row per scope at each close.
 */
import { roundMoney } from "../util/money.ts";
import { direction, type Fill } from "./orders.ts";

/** One scope's day: what `equity_daily` holds. */
export interface ScopeDay {
  date: string;
  scope: "account" | "strategy" | "symbol";
  name: string;
  equity: number;
  steps: number;
  steps_in_market: number;
}

/** A strategy's positions and its cash (the initial equity plus its fills' cash flows). */
interface StrategyScope {
  name: string;
  qty: Float64Array;
  open: number;
  cash: number;
  stepsInMarket: number;
}

export class ScopeLedger {
  private readonly strategies: StrategyScope[];
  private readonly byName: Map<string, StrategyScope>;
  /** Per symbol: the account's quantity and the symbol's cash. */
  private readonly qty: Float64Array;
  private readonly cash: Float64Array;
  private readonly symbolStepsInMarket: Float64Array;
  /** Per symbol: the last fill price (the mark when no bar price is known). */
  private readonly lastFill: Float64Array;
  private accountCash: number;
  private accountOpen = 0;
  private accountStepsInMarket = 0;
  private steps = 0;
  readonly days: ScopeDay[] = [];

  constructor(
    private readonly initialEquity: number,
    private readonly symbols: readonly string[],
    strategies: readonly string[],
  ) {
    this.strategies = strategies.map((name) => this.scope(name));
    this.byName = new Map(this.strategies.map((s) => [s.name, s]));
    this.qty = new Float64Array(symbols.length);
    this.cash = new Float64Array(symbols.length).fill(initialEquity);
    this.accountCash = initialEquity;
    this.symbolStepsInMarket = new Float64Array(symbols.length);
    this.lastFill = new Float64Array(symbols.length).fill(NaN);
  }

  private scope(name: string): StrategyScope {
    return { name, qty: new Float64Array(this.symbols.length), open: 0, cash: this.initialEquity, stepsInMarket: 0 };
  }

  /** Books a fill of symbol index `s`. */
  fill(fill: Fill, s: number): void {
    const signed = direction(fill.side) * fill.qty;
    // Rounded like the account's cash (costs.round at every fill), so the account row equals it.
    const cash = -signed * fill.price - fill.commission;
    this.accountCash = roundMoney(this.accountCash + cash);
    this.cash[s] = roundMoney(this.cash[s]! + cash);
    this.lastFill[s] = fill.price;
    const before = this.qty[s]!;
    this.qty[s] = before + signed;
    this.accountOpen += openDelta(before, this.qty[s]!);
    let strategy = this.byName.get(fill.strategy);
    if (!strategy) {
      // A strategy not configured up front (fills always name theirs): give it a scope.
      strategy = this.scope(fill.strategy);
      this.strategies.push(strategy);
      this.byName.set(fill.strategy, strategy);
    }
    strategy.cash = roundMoney(strategy.cash + cash);
    const had = strategy.qty[s]!;
    strategy.qty[s] = had + signed;
    strategy.open += openDelta(had, strategy.qty[s]!);
  }

  /** After a merge step: counts the step, and it in the market for every scope holding a position. */
  step(): void {
    this.steps++;
    if (this.accountOpen === 0) return;
    this.accountStepsInMarket++;
    for (const strategy of this.strategies) if (strategy.open > 0) strategy.stepsInMarket++;
    const qty = this.qty;
    for (let s = 0; s < qty.length; s++) if (qty[s] !== 0) this.symbolStepsInMarket[s]!++;
  }

  /** At a close: one row per scope (account, strategies, symbols), marked at `last`. */
  endDay(date: string, last: (s: number) => number): void {
    const mark = (s: number) => {
      const price = last(s);
      return Number.isNaN(price) ? this.lastFill[s]! : price;
    };
    const value = (qty: Float64Array) => {
      let v = 0;
      for (let s = 0; s < qty.length; s++) if (qty[s] !== 0) v += qty[s]! * mark(s);
      return v;
    };
    const row = (scope: ScopeDay["scope"], name: string, equity: number, inMarket: number) =>
      this.days.push({ date, scope, name, equity: roundMoney(equity), steps: this.steps, steps_in_market: inMarket });
    row("account", "account", this.accountCash + value(this.qty), this.accountStepsInMarket);
    for (const strategy of this.strategies) row("strategy", strategy.name, strategy.cash + value(strategy.qty), strategy.stepsInMarket);
    this.symbols.forEach((symbol, s) => row("symbol", symbol, this.cash[s]! + (this.qty[s] !== 0 ? this.qty[s]! * mark(s) : 0), this.symbolStepsInMarket[s]!));
    // Counts are per day.
    this.steps = 0;
    this.accountStepsInMarket = 0;
    for (const strategy of this.strategies) strategy.stepsInMarket = 0;
    this.symbolStepsInMarket.fill(0);
  }
}

/** +1 when a position opens, -1 when it closes, 0 otherwise. */
function openDelta(before: number, after: number): number {
  return (after !== 0 ? 1 : 0) - (before !== 0 ? 1 : 0);
}
