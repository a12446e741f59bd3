// react-virtual recomputes the position of EVERY row whenever the row count changes: while a
// 500k-packet capture loads, each progress update cost the main thread 40–80 ms (and a 4M-packet
// file much more). Rows here all have the same height and are keyed by index, so the positions
// of rows already placed never change when rows are appended: we tell the virtualizer to keep
// them and place only the new rows.
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
  _singleLaneMeasurements?: { items: unknown[] } | null;
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
  if (inner._singleLaneMeasurements?.items.length !== prev) return; // not placed for `prev` rows
  inner.getMeasurementOptions(); // takes in the new count now, so that it does not reset pendingMin later
  inner.pendingMin = inner.pendingMin == null ? prev : Math.min(inner.pendingMin, prev);
}
