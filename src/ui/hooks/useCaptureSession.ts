// One opened capture: its worker client, row cache, load progress and outcome. Opening another
// file terminates the previous worker.

import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { CaptureClient, createCaptureWorker, type WorkerFactory } from '../capture-client.ts';
import { RowCache } from '../row-cache.ts';
import type { CaptureSummary, LoadProgress, ViewSpec } from '../../worker/protocol.ts';

export type Phase = 'empty' | 'loading' | 'ready' | 'failed' | 'crashed';

export interface Session {
  /** Increments with every opened file. */
  key: number;
  phase: Phase;
  fileName: string;
  fileSize: number;
  progress: LoadProgress | null;
  summary: CaptureSummary | null;
  /** The worker's `failed` message (not a capture, unreadable file). */
  failure: string | null;
  /** Why the worker died. */
  crash: string | null;
  /** The latest failure to read packets from the file again (rows, details, ladders). */
  readError: string | null;
  cancelling: boolean;
  openedAt: number;
  /** Time from opening until the first rows were in the list (measured here). */
  firstRowsMs: number | null;
}

const EMPTY: Session = {
  key: 0,
  phase: 'empty',
  fileName: '',
  fileSize: 0,
  progress: null,
  summary: null,
  failure: null,
  crash: null,
  readError: null,
  cancelling: false,
  openedAt: 0,
  firstRowsMs: null,
};

export interface CaptureSession {
  session: Session;
  client: CaptureClient | null;
  cache: RowCache;
  /** Rows in the current view (grows while loading). */
  total: number;
  open(file: Blob, name: string): void;
  cancel(): void;
  /** Opens the same file again (after a crash). */
  reload(): void;
  /** Applies a view to the worker; resolves with the new row count. */
  applyView(view: ViewSpec): Promise<number | null>;
}

function isDefaultView(v: ViewSpec): boolean {
  return v.sort === null && v.tcpStream === null;
}

export function useCaptureSession(initialView: ViewSpec, factory: WorkerFactory = createCaptureWorker): CaptureSession {
  const [session, setSession] = useState<Session>(EMPTY);
  const [client, setClient] = useState<CaptureClient | null>(null);
  const clientRef = useRef<CaptureClient | null>(null);
  const viewRef = useRef<ViewSpec>(initialView);
  const lastLiveRefresh = useRef(0);
  const lastTotalAt = useRef(0);
  const [cache] = useState(() => new RowCache((start, count) => clientRef.current?.rows(start, count) ?? Promise.resolve(null)));
  const total = useSyncExternalStore(cache.subscribe, () => cache.total);

  useEffect(() => () => clientRef.current?.dispose(), []);

  // First rows on screen: measured once per file.
  useEffect(
    () =>
      cache.subscribe(() => {
        if (cache.get(0) === undefined) return;
        setSession((s) => (s.firstRowsMs === null && s.openedAt > 0 && (s.phase === 'loading' || s.phase === 'ready') ? { ...s, firstRowsMs: performance.now() - s.openedAt } : s));
      }),
    [cache],
  );

  const open = useCallback(
    (file: Blob, name: string) => {
      clientRef.current?.dispose();
      cache.clear();
      const view = viewRef.current;
      cache.liveOrder = !isDefaultView(view);
      setSession((s) => {
        return { ...EMPTY, key: s.key + 1, phase: 'loading', fileName: name, fileSize: file.size, openedAt: performance.now(), progress: { bytesRead: 0, totalBytes: file.size, packets: 0 } };
      });
      const mine = () => clientRef.current === c;
      const c: CaptureClient = new CaptureClient(
        file,
        name,
        {
          progress(p) {
            if (!mine()) return;
            setSession((s) => ({ ...s, progress: p }));
            if (isDefaultView(viewRef.current)) {
              // The list's row count: at once for the first rows, then at most every 200 ms, and
              // less often as the list grows (each change costs the virtualizer a copy of its
              // O(rows) array: 1 ms per 1000 rows keeps that under ~10% of the main thread).
              const t = performance.now();
              if (cache.total === 0 || t - lastTotalAt.current >= Math.max(200, cache.total / 1000)) {
                lastTotalAt.current = t;
                cache.setTotal(p.packets);
              }
            }
            else {
              // Sorted or filtered while loading: the order changes as packets arrive; refresh (throttled).
              const t = performance.now();
              if (t - lastLiveRefresh.current > 750 || cache.total === 0) {
                lastLiveRefresh.current = t;
                cache.invalidate();
                if (cache.total === 0 && p.packets > 0) void c.rows(0, 1).then((r) => r && mine() && cache.setTotal(r.total));
              }
            }
          },
          loaded(summary) {
            if (!mine()) return;
            cache.liveOrder = false;
            setSession((s) => ({ ...s, phase: 'ready', summary, cancelling: false, progress: { bytesRead: summary.bytes, totalBytes: s.fileSize, packets: summary.packets } }));
            // The worker finalises its order at the end: refresh the count and the visible rows.
            if (isDefaultView(viewRef.current)) cache.setTotal(summary.packets);
            else
              void c.setView(viewRef.current).then((t) => {
                if (t === null || !mine()) return;
                cache.setTotal(t);
                cache.invalidate();
              });
          },
          failed(message) {
            if (!mine()) return;
            cache.clear();
            setSession((s) => ({ ...s, phase: 'failed', failure: message, cancelling: false }));
          },
          crashed(message) {
            if (!mine()) return;
            setSession((s) => ({ ...s, phase: 'crashed', crash: message, cancelling: false }));
          },
          requestFailed(message) {
            if (!mine()) return;
            setSession((s) => ({ ...s, readError: message }));
          },
        },
        factory,
      );
      clientRef.current = c;
      setClient(c);
      void c.setView(view);
    },
    [cache, factory],
  );

  const cancel = useCallback(() => {
    const c = clientRef.current;
    if (!c) return;
    c.cancel();
    setSession((s) => (s.phase === 'loading' ? { ...s, cancelling: true } : s));
  }, []);

  const reload = useCallback(() => {
    const c = clientRef.current;
    if (c) open(c.file, c.name);
  }, [open]);

  const applyView = useCallback(
    async (view: ViewSpec) => {
      viewRef.current = view;
      const c = clientRef.current;
      if (!c || c.dead) return null;
      cache.liveOrder = !isDefaultView(view) && session.phase === 'loading';
      const p = c.setView(view);
      cache.invalidate();
      const t = await p;
      if (t !== null && clientRef.current === c) cache.setTotal(t);
      return t;
    },
    [cache, session.phase],
  );

  return { session, client, cache, total, open, cancel, reload, applyView };
}
