import { describe, expect, it } from 'vitest';
import { BLOCK, RowCache } from './row-cache.ts';
import type { RowData } from '../worker/protocol.ts';

function fakeRow(pos: number, tag = ''): RowData {
  return { index: pos, num: pos + 1, time: '', source: tag, destination: '', protocol: '', length: 0, info: '', color: 0, flags: 0 };
}

/** A fetcher whose answers the test releases by hand. */
function harness(total: () => number, tag: () => string = () => '') {
  const calls: { start: number; count: number; resolve: () => void }[] = [];
  const cache = new RowCache(
    (start, count) =>
      new Promise((resolve) => {
        const t = tag();
        calls.push({
          start,
          count,
          resolve: () => {
            const n = Math.max(0, Math.min(count, total() - start));
            resolve({ rows: Array.from({ length: n }, (_, i) => fakeRow(start + i, t)), total: total() });
          },
        });
      }),
  );
  return { cache, calls };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('RowCache', () => {
  it('fetches the blocks covering a range once', async () => {
    const { cache, calls } = harness(() => 1000);
    cache.setTotal(1000);
    cache.ensure(0, 40);
    cache.ensure(10, 50);
    expect(calls.map((c) => c.start)).toEqual([0]);
    cache.ensure(BLOCK - 5, BLOCK + 5);
    expect(calls.map((c) => c.start)).toEqual([0, BLOCK]);
    calls.forEach((c) => c.resolve());
    await flush();
    expect(cache.get(3)?.num).toBe(4);
    expect(cache.get(BLOCK + 1)?.num).toBe(BLOCK + 2);
    cache.ensure(0, 40);
    expect(calls).toHaveLength(2);
  });

  it('refetches a partial last block when more rows arrive', async () => {
    let total = 10;
    const { cache, calls } = harness(() => total);
    cache.setTotal(10);
    cache.ensure(0, 30);
    calls[0]!.resolve();
    await flush();
    expect(cache.get(9)).toBeDefined();
    expect(cache.get(10)).toBeUndefined();
    total = 20;
    cache.setTotal(20); // re-ensures the last range
    expect(calls).toHaveLength(2);
    calls[1]!.resolve();
    await flush();
    expect(cache.get(19)?.num).toBe(20);
  });

  it('keeps stale rows visible after invalidate, but drops answers of the old view', async () => {
    let tag = 'old';
    const { cache, calls } = harness(() => 500, () => tag);
    cache.setTotal(500);
    cache.ensure(0, 20);
    calls[0]!.resolve();
    await flush();
    expect(cache.get(0)?.source).toBe('old');
    cache.ensure(0, BLOCK + 5); // block 1 is in flight when the view changes
    tag = 'new';
    cache.invalidate();
    expect(cache.get(0)?.source).toBe('old'); // still displayed
    expect(cache.getCurrent(0)).toBeUndefined(); // but not current
    expect(cache.pending(0, 20)).toBe(true);
    expect(calls.map((c) => c.start)).toEqual([0, BLOCK, 0, BLOCK]); // both refetched for the new view
    calls[1]!.resolve(); // the old view's answer
    await flush();
    expect(cache.get(BLOCK)).toBeUndefined();
    for (const c of calls.slice(2)) c.resolve();
    await flush();
    expect(cache.getCurrent(0)?.source).toBe('new');
    expect(cache.pending(0, 20)).toBe(false);
  });

  it('learns the total from answers and notifies subscribers', async () => {
    const { cache, calls } = harness(() => 77);
    let seen = 0;
    cache.onTotal = (t) => (seen = t);
    let emits = 0;
    cache.subscribe(() => emits++);
    cache.setTotal(50);
    cache.ensure(0, 10);
    calls[0]!.resolve();
    await flush();
    expect(seen).toBe(77);
    expect(cache.total).toBe(77);
    expect(emits).toBeGreaterThanOrEqual(2);
  });

  it('clear() forgets everything', async () => {
    const { cache, calls } = harness(() => 100);
    cache.setTotal(100);
    cache.ensure(0, 10);
    calls[0]!.resolve();
    await flush();
    cache.clear();
    expect(cache.total).toBe(0);
    expect(cache.get(0)).toBeUndefined();
  });
});
