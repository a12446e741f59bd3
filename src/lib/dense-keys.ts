// Lookups keyed by small integers that the first pass makes per packet. A Map's hash lookup and
// its rehashing as it grows were ~3% of a load's CPU; these are array reads.

/**
 * A value per TCP stream index (tcp.stream counts connections from 0; -1 for none). Streams are
 * small and dense, so the values sit in an array, filled up to the highest index so that it
 * never turns into a sparse (dictionary) array.
 */
export class StreamMap<T> {
  private readonly values: (T | undefined)[] = [];

  get(stream: number): T | undefined {
    return this.values[stream + 1];
  }

  set(stream: number, value: T): void {
    const i = stream + 1;
    while (this.values.length < i) this.values.push(undefined);
    this.values[i] = value;
  }
}

/**
 * Values recorded for frames in increasing frame order (the first pass), found again by
 * binary search (a re-dissection).
 */
export class FrameLog<T> {
  private readonly frames: number[] = [];
  private readonly values: T[] = [];

  /** The frame last recorded, or 0. */
  get lastFrame(): number {
    return this.frames.length ? this.frames[this.frames.length - 1]! : 0;
  }

  /** Records `value` for `frame`, which comes after every frame recorded before. */
  add(frame: number, value: T): void {
    if (frame <= this.lastFrame) throw new RangeError(`frame ${frame} recorded after frame ${this.lastFrame}`);
    this.frames.push(frame);
    this.values.push(value);
  }

  get(frame: number): T | undefined {
    const f = this.frames;
    let lo = 0;
    let hi = f.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const m = f[mid]!;
      if (m === frame) return this.values[mid];
      if (m < frame) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }
}
