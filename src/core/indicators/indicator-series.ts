/**
 * One indicator's values bar by bar (a growable column per field), recorded for the run
 * directory's `indicators/<SYMBOL>_<interval>.parquet`, row-aligned with the bars file.
 */

/** The recorded outputs of one indicator of one stream. */
export class IndicatorSeries {
  private columns: Float64Array[];
  length = 0;

  constructor(readonly key: string, readonly fields: readonly string[], capacity = 1024) {
    this.columns = fields.map(() => new Float64Array(capacity));
  }

  /** Appends one bar's outputs (NaN while not ready). */
  push(values: Float64Array, ready: boolean): void {
    if (this.length === this.columns[0]!.length) this.grow();
    for (let k = 0; k < this.columns.length; k++) this.columns[k]![this.length] = ready ? values[k]! : NaN;
    this.length++;
  }

  /** Column names: the key for one output, `key.field` for several. */
  names(): string[] {
    return this.fields.length === 1 ? [this.key] : this.fields.map((f) => `${this.key}.${f}`);
  }

  /** Column k's values so far (NaN where not ready). */
  column(k: number): Float64Array {
    return this.columns[k]!.subarray(0, this.length);
  }

  /** The recorded columns by name, null where not ready. */
  columnsWithNulls(): Record<string, (number | null)[]> {
    return Object.fromEntries(this.names().map((name, k) => [name, Array.from(this.column(k), (x) => (Number.isNaN(x) ? null : x))]));
  }

  private grow(): void {
    this.columns = this.columns.map((c) => {
      const next = new Float64Array(c.length * 2);
      next.set(c);
      return next;
    });
  }
}
