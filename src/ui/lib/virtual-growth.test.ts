import { Virtualizer, type VirtualItem, type VirtualizerOptions } from '@tanstack/react-virtual';
import { describe, expect, it } from 'vitest';
import { keepMeasurementsOnGrowth, reservePositions } from './virtual-growth.ts';

const ROW = 22;

/** Every row's placement (private in the typings; the helper under test relies on internals anyway). */
function placements(v: Virtualizer<HTMLDivElement, HTMLDivElement>): VirtualItem[] {
  return (v as unknown as { getMeasurements(): VirtualItem[] }).getMeasurements();
}

function setup() {
  let estimates = 0;
  const options = (count: number): VirtualizerOptions<HTMLDivElement, HTMLDivElement> => ({
    count,
    getScrollElement: () => null,
    estimateSize: () => {
      estimates++;
      return ROW;
    },
    scrollToFn: () => {},
    observeElementRect: () => {},
    observeElementOffset: () => {},
  });
  const v = new Virtualizer(options(1000));
  const placed = { current: 0 };
  const render = (count: number, expected = 0) => {
    v.setOptions(options(count));
    keepMeasurementsOnGrowth(v, count, placed, expected);
    return placements(v);
  };
  return { v, render, placed, estimates: () => estimates };
}

describe('keepMeasurementsOnGrowth', () => {
  it('places only the appended rows when the count grows, at the right positions', () => {
    const s = setup();
    s.render(1000);
    const before = s.estimates();
    expect(before).toBe(1000);
    const m = s.render(3000);
    expect(s.estimates() - before).toBe(2000); // only rows 1000 … 2999
    expect(m.length).toBe(3000);
    expect(m[0]!.start).toBe(0);
    expect(m[999]!.start).toBe(999 * ROW);
    expect(m[2999]!.start).toBe(2999 * ROW);
    expect(m[2999]!.end).toBe(3000 * ROW);
    expect(s.v.getTotalSize()).toBe(3000 * ROW);
  });

  it('copies neither the key list nor, until it must grow, the positions when rows are appended', () => {
    const s = setup();
    type Inner = { _singleLaneMeasurements: { items: unknown[]; flat: Float64Array } };
    const inner = s.v as unknown as Inner;
    s.render(1000);
    s.render(1500);
    // From the first growth on, one key list that only takes the new length.
    const items = inner._singleLaneMeasurements.items;
    const flat = inner._singleLaneMeasurements.flat;
    expect(flat.length).toBeGreaterThanOrEqual(2 * 2000); // grown ahead, by doubling
    const m = s.render(2000);
    expect(inner._singleLaneMeasurements.flat).toBe(flat);
    expect(inner._singleLaneMeasurements.items).toBe(items);
    expect(m.length).toBe(2000);
    expect(m[1999]!.start).toBe(1999 * ROW);
    expect(m[500]!.end).toBe(501 * ROW);
    // Any other slice of the list is still a copy.
    expect(items.slice(0, 2)).not.toBe(items);
    expect(items.slice(0, 2)).toHaveLength(2);
  });

  it('keeps no key per row for rows keyed by index, and every row still reads right', () => {
    const s = setup();
    type Inner = { _singleLaneMeasurements: { items: unknown[] } };
    const inner = s.v as unknown as Inner;
    s.render(1000);
    s.v.getVirtualItemForOffset(500 * ROW); // rows placed before the growth, already looked at
    const m = s.render(400_000);
    const items = inner._singleLaneMeasurements.items;
    expect(items).toHaveLength(400_000);
    expect(Array.isArray(items)).toBe(true);
    expect(Object.keys(items).length).toBeLessThan(10); // not one entry per row
    // A key is its index until the row's VirtualItem is stored in its place.
    expect([items[0], items[123_456], items[399_999], items[400_000]]).toEqual([0, 123_456, 399_999, undefined]);
    expect(m[123_456]).toEqual({ index: 123_456, key: 123_456, start: 123_456 * ROW, size: ROW, end: 123_457 * ROW, lane: 0 });
    expect(items[123_456]).toBe(m[123_456]);
    expect(m[500]!.key).toBe(500);
    expect(s.v.getVirtualItemForOffset(399_999 * ROW + 1)?.index).toBe(399_999);
    expect(s.v.getTotalSize()).toBe(400_000 * ROW);
  });

  it('keeps the keys a custom getItemKey gives', () => {
    const v = new Virtualizer<HTMLDivElement, HTMLDivElement>({
      count: 10, getScrollElement: () => null, estimateSize: () => ROW, getItemKey: (i) => `row-${i}`,
      scrollToFn: () => {}, observeElementRect: () => {}, observeElementOffset: () => {},
    });
    const placed = { current: 0 };
    for (const count of [10, 30]) {
      v.setOptions({ ...v.options, count });
      keepMeasurementsOnGrowth(v, count, placed);
    }
    const m = placements(v);
    expect(m).toHaveLength(30);
    expect([m[0]!.key, m[9]!.key, m[29]!.key]).toEqual(['row-0', 'row-9', 'row-29']);
    expect(m[29]!.start).toBe(29 * ROW);
  });

  it('makes room for the expected count instead of doubling up to it', () => {
    const grow = (expected: number) => {
      const s = setup();
      const inner = s.v as unknown as { _singleLaneMeasurements: { flat: Float64Array } };
      const seen = new Set<Float64Array>();
      let m: VirtualItem[] = [];
      for (let n = 1000; n <= 10_000; n += 500) {
        m = s.render(n, expected);
        seen.add(inner._singleLaneMeasurements.flat);
      }
      expect(m[9999]!.start).toBe(9999 * ROW);
      expect(s.v.getTotalSize()).toBe(10_000 * ROW);
      return { copies: seen.size - 1, room: inner._singleLaneMeasurements.flat.length / 2 };
    };
    // 1,000 rows placed first; doubling: 2,000, 4,000, 8,000, 16,000 rows of room.
    expect(grow(0)).toEqual({ copies: 4, room: 16_000 });
    // expected 10,000: straight to it.
    expect(grow(10_000)).toEqual({ copies: 1, room: 10_000 });
  });

  it('recomputes everything when the count shrinks, and stays right when it grows again', () => {
    const s = setup();
    s.render(1000);
    const m = s.render(10);
    expect(m.length).toBe(10);
    expect(s.v.getTotalSize()).toBe(10 * ROW);
    const again = s.render(50);
    expect(again.length).toBe(50);
    expect(again[49]!.start).toBe(49 * ROW);
  });

  it('places the appended rows itself, without a size-cache lookup per row', () => {
    const s = setup();
    s.render(1000);
    const cache = (s.v as unknown as { itemSizeCache: Map<unknown, number> }).itemSizeCache;
    let lookups = 0;
    const get = cache.get.bind(cache);
    cache.get = (k) => {
      lookups++;
      return get(k);
    };
    const m = s.render(5000);
    expect(lookups).toBe(0);
    expect(m[4999]!.start).toBe(4999 * ROW);
    expect(m[4999]!.key).toBe(4999);
    expect(s.v.getTotalSize()).toBe(5000 * ROW);
  });

  it('leaves the placement to react-virtual once a row was measured, and stays right', () => {
    const s = setup();
    s.render(1000);
    s.v.resizeItem(10, 3 * ROW); // row 10 measured taller than estimated (what measureElement() does)
    const m = s.render(2000);
    expect(m[10]!.size).toBe(3 * ROW);
    expect(m[1999]!.start).toBe(2001 * ROW);
    expect(s.v.getTotalSize()).toBe(2002 * ROW);
  });

  it('takes the room made in advance when the list first outgrows its own, then grows as before', () => {
    const s = setup();
    const inner = s.v as unknown as { _singleLaneMeasurements: { flat: Float64Array } };
    s.render(1000);
    reservePositions(50_000);
    const m = s.render(3000, 200_000);
    const room = inner._singleLaneMeasurements.flat;
    expect(room.length).toBe(100_000); // the reserved room, not the expected 200,000 rows
    expect(m[2999]!.start).toBe(2999 * ROW);
    s.render(40_000, 200_000);
    expect(inner._singleLaneMeasurements.flat).toBe(room);
    // Past it: fresh room for the expected count (the reserved room was used once).
    const past = s.render(60_000, 200_000);
    expect(inner._singleLaneMeasurements.flat.length).toBe(400_000);
    expect(past[59_999]!.start).toBe(59_999 * ROW);
    expect(past[1000]!.start).toBe(1000 * ROW);
  });

  it('leaves the room made in advance to a list that is not expected to be long', () => {
    reservePositions(50_000);
    const small = setup();
    const inner = small.v as unknown as { _singleLaneMeasurements: { flat: Float64Array } };
    small.render(1000);
    small.render(3000, 4000);
    expect(inner._singleLaneMeasurements.flat.length).toBe(8000); // its own room, for 4,000 rows
    // A long one then takes it.
    const long = setup();
    const longInner = long.v as unknown as { _singleLaneMeasurements: { flat: Float64Array } };
    long.render(1000);
    long.render(3000, 60_000);
    expect(longInner._singleLaneMeasurements.flat.length).toBe(100_000);
  });

  it('is what makes the difference: without it react-virtual places every row again', () => {
    const s = setup();
    s.render(1000);
    const before = s.estimates();
    s.v.setOptions({ ...s.v.options, count: 3000 });
    placements(s.v);
    expect(s.estimates() - before).toBe(3000);
  });
});
