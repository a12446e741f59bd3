import { describe, expect, it } from 'vitest';
import { ColumnArena, expectedRows, growColumn, grownLength, resized, useColumnArena } from './growable.ts';

describe('growColumn', () => {
  it('keeps the values, zeroes the new elements and at least doubles', () => {
    const a = Float64Array.of(0.5, -1);
    const b = growColumn(a, 3);
    expect(b).toBeInstanceOf(Float64Array);
    expect(b.length).toBe(1024); // the smallest grown column
    expect([...b.subarray(0, 3)]).toEqual([0.5, -1, 0]);
    const c = growColumn(b, 1025);
    expect(c.length).toBe(2048);
    expect(growColumn(c, 5000).length).toBe(5000);
  });

  it('returns the column itself when it is long enough', () => {
    const a = new Int8Array(8);
    expect(growColumn(a, 8)).toBe(a);
    expect(growColumn(a, 3)).toBe(a);
  });
});

describe('grownLength', () => {
  it('grows to the expected length while it is enough, by at least 25%', () => {
    expect(grownLength(1024, 1025, 3000)).toBe(3000);
    expect(grownLength(1024, 1025, 10_000)).toBe(10_000);
    expect(grownLength(1024, 1025, 50_000)).toBe(16_384); // at most 16 times as long on a guess
    expect(grownLength(1024, 1025, 1500)).toBe(1500);
    expect(grownLength(1024, 1025, 1100)).toBe(1280);
  });

  it('doubles once the expected length is passed, or without one', () => {
    expect(grownLength(4096, 5000, 4500)).toBe(8192);
    expect(grownLength(4096, 5000)).toBe(8192);
    expect(grownLength(0, 1)).toBe(1024);
  });
});

describe('expectedRows', () => {
  const MiB = 1 << 20;
  it('extends the rate so far to the whole file, with 5% to spare', () => {
    expect(expectedRows(10_000, 8 * MiB, 80 * MiB)).toBe(105_000);
  });

  it('does not guess from the first few MiB, nor for a compressed file', () => {
    expect(expectedRows(3000, 2 * MiB, 700 * MiB)).toBe(0);
    // gzip: the decompressed bytes pass the file's size
    expect(expectedRows(90_000, 120 * MiB, 30 * MiB)).toBe(0);
    expect(expectedRows(0, 8 * MiB, 80 * MiB)).toBe(0);
  });

  it('guesses at most 16 times the rows so far', () => {
    // small packets first, then (maybe) large ones: no huge reservation from a small sample
    expect(expectedRows(100_000, 5 * MiB, 1000 * MiB)).toBe(1_600_000);
  });
});

describe('ColumnArena', () => {
  it('gives grown columns zeroed, 8-byte aligned room of its own buffer, one after the other', () => {
    const arena = new ColumnArena(new ArrayBuffer(64 << 10));
    useColumnArena(arena);
    try {
      const a = resized(Uint8Array.of(1, 2, 3), 5);
      const b = resized(Float64Array.of(0.25), 3);
      const c = resized(new Uint16Array(0), 1000);
      for (const col of [a, b, c]) expect(col.buffer).toBe(arena.buffer);
      expect([...a]).toEqual([1, 2, 3, 0, 0]);
      expect([...b]).toEqual([0.25, 0, 0]);
      expect(c.every((v) => v === 0)).toBe(true);
      expect(b.byteOffset % 8).toBe(0);
      // No overlap: each starts after the one before it ends.
      expect(b.byteOffset).toBeGreaterThanOrEqual(a.byteOffset + a.byteLength);
      expect(c.byteOffset).toBeGreaterThanOrEqual(b.byteOffset + b.byteLength);
      b[2] = 9;
      expect([...a, ...c.subarray(0, 4)].every((v) => v < 9)).toBe(true);
      expect(arena.bytesUsed).toBe(c.byteOffset + c.byteLength);
    } finally {
      useColumnArena(null);
    }
  });

  it('falls back to fresh memory when it is full, and is not used once let go', () => {
    const arena = new ColumnArena(new ArrayBuffer(4096));
    useColumnArena(arena);
    try {
      const fits = resized(new Uint32Array(0), 1000);
      const tooBig = resized(new Uint32Array(0), 100);
      expect(fits.buffer).toBe(arena.buffer);
      expect(tooBig.buffer).not.toBe(arena.buffer);
      expect(tooBig.length).toBe(100);
    } finally {
      useColumnArena(null);
    }
    expect(resized(new Uint8Array(0), 8).buffer).not.toBe(arena.buffer);
  });

  it('touches its pages a slice at a time and says when all are', () => {
    const arena = new ColumnArena(new ArrayBuffer(10_000));
    expect(arena.touch(4096)).toBe(true);
    expect(arena.touch(4096)).toBe(true);
    expect(arena.touch(4096)).toBe(false);
    expect(new Uint8Array(arena.buffer).every((v) => v === 0)).toBe(true);
  });
});
