import { describe, expect, it } from 'vitest';
import { summariseLoads, type BrowserFigures } from './browser.ts';

const load = (firstRowsMs: number, loadedMs: number, longestTaskMs: number, over100 = 0): BrowserFigures => ({
  packets: 500_000, firstRowsMs, loadedMs, appLoadMs: loadedMs - 40, appFirstRowsMs: firstRowsMs - 50, longestTaskMs,
  longTasksOver100: over100, memoryMB: 64, cpu: null,
});

describe('the app benchmark over several loads', () => {
  it('reports medians of first rows and full load, and the longest task of any load', () => {
    const f = summariseLoads([load(220, 1548, 58), load(115, 1388, 0), load(187, 1374, 120, 1), load(200, 1501, 64), load(157, 1429, 0)]);
    expect(f.loadedMs).toBe(1429);
    expect(f.appLoadMs).toBe(1389); // the median load's own figure
    expect(f.firstRowsMs).toBe(187);
    expect(f.longestTaskMs).toBe(120);
    expect(f.longTasksOver100).toBe(1);
    expect(f.runs?.map((r) => r.loadedMs)).toEqual([1548, 1388, 1374, 1501, 1429]);
  });
});
