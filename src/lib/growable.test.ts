import { describe, expect, it } from 'vitest';
import { growColumn } from './growable.ts';

describe('growable columns', () => {
  it('grow in place within their reservation, keeping values and zeroing the new elements', () => {
    const a = growColumn(new Uint32Array(0), 4);
    a.set([1, 2, 3, 4]);
    const b = growColumn(a, 700);
    expect(b).toBe(a);
    expect(b.length).toBe(700);
    expect([...b.subarray(0, 5)]).toEqual([1, 2, 3, 4, 0]);
    expect(b.every((v, i) => (i < 4 ? v === i + 1 : v === 0))).toBe(true);
  });

  it('move to a larger reservation (one copy) when they outgrow theirs', () => {
    const a = growColumn(new Float64Array(0), 2);
    a.set([0.5, -1]);
    expect(growColumn(a, 65_536)).toBe(a); // reserved: 64 × 1,024 rows
    const b = growColumn(a, 70_000);
    expect(b).not.toBe(a);
    expect(b.length).toBe(70_000);
    expect([...b.subarray(0, 3)]).toEqual([0.5, -1, 0]);
    // The new reservation is larger: the next growths are in place again.
    expect(growColumn(b, 1_000_000)).toBe(b);
  });

  it('grow a plain typed array by copying into a growable one', () => {
    const a = Int8Array.of(-2, 14);
    const b = growColumn(a, 3);
    expect([...b]).toEqual([-2, 14, 0]);
    expect(growColumn(b, 1000)).toBe(b);
  });

  it('never shrink', () => {
    const a = growColumn(new Uint16Array(0), 8);
    expect(growColumn(a, 3)).toBe(a);
    expect(a.length).toBe(8);
  });
});
