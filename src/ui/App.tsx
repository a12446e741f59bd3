// The application shell: opening files (picker, drop, samples), the worker session, the
// packet list, details tree, bytes pane, banners and status bar.

import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { SortingState } from '@tanstack/react-table';
import { TIME_FORMATS, type TimeFormat } from '../analysis/time-format.ts';
import type { TreeItem } from '../dissect/tree.ts';
import type { PacketDetails, SortColumn, ViewSpec } from '../worker/protocol.ts';
import { Banners, type BannerSpec } from './components/Banners.tsx';
import { BytesPane, type ByteRange } from './components/BytesPane.tsx';
import { RowColorStyles } from './components/ColorLegend.tsx';
import { DetailsTree } from './components/DetailsTree.tsx';
import { DropOverlay } from './components/DropOverlay.tsx';
import { EmptyState } from './components/EmptyState.tsx';
import { ErrorBoundary } from './components/ErrorBoundary.tsx';
import { GoToDialog } from './components/GoToDialog.tsx';
import { IconCollapse, IconExpand, IconPanel, IconReload, IconOpen } from './components/Icons.tsx';
import { Layout } from './components/Layout.tsx';
import { LoadProgress } from './components/LoadProgress.tsx';
import { COLUMN_IDS, PacketList } from './components/PacketList.tsx';
import { StatusBar } from './components/StatusBar.tsx';
import { Toolbar } from './components/Toolbar.tsx';
import type { CaptureApi, SidePanel } from './extension.ts';
import { useCaptureSession } from './hooks/useCaptureSession.ts';
import { sampleUrl, useSamples, type Sample } from './hooks/useSamples.ts';
import { useTheme } from './hooks/useTheme.ts';
import { formatCount, plural } from './lib/format.ts';
import { isBoolean, loadSetting, saveSetting } from './lib/storage.ts';
import { allKeys, ancestorKeys, findByKey, itemAt, keyAt, smallestCovering, type TreePath } from './lib/tree-utils.ts';
import { expectedRows } from '../lib/growable.ts';

export interface AppProps {
  /** Right-hand side panels (TCP sessions, ladder …); see extension.ts. */
  sidePanels?: readonly SidePanel[];
}

const ACCEPT = '.pcap,.pcapng,.cap,.gz,.pcap.gz,.pcapng.gz,.ntar,.dmp,.trace,application/vnd.tcpdump.pcap,application/octet-stream';
const isTimeFormat = (v: unknown): v is TimeFormat => TIME_FORMATS.some((f) => f.id === v);
const isColumn = (id: string): id is SortColumn => (COLUMN_IDS as readonly string[]).includes(id);

interface Selection {
  /** Row position in the current view. */
  pos: number;
  /** Store index of the packet, once known. */
  index: number | null;
}

export function App({ sidePanels = [] }: AppProps) {
  const { theme, toggle: toggleTheme } = useTheme();
  const samples = useSamples();
  const [timeFormat, setTimeFormat] = useState<TimeFormat>(() => loadSetting('timeFormat', 'relative' as TimeFormat, isTimeFormat));
  const [sort, setSort] = useState<ViewSpec['sort']>(null);
  const [tcpStream, setTcpStream] = useState<number | null>(null);
  const view = useMemo<ViewSpec>(() => ({ sort, timeFormat, tcpStream }), [sort, timeFormat, tcpStream]);
  const cap = useCaptureSession(view);
  const { session, client, cache, total } = cap;
  const [colorize, setColorize] = useState(() => loadSetting('colorize', true, isBoolean));
  const [dragging, setDragging] = useState(false);
  const [goToOpen, setGoToOpen] = useState(false);
  const [extraBanners, setExtraBanners] = useState<BannerSpec[]>([]);
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const [openPanel, setOpenPanel] = useState<string | null>(() => loadSetting<string | null>('sidePanel', null, (v): v is string | null => typeof v === 'string' || v === null));
  const fileInput = useRef<HTMLInputElement>(null);

  // ---- selection (row position + packet index) ----
  const [sel, setSel] = useState<Selection | null>(null);
  const [revealSeq, setRevealSeq] = useState(0);
  const [focusSeq, setFocusSeq] = useState(0);
  const selPos = sel?.pos ?? null;
  // Re-render only when the selected row's data changes, not on every fetched block.
  const selRow = useSyncExternalStore(cache.subscribe, () => (selPos !== null ? cache.getCurrent(selPos) : undefined));
  const selIndex = sel?.index ?? null;
  /** Increments with every selection the user makes (a view change must not override a newer one). */
  const selEpoch = useRef(0);

  // A selection made before its row was fetched (End, PgDn …): learn the packet once it arrives.
  useEffect(() => {
    if (sel && sel.index === null && selRow) setSel({ pos: sel.pos, index: selRow.index });
  }, [sel, selRow]);

  // ---- details of the selected packet ----
  const [details, setDetails] = useState<PacketDetails | null>(null);
  const [detailsFor, setDetailsFor] = useState<number | null>(null);
  /** The packet whose details could not be had (its bytes could not be read again, the decoder stopped). */
  const [detailsFailed, setDetailsFailed] = useState<number | null>(null);
  useEffect(() => {
    if (!client || selIndex === null) return;
    let live = true;
    setDetailsFor(selIndex);
    void client.details(selIndex).then((d) => {
      if (!live) return;
      setDetails(d);
      setDetailsFailed(d ? null : selIndex);
    });
    return () => {
      live = false;
    };
  }, [client, selIndex]);

  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [treeSel, setTreeSel] = useState<TreePath | null>(null);
  const treeKey = useRef<string | null>(null);
  const [byteSource, setByteSource] = useState(0);
  const [pickedByte, setPickedByte] = useState<ByteRange | null>(null);
  const tree: readonly TreeItem[] = details?.tree ?? EMPTY_TREE;

  const expandTo = useCallback((t: readonly TreeItem[], path: TreePath) => {
    const keys = ancestorKeys(t, path);
    setExpanded((e) => (keys.every((k) => e.has(k)) ? e : new Set([...e, ...keys])));
  }, []);

  // A new packet's tree: keep the selected field when this packet has it (like Wireshark).
  useEffect(() => {
    setPickedByte(null);
    if (!details) {
      setTreeSel(null);
      return;
    }
    const path = treeKey.current ? findByKey(details.tree, treeKey.current) : null;
    setTreeSel(path);
    if (path) {
      expandTo(details.tree, path);
      setByteSource(itemAt(details.tree, path)?.source ?? 0);
    } else setByteSource(0);
  }, [details, expandTo]);

  const selectTreeItem = useCallback(
    (path: TreePath) => {
      setTreeSel(path);
      setPickedByte(null);
      treeKey.current = keyAt(tree, path);
      const it = itemAt(tree, path);
      if (it && it.length > 0 && details && it.source < details.sources.length) setByteSource(it.source);
    },
    [tree, details],
  );

  const onToggle = useCallback((key: string, open: boolean) => {
    setExpanded((e) => {
      if (e.has(key) === open) return e;
      const n = new Set(e);
      if (open) n.add(key);
      else n.delete(key);
      return n;
    });
  }, []);

  const onPickByte = useCallback(
    (source: number, offset: number) => {
      const path = smallestCovering(tree, source, offset);
      if (path) {
        expandTo(tree, path);
        setTreeSel(path);
        treeKey.current = keyAt(tree, path);
        setPickedByte(null);
      } else {
        setTreeSel(null);
        setPickedByte({ source, start: offset, length: 1 });
      }
    },
    [tree, expandTo],
  );

  const selectedItem = treeSel !== null ? itemAt(tree, treeSel) : undefined;
  const highlight: ByteRange | null = selectedItem && selectedItem.length > 0 ? { source: selectedItem.source, start: selectedItem.start, length: selectedItem.length } : pickedByte;

  // ---- a new file resets selection and details ----
  useEffect(() => {
    setSel(null);
    setDetails(null);
    setDetailsFor(null);
    setTreeSel(null);
    setPickedByte(null);
    setDismissed(new Set());
    if (session.key > 0) setFocusSeq((n) => n + 1);
  }, [session.key]);

  // ---- view changes: tell the worker, then find the selected packet in the new order ----
  const selIndexRef = useRef<number | null>(null);
  selIndexRef.current = selIndex;
  const firstView = useRef(true);
  useEffect(() => {
    if (firstView.current) {
      firstView.current = false;
      return;
    }
    let live = true;
    const epoch = selEpoch.current;
    void cap.applyView(view).then(async (t) => {
      const idx = selIndexRef.current;
      if (!live || t === null || idx === null || !client || epoch !== selEpoch.current) return;
      const pos = await client.position(idx + 1);
      if (!live || pos === null || epoch !== selEpoch.current) return;
      if (pos < 0) setSel(null);
      else {
        setSel({ pos, index: idx });
        setRevealSeq((n) => n + 1);
      }
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [view]);

  // ---- opening files ----
  const openFile = useCallback(
    (file: Blob, name: string) => {
      setExtraBanners([]);
      setTcpStream(null);
      cap.open(file, name);
    },
    [cap],
  );

  const pickFile = useCallback(() => fileInput.current?.click(), []);

  const openSample = useCallback(
    async (s: Sample) => {
      try {
        const r = await fetch(sampleUrl(s));
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        const blob = await r.blob();
        openFile(blob, s.file);
      } catch (e) {
        setExtraBanners([{ id: 'sample', kind: 'error', title: `Could not load the sample “${s.title}”:`, message: e instanceof Error ? e.message : String(e) }]);
      }
    },
    [openFile],
  );

  // Drag and drop anywhere on the page.
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      setDragging(true);
    };
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const f = e.dataTransfer?.files[0];
      if (f) openFile(f, f.name);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [openFile]);

  // Global shortcuts: Ctrl/Cmd+G go to packet, Ctrl/Cmd+O open.
  const canGoTo = total > 0 && !!client && !client.dead;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
      const k = e.key.toLowerCase();
      if (k === 'g') {
        e.preventDefault();
        if (canGoTo) setGoToOpen(true);
      } else if (k === 'o') {
        e.preventDefault();
        pickFile();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [canGoTo, pickFile]);

  const onGo = useCallback(
    async (num: number): Promise<string | null> => {
      if (!client || client.dead) return 'No capture is open.';
      const pos = await client.position(num);
      if (pos === null) return 'The decoder is not running.';
      const packets = session.summary?.packets ?? session.progress?.packets ?? 0;
      if (pos < 0) {
        if (num > packets) return `There is no packet ${formatCount(num)}: the capture has ${plural(packets, 'packet')}.`;
        return `Packet ${formatCount(num)} is not in the current view.`;
      }
      selEpoch.current++;
      setSel({ pos, index: num - 1 });
      setRevealSeq((n) => n + 1);
      setFocusSeq((n) => n + 1);
      return null;
    },
    [client, session.summary, session.progress],
  );

  const onSelectRow = useCallback(
    (pos: number) => {
      selEpoch.current++;
      const r = cache.getCurrent(pos);
      setSel({ pos, index: r ? r.index : null });
    },
    [cache],
  );

  const sorting = useMemo<SortingState>(() => (sort ? [{ id: sort.column, desc: sort.desc }] : []), [sort]);
  const onSortingChange = useCallback((s: SortingState) => {
    const first = s[0];
    setSort(first && isColumn(first.id) ? { column: first.id, desc: first.desc } : null);
  }, []);

  const onTimeFormat = useCallback((f: TimeFormat) => {
    setTimeFormat(f);
    saveSetting('timeFormat', f);
  }, []);
  const onColorize = useCallback((v: boolean) => {
    setColorize(v);
    saveSetting('colorize', v);
  }, []);

  // ---- banners ----
  const banners: BannerSpec[] = [...extraBanners];
  const name = session.fileName;
  if (session.phase === 'failed' && session.failure) {
    banners.push({
      id: 'failed',
      kind: 'error',
      title: `Could not open “${name}”:`,
      message: session.failure,
      actions: [{ label: 'Open another file…', onClick: pickFile, icon: <IconOpen /> }],
    });
  }
  if (session.phase === 'crashed') {
    banners.push({
      id: 'crashed',
      kind: 'error',
      title: 'The decoder stopped unexpectedly',
      message: `while working on “${name}” (${session.crash ?? 'unknown error'}). Reload the file to try again.`,
      actions: [{ label: 'Reload file', onClick: cap.reload, icon: <IconReload /> }],
      dismissible: false,
    });
  }
  if (session.readError) {
    banners.push({
      id: 'read-error',
      kind: 'error',
      title: `Could not read packets of “${name}” again:`,
      message: `${session.readError}. Every column but Info stays in the list; open the file again to see the rest.`,
      actions: [{ label: 'Open another file…', onClick: pickFile, icon: <IconOpen /> }],
    });
  }
  const sm = session.summary;
  if (sm?.error) {
    banners.push({
      id: 'stopped',
      kind: 'error',
      title: `Reading “${name}” stopped early:`,
      message: `${sm.error}. The ${plural(sm.packets, 'packet')} read before that point ${sm.packets === 1 ? 'is' : 'are'} shown.`,
    });
  }
  sm?.warnings.forEach((w, i) =>
    banners.push({ id: `warn-${i}`, kind: 'warning', title: `“${name}”:`, message: `${w}. ${sm.packets === 1 ? 'The whole packet is listed' : `All ${plural(sm.packets, 'whole packet')} are listed`}.` }),
  );
  if (sm?.cancelled) {
    banners.push({ id: 'cancelled', kind: 'info', message: `Loading was cancelled: showing the ${plural(sm.packets, 'packet')} read so far.` });
  }
  if (sm && sm.malformed > 0) {
    banners.push({ id: 'malformed', kind: 'info', message: `${plural(sm.malformed, 'packet')} ${sm.malformed === 1 ? 'is' : 'are'} malformed or cut short; ${sm.malformed === 1 ? 'its row is' : 'their rows are'} coloured “Malformed”.` });
  }
  const shown = banners.filter((b) => !dismissed.has(b.id));

  // ---- side panels ----
  const panel = sidePanels.find((p) => p.id === openPanel) ?? null;
  const api: CaptureApi = {
    session,
    client,
    view,
    setTcpStream,
    selectedIndex: selIndex,
    selectPacket: async (num) => (await onGo(num)) === null,
  };
  const togglePanel = (id: string) => {
    const next = openPanel === id ? null : id;
    setOpenPanel(next);
    saveSetting('sidePanel', next);
  };

  const loading = session.phase === 'loading';
  const hasCapture = session.phase === 'loading' || session.phase === 'ready' || session.phase === 'crashed';
  const num = details?.num ?? (selIndex !== null ? selIndex + 1 : null);

  return (
    <>
      <RowColorStyles />
      <input
        ref={fileInput}
        type="file"
        className="visually-hidden"
        aria-label="Open capture file"
        accept={ACCEPT}
        tabIndex={-1}
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) openFile(f, f.name);
          e.target.value = '';
        }}
      />
      <Layout
        toolbar={
          <Toolbar
            onOpen={pickFile}
            samples={samples}
            onSample={openSample}
            timeFormat={timeFormat}
            onTimeFormat={onTimeFormat}
            colorize={colorize}
            onColorize={onColorize}
            canGoTo={canGoTo}
            onGoTo={() => setGoToOpen(true)}
            theme={theme}
            onToggleTheme={toggleTheme}
            progress={loading && session.progress ? <LoadProgress progress={session.progress} cancelling={session.cancelling} onCancel={cap.cancel} /> : null}
            extra={sidePanels.map((p) => (
              <button key={p.id} type="button" className={`btn${openPanel === p.id ? ' is-pressed' : ''}`} aria-pressed={openPanel === p.id} onClick={() => togglePanel(p.id)}>
                {p.icon ?? <IconPanel />}
                <span>{p.title}</span>
              </button>
            ))}
          />
        }
        banners={<Banners banners={shown} onDismiss={(id) => setDismissed((d) => new Set([...d, id]))} />}
        placeholder={hasCapture ? undefined : <EmptyState samples={samples} onPick={pickFile} onSample={openSample} />}
        list={
          <ErrorBoundary area="packet list" resetKey={session.key}>
            <PacketList
              cache={cache}
              total={total}
              selected={sel?.pos ?? null}
              selectedIndex={selIndex}
              onSelect={onSelectRow}
              sorting={sorting}
              onSortingChange={onSortingChange}
              colorize={colorize}
              revealSeq={revealSeq}
              focusSeq={focusSeq}
              busy={loading}
              expectedTotal={loading && session.progress ? expectedRows(session.progress.packets, session.progress.bytesRead, session.progress.totalBytes) : 0}
            />
          </ErrorBoundary>
        }
        details={
          <ErrorBoundary area="packet details" resetKey={detailsFor}>
            <div className="pane-head">
              <h2 className="pane-title">{num !== null ? `Packet ${formatCount(num)}` : 'Packet details'}</h2>
              {details ? (
                <div className="pane-tools">
                  <button type="button" className="btn-icon" title="Expand all" aria-label="Expand all" onClick={() => setExpanded((e) => new Set([...e, ...allKeys(tree)]))}>
                    <IconExpand />
                  </button>
                  <button
                    type="button"
                    className="btn-icon"
                    title="Collapse all"
                    aria-label="Collapse all"
                    onClick={() => {
                      const ks = new Set(allKeys(tree));
                      setExpanded((e) => new Set([...e].filter((k) => !ks.has(k))));
                      setTreeSel((p) => (p ? p.split('.')[0]! : p));
                    }}
                  >
                    <IconCollapse />
                  </button>
                </div>
              ) : null}
            </div>
            <div className={`pane-body${details && detailsFor !== details.index ? ' is-stale' : ''}`}>
              {details ? (
                <DetailsTree tree={tree} expanded={expanded} onToggle={onToggle} selected={treeSel} onSelect={selectTreeItem} num={details.num} />
              ) : (
                <p className="pane-empty">{selIndex !== null ? (detailsFailed === selIndex ? DETAILS_UNAVAILABLE : 'Loading…') : hasCapture && total > 0 ? 'Select a packet to see its protocol tree.' : ''}</p>
              )}
            </div>
          </ErrorBoundary>
        }
        bytes={
          <ErrorBoundary area="packet bytes" resetKey={detailsFor}>
            <div className="pane-head">
              <h2 className="pane-title">Bytes</h2>
              <span className="pane-sub" data-testid="bytes-selection">
                {selectedItem ? fieldSummary(selectedItem) : pickedByte ? `offset ${pickedByte.start} (0x${pickedByte.start.toString(16)})` : details ? `${details.sources[0]?.data.length ?? 0} bytes` : ''}
              </span>
            </div>
            <div className="pane-body pane-body-bytes">
              {details ? (
                <BytesPane sources={details.sources} source={Math.min(byteSource, details.sources.length - 1)} onSource={setByteSource} highlight={highlight} onPick={onPickByte} />
              ) : (
                <p className="pane-empty">{selIndex !== null ? (detailsFailed === selIndex ? DETAILS_UNAVAILABLE : 'Loading…') : hasCapture && total > 0 ? 'The selected packet’s bytes appear here.' : ''}</p>
              )}
            </div>
          </ErrorBoundary>
        }
        status={<StatusBar session={session} total={loading && sort === null && tcpStream === null ? Math.max(total, session.progress?.packets ?? 0) : total} selectedNum={selRow?.num ?? (selIndex !== null ? selIndex + 1 : null)} />}
        side={panel ? <ErrorBoundary area={panel.title}>{panel.render(api)}</ErrorBoundary> : null}
        sideLabel={panel?.title}
      />
      <GoToDialog open={goToOpen} max={session.summary?.packets ?? session.progress?.packets ?? 0} onClose={() => setGoToOpen(false)} onGo={onGo} />
      <DropOverlay visible={dragging} />
    </>
  );
}

const DETAILS_UNAVAILABLE = 'This packet could not be read from the file again (see the message above).';
const EMPTY_TREE: readonly TreeItem[] = [];

function fieldSummary(it: TreeItem): string {
  const name = it.field ?? (it.label.length > 48 ? `${it.label.slice(0, 47)}…` : it.label);
  if (it.length <= 0) return it.generated ? `${name} · generated` : name;
  return `${name} · ${it.length} byte${it.length === 1 ? '' : 's'} at ${it.start} (0x${it.start.toString(16)})`;
}
