/**
 * Session quality per stream: actual / expected bars of the elapsed session (expected from the
 * calendar and the clock, early closes included) and the gaps as [start, end) runs. Counters and
 * gap lists live in typed arrays indexed by stream id; recording a bar costs a comparison. A
 * midday break is time that does not exist: no bar is expected in it and no gap spans it.
 */

/** A gap of one stream. */
export interface StreamGap {
  start: number;
  end: number;
  bars: number;
}

/** Gap and quality bookkeeping for every stream of a session, reset each day. */
export class StreamQuality {
  /** Per stream: where the next bar is expected to start (the grid position after the last bar). */
  readonly expectedNext: Float64Array;
  /** Per stream: bar length on its grid (ms); for 1d/1w the session length, set per day. */
  readonly step: Float64Array;
  /** Per stream: how many gaps today (a strategy's onQualityChange fires when it grows). */
  readonly gapCount: Int32Array;
  private readonly gapStarts: number[][];
  private readonly gapEnds: number[][];
  private readonly gapBars: number[][];
  /** Today's break, [breakStart, breakEnd) (Infinity when the session has none). */
  private breakStart = Infinity;
  private breakEnd = Infinity;

  /** `enabled` false records no gaps (gap_filler.enable_session_quality: false). */
  constructor(streams: number, readonly enabled = true) {
    this.expectedNext = new Float64Array(streams);
    this.step = new Float64Array(streams);
    this.gapCount = new Int32Array(streams);
    this.gapStarts = Array.from({ length: streams }, () => []);
    this.gapEnds = Array.from({ length: streams }, () => []);
    this.gapBars = Array.from({ length: streams }, () => []);
  }

  /** Starts a day: every stream expects its first bar at the open. */
  startDay(open: number, breakStart = Infinity, breakEnd = Infinity): void {
    this.breakStart = breakStart;
    this.breakEnd = breakEnd;
    this.expectedNext.fill(open);
    this.gapCount.fill(0);
    for (let s = 0; s < this.gapStarts.length; s++) {
      this.gapStarts[s]!.length = 0;
      this.gapEnds[s]!.length = 0;
      this.gapBars[s]!.length = 0;
    }
  }

  /** Records a bar starting at `ts`; a jump past the expected start is a gap. */
  bar(stream: number, ts: number): void {
    if (!this.enabled) return;
    const expected = this.skipBreak(stream, ts);
    if (ts > expected) this.gap(stream, expected, ts);
    this.expectedNext[stream] = ts + this.step[stream]!;
  }

  /** Records that the stream has nothing in [expectedNext, until) (an empty derived period, or the close). */
  missingUntil(stream: number, until: number): void {
    if (!this.enabled) return;
    const expected = this.skipBreak(stream, until);
    if (until > expected) {
      this.gap(stream, expected, until);
      this.expectedNext[stream] = until;
    }
  }

  /** A bar starting at `ts` arrived late: the gap that held its slot shrinks or splits around it. */
  fill(stream: number, ts: number): void {
    if (!this.enabled) return;
    const starts = this.gapStarts[stream]!;
    const ends = this.gapEnds[stream]!;
    const bars = this.gapBars[stream]!;
    const step = this.step[stream]!;
    const i = starts.findIndex((start, k) => ts >= start && ts < ends[k]!);
    if (i < 0) return;
    const start = starts[i]!;
    const end = ends[i]!;
    const before = { start, end: ts, bars: Math.round((ts - start) / step) };
    const after = { start: ts + step, end, bars: Math.round((end - ts - step) / step) };
    const kept = [before, after].filter((g) => g.bars > 0);
    starts.splice(i, 1, ...kept.map((g) => g.start));
    ends.splice(i, 1, ...kept.map((g) => g.end));
    bars.splice(i, 1, ...kept.map((g) => g.bars));
  }

  /** The gaps of a stream today. */
  gaps(stream: number): StreamGap[] {
    const starts = this.gapStarts[stream]!;
    return starts.map((start, i) => ({ start, end: this.gapEnds[stream]![i]!, bars: this.gapBars[stream]![i]! }));
  }

  /**
   * The expected start, moved past the break when `reached` is past it (a gap before the break is
   * recorded up to the break's start).
   */
  private skipBreak(stream: number, reached: number): number {
    const expected = this.expectedNext[stream]!;
    if (reached < this.breakEnd || expected >= this.breakEnd) return expected;
    if (expected < this.breakStart) this.gap(stream, expected, this.breakStart);
    this.expectedNext[stream] = this.breakEnd;
    return this.breakEnd;
  }

  private gap(stream: number, start: number, end: number): void {
    const step = this.step[stream]!;
    const bars = Math.max(1, Math.round((end - start) / step));
    const ends = this.gapEnds[stream]!;
    const last = ends.length - 1;
    if (last >= 0 && ends[last] === start) {
      // Contiguous with the previous gap (several empty derived periods in a row): one run.
      ends[last] = end;
      this.gapBars[stream]![last]! += bars;
      return;
    }
    this.gapStarts[stream]!.push(start);
    ends.push(end);
    this.gapBars[stream]!.push(bars);
    this.gapCount[stream]!++;
  }
}
