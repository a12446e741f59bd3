// react-virtual recomputes the position of EVERY row whenever the row count changes: while a
// 500k-packet capture loads, each progress update cost the main thread 40–80 ms (and a 4M-packet
// file much more). Rows here all have the same height and are keyed by index, so the positions
// of rows already placed never change when rows are appended: we tell the virtualizer to keep
// them and place only the new rows.
//
// Placing only the new rows was not all: virtual-core then still copies its per-row arrays on
// every count change — the list of row keys (`items.slice()`) and, when it outgrows it, the
// Float64Array of positions — 15–90 ms per update at a few hundred thousand rows in Chromium
// while the decoder keeps the other core busy, ~600 ms of main-thread time over a 500k-packet
// load. Both copies only preserve entries that never change here, so the helper lets the key
// list be extended in place and grows the positions array ahead of time (to the row count the
// load is expected to reach, else by doubling): a count change then costs only the appended rows.
//
// The appended rows are then placed here rather than by virtual-core's loop, which looks each
// row up in its measured-size cache first (see placeAppendedRows).
//
// The key list itself is then no array (see indexKeys): rows are keyed by their index, and
// growing an array of half a million keys faulted in fresh memory on the main thread — 80–120 ms
// of a 500k-packet load in Chromium, in tasks of up to 57 ms.
//
// This reaches into @tanstack/virtual-core's internals (version pinned in package-lock.json);
// virtual-growth.test.ts fails if an upgrade renames them, and then nothing worse than the old
// full recomputation happens (every access below is guarded).

import { defaultKeyExtractor, type Virtualizer } from '@tanstack/react-virtual';
import { grownLength, touchPages } from '../../lib/growable.ts';

interface VirtualizerInternals {
  /** Memo of the options the measurements depend on; resets pendingMin when the count changes. */
  getMeasurementOptions?: () => unknown;
  /** First index whose measurement must be recomputed (null = all). */
  pendingMin?: number | null;
  /** Row keys (or the row objects made from them) and [start, size] pairs, per row. */
  _singleLaneMeasurements?: { items: unknown[]; flat: Float64Array } | null;
  /** Sizes of rendered rows that were measured, by key (empty: every row has its estimated size). */
  itemSizeCache?: unknown;
  lanesSettling?: boolean;
  lanesChangedFlag?: boolean;
}

/** `slice()` for the key list: the list itself (extended in place by the next placement); a real copy for any other slice. */
function sameList(this: unknown[], start?: number, end?: number): unknown[] {
  return start === undefined && end === undefined ? this : Array.prototype.slice.call(this, start, end);
}

/** The length of an indexKeys list, and setting it (rows appended). */
const KEYS_LENGTH = Symbol('index keys length');
type IndexKeys = unknown[] & { [KEYS_LENGTH]: number };

function isIndexKeys(list: unknown[]): list is IndexKeys {
  return KEYS_LENGTH in list;
}

/**
 * virtual-core's per-row key list for rows keyed by index (its default key), without an entry
 * per row: entry `i` reads as `i` until virtual-core stores the row's VirtualItem there (it does
 * so for the rows it is asked about: the visible ones and a binary search's few); storing a key
 * again drops it (the row was placed again). Its length is the placed row count.
 */
function indexKeys(length: number): IndexKeys {
  const items = new Map<number, unknown>();
  let count = length;
  const index = (prop: string | symbol): number => {
    if (typeof prop !== 'string') return -1;
    const c = prop.charCodeAt(0);
    if (c < 48 || c > 57) return -1;
    const i = +prop;
    return Number.isInteger(i) ? i : -1;
  };
  return new Proxy([] as unknown[], {
    get(target, prop, receiver) {
      const i = index(prop);
      if (i >= 0) return i < count ? (items.get(i) ?? i) : undefined;
      if (prop === 'length' || prop === KEYS_LENGTH) return count;
      if (prop === 'slice') return sameList;
      return Reflect.get(target, prop, receiver) as unknown;
    },
    set(target, prop, value) {
      const i = index(prop);
      if (i >= 0) {
        if (typeof value === 'object' && value !== null) items.set(i, value);
        else items.delete(i);
        if (i >= count) count = i + 1;
        return true;
      }
      if (prop === 'length' || prop === KEYS_LENGTH) {
        count = value as number;
        for (const k of items.keys()) if (k >= count) items.delete(k);
        return true;
      }
      return Reflect.set(target, prop, value);
    },
    has(target, prop) {
      const i = index(prop);
      if (i >= 0) return i < count;
      return prop === KEYS_LENGTH || Reflect.has(target, prop);
    },
  }) as IndexKeys;
}

/**
 * Call right after useVirtualizer() and before getVirtualItems(), every render. `placed` holds
 * the count the virtualizer last placed rows for (a ref, updated here). `expected`: the count
 * the list is expected to reach (0 when unknown), to make room for once instead of doubling.
 */
export function keepMeasurementsOnGrowth<S extends Element, I extends Element>(
  virtualizer: Virtualizer<S, I>,
  count: number,
  placed: { current: number },
  expected = 0,
): void {
  const prev = placed.current;
  placed.current = count;
  if (prev <= 0 || count <= prev) return;
  const inner = virtualizer as unknown as VirtualizerInternals;
  if (typeof inner.getMeasurementOptions !== 'function' || !('pendingMin' in inner)) return;
  const placedRows = inner._singleLaneMeasurements;
  if (!placedRows || placedRows.items.length !== prev || !(placedRows.flat instanceof Float64Array)) return; // not placed for `prev` rows
  // A row measured since the last placement (resizeItem) must be placed again, from its index.
  const pending = inner.pendingMin;
  inner.getMeasurementOptions(); // takes in the new count now (which resets pendingMin), so that it does not reset it later
  inner.pendingMin = pending == null ? prev : Math.min(pending, prev);
  // No copies (see above): rows below `prev` keep their keys and positions.
  if (virtualizer.options.getItemKey === defaultKeyExtractor) {
    if (!isIndexKeys(placedRows.items)) {
      // The rows' VirtualItems are made again from the positions when asked for.
      placedRows.items = indexKeys(prev);
    }
  } else if (!Object.prototype.hasOwnProperty.call(placedRows.items, 'slice')) {
    Object.defineProperty(placedRows.items, 'slice', { value: sameList, configurable: true });
  }
  if (placedRows.flat.length < count * 2) {
    // Room for the expected count at once: doubling when the last rows arrive copied every
    // position into fresh memory in one task (~90 ms at 500k rows, the load's longest task).
    // Room made while the page waited for a file comes first (reservePositions), for a list
    // that is or will be long (a short one keeps it for a later file).
    const spare = sparePositions;
    let flat: Float64Array;
    if (spare && spare.length >= count * 2 && Math.max(count, expected) >= SPARE_FOR_ROWS) {
      flat = spare;
      sparePositions = null;
    } else flat = new Float64Array(grownLength(placedRows.flat.length >> 1, count, expected) * 2);
    flat.set(placedRows.flat.subarray(0, prev * 2));
    placedRows.flat = flat;
  }
  placeAppendedRows(inner, virtualizer.options, placedRows, prev, count);
}

/** Room for row positions made and touched while the page waited for a file. */
let sparePositions: Float64Array | null = null;
/** Lists expected to reach this many rows take it (fresh memory costs little below). */
const SPARE_FOR_ROWS = 50_000;

/**
 * Makes room for the positions of `rows` rows (16 bytes a row) and touches it, for the next list
 * that grows past its room: call it while the page is idle. Fresh memory costs a page fault
 * per 4 KiB the first time it is written (15–19 µs on the test machine while a load keeps both
 * cores busy): the positions of a 500k-row load took 50–80 ms of the main thread in the
 * load's tasks, most of it that.
 */
export function reservePositions(rows: number): void {
  if (sparePositions && sparePositions.length >= rows * 2) return;
  const room = new Float64Array(rows * 2);
  touchPages(room);
  sparePositions = room;
}

/**
 * Places rows `from` … `count - 1` itself, in one tight loop, and tells virtual-core that they
 * are placed. Its own loop looks every row up in the measured-size cache (a Map) first, while
 * here no row was measured: placing the rows of a 500k-packet load took 147 ms of main-thread
 * time in its loop, 112 ms in this one (most of what is left is fresh memory for the keys).
 * Only when nothing else is pending; otherwise virtual-core places the rows as usual.
 */
function placeAppendedRows<S extends Element, I extends Element>(
  inner: VirtualizerInternals,
  options: Virtualizer<S, I>['options'],
  placed: { items: unknown[]; flat: Float64Array },
  from: number,
  count: number,
): void {
  const sizes = inner.itemSizeCache;
  if (!(sizes instanceof Map) || sizes.size !== 0 || inner.lanesSettling !== false || inner.lanesChangedFlag !== false) return;
  if (inner.pendingMin !== from || options.lanes !== 1) return;
  const { items, flat } = placed;
  const gap = options.gap;
  let start = flat[(from - 1) * 2]! + flat[(from - 1) * 2 + 1]! + gap;
  // Keyed by index: the key list only takes the new length.
  if (isIndexKeys(items)) items[KEYS_LENGTH] = count;
  else for (let i = from; i < count; i++) items[i] = options.getItemKey(i);
  for (let i = from; i < count; i++) {
    const size = options.estimateSize(i);
    flat[i * 2] = start;
    flat[i * 2 + 1] = size;
    start += size + gap;
  }
  inner.pendingMin = count;
}
