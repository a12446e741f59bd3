import { describe, expect, it } from 'vitest';
import type { LadderModel } from '../../analysis/ladder.ts';
import { CANVAS_LIMITS, exportFileName, planPng, safePart, splitRows } from './export-plan.ts';

const ep = (id: string, addr: string, port: number | null) => ({ id, addr, port, label: port === null ? addr : `${addr}:${port}`, role: 'host' as const });
const model = (stream: number | null, endpoints: ReturnType<typeof ep>[]): LadderModel => ({ title: 't', stream, endpoints, arrows: [], phases: [] });

describe('export file names', () => {
  it('names a session ladder after its stream and endpoints', () => {
    const m = model(3, [ep('client', '192.168.56.1', 53574), ep('server', '192.168.56.103', 80)]);
    expect(exportFileName(m, 'png')).toBe('ladder-stream3-192.168.56.1_53574-192.168.56.103_80.png');
    expect(exportFileName(m, 'svg')).toBe('ladder-stream3-192.168.56.1_53574-192.168.56.103_80.svg');
    expect(exportFileName(m, 'png', { index: 2, count: 3 })).toBe('ladder-stream3-192.168.56.1_53574-192.168.56.103_80-part2of3.png');
    expect(exportFileName(m, 'png', { index: 1, count: 1 })).toBe('ladder-stream3-192.168.56.1_53574-192.168.56.103_80.png');
  });

  it('names a host flow after its hosts, IPv6 made file-safe', () => {
    const m = model(null, [ep('a', '192.168.56.1', null), ep('b', '192.168.56.103', null), ep('c', '2001:db8::1', null)]);
    expect(exportFileName(m, 'png')).toBe('ladder-hosts-192.168.56.1-192.168.56.103-2001-db8--1.png');
    const many = model(null, Array.from({ length: 9 }, (_, i) => ep(String(i), `10.0.0.${i}`, null)));
    expect(exportFileName(many, 'svg')).toBe('ladder-hosts-10.0.0.0-10.0.0.1-10.0.0.2-10.0.0.3-10.0.0.4-10.0.0.5-and-3-more.svg');
    expect(safePart('fe80::1%eth0')).toBe('fe80--1_eth0');
  });
});

describe('fitting a PNG into the canvas limits', () => {
  it('keeps 2× when it fits', () => {
    expect(planPng(1000, 1200)).toEqual({ mode: 'single', scale: 2, notice: null });
    // Exactly at the side limit.
    expect(planPng(16_383, 100).mode).toBe('single');
  });

  it('lowers the density (≥ 1×) and says so when 2× is too big', () => {
    const plan = planPng(1000, 20_000);
    expect(plan.mode).toBe('single');
    if (plan.mode !== 'single') throw new Error();
    expect(plan.scale).toBeLessThan(2);
    expect(plan.scale).toBeGreaterThanOrEqual(1);
    expect(Math.ceil(20_000 * plan.scale)).toBeLessThanOrEqual(CANVAS_LIMITS.maxSide);
    expect(plan.notice).toMatch(/instead of 2×/);
  });

  it('respects the area limit, not only the side limit', () => {
    const plan = planPng(12_000, 12_000);
    if (plan.mode !== 'single') throw new Error('expected one image');
    const pw = Math.ceil(12_000 * plan.scale);
    expect(pw * pw).toBeLessThanOrEqual(CANVAS_LIMITS.maxArea);
    expect(plan.scale).toBeGreaterThanOrEqual(1);
  });

  it('cuts a very tall ladder into tiles at 2×', () => {
    const plan = planPng(1200, 280_000);
    expect(plan.mode).toBe('tiles');
    if (plan.mode !== 'tiles') throw new Error();
    expect(plan.scale).toBe(2);
    expect(plan.maxTileHeight * 2).toBeLessThanOrEqual(CANVAS_LIMITS.maxSide);
    expect(1200 * 2 * plan.maxTileHeight * 2).toBeLessThanOrEqual(CANVAS_LIMITS.maxArea);
    expect(plan.notice).toMatch(/several PNG files/);
  });

  it('uses a lower density for tiles when even the width does not fit at 2×', () => {
    const plan = planPng(20_000, 100_000);
    if (plan.mode !== 'tiles') throw new Error();
    expect(Math.ceil(20_000 * plan.scale)).toBeLessThanOrEqual(CANVAS_LIMITS.maxSide);
  });

  it('splits rows at row boundaries', () => {
    const ys = [0, 10, 20, 30, 40, 50, 60];
    expect(splitRows(ys, 25)).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(splitRows(ys, 1000)).toEqual([[0, 5]]);
    // A row taller than the limit gets a range of its own.
    expect(splitRows([0, 100, 110], 50)).toEqual([[0, 0], [1, 1]]);
  });
});

describe('palette', () => {
  it('blends a colour over the background into an opaque one', async () => {
    const { blend, withAlpha } = await import('./palette.ts');
    expect(blend('#ff0000', '#ffffff', 0.5)).toBe('#ff8080');
    expect(blend('#18794e', '#ffffff', 1)).toBe('#18794e');
    expect(blend('#18794e', '#161a21', 0)).toBe('#161a21');
    expect(withAlpha('#102030', 0.5)).toBe('rgba(16, 32, 48, 0.5)');
  });
});
