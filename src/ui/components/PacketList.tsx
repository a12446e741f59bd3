// The packet list: a virtualized ARIA grid. react-table owns the column definitions, header
// rendering, column sizing/resizing and the sort state, and only ever sees the rows on screen;
// the worker sorts, and @tanstack/react-virtual decides which positions are on screen.

import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type CSSProperties, type KeyboardEvent } from 'react';
import {
  columnResizingFeature,
  columnSizingFeature,
  createColumnHelper,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnSizingState,
  type SortingState,
  type Updater,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { RowCache } from '../row-cache.ts';
import type { RowData } from '../../worker/protocol.ts';
import { isNumberRecord, loadSetting, saveSetting } from '../lib/storage.ts';
import { keepMeasurementsOnGrowth } from '../lib/virtual-growth.ts';

export const ROW_HEIGHT = 22;
const OVERSCAN = 10;

const features = tableFeatures({ rowSortingFeature, columnSizingFeature, columnResizingFeature });

/** One on-screen row: its position in the view and its data once fetched. */
interface WindowRow {
  pos: number;
  row: RowData | undefined;
}

const helper = createColumnHelper<typeof features, WindowRow>();

const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));

const columns = helper.columns([
  helper.accessor((r) => r.row?.num, { id: 'num', header: 'No.', size: 72, minSize: 44, maxSize: 200, sortDescFirst: true, cell: (c) => text(c.getValue()) }),
  helper.accessor((r) => r.row?.time, { id: 'time', header: 'Time', size: 112, minSize: 60, maxSize: 400, cell: (c) => text(c.getValue()) }),
  helper.accessor((r) => r.row?.source, { id: 'source', header: 'Source', size: 170, minSize: 60, maxSize: 600, cell: (c) => text(c.getValue()) }),
  helper.accessor((r) => r.row?.destination, { id: 'destination', header: 'Destination', size: 170, minSize: 60, maxSize: 600, cell: (c) => text(c.getValue()) }),
  helper.accessor((r) => r.row?.protocol, { id: 'protocol', header: 'Protocol', size: 98, minSize: 50, maxSize: 300, cell: (c) => text(c.getValue()) }),
  helper.accessor((r) => r.row?.length, { id: 'length', header: 'Length', size: 82, minSize: 44, maxSize: 200, sortDescFirst: true, cell: (c) => text(c.getValue()) }),
  helper.accessor((r) => r.row?.info, { id: 'info', header: 'Info', size: 480, minSize: 120, maxSize: 4000, cell: (c) => text(c.getValue()) }),
]);

export const COLUMN_IDS = ['num', 'time', 'source', 'destination', 'protocol', 'length', 'info'] as const;

const ALIGN: Record<string, 'start' | 'end'> = { num: 'end', time: 'end', length: 'end' };

export interface PacketListProps {
  cache: RowCache;
  total: number;
  /** Selected row position in the view. */
  selected: number | null;
  /** Store index of the selected packet (highlights it even while positions are being remapped). */
  selectedIndex: number | null;
  onSelect(pos: number): void;
  sorting: SortingState;
  onSortingChange(s: SortingState): void;
  colorize: boolean;
  /** Increments to request a scroll of the selection into view (e.g. after "Go to packet"). */
  revealSeq: number;
  /** Increments to move keyboard focus to the list. */
  focusSeq: number;
  busy: boolean;
  /** Rows the list is expected to reach while a capture loads (0 when unknown; see expectedRows). */
  expectedTotal?: number;
}

const loadSizing = () => loadSetting<ColumnSizingState>('columns', {}, isNumberRecord);

export const PacketList = memo(function PacketList(props: PacketListProps) {
  const { cache, total, selected, selectedIndex, onSelect, sorting, onSortingChange, colorize, revealSeq, focusSeq, busy, expectedTotal = 0 } = props;
  const version = useSyncExternalStore(cache.subscribe, cache.getVersion);
  const scrollRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const [columnSizing, setColumnSizing] = useState<ColumnSizingState>(loadSizing);
  const measuredCount = useRef(0);

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    initialRect: { width: 1200, height: 600 },
  });
  keepMeasurementsOnGrowth(virtualizer, total, measuredCount, expectedTotal);
  const items = virtualizer.getVirtualItems();
  const first = items.length ? items[0]!.index : 0;
  const last = items.length ? items[items.length - 1]!.index : -1;

  useEffect(() => {
    cache.ensure(first, last);
  }, [cache, first, last, total, version]);

  // eslint-disable-next-line react-hooks/exhaustive-deps
  const data = useMemo<WindowRow[]>(() => items.map((it) => ({ pos: it.index, row: cache.get(it.index) })), [first, last, version, total]);

  const onSorting = useCallback(
    (u: Updater<SortingState>) => onSortingChange(typeof u === 'function' ? u(sorting) : u),
    [onSortingChange, sorting],
  );

  const table = useTable({
    features,
    columns,
    data,
    getRowId: (r: WindowRow) => String(r.pos),
    state: { sorting, columnSizing },
    onSortingChange: onSorting,
    onColumnSizingChange: setColumnSizing,
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: true,
    columnResizeMode: 'onChange',
  });

  const resizing = table.state.columnResizing.isResizingColumn;
  useEffect(() => {
    if (!resizing) saveSetting('columns', columnSizing);
  }, [columnSizing, resizing]);

  const headers = table.getHeaderGroups()[0]!.headers;
  const widths: Record<string, number> = {};
  let totalWidth = 0;
  for (const h of headers) {
    widths[h.id] = h.getSize();
    totalWidth += widths[h.id]!;
  }
  const cssVars = {} as Record<string, string>;
  for (const id of COLUMN_IDS) cssVars[`--w-${id}`] = `${widths[id] ?? 100}px`;
  cssVars['--w-total'] = `${totalWidth}px`;

  // Keep the selection visible.
  const lastReveal = useRef({ selected: null as number | null, seq: -1 });
  useLayoutEffect(() => {
    if (selected === null || selected >= total) return;
    if (lastReveal.current.selected === selected && lastReveal.current.seq === revealSeq) return;
    lastReveal.current = { selected, seq: revealSeq };
    // Fixed row height: scroll just enough to show the row (no measuring loop).
    const el = scrollRef.current;
    if (!el) return;
    const top = selected * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = top + ROW_HEIGHT - el.clientHeight;
  }, [selected, revealSeq, total]);

  useEffect(() => {
    if (focusSeq > 0) gridRef.current?.focus({ preventScroll: true });
  }, [focusSeq]);

  const onScroll = useCallback(() => {
    const s = scrollRef.current;
    if (s && headRef.current) headRef.current.style.transform = `translateX(${-s.scrollLeft}px)`;
  }, []);

  const pageRows = () => Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (total === 0 || e.altKey || e.ctrlKey || e.metaKey) return;
    const cur = selected ?? -1;
    let next: number | null = null;
    switch (e.key) {
      case 'ArrowDown':
        next = cur + 1;
        break;
      case 'ArrowUp':
        next = cur < 0 ? 0 : cur - 1;
        break;
      case 'PageDown':
        next = cur + pageRows();
        break;
      case 'PageUp':
        next = cur - pageRows();
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = total - 1;
        break;
      default:
        return;
    }
    e.preventDefault();
    onSelect(Math.max(0, Math.min(total - 1, next)));
  };

  const rows = table.getRowModel().rows;
  const sortOf = (id: string): 'ascending' | 'descending' | 'none' => {
    const s = sorting.find((x) => x.id === id);
    return s ? (s.desc ? 'descending' : 'ascending') : 'none';
  };
  const pending = cache.pending(first, last);
  const pick = useCallback(
    (pos: number) => {
      onSelect(pos);
      gridRef.current?.focus({ preventScroll: true });
    },
    [onSelect],
  );
  const activeId = selected !== null && selected >= first && selected <= last ? `pkt-row-${selected}` : undefined;

  return (
    <div
      ref={gridRef}
      className={`plist${colorize ? ' colorize' : ''}${resizing ? ' is-resizing' : ''}`}
      role="grid"
      aria-label="Packets"
      aria-rowcount={total + 1}
      aria-colcount={COLUMN_IDS.length}
      aria-multiselectable={false}
      aria-busy={busy || pending || undefined}
      aria-activedescendant={activeId}
      tabIndex={0}
      onKeyDown={onKeyDown}
      style={cssVars as CSSProperties}
    >
      <div className="plist-head" role="rowgroup">
        <div className="plist-row plist-head-row" role="row" aria-rowindex={1} ref={headRef}>
          {headers.map((h, ci) => {
            const sort = sortOf(h.id);
            const align = ALIGN[h.id] ?? 'start';
            return (
              <div key={h.id} role="columnheader" aria-colindex={ci + 1} aria-sort={sort} className={`plist-th col-${h.id} align-${align}`}>
                <button
                  type="button"
                  className="plist-sort"
                  onClick={h.column.getToggleSortingHandler()}
                  title={`Sort by ${String(h.column.columnDef.header)}`}
                >
                  <span className="plist-th-label">
                    <table.FlexRender header={h} />
                  </span>
                  <SortIcon dir={sort} />
                </button>
                <ColumnResizer
                  label={`Resize column ${String(h.column.columnDef.header)}`}
                  size={h.getSize()}
                  min={h.column.columnDef.minSize ?? 40}
                  max={h.column.columnDef.maxSize ?? 2000}
                  active={h.column.getIsResizing()}
                  onStart={h.getResizeHandler()}
                  onStep={(d) => setColumnSizing((s) => ({ ...s, [h.id]: clamp(h.getSize() + d, h.column.columnDef.minSize ?? 40, h.column.columnDef.maxSize ?? 2000) }))}
                  onReset={() => setColumnSizing((s) => {
                    const { [h.id]: _drop, ...rest } = s;
                    void _drop;
                    return rest;
                  })}
                />
              </div>
            );
          })}
        </div>
      </div>
      {pending ? <div className="plist-updating" aria-hidden="true" /> : null}
      <div className="plist-scroll" ref={scrollRef} onScroll={onScroll} role="rowgroup">
        <div className="plist-canvas" style={{ height: virtualizer.getTotalSize() }}>
          {rows.map((r, i) => {
            const it = items[i];
            if (!it) return null;
            const d = r.original.row;
            const pos = r.original.pos;
            const isSel = d && selectedIndex !== null ? d.index === selectedIndex : pos === selected;
            return <PacketRow key={pos} row={r} data={d} pos={pos} top={it.start} selected={isSel} onPick={pick} Flex={table.FlexRender} />;
          })}
        </div>
      </div>
    </div>
  );
});

type TableRow = ReturnType<ReturnType<typeof useTable<typeof features, WindowRow>>['getRowModel']>['rows'][number];
type Flex = ReturnType<typeof useTable<typeof features, WindowRow>>['FlexRender'];

interface PacketRowProps {
  row: TableRow;
  data: RowData | undefined;
  pos: number;
  top: number;
  selected: boolean;
  onPick(pos: number): void;
  Flex: Flex;
}

/**
 * One row. Memoised on its data object (stable while its block is cached), position and
 * selection, so moving the selection or fetching another block re-renders only what changed.
 */
const PacketRow = memo(
  function PacketRow({ row, data, pos, top, selected, onPick, Flex }: PacketRowProps) {
    return (
      <div
        id={`pkt-row-${pos}`}
        role="row"
        aria-rowindex={pos + 2}
        aria-selected={selected}
        data-pos={pos}
        data-num={data?.num}
        className={`plist-row${data ? ` c-${data.color}` : ' is-pending'}${selected ? ' is-selected' : ''}${data && data.flags & 3 ? ' is-malformed' : ''}`}
        style={{ transform: `translateY(${top}px)` }}
        onMouseDown={(e) => {
          if (e.button !== 0) return;
          e.preventDefault();
          onPick(pos);
        }}
      >
        {row.getAllCells().map((cell, ci) => (
          <div
            key={cell.column.id}
            role="gridcell"
            aria-colindex={ci + 1}
            className={`plist-td col-${cell.column.id} align-${ALIGN[cell.column.id] ?? 'start'}`}
            title={data && (cell.column.id === 'info' || cell.column.id === 'source' || cell.column.id === 'destination') ? text(cell.getValue()) : undefined}
          >
            {data ? <Flex cell={cell} /> : null}
          </div>
        ))}
      </div>
    );
  },
  (a, b) => a.data === b.data && a.pos === b.pos && a.top === b.top && a.selected === b.selected && a.onPick === b.onPick,
);

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}

function SortIcon({ dir }: { dir: 'ascending' | 'descending' | 'none' }) {
  if (dir === 'none') return <span className="sort-icon" aria-hidden="true" />;
  return (
    <svg className="sort-icon is-on" viewBox="0 0 10 10" width="10" height="10" aria-hidden="true">
      {dir === 'ascending' ? <path d="M5 2 9 7H1z" fill="currentColor" /> : <path d="M5 8 1 3h8z" fill="currentColor" />}
    </svg>
  );
}

interface ResizerProps {
  label: string;
  size: number;
  min: number;
  max: number;
  active: boolean;
  onStart: (e: unknown) => void;
  onStep: (delta: number) => void;
  onReset: () => void;
}

/** A drag handle (react-table's resize handler) that is also keyboard operable (←/→). */
function ColumnResizer({ label, size, min, max, active, onStart, onStep, onReset }: ResizerProps) {
  return (
    <div
      className={`col-resizer${active ? ' is-active' : ''}`}
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuenow={Math.round(size)}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      onMouseDown={(e) => {
        e.stopPropagation();
        onStart(e);
      }}
      onTouchStart={(e) => {
        e.stopPropagation();
        onStart(e);
      }}
      onDoubleClick={onReset}
      onClick={(e) => e.stopPropagation()}
      onKeyDown={(e) => {
        if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
          e.preventDefault();
          e.stopPropagation();
          onStep((e.key === 'ArrowLeft' ? -1 : 1) * (e.shiftKey ? 40 : 10));
        }
      }}
    />
  );
}
