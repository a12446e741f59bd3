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
// list be extended in place and grows the positions array by doubling ahead of time: a count
// change then costs only the appended rows.
//
// This reaches into @tanstack/virtual-core's internals (version pinned in package-lock.json);
// virtual-growth.test.ts fails if an upgrade renames them, and then nothing worse than the old
// full recomputation happens (every access below is guarded).

import type { Virtualizer } from '@tanstack/react-virtual';

interface VirtualizerInternals {
  /** Memo of the options the measurements depend on; resets pendingMin when the count changes. */
  getMeasurementOptions?: () => unknown;
  /** First index whose measurement must be recomputed (null = all). */
  pendingMin?: number | null;
  /** Row keys (or the row objects made from them) and [start, size] pairs, per row. */
  _singleLaneMeasurements?: { items: unknown[]; flat: Float64Array } | null;
}

/** `slice()` for the key list: the list itself (extended in place by the next placement); a real copy for any other slice. */
function sameList(this: unknown[], start?: number, end?: number): unknown[] {
  return start === undefined && end === undefined ? this : Array.prototype.slice.call(this, start, end);
}

/**
 * Call right after useVirtualizer() and before getVirtualItems(), every render. `placed` holds
 * the count the virtualizer last placed rows for (a ref, updated here).
 */
export function keepMeasurementsOnGrowth<S extends Element, I extends Element>(
  virtualizer: Virtualizer<S, I>,
  count: number,
  placed: { current: number },
): void {
  const prev = placed.current;
  placed.current = count;
  if (prev <= 0 || count <= prev) return;
  const inner = virtualizer as unknown as VirtualizerInternals;
  if (typeof inner.getMeasurementOptions !== 'function' || !('pendingMin' in inner)) return;
  const placedRows = inner._singleLaneMeasurements;
  if (!placedRows || placedRows.items.length !== prev || !(placedRows.flat instanceof Float64Array)) return; // not placed for `prev` rows
  inner.getMeasurementOptions(); // takes in the new count now, so that it does not reset pendingMin later
  inner.pendingMin = inner.pendingMin == null ? prev : Math.min(inner.pendingMin, prev);
  // No copies (see above): rows below `prev` keep their keys and positions.
  if (!Object.prototype.hasOwnProperty.call(placedRows.items, 'slice')) {
    Object.defineProperty(placedRows.items, 'slice', { value: sameList, configurable: true });
  }
  if (placedRows.flat.length < count * 2) {
    const flat = new Float64Array(Math.max(count * 2, placedRows.flat.length * 2));
    flat.set(placedRows.flat.subarray(0, prev * 2));
    placedRows.flat = flat;
  }
}
