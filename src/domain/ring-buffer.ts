/**
 * A bounded time series: rows of (t, values…) in time order, oldest evicted first.
 * Bounded twice: at most `capacity` rows, and nothing older than `maxAgeMs` behind the
 * newest row. Storage grows by doubling up to `capacity`, so a quiet series stays small.
 * A gap (the stream was down, nothing is known) is a row whose values are all NaN.
 * The one ring for metric series on both sides: the server's history and the browser's charts.
 */
export class RingBuffer {
  private times: Float64Array;
  private columns: Float64Array[];
  private start = 0;
  private count = 0;

  constructor(
    readonly columnCount: number,
    readonly capacity: number,
    readonly maxAgeMs: number = Number.POSITIVE_INFINITY,
  ) {
    const initial = Math.min(capacity, 64);
    this.times = new Float64Array(initial);
    this.columns = Array.from({ length: columnCount }, () => new Float64Array(initial));
  }

  get length(): number {
    return this.count;
  }

  /** Appends a row; `t` must not be older than the newest row. */
  push(t: number, values: ArrayLike<number>): void {
    if (this.count === this.capacity) this.dropOldest();
    if (this.count === this.times.length) this.grow();
    const slot = (this.start + this.count) % this.times.length;
    this.times[slot] = t;
    for (let c = 0; c < this.columnCount; c++) {
      const column = this.columns[c];
      if (column) column[slot] = values[c] ?? Number.NaN;
    }
    this.count++;
    const oldest = t - this.maxAgeMs;
    while (this.count > 1 && this.timeAt(0) < oldest) this.dropOldest();
  }

  /** Marks that nothing is known between the previous row and the next one. */
  pushGap(t: number): void {
    if (this.count === 0 || this.isGap(this.count - 1)) return;
    this.push(t, []);
  }

  timeAt(index: number): number {
    return this.times[(this.start + index) % this.times.length] ?? Number.NaN;
  }

  valueAt(index: number, column: number): number {
    return this.columns[column]?.[(this.start + index) % this.times.length] ?? Number.NaN;
  }

  /**
   * Raw access for hot loops: where row `index` sits in the storage arrays. Walk on with
   * `slot + 1`, wrapping to 0 at `storageSize`. Valid until the next push.
   */
  slot(index: number): number {
    return (this.start + index) % this.times.length;
  }

  get storageSize(): number {
    return this.times.length;
  }

  get timeStorage(): Float64Array {
    return this.times;
  }

  columnStorage(column: number): Float64Array {
    const storage = this.columns[column];
    if (!storage) throw new RangeError(`no column ${column}`);
    return storage;
  }

  isGap(index: number): boolean {
    return Number.isNaN(this.valueAt(index, 0));
  }

  newestTime(): number | null {
    return this.count === 0 ? null : this.timeAt(this.count - 1);
  }

  oldestTime(): number | null {
    return this.count === 0 ? null : this.timeAt(0);
  }

  /** Index of the first row with time >= t (binary search; rows are in time order). */
  lowerBound(t: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.timeAt(mid) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private dropOldest(): void {
    this.start = (this.start + 1) % this.times.length;
    this.count--;
  }

  private grow(): void {
    const size = Math.min(this.capacity, this.times.length * 2);
    const times = new Float64Array(size);
    const columns = this.columns.map(() => new Float64Array(size));
    for (let i = 0; i < this.count; i++) {
      const from = (this.start + i) % this.times.length;
      times[i] = this.times[from] ?? Number.NaN;
      this.columns.forEach((column, c) => {
        const target = columns[c];
        if (target) target[i] = column[from] ?? Number.NaN;
      });
    }
    this.times = times;
    this.columns = columns;
    this.start = 0;
  }
}
