// Typed-array columns (the packet store's, the TCP per-frame and per-connection tables) and how
// they grow: by doubling, with one copy, or straight to the length a file is expected to need
// (expectedRows, grownLength).
//
// Tried and dropped: resizable ArrayBuffers (ES2024), which grow in place without a copy. In
// Node they were neutral, but element access through their length-tracking views is slower in
// Chromium's V8 (a summing loop 40% slower), and the 500k-packet load took ~0.3 s longer in the
// decoder worker (interleaved runs, medians 2.67 s against 2.32 s).
// No DOM: used by the dissectors' tables and by the packet store.

export type Column = Int8Array | Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array;

interface ColumnType<T extends Column> {
  new (length: number): T;
}

/** The smallest column made by growing an empty one. */
const MIN_LENGTH = 1024;

/**
 * `a` with room for at least `length` elements (new elements are zero): `a` itself when it has
 * it, else a copy (see grownLength).
 */
export function growColumn<T extends Column>(a: T, length: number): T {
  if (length <= a.length) return a;
  return resized(a, grownLength(a.length, length));
}

/** A copy of `a` exactly `length` long (`length` ≥ `a.length`; new elements are zero). */
export function resized<T extends Column>(a: T, length: number): T {
  const type = a.constructor as ColumnType<T>;
  const b = arena?.take(type, length) ?? new type(length);
  b.set(a);
  return b;
}

/**
 * Memory for the columns of the next load, touched before the load (while the app waits for a
 * file): a page of fresh memory costs 15–19 µs the first time it is written in a Chromium worker
 * on this VM, and the columns of a 500k-packet load are ~50 MB of it — ~0.25 s of the decoder's
 * CPU. Columns are carved from it in order (8-byte aligned) and never given back: what a column
 * outgrows stays unused. When it is full, columns are allocated as before.
 */
export class ColumnArena {
  private used = 0;
  private touched = 0;
  constructor(readonly buffer: ArrayBuffer) {}

  /** Touches the next `bytes` not yet touched (touchPages); false once all are. */
  touch(bytes: number): boolean {
    const end = Math.min(this.buffer.byteLength, this.touched + bytes);
    touchPages(new Uint8Array(this.buffer, this.touched, end - this.touched));
    this.touched = end;
    return end < this.buffer.byteLength;
  }

  /** A zeroed column of `length` elements from the arena, or null when it has no room. */
  take<T extends Column>(type: ColumnType<T>, length: number): T | null {
    const size = (type as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    const at = (this.used + 7) & ~7;
    if (at + length * size > this.buffer.byteLength) return null;
    this.used = at + length * size;
    return new (type as unknown as new (b: ArrayBuffer, off: number, len: number) => T)(this.buffer, at, length);
  }

  get bytesUsed(): number {
    return this.used;
  }
}

/** Writes a zero into every 4 KiB page of `a` (zero already): the page is faulted in now, not when first used. */
export function touchPages(a: Column): void {
  const step = 4096 / a.BYTES_PER_ELEMENT;
  for (let i = 0; i < a.length; i += step) a[i] = 0;
}

let arena: ColumnArena | null = null;

/** Makes `a` (or nothing, when null) where the columns grown from now on come from. */
export function useColumnArena(a: ColumnArena | null): void {
  arena = a;
}

/**
 * Bytes the arena in use holds (all touched, whether or not a column's rows reached them: a
 * column reserves room for the rows a file is expected to hold, and that room is touched here).
 */
export function columnArenaBytes(): number {
  return arena ? arena.buffer.byteLength : 0;
}

/**
 * The new length of a column of `current` elements that must hold `needed`: `expected` (the
 * length it should reach, 0 when unknown) while that is enough, else twice the length. At
 * least 25% more each time, so that a guess that keeps falling short still costs few copies;
 * at most 16 times as long on a guess (a guess made early can be twice too high: the room is
 * reserved, not touched). A cap of 4 times made the 500k-packet load copy its columns once more
 * at 262k rows: ~6,800 more page faults (27 MB of fresh memory) in Node.
 */
export function grownLength(current: number, needed: number, expected = 0): number {
  if (expected >= needed) return Math.max(Math.min(expected, current * 16), Math.ceil(current * 1.25), needed, MIN_LENGTH);
  return Math.max(needed, current * 2, MIN_LENGTH);
}

/**
 * How many rows a table filled from a file should make room for, once `bytesRead` of its
 * `totalBytes` gave `rows`: the same rate over the whole file, 5% more; 0 (no guess: grow by
 * doubling) before 4 MiB are read or when the file is compressed (more bytes than its size), and
 * never more than 16 times the rows so far (a file whose first packets are small).
 *
 * Why: each doubling copies the column into fresh memory, and fresh memory is what a first load
 * pays most for (a page fault per 4 KiB; in Chromium's decoder worker growing the columns took
 * ~0.3 s of a 500k-packet load). Pages reserved past the last row are never touched.
 */
export function expectedRows(rows: number, bytesRead: number, totalBytes: number): number {
  if (bytesRead < MIN_BYTES_TO_GUESS || bytesRead > totalBytes || rows === 0) return 0;
  return Math.min(Math.ceil((rows * totalBytes * 1.05) / bytesRead), rows * 16);
}

const MIN_BYTES_TO_GUESS = 4 << 20;
