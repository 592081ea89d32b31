/** The bar every listener is called with: one reused object per stream, its numbers written per bar. */

/** A bar as listeners see it: valid during the call only (the object is reused). */
export interface BarCursor {
  symbol: string;
  symbolIndex: number;
  interval: string;
  stream: number;
  /** Bar start, epoch ms UTC. */
  ts: number;
  /** When the bar became visible (its end, or the close that cut it). */
  end: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** True for a derived bar cut short by the close. */
  partial: boolean;
  /** True for a bar of the streamed base interval. */
  base: boolean;
}
