import { describe, expect, it } from 'vitest';
import { growColumn } from './growable.ts';

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
