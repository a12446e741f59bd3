import { describe, expect, it } from 'vitest';
import { FrameLog, StreamMap } from './dense-keys.ts';

describe('StreamMap', () => {
  it('keeps a value per stream index, -1 included, and nothing for the others', () => {
    const m = new StreamMap<string>();
    m.set(-1, 'none');
    m.set(7, 'seven');
    m.set(2, 'two');
    expect([m.get(-1), m.get(2), m.get(7)]).toEqual(['none', 'two', 'seven']);
    expect([m.get(0), m.get(6), m.get(8), m.get(1000)]).toEqual([undefined, undefined, undefined, undefined]);
    m.set(7, 'again');
    expect(m.get(7)).toBe('again');
  });
});

describe('FrameLog', () => {
  it('finds the value of every recorded frame and of no other', () => {
    const log = new FrameLog<number>();
    const frames = [1, 2, 5, 9, 10, 33, 34, 1000, 4096, 500_000];
    for (const f of frames) log.add(f, f * 10);
    for (const f of frames) expect(log.get(f)).toBe(f * 10);
    for (const f of [0, 3, 4, 11, 999, 1001, 500_001]) expect(log.get(f)).toBeUndefined();
    expect(log.lastFrame).toBe(500_000);
  });

  it('refuses a frame out of order instead of losing it', () => {
    const log = new FrameLog<string>();
    expect(log.get(1)).toBeUndefined();
    log.add(4, 'a');
    expect(() => log.add(4, 'b')).toThrow(RangeError);
    expect(() => log.add(3, 'b')).toThrow(RangeError);
    expect(log.get(4)).toBe('a');
  });
});
