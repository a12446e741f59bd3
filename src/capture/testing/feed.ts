// Test helpers: run the reader over a buffer cut into chunks in various ways.

import { CaptureReader } from '../reader.ts';
import type { CaptureMeta, PacketRecord } from '../types.ts';

export interface ReadResult {
  recs: PacketRecord[];
  meta: CaptureMeta;
}

/**
 * Splits `buf` into chunks of the given sizes (cycled; each chunk a separate copy, as fs or
 * Blob reads would give) and reads them with CaptureReader.
 */
export function readChunked(buf: Uint8Array, sizes: number | number[]): ReadResult {
  const list = typeof sizes === 'number' ? [sizes] : sizes;
  const recs: PacketRecord[] = [];
  const reader = new CaptureReader((r) => recs.push(r));
  let i = 0;
  for (let pos = 0; pos < buf.length; i++) {
    const n = Math.max(1, list[i % list.length]!);
    reader.push(buf.slice(pos, pos + n));
    pos += n;
  }
  return { recs, meta: reader.end() };
}

/** Reads `buf` as two chunks split at `at`. */
export function readSplit(buf: Uint8Array, at: number): ReadResult {
  const recs: PacketRecord[] = [];
  const reader = new CaptureReader((r) => recs.push(r));
  reader.push(buf.slice(0, at));
  reader.push(buf.slice(at));
  return { recs, meta: reader.end() };
}

/** Deterministic pseudo-random chunk sizes in [1, max]. */
export function randomSizes(count: number, max: number, seed = 7): number[] {
  let x = seed >>> 0 || 1;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out.push(1 + (x % max));
  }
  return out;
}

/** A record minus the things that legitimately differ between chunkings (the data's backing buffer). */
export function plain(r: PacketRecord): Record<string, unknown> {
  return { ...r, data: Array.from(r.data) };
}

export async function* asyncChunks(buf: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < buf.length; i += size) yield buf.slice(i, i + size);
}

/**
 * `buf` in slices of `size`, each copied into the same buffer, which is scribbled over once the
 * consumer asks for the next slice: a reader or decoder that keeps a view into a slice reads
 * garbage, not the right bytes by luck (the app reads files through reused buffers).
 */
export async function* reusedChunks(buf: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  const slice = new Uint8Array(size);
  for (let i = 0; i < buf.length; i += size) {
    const n = Math.min(size, buf.length - i);
    slice.set(buf.subarray(i, i + n));
    yield slice.subarray(0, n);
    slice.fill(0xa5);
  }
}
