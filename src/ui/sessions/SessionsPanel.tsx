// The "TCP sessions" side panel: the sessions of the capture (sortable, filterable, with
// checkboxes and "all sessions of host X"), and the ladder of the session the user clicks, or
// of several sessions as a host flow (a lifeline per host: client → balancer → backend).

import './sessions.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LadderModel } from '../../analysis/ladder.ts';
import type { TcpSession } from '../../analysis/sessions.ts';
import type { CaptureApi } from '../extension.ts';
import { formatCount, plural } from '../lib/format.ts';
import { LadderView } from '../ladder/LadderView.tsx';
import { hostsOf, matchesFilter, sortSessions, streamsOfHost, type SortState } from './columns.ts';
import { SessionsTable } from './SessionsTable.tsx';

export type PanelView = { kind: 'list' } | { kind: 'stream'; stream: number } | { kind: 'hosts'; streams: number[] };

interface Remembered {
  key: number;
  view: PanelView;
  sort: SortState | null;
  checked: number[];
  filter: string;
  active: number | null;
}

/** What the panel showed, per opened file: closing and reopening the panel comes back to it. */
let remembered: Remembered | null = null;

export function SessionsPanel({ api }: { api: CaptureApi }) {
  const { client, session } = api;
  const key = session.key;
  const restore = remembered && remembered.key === key ? remembered : null;
  const [sessions, setSessions] = useState<TcpSession[] | null>(null);
  const [view, setView] = useState<PanelView>(restore?.view ?? { kind: 'list' });
  const [sort, setSort] = useState<SortState | null>(restore?.sort ?? null);
  const [checked, setChecked] = useState<ReadonlySet<number>>(() => new Set(restore?.checked ?? []));
  const [filter, setFilter] = useState(restore?.filter ?? '');
  const [active, setActive] = useState<number | null>(restore?.active ?? null);
  const [ladder, setLadder] = useState<{ for: string; model: LadderModel | null; requestedAt: number; receivedAt: number } | null>(null);

  // A new file: back to the list.
  const lastKey = useRef(key);
  useEffect(() => {
    if (lastKey.current === key) return;
    lastKey.current = key;
    setView({ kind: 'list' });
    setChecked(new Set());
    setActive(null);
    setFilter('');
    setLadder(null);
    setSessions(null);
  }, [key]);

  useEffect(() => {
    remembered = { key, view, sort, checked: [...checked], filter, active };
  }, [key, view, sort, checked, filter, active]);

  // The sessions: once loaded, and every second while the file is still being read.
  const phase = session.phase;
  const packets = session.summary?.packets ?? 0;
  useEffect(() => {
    if (!client || client.dead) {
      setSessions(null);
      return;
    }
    let live = true;
    const load = () =>
      void client.sessions().then((s) => {
        if (live && s) setSessions(s);
      });
    load();
    const timer = phase === 'loading' ? setInterval(load, 1000) : undefined;
    return () => {
      live = false;
      if (timer) clearInterval(timer);
    };
  }, [client, phase, packets]);

  // The ladder of the open view. Once the file is read, a ladder built before is reused.
  const viewKey = view.kind === 'stream' ? `s${view.stream}` : view.kind === 'hosts' ? `h${view.streams.join(',')}` : '';
  const built = useRef(new Map<string, { model: LadderModel | null; packets: number }>());
  useEffect(() => {
    if (!client || view.kind === 'list') {
      setLadder(null);
      return;
    }
    let live = true;
    const requestedAt = performance.now();
    const cached = built.current.get(viewKey);
    if (cached && phase === 'ready' && cached.packets === packets) {
      setLadder({ for: viewKey, model: cached.model, requestedAt, receivedAt: requestedAt });
      return;
    }
    setLadder(null);
    const p = view.kind === 'stream' ? client.ladder(view.stream) : client.hostLadder(view.streams);
    void p.then((model) => {
      if (!live) return;
      if (phase === 'ready') built.current.set(viewKey, { model, packets });
      setLadder({ for: viewKey, model, requestedAt, receivedAt: performance.now() });
    });
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, viewKey, phase, packets]);
  useEffect(() => built.current.clear(), [client]);

  const shown = useMemo(() => sortSessions((sessions ?? []).filter((s) => matchesFilter(s, filter)), sort), [sessions, filter, sort]);
  const hosts = useMemo(() => hostsOf(sessions ?? []), [sessions]);

  const onCheck = useCallback((streams: number[], on: boolean) => {
    setChecked((c) => {
      const n = new Set(c);
      for (const s of streams) {
        if (on) n.add(s);
        else n.delete(s);
      }
      return n;
    });
  }, []);

  const openStream = useCallback((stream: number) => {
    setActive(stream);
    setView({ kind: 'stream', stream });
  }, []);
  const follow = useCallback((stream: number) => api.setTcpStream(api.view.tcpStream === stream ? null : stream), [api]);
  const selectedStreams = [...checked].filter((s) => sessions?.some((x) => x.stream === s)).sort((a, b) => a - b);

  const followBar =
    api.view.tcpStream !== null ? (
      <div className="sess-follow" role="status">
        <span>
          The packet list shows TCP stream <strong>{api.view.tcpStream}</strong> only.
        </span>
        <button type="button" className="btn btn-small" onClick={() => api.setTcpStream(null)}>
          Show all packets
        </button>
      </div>
    ) : null;

  if (view.kind !== 'list') {
    const model = ladder?.for === viewKey ? ladder.model : undefined;
    const s = view.kind === 'stream' ? sessions?.find((x) => x.stream === view.stream) : undefined;
    return (
      <div className="sess-panel">
        <div className="sess-head">
          <button type="button" className="btn btn-small" onClick={() => setView({ kind: 'list' })} aria-label="Back to the TCP sessions" title="Back to the list of sessions">
            ← Sessions
          </button>
          <h2 className="pane-title sess-ladder-title" title={model?.title}>
            {view.kind === 'stream' ? `Stream ${view.stream}` : `Host flow · ${plural(view.streams.length, 'stream')}`}
            {model ? <span className="sess-ladder-sub">{model.title.replace(/^TCP stream \d+: |^Host flow: /, '')}</span> : null}
          </h2>
        </div>
        {s ? <SessionFacts s={s} /> : null}
        {followBar}
        {model === undefined ? (
          <p className="pane-empty">Building the ladder…</p>
        ) : model === null ? (
          <p className="pane-empty">This session is not in the capture (any more).</p>
        ) : (
          <LadderView key={viewKey} model={model} api={api} requestedAt={ladder?.requestedAt} receivedAt={ladder?.receivedAt} />
        )}
      </div>
    );
  }

  return (
    <div className="sess-panel">
      <div className="sess-head">
        <h2 className="pane-title">
          TCP sessions <span className="sess-count">{sessions ? (shown.length === sessions.length ? formatCount(sessions.length) : `${formatCount(shown.length)} of ${formatCount(sessions.length)}`) : ''}</span>
        </h2>
        <input className="input sess-filter" type="search" placeholder="Filter: address, port, TLS, RST…" aria-label="Filter sessions" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </div>
      <div className="sess-actions">
        <select
          className="select sess-host"
          aria-label="Select all sessions of a host"
          value=""
          onChange={(e) => {
            const h = e.target.value;
            if (h) onCheck(streamsOfHost(sessions ?? [], h), true);
          }}
          disabled={!hosts.length}
        >
          <option value="">Select sessions of host…</option>
          {hosts.map((h) => (
            <option key={h.addr} value={h.addr}>
              {h.addr} ({plural(h.sessions, 'session')})
            </option>
          ))}
        </select>
        <button type="button" className="btn btn-small btn-primary" disabled={!selectedStreams.length} onClick={() => setView({ kind: 'hosts', streams: selectedStreams })} title="One ladder of the selected sessions, a lifeline per host">
          Host flow{selectedStreams.length ? ` (${selectedStreams.length})` : ''}
        </button>
        {checked.size ? (
          <button type="button" className="btn btn-small" onClick={() => setChecked(new Set())}>
            Clear selection
          </button>
        ) : null}
      </div>
      {followBar}
      {sessions === null ? (
        <p className="pane-empty">{phase === 'crashed' || phase === 'failed' ? 'No sessions: the capture could not be decoded.' : client ? 'Reading sessions…' : 'Open a capture to see its TCP sessions.'}</p>
      ) : (
        <SessionsTable
          sessions={shown}
          total={sessions.length}
          sort={sort}
          onSort={setSort}
          checked={checked}
          onCheck={onCheck}
          active={active}
          onActive={setActive}
          onOpen={openStream}
          onFollow={follow}
          followed={api.view.tcpStream}
        />
      )}
      <p className="sess-hint">Click a session for its ladder. Tick several (or a host) for a host flow.</p>
    </div>
  );
}

function SessionFacts({ s }: { s: TcpSession }) {
  return (
    <div className="sess-facts" data-testid="session-facts">
      <span className={`sess-dot hs-${s.handshake}`} aria-hidden="true" />
      <span>Handshake {s.handshake}</span>
      <span className={`sess-dot cl-${s.close}`} aria-hidden="true" />
      <span>{s.close === 'open' ? 'still open' : s.close.startsWith('rst') ? `reset by ${s.close.slice(4)}` : s.close === 'fin-both' ? 'closed both ways' : `FIN from ${s.close.slice(4)} only`}</span>
      <span className="sess-facts-sep">·</span>
      <span>{s.application === 'TLS' && s.sni ? `TLS · ${s.sni}` : s.application}</span>
      <span className="sess-facts-sep">·</span>
      <span>
        {formatCount(s.packets[0] + s.packets[1])} packets
      </span>
    </div>
  );
}
