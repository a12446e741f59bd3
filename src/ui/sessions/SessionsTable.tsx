// The sessions grid: one row per TCP connection, sortable by every column, virtualized (only
// the rows on screen are in the DOM, so thousands of sessions stay fast), with a checkbox per
// row for host flows and a "Follow in list" button. Enter or a click opens the ladder.

import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, type CSSProperties, type KeyboardEvent, type MouseEvent } from 'react';
import type { TcpSession } from '../../analysis/sessions.ts';
import { COLUMNS, type ColumnId, type SortState } from './columns.ts';

export const ROW_H = 26;
const HEAD_H = 30;
const CHECK_W = 32;
const FOLLOW_W = 44;

export interface SessionsTableProps {
  sessions: readonly TcpSession[];
  /** All sessions, before the quick filter (for the row count). */
  total: number;
  sort: SortState | null;
  onSort(s: SortState | null): void;
  checked: ReadonlySet<number>;
  onCheck(streams: number[], on: boolean): void;
  active: number | null;
  onActive(stream: number): void;
  onOpen(stream: number): void;
  onFollow(stream: number): void;
  /** Stream the packet list is filtered to. */
  followed: number | null;
}

const TEMPLATE = `${CHECK_W}px ${COLUMNS.map((c) => `${c.width}px`).join(' ')} ${FOLLOW_W}px`;
const TOTAL_W = CHECK_W + COLUMNS.reduce((s, c) => s + c.width, 0) + FOLLOW_W;

export function SessionsTable(p: SessionsTableProps) {
  const { sessions, sort, onSort, checked, onCheck, active, onActive, onOpen, onFollow, followed } = p;
  const scrollRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({
    count: sessions.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    overscan: 12,
    scrollMargin: HEAD_H,
    initialRect: { width: 440, height: 600 },
  });
  const items = v.getVirtualItems();
  const activePos = active === null ? -1 : sessions.findIndex((s) => s.stream === active);

  // Keep the active row visible.
  useEffect(() => {
    const el = scrollRef.current;
    if (!el || activePos < 0) return;
    const top = activePos * ROW_H;
    const viewH = el.clientHeight - HEAD_H;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_H > el.scrollTop + viewH) el.scrollTop = top + ROW_H - viewH;
  }, [activePos]);

  const allChecked = sessions.length > 0 && sessions.every((s) => checked.has(s.stream));
  const someChecked = !allChecked && sessions.some((s) => checked.has(s.stream));

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target !== e.currentTarget || !sessions.length || e.altKey || e.ctrlKey || e.metaKey) return;
    const cur = activePos;
    let next: number | null = null;
    const page = Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? 300) - HEAD_H) / ROW_H) - 1);
    switch (e.key) {
      case 'ArrowDown':
        next = cur + 1;
        break;
      case 'ArrowUp':
        next = cur < 0 ? 0 : cur - 1;
        break;
      case 'PageDown':
        next = cur + page;
        break;
      case 'PageUp':
        next = cur - page;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = sessions.length - 1;
        break;
      case 'Enter':
        if (cur >= 0) {
          e.preventDefault();
          onOpen(sessions[cur]!.stream);
        }
        return;
      case ' ':
        if (cur >= 0) {
          e.preventDefault();
          const s = sessions[cur]!.stream;
          onCheck([s], !checked.has(s));
        }
        return;
      case 'f':
      case 'F':
        if (cur >= 0) {
          e.preventDefault();
          onFollow(sessions[cur]!.stream);
        }
        return;
      default:
        return;
    }
    e.preventDefault();
    onActive(sessions[Math.max(0, Math.min(sessions.length - 1, next))]!.stream);
  };

  const sortOf = (id: ColumnId): 'ascending' | 'descending' | 'none' => (sort?.column === id ? (sort.desc ? 'descending' : 'ascending') : 'none');
  const toggleSort = (id: ColumnId) => {
    if (sort?.column !== id) onSort({ column: id, desc: false });
    else if (!sort.desc) onSort({ column: id, desc: true });
    else onSort(null);
  };

  return (
    <div
      ref={gridRef}
      className="sess-grid"
      role="grid"
      aria-label="TCP sessions"
      aria-rowcount={sessions.length + 1}
      aria-colcount={COLUMNS.length + 2}
      aria-multiselectable="true"
      aria-keyshortcuts="Enter Space F"
      title="↑/↓ move · Enter opens the ladder · Space ticks · F follows the stream in the packet list"
      aria-activedescendant={activePos >= 0 && items.some((it) => it.index === activePos) ? `sess-row-${sessions[activePos]!.stream}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      style={{ '--sess-template': TEMPLATE, '--sess-width': `${TOTAL_W}px` } as CSSProperties}
    >
      <div className="sess-scroll" ref={scrollRef}>
        <div className="sess-row sess-head-row" role="row" aria-rowindex={1}>
          <div className="sess-th sess-sticky sess-check" role="columnheader" aria-colindex={1}>
            <input
              type="checkbox"
              aria-label="Select all sessions shown"
              checked={allChecked}
              ref={(el) => {
                if (el) el.indeterminate = someChecked;
              }}
              onChange={(e) =>
                onCheck(
                  sessions.map((s) => s.stream),
                  e.target.checked,
                )
              }
            />
          </div>
          {COLUMNS.map((c, i) => (
            <div key={c.id} className={`sess-th align-${c.align}${c.id === 'stream' ? ' sess-sticky sess-num' : ''}`} role="columnheader" aria-colindex={i + 2} aria-sort={sortOf(c.id)}>
              <button type="button" className="sess-sort" title={`${c.title} — sort`} onClick={() => toggleSort(c.id)}>
                <span className="sess-th-label">{c.label}</span>
                <SortIcon dir={sortOf(c.id)} />
              </button>
            </div>
          ))}
          <div className="sess-th" role="columnheader" aria-colindex={COLUMNS.length + 2}>
            <span className="visually-hidden">Actions</span>
          </div>
        </div>
        <div className="sess-canvas" role="rowgroup" style={{ height: v.getTotalSize() - HEAD_H }}>
          {items.map((it) => {
            const s = sessions[it.index]!;
            return (
              <SessionRow
                key={s.stream}
                s={s}
                pos={it.index}
                top={it.start - HEAD_H}
                checked={checked.has(s.stream)}
                active={it.index === activePos}
                followed={followed === s.stream}
                onCheck={onCheck}
                onOpen={(stream) => {
                  onActive(stream);
                  onOpen(stream);
                }}
                onFollow={onFollow}
              />
            );
          })}
        </div>
      </div>
      {sessions.length === 0 ? <p className="sess-empty">{p.total ? 'No session matches the filter.' : 'No TCP sessions in this capture.'}</p> : null}
    </div>
  );
}

interface RowProps {
  s: TcpSession;
  pos: number;
  top: number;
  checked: boolean;
  active: boolean;
  followed: boolean;
  onCheck(streams: number[], on: boolean): void;
  onOpen(stream: number): void;
  onFollow(stream: number): void;
}

const SessionRow = memo(function SessionRow({ s, pos, top, checked, active, followed, onCheck, onOpen, onFollow }: RowProps) {
  const onClick = (e: MouseEvent<HTMLDivElement>) => {
    const t = e.target as HTMLElement;
    if (t.closest('input, button, label')) return;
    onOpen(s.stream);
  };
  return (
    <div
      id={`sess-row-${s.stream}`}
      className={`sess-row${active ? ' is-active' : ''}${checked ? ' is-checked' : ''}`}
      role="row"
      aria-rowindex={pos + 2}
      aria-selected={checked}
      data-stream={s.stream}
      style={{ transform: `translateY(${top}px)` }}
      onClick={onClick}
      title={`Open the ladder of TCP stream ${s.stream}`}
    >
      <div className="sess-td sess-sticky sess-check" role="gridcell" aria-colindex={1}>
        <input type="checkbox" aria-label={`Select stream ${s.stream}`} checked={checked} onChange={(e) => onCheck([s.stream], e.target.checked)} tabIndex={-1} />
      </div>
      {COLUMNS.map((c, i) => {
        const text = c.text(s);
        return (
          <div
            key={c.id}
            className={`sess-td align-${c.align} col-${c.id}${c.id === 'stream' ? ' sess-sticky sess-num' : ''}`}
            role="gridcell"
            aria-colindex={i + 2}
            data-col={c.id}
            title={c.id === 'handshake' || c.id === 'app' || c.id === 'close' || c.id === 'client' || c.id === 'server' ? text : undefined}
          >
            {c.id === 'handshake' ? <span className={`sess-dot hs-${s.handshake}`} aria-hidden="true" /> : null}
            {c.id === 'close' ? <span className={`sess-dot cl-${s.close}`} aria-hidden="true" /> : null}
            {text}
          </div>
        );
      })}
      <div className="sess-td sess-follow-cell" role="gridcell" aria-colindex={COLUMNS.length + 2}>
        <button
          type="button"
          className={`btn-icon${followed ? ' is-on' : ''}`}
          tabIndex={-1}
          aria-label={`Follow stream ${s.stream} in the packet list`}
          aria-pressed={followed}
          title={followed ? 'The packet list shows this stream only' : 'Follow in list: show only this stream in the packet list'}
          onClick={() => onFollow(s.stream)}
        >
          <svg width="14" height="14" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" aria-hidden="true">
            <path d="M2 3.5h12M4.5 8h7M7 12.5h2" />
          </svg>
        </button>
      </div>
    </div>
  );
});

function SortIcon({ dir }: { dir: 'ascending' | 'descending' | 'none' }) {
  if (dir === 'none') return <span className="sort-icon" aria-hidden="true" />;
  return (
    <svg className="sort-icon is-on" viewBox="0 0 10 10" width="10" height="10" aria-hidden="true">
      {dir === 'ascending' ? <path d="M5 2 9 7H1z" fill="currentColor" /> : <path d="M5 8 1 3h8z" fill="currentColor" />}
    </svg>
  );
}
