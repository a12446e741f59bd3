import { describe, expect, it } from 'vitest';
import { expectedRows, growColumn, grownLength } from './growable.ts';

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
