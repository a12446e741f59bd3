// The sessions table's columns as plain data: cell text, sort keys and comparators, the quick
// filter and "all sessions of host X". Tested without a DOM.

import { bytesText, durationText } from '../../analysis/ladder.ts';
import { CLOSE_TEXT, handshakeText, type Endpoint, type TcpSession } from '../../analysis/sessions.ts';

export type ColumnId =
  | 'stream'
  | 'client'
  | 'server'
  | 'pktsOut'
  | 'pktsIn'
  | 'bytesOut'
  | 'bytesIn'
  | 'start'
  | 'duration'
  | 'app'
  | 'handshake'
  | 'close';

export interface Column {
  id: ColumnId;
  label: string;
  /** Header tooltip / longer name. */
  title: string;
  width: number;
  align: 'start' | 'end';
  text(s: TcpSession): string;
  compare(a: TcpSession, b: TcpSession): number;
}

const num = (f: (s: TcpSession) => number) => (a: TcpSession, b: TcpSession) => f(a) - f(b);
const txt = (f: (s: TcpSession) => string) => (a: TcpSession, b: TcpSession) => collator.compare(f(a), f(b));
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export function endpointText(e: Endpoint): string {
  return e.addr.includes(':') ? `[${e.addr}]:${e.port}` : `${e.addr}:${e.port}`;
}

/** IPv4 addresses compare as numbers, IPv6 by their expanded form, names as text; then the port. */
export function compareEndpoints(a: Endpoint, b: Endpoint): number {
  const ka = addrKey(a.addr);
  const kb = addrKey(b.addr);
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a.port - b.port;
}

export function addrKey(addr: string): string {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(addr);
  if (v4) return '4' + v4.slice(1).map((x) => Number(x).toString(16).padStart(2, '0')).join('');
  if (addr.includes(':')) {
    const [head, tail] = addr.split('::') as [string, string | undefined];
    const h = head ? head.split(':') : [];
    const t = tail !== undefined && tail ? tail.split(':') : [];
    const fill = tail !== undefined ? Array(Math.max(0, 8 - h.length - t.length)).fill('0') : [];
    return '6' + [...h, ...fill, ...t].map((g) => g.padStart(4, '0')).join('');
  }
  return '9' + addr;
}

export function appText(s: TcpSession): string {
  if (s.application === 'TLS' && s.sni) return `TLS · ${s.sni}`;
  return s.application;
}

export const COLUMNS: readonly Column[] = [
  { id: 'stream', label: '#', title: 'TCP stream index (tcp.stream)', width: 46, align: 'end', text: (s) => String(s.stream), compare: num((s) => s.stream) },
  { id: 'client', label: 'Client', title: 'Client address:port', width: 176, align: 'start', text: (s) => endpointText(s.client), compare: (a, b) => compareEndpoints(a.client, b.client) },
  { id: 'server', label: 'Server', title: 'Server address:port', width: 176, align: 'start', text: (s) => endpointText(s.server), compare: (a, b) => compareEndpoints(a.server, b.server) },
  { id: 'pktsOut', label: 'Pkts →', title: 'Packets client → server', width: 76, align: 'end', text: (s) => s.packets[0].toLocaleString('en-US'), compare: num((s) => s.packets[0]) },
  { id: 'pktsIn', label: 'Pkts ←', title: 'Packets server → client', width: 76, align: 'end', text: (s) => s.packets[1].toLocaleString('en-US'), compare: num((s) => s.packets[1]) },
  { id: 'bytesOut', label: 'Bytes →', title: 'Bytes on the wire client → server', width: 86, align: 'end', text: (s) => bytesText(s.bytes[0]), compare: num((s) => s.bytes[0]) },
  { id: 'bytesIn', label: 'Bytes ←', title: 'Bytes on the wire server → client', width: 86, align: 'end', text: (s) => bytesText(s.bytes[1]), compare: num((s) => s.bytes[1]) },
  { id: 'start', label: 'Start', title: 'Start, seconds since the first packet of the capture', width: 90, align: 'end', text: (s) => startText(s), compare: num((s) => s.relStart ?? 0) },
  { id: 'duration', label: 'Duration', title: 'From the first to the last packet of the session', width: 90, align: 'end', text: (s) => durationText(s.duration), compare: num((s) => s.duration) },
  { id: 'app', label: 'Application', title: 'Application protocol (TLS server name when seen)', width: 170, align: 'start', text: appText, compare: txt(appText) },
  { id: 'handshake', label: 'Handshake', title: 'Three-way handshake as captured', width: 236, align: 'start', text: handshakeText, compare: (a, b) => HS_RANK[a.handshake] - HS_RANK[b.handshake] || collator.compare(handshakeText(a), handshakeText(b)) },
  { id: 'close', label: 'Close', title: 'How the session ended', width: 150, align: 'start', text: (s) => CLOSE_TEXT[s.close], compare: txt((s) => CLOSE_TEXT[s.close]) },
];

const HS_RANK = { complete: 0, partial: 1, none: 2 } as const;

export function startText(s: TcpSession): string {
  return (s.relStart ?? 0).toFixed(6);
}

export interface SortState {
  column: ColumnId;
  desc: boolean;
}

/** Sorted copy; ties keep stream order. */
export function sortSessions(list: readonly TcpSession[], sort: SortState | null): TcpSession[] {
  const out = [...list];
  if (!sort) return out.sort((a, b) => a.stream - b.stream);
  const col = COLUMNS.find((c) => c.id === sort.column);
  if (!col) return out;
  const dir = sort.desc ? -1 : 1;
  return out.sort((a, b) => col.compare(a, b) * dir || a.stream - b.stream);
}

/** Sessions whose client or server is `host`, as stream numbers. */
export function streamsOfHost(list: readonly TcpSession[], host: string): number[] {
  return list.filter((s) => s.client.addr === host || s.server.addr === host).map((s) => s.stream);
}

/** Every address seen in the sessions, sorted, with its session count. */
export function hostsOf(list: readonly TcpSession[]): { addr: string; sessions: number }[] {
  const counts = new Map<string, number>();
  for (const s of list) {
    counts.set(s.client.addr, (counts.get(s.client.addr) ?? 0) + 1);
    if (s.server.addr !== s.client.addr) counts.set(s.server.addr, (counts.get(s.server.addr) ?? 0) + 1);
  }
  return [...counts.entries()].map(([addr, sessions]) => ({ addr, sessions })).sort((a, b) => (addrKey(a.addr) < addrKey(b.addr) ? -1 : addrKey(a.addr) > addrKey(b.addr) ? 1 : 0));
}

/**
 * Quick filter: every word must appear in the row's text (stream, endpoints, application,
 * states), e.g. "tls 443" or "rst". A word "#3" or "stream:3" matches that stream only.
 */
export function matchesFilter(s: TcpSession, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const hay = COLUMNS.map((c) => c.text(s)).join(' ').toLowerCase();
  return words.every((w) => {
    const m = /^(?:#|stream:)(\d+)$/.exec(w);
    if (m) return s.stream === Number(m[1]);
    return hay.includes(w);
  });
}
