// The page layout: toolbar, banners, the work area (packet list on top, details and bytes
// below, with splitters) and the status bar, plus an optional right-hand side panel (TCP
// sessions, ladder diagram …) in its own grid column. Pane sizes are remembered.
//
//   <Layout toolbar={…} list={…} details={…} bytes={…} status={…}
//           side={<MyPanel/>} sideLabel="TCP sessions" />
//
// `side` null/undefined hides the right column entirely.

import { useCallback, useLayoutEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import { isNumber, loadSetting, saveSetting } from '../lib/storage.ts';
import { Splitter } from './Splitter.tsx';

export interface LayoutProps {
  toolbar: ReactNode;
  banners?: ReactNode;
  /** Shown instead of list/details/bytes (the empty state). */
  placeholder?: ReactNode;
  list: ReactNode;
  details: ReactNode;
  bytes: ReactNode;
  status: ReactNode;
  /** Right-hand side panel; hidden when null/undefined. */
  side?: ReactNode;
  /** Accessible name of the side panel region. */
  sideLabel?: string;
}

export interface LayoutSizes {
  /** Packet list height, px. */
  list: number;
  /** Details pane width, px (bytes take the rest). */
  details: number;
  /** Side panel width, px. */
  side: number;
}

const DEFAULTS: LayoutSizes = { list: 0, details: 0, side: 440 };
const SPLIT = 6;

function loadSizes(): LayoutSizes {
  const v = loadSetting<Partial<LayoutSizes>>('layout', {}, (x): x is Partial<LayoutSizes> => typeof x === 'object' && x !== null);
  return {
    list: isNumber(v.list) ? v.list : DEFAULTS.list,
    details: isNumber(v.details) ? v.details : DEFAULTS.details,
    side: isNumber(v.side) ? v.side : DEFAULTS.side,
  };
}

export function Layout({ toolbar, banners, placeholder, list, details, bytes, status, side, sideLabel = 'Side panel' }: LayoutProps) {
  const [sizes, setSizes] = useState<LayoutSizes>(loadSizes);
  const workRef = useRef<HTMLDivElement>(null);
  const [box, setBox] = useState({ w: 1200, h: 700 });
  const hasSide = side !== null && side !== undefined;

  useLayoutEffect(() => {
    const el = workRef.current;
    if (!el) return;
    const measure = () => setBox({ w: el.clientWidth, h: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const update = useCallback((patch: Partial<LayoutSizes>) => {
    setSizes((s) => {
      const next = { ...s, ...patch };
      saveSetting('layout', next);
      return next;
    });
  }, []);

  // Effective sizes (0 = default proportion), clamped to the space available.
  const sideMax = Math.max(260, box.w - 480);
  const sideW = hasSide ? Math.min(Math.max(260, sizes.side), sideMax) : 0;
  const mainW = box.w - (hasSide ? sideW + SPLIT : 0);
  const listMax = Math.max(120, box.h - 140);
  const listH = Math.min(Math.max(100, sizes.list || Math.round(box.h * 0.56)), listMax);
  const detMax = Math.max(240, mainW - 300);
  const detW = Math.min(Math.max(240, sizes.details || Math.round(mainW * 0.54)), detMax);

  const style = {
    '--side-w': `${sideW}px`,
    '--list-h': `${listH}px`,
    '--details-w': `${detW}px`,
  } as CSSProperties;

  return (
    <div className={`app${hasSide ? ' has-side' : ''}`} style={style}>
      <header className="app-toolbar">{toolbar}</header>
      <div className="app-banners">{banners}</div>
      <div className="app-work" ref={workRef}>
        <main className="app-main" aria-label="Capture">
          {placeholder}
          {/* Mounted (hidden) before a capture is open: the packet list's first render then happens
              while the page is idle, not while the decoder starts on a large file. */}
          <div className="panes" hidden={placeholder != null}>
            <section className="pane pane-list" aria-label="Packet list">
              {list}
            </section>
            <Splitter orientation="horizontal" label="Resize packet list" size={listH} min={100} max={listMax} onResize={(px) => update({ list: px })} onReset={() => update({ list: 0 })} />
            <div className="panes-lower">
              <section className="pane pane-details" aria-label="Packet details">
                {details}
              </section>
              <Splitter orientation="vertical" label="Resize details and bytes" size={detW} min={240} max={detMax} onResize={(px) => update({ details: px })} onReset={() => update({ details: 0 })} />
              <section className="pane pane-bytes" aria-label="Packet bytes">
                {bytes}
              </section>
            </div>
          </div>
        </main>
        {hasSide ? (
          <>
            <Splitter orientation="vertical" label={`Resize ${sideLabel}`} size={sideW} min={260} max={sideMax} after onResize={(px) => update({ side: px })} onReset={() => update({ side: DEFAULTS.side })} />
            <aside className="app-side" aria-label={sideLabel}>
              {side}
            </aside>
          </>
        ) : null}
      </div>
      <div className="app-status">{status}</div>
    </div>
  );
}
