// The ladder (sequence) diagram of a TCP session or a host flow. React owns the container,
// toolbar, tooltip and dialogs; D3 draws into the SVG, and only the rows in view (a 10,000-
// packet session stays a few dozen SVG groups). Arrows are focusable buttons named by the
// model's ariaLabel; clicking one selects its packet, and selecting a packet elsewhere
// highlights its arrow.

import '@fontsource/jetbrains-mono/latin-400.css';
import '@fontsource/jetbrains-mono/latin-700.css';
import './ladder.css';
import * as d3 from 'd3';
import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent as RPointerEvent, type ReactNode } from 'react';
import { collapseRuns, type LadderModel } from '../../analysis/ladder.ts';
import { toMermaid } from '../../analysis/mermaid.ts';
import type { CaptureApi } from '../extension.ts';
import { formatBytes, formatCount } from '../lib/format.ts';
import { isBoolean, loadSetting, saveSetting } from '../lib/storage.ts';
import { download, exportPngFiles, exportSvgFile, type ExportResult } from './export.ts';
import { anchoredRow, clampZoom, layoutLadder, stepZoom, visibleRange, ZOOM_MAX, ZOOM_MIN, type LadderLayout } from './layout.ts';
import { ladderCss, LEGEND, LIGHT, PHASE_LEGEND, paletteOf, type PaletteName } from './palette.ts';
import { drawHeader, drawLegend, drawLifelines, drawPhases, drawRows, endpointIndex, kindsIn } from './render.ts';
import { tooltipFor, type TooltipContent } from './tooltip.ts';

export interface LadderViewProps {
  model: LadderModel;
  api: CaptureApi;
  /** performance.now() when the model was asked for (the first paint reports the time since). */
  requestedAt?: number;
  /** performance.now() when the model arrived from the worker. */
  receivedAt?: number;
}

const MIN_RUN = 12;
const SCOPE = '.ladder-root';

function currentTheme(): PaletteName {
  return typeof document !== 'undefined' && document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

function useThemeName(): PaletteName {
  const [t, setT] = useState<PaletteName>(currentTheme);
  useEffect(() => {
    const mo = new MutationObserver(() => setT(currentTheme()));
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => mo.disconnect();
  }, []);
  return t;
}

interface Anchor {
  /** An arrow position to keep in place, and where it was on screen (px from the viewport top). */
  pos: number;
  screenY: number;
}

interface Tip {
  row: number;
  x: number;
  y: number;
  /** Above the anchor point instead of below. */
  above: boolean;
}

export function LadderView({ model, api, requestedAt, receivedAt }: LadderViewProps) {
  const theme = useThemeName();
  const palette = paletteOf(theme);
  const [zoom, setZoom] = useState(1);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(() => new Set());
  const [width, setWidth] = useState(600);
  const [tip, setTip] = useState<Tip | null>(null);
  const [status, setStatus] = useState<{ text: string; kind: 'info' | 'error' } | null>(null);
  const [busy, setBusy] = useState<'png' | 'svg' | null>(null);
  const [themeBg, setThemeBg] = useState(() => loadSetting('ladderExportThemeBg', false, isBoolean));
  const [mermaid, setMermaid] = useState<string | null>(null);
  const [showLegend, setShowLegend] = useState(() => loadSetting('ladderLegend', true, isBoolean));
  const tipId = useId();

  const rootRef = useRef<HTMLDivElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<SVGSVGElement>(null);
  const bodyRef = useRef<SVGSVGElement>(null);
  const legendRef = useRef<SVGSVGElement>(null);
  const apiRef = useRef(api);
  apiRef.current = api;

  // ---- model → display items → layout ----
  const items = useMemo(() => collapseRuns(model, MIN_RUN, expanded), [model, expanded]);
  const layoutMs = useRef(0);
  const layout = useMemo(() => {
    const t0 = performance.now();
    const L = layoutLadder(model, items, { mode: 'screen', width, zoom });
    layoutMs.current = performance.now() - t0;
    return L;
  }, [model, items, width, zoom]);
  const lane = useMemo(() => endpointIndex(model), [model]);
  const posOfIndex = useMemo(() => new Map(model.arrows.map((a, i) => [a.index, i] as const).filter(([idx]) => idx >= 0)), [model]);
  const selectedPos = api.selectedIndex !== null ? (posOfIndex.get(api.selectedIndex) ?? null) : null;

  // Latest values for D3 callbacks and native listeners.
  const live = useRef({ layout, model, lane, selectedPos, focusKey: null as string | null, tipRow: null as number | null });
  live.current.layout = layout;
  live.current.model = model;
  live.current.lane = lane;
  live.current.selectedPos = selectedPos;
  live.current.tipRow = tip?.row ?? null;

  // ---- container width ----
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const measure = () => setWidth(Math.max(280, el.clientWidth));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // ---- drawing ----
  const groups = useRef<{ bands: SVGGElement; lifelines: SVGGElement; brackets: SVGGElement; rows: SVGGElement } | null>(null);

  /** Draws the rows in view and marks the selected and focusable ones. */
  const paint = useCallback(() => {
    const g = groups.current;
    const sc = scrollRef.current;
    if (!g || !sc) return;
    const { layout: L, model: m, lane: ln, selectedPos: sel, focusKey } = live.current;
    const top = sc.scrollTop - L.headerH;
    const [first, last] = visibleRange(L.ys, top, top + sc.clientHeight, 8);
    const rows = d3.select(g.rows);
    drawRows(rows, { model: m, layout: L, lane: ln, interactive: true }, first, last);
    let tabbable: SVGGElement | null = null;
    let firstFocusable: SVGGElement | null = null;
    rows.selectAll<SVGGElement, number>('g.lad-row').each(function (i) {
      const row = L.rows[i]!;
      const selected = sel !== null && ((row.type === 'arrow' && row.pos === sel) || (row.type === 'run' && sel >= row.run.first && sel <= row.run.last));
      this.classList.toggle('is-selected', selected);
      if (row.type === 'phase') return;
      if (selected) this.setAttribute('aria-current', 'true');
      else this.removeAttribute('aria-current');
      this.setAttribute('tabindex', '-1');
      firstFocusable ??= this;
      if (row.key === focusKey) tabbable = this;
    });
    const t = (tabbable ?? firstFocusable) as SVGGElement | null;
    t?.setAttribute('tabindex', '0');
  }, []);

  // Full redraw when the layout, model or theme changes.
  useLayoutEffect(() => {
    const head = headRef.current;
    const body = bodyRef.current;
    if (!head || !body) return;
    const t0 = performance.now();
    const L = layout;
    const hs = d3.select(head).attr('width', L.width).attr('height', L.headerH);
    drawHeader(hs.select<SVGGElement>('g.lad-head-g').empty() ? hs.append('g').attr('class', 'lad-head-g') : hs.select<SVGGElement>('g.lad-head-g'), model, L);
    const bs = d3.select(body).attr('width', L.width).attr('height', L.height);
    if (!groups.current) {
      bs.selectAll('*').remove();
      groups.current = {
        bands: bs.append('g').attr('class', 'lad-bands').node()!,
        lifelines: bs.append('g').attr('class', 'lad-lifelines').node()!,
        brackets: bs.append('g').attr('class', 'lad-brackets').node()!,
        rows: bs.append('g').attr('class', 'lad-rows').node()!,
      };
    }
    const g = groups.current;
    drawLifelines(d3.select(g.lifelines), L, 0, L.height);
    drawPhases(d3.select(g.bands), d3.select(g.brackets), model, L);
    d3.select(g.rows).selectAll('*').remove();
    // Keep the anchored row in place (zoom, expanding a run).
    const a = anchor.current;
    const sc = scrollRef.current;
    if (a && sc) {
      const row = anchoredRow(L, a.pos);
      if (row >= 0) sc.scrollTop = Math.max(0, L.ys[row]! + L.headerH - a.screenY);
      anchor.current = null;
    }
    paint();
    const drawMs = performance.now() - t0;
    const root = rootRef.current;
    if (root) {
      root.dataset.renderMs = (layoutMs.current + drawMs).toFixed(1);
      if (requestedAt !== undefined && !root.dataset.firstPaintMs) {
        root.dataset.firstPaintMs = (performance.now() - requestedAt).toFixed(1);
        if (receivedAt !== undefined) root.dataset.modelMs = (receivedAt - requestedAt).toFixed(1);
      }
      root.dataset.rows = String(L.rows.length);
    }
  }, [layout, model, paint, requestedAt, receivedAt]);

  // Legend.
  useLayoutEffect(() => {
    const svg = legendRef.current;
    if (!svg || !showLegend) return;
    const hasRuns = layout.rows.some((r) => r.type === 'run') || expanded.size > 0;
    const w = Math.max(280, width);
    const h = drawLegend(d3.select(svg).select<SVGGElement>('g').empty() ? d3.select(svg).append('g') : d3.select(svg).select<SVGGElement>('g'), {
      kinds: kindsIn(model, hasRuns),
      phases: [...new Set(model.phases.map((p) => p.kind))],
      width: w,
    });
    d3.select(svg).attr('width', w).attr('height', h);
  }, [model, layout, width, showLegend, expanded, theme]);

  // Scrolling draws the rows that come into view (once per frame).
  useEffect(() => {
    const sc = scrollRef.current;
    if (!sc) return;
    let raf = 0;
    const onScroll = () => {
      if (raf) return;
      raf = requestAnimationFrame(() => {
        raf = 0;
        paint();
      });
    };
    sc.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      sc.removeEventListener('scroll', onScroll);
      cancelAnimationFrame(raf);
    };
  }, [paint]);

  // ---- zoom ----
  const anchor = useRef<Anchor | null>(null);
  const anchorAt = useCallback((screenY: number) => {
    const sc = scrollRef.current;
    const L = live.current.layout;
    if (!sc) return;
    const y = sc.scrollTop + screenY - L.headerH;
    const [i] = visibleRange(L.ys, y, y, 0);
    // The first arrow at or after that row.
    for (let k = i; k < L.rows.length; k++) {
      const r = L.rows[k]!;
      const pos = r.type === 'arrow' ? r.pos : r.type === 'run' ? r.run.first : -1;
      if (pos >= 0) {
        anchor.current = { pos, screenY: screenY + (L.ys[k]! - y) };
        return;
      }
    }
  }, []);

  const zoomTo = useCallback(
    (z: number, screenY?: number) => {
      const sc = scrollRef.current;
      anchorAt(screenY ?? (sc ? sc.clientHeight / 2 : 0));
      setZoom(clampZoom(Math.round(z * 100) / 100));
    },
    [anchorAt],
  );

  useEffect(() => {
    const sc = scrollRef.current;
    if (!sc) return;
    const onWheel = (e: WheelEvent) => {
      if (!(e.ctrlKey || e.metaKey)) return;
      e.preventDefault();
      const r = sc.getBoundingClientRect();
      const factor = Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0025));
      setZoom((z) => {
        const next = clampZoom(Math.round(z * factor * 100) / 100);
        if (next !== z) anchorAt(e.clientY - r.top);
        return next;
      });
    };
    sc.addEventListener('wheel', onWheel, { passive: false });
    return () => sc.removeEventListener('wheel', onWheel);
  }, [anchorAt]);

  // ---- selection from elsewhere: highlight, expand its run, scroll it into view ----
  const revealRow = useCallback((row: number) => {
    const sc = scrollRef.current;
    const L = live.current.layout;
    if (!sc || row < 0) return;
    const top = L.ys[row]!;
    const bottom = L.ys[row + 1]!;
    const viewTop = sc.scrollTop;
    const viewBottom = sc.scrollTop + sc.clientHeight - L.headerH;
    if (top < viewTop + 4) sc.scrollTop = Math.max(0, top - 24);
    else if (bottom > viewBottom - 4) sc.scrollTop = bottom - (sc.clientHeight - L.headerH) + 24;
  }, []);

  useEffect(() => {
    if (selectedPos === null) {
      paint();
      return;
    }
    const row = layout.rowOfArrow[selectedPos] ?? -1;
    const r = layout.rows[row];
    if (r?.type === 'run') {
      // The packet is inside a collapsed run: open it.
      setExpanded((e) => new Set([...e, r.run.first]));
      return;
    }
    revealRow(row);
    paint();
  }, [selectedPos, layout, paint, revealRow]);

  // ---- focus, keyboard, activation ----
  const rowEl = (i: number): SVGGElement | null => groups.current?.rows.querySelector<SVGGElement>(`g.lad-row[data-row="${i}"]`) ?? null;

  const focusRow = useCallback(
    (i: number) => {
      const L = live.current.layout;
      const row = L.rows[i];
      if (!row) return;
      revealRow(i);
      live.current.focusKey = row.key;
      paint();
      const el = rowEl(i);
      el?.focus({ preventScroll: true });
    },
    [paint, revealRow],
  );

  /** Keeps keyboard focus in the ladder when selecting a packet moves it to the packet list. */
  const keepFocus = useCallback((key: string) => {
    const onFocusIn = (e: FocusEvent) => {
      const t = e.target as Element | null;
      if (t && !rootRef.current?.contains(t) && t.closest('[role="grid"]')) {
        const L = live.current.layout;
        const i = L.rows.findIndex((r) => r.key === key);
        if (i >= 0) rowEl(i)?.focus({ preventScroll: true });
      }
    };
    document.addEventListener('focusin', onFocusIn);
    setTimeout(() => document.removeEventListener('focusin', onFocusIn), 800);
  }, []);

  const pendingSelect = useRef<number | null>(null);
  const selectArrow = useCallback(
    async (pos: number) => {
      const a = live.current.model.arrows[pos];
      if (!a || a.num <= 0) return;
      const key = `a${pos}`;
      live.current.focusKey = key;
      keepFocus(key);
      const ok = await apiRef.current.selectPacket(a.num);
      if (!ok && apiRef.current.view.tcpStream !== null) {
        // The list shows another stream: show all packets, then select.
        pendingSelect.current = a.num;
        apiRef.current.setTcpStream(null);
        setStatus({ text: `Packet ${formatCount(a.num)} is not in the filtered list: showing all packets.`, kind: 'info' });
      }
    },
    [keepFocus],
  );

  useEffect(() => {
    const n = pendingSelect.current;
    if (n === null) return;
    pendingSelect.current = null;
    const t = setTimeout(() => void apiRef.current.selectPacket(n), 30);
    return () => clearTimeout(t);
  }, [api.view.tcpStream]);

  const expandRun = useCallback(
    (first: number, screenY?: number) => {
      const sc = scrollRef.current;
      const L = live.current.layout;
      const row = L.rowOfArrow[first] ?? -1;
      if (sc && row >= 0) anchor.current = { pos: first, screenY: screenY ?? L.ys[row]! + L.headerH - sc.scrollTop };
      live.current.focusKey = `a${first}`;
      setExpanded((e) => new Set([...e, first]));
      requestAnimationFrame(() => {
        const i = live.current.layout.rowOfArrow[first] ?? -1;
        if (i >= 0 && rootRef.current?.contains(document.activeElement)) focusRow(i);
      });
    },
    [focusRow],
  );

  const activate = useCallback(
    (i: number) => {
      const row = live.current.layout.rows[i];
      if (!row) return;
      if (row.type === 'arrow') void selectArrow(row.pos);
      else if (row.type === 'run') expandRun(row.run.first);
    },
    [selectArrow, expandRun],
  );

  const rowOfEvent = (t: EventTarget | null): number => {
    const el = (t as Element | null)?.closest?.('g.lad-row');
    const v = el?.getAttribute('data-row');
    return v ? Number(v) : -1;
  };

  const onKeyDown = (e: KeyboardEvent<SVGSVGElement>) => {
    const L = live.current.layout;
    const i = rowOfEvent(e.target);
    if (i < 0) return;
    const focusable = (k: number) => L.rows[k] && L.rows[k]!.type !== 'phase';
    const step = (from: number, dir: 1 | -1) => {
      for (let k = from + dir; k >= 0 && k < L.rows.length; k += dir) if (focusable(k)) return k;
      return from;
    };
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 300) / (L.ys[1]! - L.ys[0]! || 28)) - 2);
    let next: number | null = null;
    switch (e.key) {
      case 'ArrowDown':
        next = step(i, 1);
        break;
      case 'ArrowUp':
        next = step(i, -1);
        break;
      case 'PageDown':
        next = Math.min(L.rows.length - 1, i + page);
        while (next > i && !focusable(next)) next--;
        break;
      case 'PageUp':
        next = Math.max(0, i - page);
        while (next < i && !focusable(next)) next++;
        break;
      case 'Home':
        next = step(-1, 1);
        break;
      case 'End':
        next = step(L.rows.length, -1);
        break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        activate(i);
        return;
      case '+':
      case '=':
        e.preventDefault();
        zoomTo(stepZoom(zoom, 1));
        return;
      case '-':
        e.preventDefault();
        zoomTo(stepZoom(zoom, -1));
        return;
      default:
        return;
    }
    e.preventDefault();
    if (next !== null && next !== i) focusRow(next);
  };

  // ---- pointer: click, hover tooltip, drag to pan ----
  const drag = useRef<{ x: number; y: number; left: number; top: number; moved: boolean; id: number } | null>(null);
  const suppressClick = useRef(false);

  const onPointerDown = (e: RPointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || e.pointerType !== 'mouse') return;
    const sc = scrollRef.current;
    if (!sc) return;
    drag.current = { x: e.clientX, y: e.clientY, left: sc.scrollLeft, top: sc.scrollTop, moved: false, id: e.pointerId };
  };
  const onPointerMove = (e: RPointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    const sc = scrollRef.current;
    if (d && sc && e.buttons & 1) {
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      if (!d.moved && Math.abs(dx) + Math.abs(dy) > 5) {
        d.moved = true;
        sc.setPointerCapture(d.id);
        sc.classList.add('is-panning');
        setTip(null);
      }
      if (d.moved) {
        sc.scrollLeft = d.left - dx;
        sc.scrollTop = d.top - dy;
        return;
      }
    }
    if (!d?.moved) hoverAt(e.clientX, e.clientY, e.target);
  };
  const endDrag = () => {
    const d = drag.current;
    drag.current = null;
    const sc = scrollRef.current;
    if (d?.moved && sc) {
      suppressClick.current = true;
      setTimeout(() => (suppressClick.current = false), 0);
      sc.classList.remove('is-panning');
      if (sc.hasPointerCapture(d.id)) sc.releasePointerCapture(d.id);
    }
  };

  const hoverAt = (cx: number, cy: number, target: EventTarget | null) => {
    const i = rowOfEvent(target);
    const root = rootRef.current;
    if (i < 0 || !root || live.current.layout.rows[i]?.type === 'phase') {
      if (live.current.tipRow !== null) setTip(null);
      return;
    }
    const r = root.getBoundingClientRect();
    const above = cy - r.top > r.height * 0.6;
    setTip({ row: i, x: cx - r.left, y: cy - r.top, above });
  };

  const onClick = (e: React.MouseEvent<SVGSVGElement>) => {
    if (suppressClick.current) return;
    const i = rowOfEvent(e.target);
    if (i < 0) return;
    const row = live.current.layout.rows[i];
    if (row?.type === 'run') {
      const sc = scrollRef.current;
      const L = live.current.layout;
      expandRun(row.run.first, sc ? L.ys[i]! + L.headerH - sc.scrollTop : undefined);
    } else if (row?.type === 'arrow') void selectArrow(row.pos);
  };

  const onFocus = (e: React.FocusEvent<SVGSVGElement>) => {
    const i = rowOfEvent(e.target);
    const root = rootRef.current;
    const el = e.target as Element;
    if (i < 0 || !root) return;
    const row = live.current.layout.rows[i];
    if (!row) return;
    live.current.focusKey = row.key;
    const r = root.getBoundingClientRect();
    const b = el.getBoundingClientRect();
    const above = b.bottom - r.top > r.height * 0.6;
    setTip({ row: i, x: Math.min(r.width - 40, Math.max(20, b.left - r.left + (scrollRef.current?.clientWidth ?? 400) / 2)), y: above ? b.top - r.top : b.bottom - r.top, above });
  };
  const onBlur = () => setTip(null);

  // ---- toolbar actions ----
  const exportAs = async (kind: 'png' | 'svg') => {
    setBusy(kind);
    setStatus({ text: `Exporting ${kind.toUpperCase()}…`, kind: 'info' });
    try {
      const pal = themeBg ? palette : LIGHT;
      const input = { model, items, palette: pal, fileName: api.session.fileName };
      const r: ExportResult = kind === 'png' ? await exportPngFiles(input) : await exportSvgFile(input);
      for (const f of r.files) download(f.blob, f.name);
      const f0 = r.files[0]!;
      const size = r.files.reduce((s, f) => s + f.blob.size, 0);
      const what = r.files.length > 1 ? `${r.files.length} files (${f0.name} …)` : f0.name;
      const dims = kind === 'png' ? `${formatCount(f0.width)} × ${formatCount(f0.height)} px` : `${formatCount(Math.round(f0.width))} × ${formatCount(Math.round(f0.height))}`;
      setStatus({ text: `Saved ${what} · ${dims} · ${formatBytes(size)} · ${Math.round(r.ms)} ms${r.notice ? `. ${r.notice}` : ''}`, kind: 'info' });
      if (rootRef.current) {
        rootRef.current.dataset.exportMs = r.ms.toFixed(0);
        rootRef.current.dataset.exportBytes = String(size);
      }
    } catch (e) {
      setStatus({ text: `Export failed: ${e instanceof Error ? e.message : String(e)}`, kind: 'error' });
    } finally {
      setBusy(null);
    }
  };

  const copyMermaid = async () => {
    const text = toMermaid(model);
    const lines = text.trimEnd().split('\n').length;
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setStatus({ text: `Copied as Mermaid: ${formatCount(lines)} lines on the clipboard.`, kind: 'info' });
    } catch {
      setMermaid(text);
      setStatus({ text: 'The clipboard is not available here: copy the Mermaid text from the dialog.', kind: 'info' });
    }
  };

  const followed = model.stream !== null && api.view.tcpStream === model.stream;
  const runCount = useMemo(() => items.reduce((n, it) => n + (it.type === 'run' ? 1 : 0), 0), [items]);
  const css = useMemo(() => ladderCss(palette, SCOPE), [palette]);
  const legendText = useMemo(() => {
    const kinds = kindsIn(model, runCount > 0 || expanded.size > 0);
    const phases = new Set(model.phases.map((p) => p.kind));
    return [...LEGEND.filter((e) => kinds.includes(e.kind)).map((e) => e.label), ...PHASE_LEGEND.filter((p) => phases.has(p.kind)).map((p) => `${p.label} bracket`)].join(', ');
  }, [model, runCount, expanded]);

  const tipContent: TooltipContent | null = tip ? tooltipFor(model, layout, tip.row) : null;
  const bodyLabel = `Ladder diagram: ${model.title}. ${formatCount(model.arrows.length)} packets; use the arrow keys to move between them.`;

  return (
    <div className="ladder-root" ref={rootRef} data-testid="ladder" data-theme-name={theme}>
      <style>{css}</style>
      <div className="ladder-toolbar" role="toolbar" aria-label="Ladder tools">
        <div className="ladder-tools-group" role="group" aria-label="Zoom">
          <button type="button" className="btn btn-small btn-icon-only" aria-label="Zoom out" title="Zoom out (−, Ctrl+wheel)" disabled={zoom <= ZOOM_MIN} onClick={() => zoomTo(stepZoom(zoom, -1))}>
            −
          </button>
          <button type="button" className="btn btn-small ladder-zoom" title="Reset zoom" aria-label={`Zoom ${Math.round(zoom * 100)}%, reset`} onClick={() => zoomTo(1)}>
            {Math.round(zoom * 100)}%
          </button>
          <button type="button" className="btn btn-small btn-icon-only" aria-label="Zoom in" title="Zoom in (+, Ctrl+wheel)" disabled={zoom >= ZOOM_MAX} onClick={() => zoomTo(stepZoom(zoom, 1))}>
            +
          </button>
        </div>
        {runCount > 0 || expanded.size > 0 ? (
          <button type="button" className="btn btn-small" onClick={() => setExpanded(runCount > 0 ? new Set(collapseRuns(model, MIN_RUN).flatMap((it) => (it.type === 'run' ? [it.first] : []))) : new Set())}>
            {runCount > 0 ? 'Expand all' : 'Collapse runs'}
          </button>
        ) : null}
        {model.stream !== null ? (
          followed ? (
            <button type="button" className="btn btn-small is-pressed" aria-pressed="true" onClick={() => api.setTcpStream(null)} title="Show every packet in the list again">
              Show all packets
            </button>
          ) : (
            <button type="button" className="btn btn-small" onClick={() => api.setTcpStream(model.stream)} title={`Show only TCP stream ${model.stream} in the packet list`}>
              Follow in list
            </button>
          )
        ) : null}
        <span className="ladder-tools-sep" aria-hidden="true" />
        <button type="button" className="btn btn-small" onClick={() => void exportAs('png')} disabled={busy !== null} title="Save the whole ladder as a PNG image (2×)">
          {busy === 'png' ? 'Exporting…' : 'Export PNG'}
        </button>
        <button type="button" className="btn btn-small" onClick={() => void exportAs('svg')} disabled={busy !== null} title="Save the whole ladder as an SVG file (font embedded)">
          {busy === 'svg' ? 'Exporting…' : 'Export SVG'}
        </button>
        <button type="button" className="btn btn-small" onClick={() => void copyMermaid()} title="Copy the ladder as a Mermaid sequenceDiagram">
          Copy as Mermaid
        </button>
        <label className="switch ladder-switch" title="Exports use the theme's background instead of white">
          <input
            type="checkbox"
            checked={themeBg}
            onChange={(e) => {
              setThemeBg(e.target.checked);
              saveSetting('ladderExportThemeBg', e.target.checked);
            }}
          />
          Theme background
        </label>
        <label className="switch ladder-switch">
          <input
            type="checkbox"
            checked={showLegend}
            onChange={(e) => {
              setShowLegend(e.target.checked);
              saveSetting('ladderLegend', e.target.checked);
            }}
          />
          Legend
        </label>
      </div>
      <div className={`ladder-status${status?.kind === 'error' ? ' is-error' : ''}`} role="status" aria-live="polite" data-testid="ladder-status">
        {status?.text ?? ''}
      </div>
      {layout.compact && !status ? <div className="ladder-hint">Narrow panel: drag its left edge to widen the ladder (times, deltas and labels get room).</div> : null}
      {showLegend ? (
        <div className="ladder-legend" aria-label={`Legend: ${legendText}`} role="img">
          <svg ref={legendRef} aria-hidden="true" focusable="false" />
        </div>
      ) : null}
      <div
        className="ladder-scroll"
        ref={scrollRef}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
        onPointerLeave={() => !drag.current && setTip(null)}
      >
        <div className="ladder-head" style={{ width: layout.width }}>
          <svg ref={headRef} aria-hidden="true" focusable="false" />
        </div>
        <svg
          ref={bodyRef}
          className="ladder-body"
          role="group"
          aria-label={bodyLabel}
          aria-describedby={tip && tip.row === layout.rows.findIndex((r) => r.key === live.current.focusKey) ? tipId : undefined}
          onClick={onClick}
          onKeyDown={onKeyDown}
          onFocus={onFocus}
          onBlur={onBlur}
        />
      </div>
      {tipContent && tip ? <LadderTooltip id={tipId} content={tipContent} x={tip.x} y={tip.y} above={tip.above} width={rootRef.current?.clientWidth ?? 400} /> : null}
      {mermaid !== null ? <MermaidDialog text={mermaid} onClose={() => setMermaid(null)} /> : null}
    </div>
  );
}

function LadderTooltip({ id, content, x, y, above, width }: { id: string; content: TooltipContent; x: number; y: number; above: boolean; width: number }) {
  const w = Math.min(420, width - 16);
  const left = Math.max(8, Math.min(width - w - 8, x - w / 2));
  const style = above ? { left, bottom: `calc(100% - ${y - 10}px)`, width: w } : { left, top: y + 14, width: w };
  return (
    <div className="ladder-tip" role="tooltip" id={id} style={style} data-testid="ladder-tooltip">
      <div className="ladder-tip-title">{content.title}</div>
      {content.label ? <div className="ladder-tip-label">{content.label}</div> : null}
      <dl className="ladder-tip-facts">
        {content.facts.map(([k, v]) => (
          <Fact key={k} k={k} v={v} />
        ))}
      </dl>
      {content.phases.map((p) => (
        <div key={p.label} className="ladder-tip-phase">
          <div className={`ladder-tip-phase-title ph-${p.kind}`}>{p.label}</div>
          {p.step ? <div className="ladder-tip-step">Step: {p.step}</div> : null}
          {p.details.length ? (
            <dl className="ladder-tip-facts">
              {p.details.map(([k, v]) => (
                <Fact key={k} k={k} v={v} />
              ))}
            </dl>
          ) : null}
        </div>
      ))}
    </div>
  );
}

function Fact({ k, v }: { k: string; v: ReactNode }) {
  return (
    <>
      <dt>{k}</dt>
      <dd>{v}</dd>
    </>
  );
}

function MermaidDialog({ text, onClose }: { text: string; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    requestAnimationFrame(() => area.current?.select());
  }, []);
  return (
    <dialog ref={ref} className="dialog ladder-mermaid" aria-labelledby={titleId} onClose={onClose} onCancel={onClose}>
      <h2 id={titleId} className="dialog-title">
        Mermaid sequence diagram
      </h2>
      <p className="legend-note">The clipboard could not be used: select the text and copy it (Ctrl+C / ⌘C).</p>
      <textarea ref={area} className="ladder-mermaid-text" readOnly value={text} aria-label="Mermaid text" spellCheck={false} />
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={() => area.current?.select()}>
          Select all
        </button>
        <button type="button" className="btn btn-primary" onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  );
}

export type { LadderLayout };
