// Hex + ASCII view of a packet's byte sources ("Frame", reassembled PDUs): 16 bytes a row,
// virtualized (reassembled buffers can be large). The selected field's bytes are highlighted
// and scrolled into view; clicking a byte picks the smallest field covering it.

import { memo, useEffect, useLayoutEffect, useRef, type KeyboardEvent, type MouseEvent as ReactMouseEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { asciiChar, HEX, hexOffset } from '../lib/format.ts';

export interface ByteRange {
  source: number;
  start: number;
  length: number;
}

export interface BytesPaneProps {
  sources: readonly { name: string; data: Uint8Array }[];
  source: number;
  onSource(i: number): void;
  highlight: ByteRange | null;
  onPick(source: number, offset: number): void;
}

const ROW = 18;
const PER_ROW = 16;

export const BytesPane = memo(function BytesPane({ sources, source, onSource, highlight, onPick }: BytesPaneProps) {
  const src = sources[source] ?? sources[0];
  const data = src?.data ?? new Uint8Array(0);
  const rows = Math.ceil(data.length / PER_ROW);
  const width = Math.max(4, data.length.toString(16).length);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    overscan: 10,
    initialRect: { width: 600, height: 300 },
  });

  const hl = highlight && highlight.source === source && highlight.length > 0 ? highlight : null;
  const hlStart = hl ? hl.start : -1;
  const hlEnd = hl ? hl.start + hl.length : -1;

  useLayoutEffect(() => {
    if (!hl) return;
    virtualizer.scrollToIndex(Math.floor(hl.start / PER_ROW), { align: 'auto' });
    // Also bring the end into view when the range fits.
    const endRow = Math.floor((hl.start + hl.length - 1) / PER_ROW);
    const el = scrollRef.current;
    if (el && (endRow - Math.floor(hl.start / PER_ROW) + 1) * ROW < el.clientHeight) virtualizer.scrollToIndex(endRow, { align: 'auto' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [hlStart, hlEnd, source]);

  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [sources]);

  const pick = (e: ReactMouseEvent) => {
    const t = (e.target as HTMLElement).closest<HTMLElement>('[data-off]');
    if (!t || e.button !== 0) return;
    onPick(source, Number(t.dataset.off));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (data.length === 0) return;
    const cur = hl ? hl.start : -1;
    let next: number;
    switch (e.key) {
      case 'ArrowRight':
        next = hl ? hlEnd : 0;
        break;
      case 'ArrowLeft':
        next = cur - 1;
        break;
      case 'ArrowDown':
        next = cur < 0 ? 0 : cur + PER_ROW;
        break;
      case 'ArrowUp':
        next = cur - PER_ROW;
        break;
      default:
        return;
    }
    e.preventDefault();
    onPick(source, Math.max(0, Math.min(data.length - 1, next)));
  };

  return (
    <div className="bytes">
      {sources.length > 1 ? (
        <div className="bytes-tabs" role="tablist" aria-label="Byte sources">
          {sources.map((s, i) => (
            <button
              key={i}
              type="button"
              role="tab"
              id={`bytes-tab-${i}`}
              aria-selected={i === source}
              aria-controls="bytes-panel"
              tabIndex={i === source ? 0 : -1}
              className={`bytes-tab${i === source ? ' is-active' : ''}`}
              onClick={() => onSource(i)}
              onKeyDown={(e) => {
                if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                  e.preventDefault();
                  const n = (i + (e.key === 'ArrowRight' ? 1 : sources.length - 1)) % sources.length;
                  onSource(n);
                  (e.currentTarget.parentElement?.children[n] as HTMLElement | undefined)?.focus();
                }
              }}
            >
              {s.name} <span className="muted">({s.data.length} bytes)</span>
            </button>
          ))}
        </div>
      ) : null}
      <div
        id="bytes-panel"
        className="bytes-scroll"
        ref={scrollRef}
        role={sources.length > 1 ? 'tabpanel' : 'region'}
        aria-labelledby={sources.length > 1 ? `bytes-tab-${source}` : undefined}
        aria-label={sources.length > 1 ? undefined : `${src?.name ?? 'Frame'} bytes`}
        tabIndex={0}
        onMouseDown={pick}
        onKeyDown={onKeyDown}
      >
        <div className="bytes-canvas" style={{ height: virtualizer.getTotalSize(), ['--off-ch' as string]: width }}>
          {virtualizer.getVirtualItems().map((vi) => {
            const base = vi.index * PER_ROW;
            const hex = [];
            const ascii = [];
            for (let k = 0; k < PER_ROW; k++) {
              const off = base + k;
              if (off >= data.length) break;
              const b = data[off]!;
              const on = off >= hlStart && off < hlEnd;
              const edge = on ? `${off === hlStart || k === 0 ? ' hl-first' : ''}${off === hlEnd - 1 || k === PER_ROW - 1 ? ' hl-last' : ''}` : '';
              hex.push(
                <span key={k} data-off={off} className={`hb${on ? ' hl' + edge : ''}${k === 8 ? ' gap' : ''}`}>
                  {HEX[b]}
                </span>,
              );
              ascii.push(
                <span key={k} data-off={off} className={`ab${on ? ' hl' + edge : ''}${b < 0x20 || b >= 0x7f ? ' np' : ''}`}>
                  {asciiChar(b)}
                </span>,
              );
            }
            return (
              <div key={vi.index} className="bytes-row" style={{ transform: `translateY(${vi.start}px)` }}>
                <span className="boff">{hexOffset(base, width)}</span>
                <span className="bhex">{hex}</span>
                <span className="basc">{ascii}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
});
