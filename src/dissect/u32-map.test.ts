import { describe, expect, it } from 'vitest';
import { U32Map } from './u32-map.ts';

describe('U32Map', () => {
  it('stores and finds values by one or two 32-bit keys, across growth', () => {
    const m = new U32Map<number>(4);
    const ref = new Map<string, number>();
    let seed = 12345;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 20000; i++) {
      // Mix of small, near and large keys, with repeats.
      const a = i % 3 === 0 ? rnd() : 0x7f000000 + (i % 500);
      const b = i % 2 ? rnd() & 0xffff : 0;
      m.set(a, b, i);
      ref.set(`${a >>> 0},${b >>> 0}`, i);
    }
    expect(m.size).toBe(ref.size);
    for (const [k, v] of ref) {
      const [a, b] = k.split(',').map(Number);
      expect(m.get(a!, b!)).toBe(v);
    }
    expect(m.get(1, 2)).toBeUndefined();
  });

  it('treats a negative int32 and its unsigned value as the same key; b defaults to 0', () => {
    const m = new U32Map<string>();
    m.set(-1, 0, 'x');
    expect(m.get(0xffffffff)).toBe('x');
    expect(m.get(0xffffffff, 1)).toBeUndefined();
    m.set(0xffffffff, 0, 'y');
    expect(m.size).toBe(1);
    expect(m.get(-1)).toBe('y');
  });
});
