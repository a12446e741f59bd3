// A cache of packet-list rows by fixed-size blocks of row positions. The list asks for the
// visible range (plus overscan); missing or stale blocks are fetched from the worker. Stale
// blocks stay displayed until their replacement arrives, so sorting or a new time format never
// flashes an empty list.

import type { RowData } from '../worker/protocol.ts';

export const BLOCK = 128;
const MAX_BLOCKS = 256;

export type FetchRows = (start: number, count: number) => Promise<{ rows: RowData[]; total: number } | null>;

interface Block {
  rows: RowData[];
  gen: number;
  /** The view's row count when fetched. */
  total: number;
}

export class RowCache {
  private blocks = new Map<number, Block>();
  /** Block → generation it was requested for. */
  private inflight = new Map<number, number>();
  private listeners = new Set<() => void>();
  private gen = 0;
  private _total = 0;
  private _version = 0;
  private lastRange: [number, number] = [0, -1];
  /**
   * The order of rows depends on the packet count (a sorted or filtered view while loading):
   * every block fetched at another total is stale.
   */
  liveOrder = false;
  /** Called with the view's total whenever a rows answer brings a new one. */
  onTotal: ((total: number) => void) | null = null;

  constructor(private readonly fetch: FetchRows) {}

  get total(): number {
    return this._total;
  }

  get version(): number {
    return this._version;
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getVersion = (): number => this._version;

  private emit(): void {
    this._version++;
    for (const fn of [...this.listeners]) fn();
  }

  setTotal(total: number): void {
    if (total === this._total) return;
    this._total = total;
    this.emit();
    this.ensure(this.lastRange[0], this.lastRange[1]);
  }

  /** The view changed (sort, time format, filter) or new data must be shown: refetch, keep showing the old rows meanwhile. */
  invalidate(): void {
    this.gen++;
    this.inflight.clear();
    this.emit();
    this.ensure(this.lastRange[0], this.lastRange[1]);
  }

  /** Drops everything (a new file). */
  clear(): void {
    this.gen++;
    this.blocks.clear();
    this.inflight.clear();
    this._total = 0;
    this.lastRange = [0, -1];
    this.emit();
  }

  get(pos: number): RowData | undefined {
    const b = this.blocks.get(Math.floor(pos / BLOCK));
    return b?.rows[pos % BLOCK];
  }

  /** The row at `pos` only when it belongs to the current view (not a stale row kept for display). */
  getCurrent(pos: number): RowData | undefined {
    const b = this.blocks.get(Math.floor(pos / BLOCK));
    return b && b.gen === this.gen ? b.rows[pos % BLOCK] : undefined;
  }

  /** True while some of rows [first, last] are missing or from a previous view. */
  pending(first: number, last: number): boolean {
    if (this._total === 0 || last < first) return false;
    const lo = Math.max(0, Math.floor(first / BLOCK));
    const hi = Math.min(Math.floor((this._total - 1) / BLOCK), Math.floor(last / BLOCK));
    for (let bi = lo; bi <= hi; bi++) {
      const b = this.blocks.get(bi);
      if (!b || b.gen !== this.gen) return true;
    }
    return false;
  }

  private fresh(bi: number, b: Block): boolean {
    if (b.gen !== this.gen) return false;
    if (this.liveOrder && b.total !== this._total) return false;
    // A partial block (the end of the list while loading) is stale once more rows exist.
    if (b.rows.length < BLOCK && bi * BLOCK + b.rows.length < this._total) return false;
    return true;
  }

  /** Makes sure rows [first, last] are (being) loaded. */
  ensure(first: number, last: number): void {
    this.lastRange = [first, last];
    if (this._total === 0 || last < first) return;
    const lo = Math.max(0, Math.floor(first / BLOCK));
    const hi = Math.min(Math.floor((this._total - 1) / BLOCK), Math.floor(last / BLOCK));
    for (let bi = lo; bi <= hi; bi++) {
      const b = this.blocks.get(bi);
      if (b && this.fresh(bi, b)) continue;
      if (this.inflight.get(bi) === this.gen) continue;
      this.request(bi);
    }
    this.evict(lo, hi);
  }

  private request(bi: number): void {
    const gen = this.gen;
    this.inflight.set(bi, gen);
    void this.fetch(bi * BLOCK, BLOCK).then((r) => {
      if (this.inflight.get(bi) === gen) this.inflight.delete(bi);
      if (!r || gen !== this.gen) return;
      this.blocks.set(bi, { rows: r.rows, gen, total: r.total });
      if (r.total !== this._total) {
        this._total = r.total;
        this.onTotal?.(r.total);
      }
      this.emit();
    });
  }

  private evict(lo: number, hi: number): void {
    if (this.blocks.size <= MAX_BLOCKS) return;
    const far = [...this.blocks.keys()].sort((a, b) => dist(b, lo, hi) - dist(a, lo, hi));
    for (const bi of far.slice(0, this.blocks.size - MAX_BLOCKS)) this.blocks.delete(bi);
  }
}

function dist(bi: number, lo: number, hi: number): number {
  return bi < lo ? lo - bi : bi > hi ? bi - hi : 0;
}
