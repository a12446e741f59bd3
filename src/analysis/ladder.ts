// The ladder (sequence) diagram of a TCP session as plain data: lifelines, one arrow per packet,
// and the phases found in it (three-way handshake, TLS handshake, HTTP exchanges, data
// transfer, FIN/ACK teardown, reset). The D3 view only draws this; tests check it without D3.

import type { FieldValue } from '../dissect/registry.ts';
import { formatSecFrac } from './summary.ts';
import type { TcpSession } from './sessions.ts';

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;

/** One packet of the session, as the ladder needs it (built from the store by the engine). */
export interface LadderPacket {
  index: number;
  num: number;
  sec: number;
  nsec: number;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  flags: number;
  seq: number;
  ack: number;
  len: number;
  win: number;
  analysis: number;
  protocol: string;
  info: string;
  /** Registry fields of TLS/HTTP packets (tls.handshake.type, http.request.method …). */
  fields?: Map<string, FieldValue[]>;
}

export interface LadderEndpoint {
  id: string;
  addr: string;
  port: number | null;
  /** "192.168.56.1:53574", or the address alone for host lifelines. */
  label: string;
  /** A name for the address from the capture (pcapng NRB, DNS answers), when known. */
  host?: string;
  role: 'client' | 'server' | 'host';
}

export type ArrowKind =
  | 'syn'
  | 'syn-ack'
  | 'fin'
  | 'rst'
  | 'tls-hello'
  | 'tls'
  | 'http-request'
  | 'http-response'
  | 'data'
  | 'ack';

export interface LadderArrow {
  /** Store index and frame number; -1 for a step that was not captured. */
  index: number;
  num: number;
  from: string;
  to: string;
  /** Seconds since the first arrow (float, for layout). */
  t: number;
  /** "0.000190" since the first arrow and since the previous one, at microsecond precision. */
  timeText: string;
  deltaText: string;
  flags: number;
  seq: number;
  ack: number;
  len: number;
  win: number;
  analysis: number;
  protocol: string;
  /** The label drawn on the arrow: Info without the port pair. */
  label: string;
  /** Accessible name: "#3 53574 → 80 [ACK] Seq=1 …". */
  ariaLabel: string;
  kind: ArrowKind;
  /** True for a step inferred but absent from the capture (drawn dashed). */
  missing: boolean;
}

export type PhaseKind = 'handshake' | 'tls-handshake' | 'http' | 'data' | 'teardown' | 'reset';

export interface PhaseStep {
  label: string;
  /** Position in `arrows`. */
  arrow: number;
  missing?: boolean;
}

export interface LadderPhase {
  kind: PhaseKind;
  /** "Three-way handshake · 0.19 ms" */
  label: string;
  /** First and last arrow (positions in `arrows`), inclusive. */
  first: number;
  last: number;
  steps: PhaseStep[];
  /** Facts for tooltips and reports. */
  details: Record<string, string>;
}

export interface LadderModel {
  title: string;
  stream: number | null;
  endpoints: LadderEndpoint[];
  arrows: LadderArrow[];
  phases: LadderPhase[];
}

/** "0.19 ms", "1.25 s" — human durations for phase labels. */
export function durationText(seconds: number): string {
  const a = Math.abs(seconds);
  if (a < 1e-3) return `${(seconds * 1e6).toFixed(a < 1e-5 ? 1 : 0)} µs`;
  if (a < 1) return `${(seconds * 1e3).toFixed(a < 1e-2 ? 2 : a < 1e-1 ? 1 : 0)} ms`;
  return `${seconds.toFixed(a < 10 ? 2 : 1)} s`;
}

const PORTS_RE = /^(\[[^\]]*\] )*\d+ \u2192 \d+ ?/;

/** The Info text without its "53574 → 80" port pair (the arrow shows the direction). */
export function arrowLabel(info: string): string {
  const m = PORTS_RE.exec(info);
  if (!m) return info;
  const prefix = info.slice(0, m[0].length).replace(/\d+ \u2192 \d+ ?$/, '');
  return (prefix + info.slice(m[0].length)).trim();
}

function kindOf(p: LadderPacket): ArrowKind {
  const f = p.flags;
  if (f & RST) return 'rst';
  if (f & SYN) return f & ACK ? 'syn-ack' : 'syn';
  if (f & FIN) return 'fin';
  const info = p.info;
  if (/(Client|Server) Hello|Hello Retry Request/.test(info) && /^(TLS|SSL)/.test(p.protocol)) return 'tls-hello';
  if (/^(TLS|SSL)/.test(p.protocol)) return 'tls';
  if (p.protocol.startsWith('HTTP')) return /^HTTP\/\d/.test(stripAnalysis(info)) ? 'http-response' : 'http-request';
  return p.len > 0 ? 'data' : 'ack';
}

function stripAnalysis(info: string): string {
  return info.replace(/^(\[[^\]]*\] )+/, '');
}

function relTime(p: { sec: number; nsec: number }, ref: { sec: number; nsec: number }): number {
  return p.sec - ref.sec + (p.nsec - ref.nsec) / 1e9;
}

function relText(p: { sec: number; nsec: number }, ref: { sec: number; nsec: number }): string {
  let s = p.sec - ref.sec;
  let ns = p.nsec - ref.nsec;
  if (ns < 0) {
    s--;
    ns += 1e9;
  }
  if (s < 0) return '-' + formatSecFrac(-s - (ns ? 1 : 0), ns ? 1e9 - ns : 0, 6);
  return formatSecFrac(s, ns, 6);
}

function first(v: FieldValue[] | undefined): FieldValue | undefined {
  return v?.[0];
}

const TLS_VERSIONS: Record<number, string> = {
  0x0300: 'SSL 3.0',
  0x0301: 'TLS 1.0',
  0x0302: 'TLS 1.1',
  0x0303: 'TLS 1.2',
  0x0304: 'TLS 1.3',
};

export function tlsVersionName(v: number): string {
  if (TLS_VERSIONS[v]) return TLS_VERSIONS[v]!;
  if ((v & 0xff00) === 0x7f00) return `TLS 1.3 draft ${v & 0xff}`;
  if ((v & 0x0f0f) === 0x0a0a) return 'GREASE';
  return `0x${v.toString(16).padStart(4, '0')}`;
}

export interface HostNames {
  (addr: string): string | undefined;
}

/** Builds the ladder of one TCP session. `packets` are the session's packets in capture order. */
export function buildLadder(session: TcpSession, packets: LadderPacket[], hostName: HostNames = () => undefined): LadderModel {
  const client: LadderEndpoint = {
    id: 'client',
    addr: session.client.addr,
    port: session.client.port,
    label: `${session.client.addr}:${session.client.port}`,
    host: hostName(session.client.addr),
    role: 'client',
  };
  const server: LadderEndpoint = {
    id: 'server',
    addr: session.server.addr,
    port: session.server.port,
    label: `${session.server.addr}:${session.server.port}`,
    host: hostName(session.server.addr),
    role: 'server',
  };
  const isClient = (p: LadderPacket) => p.src === client.addr && p.srcPort === client.port;
  const ref = packets[0] ?? { sec: 0, nsec: 0 };
  const arrows: LadderArrow[] = [];
  let prev = ref;
  for (const p of packets) {
    const fromClient = isClient(p);
    arrows.push(toArrow(p, fromClient ? 'client' : 'server', fromClient ? 'server' : 'client', ref, prev));
    prev = p;
  }
  const model: LadderModel = {
    title: `TCP stream ${session.stream}: ${client.label} \u2194 ${server.label}`,
    stream: session.stream,
    endpoints: [client, server],
    arrows,
    phases: [],
  };
  findPhases(model, packets);
  return model;
}

function toArrow(p: LadderPacket, from: string, to: string, ref: { sec: number; nsec: number }, prev: { sec: number; nsec: number }): LadderArrow {
  return {
    index: p.index,
    num: p.num,
    from,
    to,
    t: relTime(p, ref),
    timeText: relText(p, ref),
    deltaText: relText(p, prev),
    flags: p.flags,
    seq: p.seq,
    ack: p.ack,
    len: p.len,
    win: p.win,
    analysis: p.analysis,
    protocol: p.protocol,
    label: arrowLabel(p.info),
    ariaLabel: `#${p.num} ${ariaInfo(p)}`,
    kind: kindOf(p),
    missing: false,
  };
}

function ariaInfo(p: LadderPacket): string {
  const info = p.info;
  if (PORTS_RE.test(info)) return info;
  return `${p.srcPort} \u2192 ${p.dstPort} ${info}`;
}

/** Inserts a "not captured" arrow before position `at`. */
function insertMissing(model: LadderModel, at: number, from: string, to: string, label: string, flags: number, t: number): void {
  model.arrows.splice(at, 0, {
    index: -1,
    num: -1,
    from,
    to,
    t,
    timeText: '',
    deltaText: '',
    flags,
    seq: 0,
    ack: 0,
    len: 0,
    win: 0,
    analysis: 0,
    protocol: 'TCP',
    label: `${label} (not captured)`,
    ariaLabel: `${label} not captured`,
    kind: flags & SYN ? (flags & ACK ? 'syn-ack' : 'syn') : 'ack',
    missing: true,
  });
}

function findPhases(model: LadderModel, packets: LadderPacket[]): void {
  handshakePhase(model);
  // Positions shift when a missing step is inserted: map packets by store index from now on.
  const pos = new Map<number, number>();
  model.arrows.forEach((a, i) => a.index >= 0 && pos.set(a.index, i));
  const byIndex = new Map(packets.map((p) => [p.index, p]));
  tlsPhase(model, byIndex);
  httpPhases(model, byIndex);
  closePhases(model);
  dataPhase(model);
  model.phases.sort((a, b) => a.first - b.first || a.last - b.last);
}

function handshakePhase(model: LadderModel): void {
  const arrows = model.arrows;
  const synAt = arrows.findIndex((a) => a.kind === 'syn' && a.from === 'client');
  const synAckAt = arrows.findIndex((a) => a.kind === 'syn-ack' && a.from === 'server');
  // The client's ACK of the SYN-ACK: relative ack 1, no SYN.
  const searchFrom = Math.max(synAt, synAckAt, 0);
  let ackAt = -1;
  for (let i = searchFrom; i < arrows.length; i++) {
    const a = arrows[i]!;
    if (a.from === 'client' && a.flags & ACK && !(a.flags & (SYN | RST)) && a.ack === 1) {
      ackAt = i;
      break;
    }
  }
  if (synAt < 0 && synAckAt < 0) return;
  if (ackAt >= 0 && synAt >= 0 && ackAt < synAt) ackAt = -1;
  const steps: PhaseStep[] = [];
  let missingSynAck = false;
  if (synAt >= 0 && synAckAt < 0 && ackAt >= 0) {
    // One-direction capture (e.g. tcpdump 'dst port 80'): the SYN-ACK happened, we just did not see it.
    const t = (arrows[synAt]!.t + arrows[ackAt]!.t) / 2;
    insertMissing(model, ackAt, 'server', 'client', '[SYN, ACK]', SYN | ACK, t);
    missingSynAck = true;
    ackAt++;
  }
  const synAckPos = missingSynAck ? ackAt - 1 : synAckAt;
  if (synAt >= 0) steps.push({ label: 'SYN', arrow: synAt });
  if (synAckPos >= 0) steps.push({ label: 'SYN-ACK', arrow: synAckPos, missing: missingSynAck || undefined });
  if (ackAt >= 0) steps.push({ label: 'ACK', arrow: ackAt });
  const firstAt = Math.min(...steps.map((s) => s.arrow));
  const lastAt = Math.max(...steps.map((s) => s.arrow));
  const details: Record<string, string> = {};
  let label = 'Three-way handshake';
  if (synAt >= 0 && ackAt >= 0) {
    const rtt = arrows[ackAt]!.t - arrows[synAt]!.t;
    details['Round-trip time (SYN → ACK)'] = durationText(rtt);
    label += ` \u00b7 ${durationText(rtt)}`;
  }
  const missing = [synAt < 0 && 'SYN', (synAckAt < 0) && 'SYN-ACK', ackAt < 0 && 'ACK'].filter(Boolean) as string[];
  if (missing.length) {
    details['Not captured'] = missing.join(', ');
    label += ` (${missing.join(', ')} not captured)`;
  }
  model.phases.push({ kind: 'handshake', label, first: firstAt, last: lastAt, steps, details });
}

function tlsPhase(model: LadderModel, byIndex: Map<number, LadderPacket>): void {
  const arrows = model.arrows;
  const chAt = arrows.findIndex((a) => a.kind === 'tls-hello' && /Client Hello/.test(a.label));
  if (chAt < 0) return;
  const shAt = arrows.findIndex((a, i) => i > chAt && a.kind === 'tls-hello' && /Server Hello/.test(a.label));
  const details: Record<string, string> = {};
  const steps: PhaseStep[] = [{ label: 'Client Hello', arrow: chAt }];
  const ch = byIndex.get(arrows[chAt]!.index);
  const sni = first(ch?.fields?.get('tls.handshake.extensions_server_name'));
  if (sni) details['Server name (SNI)'] = String(sni);
  const alpn = ch?.fields?.get('tls.handshake.extensions_alpn_str');
  if (alpn?.length) details['ALPN offered'] = alpn.map(String).join(', ');
  const offered = ch?.fields?.get('tls.handshake.extensions.supported_version');
  if (offered?.length) {
    details['Versions offered'] = offered.map((v) => tlsVersionName(Number(v))).filter((v) => v !== 'GREASE').join(', ');
  }
  let version = '';
  if (shAt >= 0) {
    steps.push({ label: 'Server Hello', arrow: shAt });
    const sh = byIndex.get(arrows[shAt]!.index);
    const sv = first(sh?.fields?.get('tls.handshake.extensions.supported_version'));
    const legacy = first(sh?.fields?.get('tls.handshake.version'));
    const v = sv !== undefined ? Number(sv) : legacy !== undefined ? Number(legacy) : NaN;
    if (!Number.isNaN(v)) {
      version = tlsVersionName(v);
      details['Version chosen'] = version;
    }
    const alpnChosen = first(sh?.fields?.get('tls.handshake.extensions_alpn_str'));
    if (alpnChosen) details['ALPN chosen'] = String(alpnChosen);
  }
  // The end of the handshake: TLS 1.3 — the client's first encrypted flight after the
  // Server Hello (its Finished); TLS 1.2 — the later of the two Finished messages
  // ("Encrypted Handshake Message" after Change Cipher Spec).
  let endAt = shAt >= 0 ? shAt : chAt;
  if (shAt >= 0) {
    if (version === 'TLS 1.3' || version.startsWith('TLS 1.3')) {
      const fin = arrows.findIndex((a, i) => i > shAt && a.from === 'client' && /^(TLS|SSL)/.test(a.protocol) && /Application Data|Finished/.test(a.label));
      if (fin >= 0) {
        endAt = fin;
        steps.push({ label: 'Client Finished', arrow: fin });
      }
    } else {
      let finishes = 0;
      for (let i = shAt; i < arrows.length; i++) {
        const a = arrows[i]!;
        if (/Change Cipher Spec/.test(a.label) && /Encrypted Handshake Message|Finished/.test(a.label)) {
          endAt = i;
          finishes++;
          steps.push({ label: `${a.from === 'client' ? 'Client' : 'Server'} Finished`, arrow: i });
          if (finishes === 2) break;
        }
      }
    }
  }
  const dur = arrows[endAt]!.t - arrows[chAt]!.t;
  details['Duration'] = durationText(dur);
  const label = `TLS handshake${version ? ` (${version})` : ''} \u00b7 ${durationText(dur)}`;
  model.phases.push({ kind: 'tls-handshake', label, first: chAt, last: endAt, steps, details });
}

function httpPhases(model: LadderModel, byIndex: Map<number, LadderPacket>): void {
  const arrows = model.arrows;
  // HTTP/1.x answers requests in order (RFC 9112 §9.3.2), pipelined or not: pair them FIFO.
  const requests: number[] = [];
  const responses: number[] = [];
  arrows.forEach((a, i) => {
    if (a.kind === 'http-request' && a.from === 'client') requests.push(i);
    else if (a.kind === 'http-response' && a.from === 'server') responses.push(i);
  });
  let r = 0;
  for (const i of requests) {
    const req = arrows[i]!;
    while (r < responses.length && responses[r]! < i) r++;
    const resAt = r < responses.length ? responses[r++]! : -1;
    const p = byIndex.get(req.index);
    const method = first(p?.fields?.get('http.request.method'));
    const uri = first(p?.fields?.get('http.request.uri'));
    const details: Record<string, string> = {};
    const reqText = method ? `${method} ${uri ?? ''}`.trim() : stripAnalysis(req.label).replace(/ HTTP\/\d\.\d\s*$/, '').trim();
    details['Request'] = reqText;
    const steps: PhaseStep[] = [{ label: 'Request', arrow: i }];
    let label = `HTTP ${reqText}`;
    let last = i;
    if (resAt >= 0) {
      const res = arrows[resAt]!;
      const rp = byIndex.get(res.index);
      const code = first(rp?.fields?.get('http.response.code'));
      const phrase = first(rp?.fields?.get('http.response.phrase'));
      const status = code !== undefined ? `${code} ${phrase ?? ''}`.trim() : stripAnalysis(res.label).replace(/^HTTP\/\d\.\d /, '').trim();
      details['Response'] = status;
      // Time to first byte: from the request to the first server segment carrying data.
      let firstByte = resAt;
      for (let j = i + 1; j <= resAt; j++) {
        if (arrows[j]!.from === 'server' && arrows[j]!.len > 0) {
          firstByte = j;
          break;
        }
      }
      const ttfb = arrows[firstByte]!.t - req.t;
      details['Time to first byte'] = durationText(ttfb);
      details['Complete after'] = durationText(res.t - req.t);
      if (firstByte !== resAt) steps.push({ label: 'First byte', arrow: firstByte });
      steps.push({ label: 'Response', arrow: resAt });
      label += ` \u2192 ${status} \u00b7 TTFB ${durationText(ttfb)}`;
      last = resAt;
    } else {
      details['Response'] = 'not seen';
      label += ' (no response seen)';
    }
    model.phases.push({ kind: 'http', label, first: i, last, steps, details });
  }
}

function closePhases(model: LadderModel): void {
  const arrows = model.arrows;
  const rstAt = arrows.findIndex((a) => a.kind === 'rst');
  const finAts: number[] = [];
  for (let i = 0; i < arrows.length; i++) if (arrows[i]!.flags & FIN && !arrows[i]!.missing) finAts.push(i);
  if (finAts.length) {
    const firstFin = arrows[finAts[0]!]!;
    const closer = firstFin.from;
    const other = closer === 'client' ? 'server' : 'client';
    const otherFinAt = finAts.find((i) => arrows[i]!.from === other);
    const steps: PhaseStep[] = [{ label: `FIN from ${closer}`, arrow: finAts[0]! }];
    // The ACK of a FIN acknowledges its sequence number + length + 1.
    const ackOf = (finAt: number): number => {
      const fin = arrows[finAt]!;
      const want = (fin.seq + fin.len + 1) >>> 0;
      for (let i = finAt + 1; i < arrows.length; i++) {
        const a = arrows[i]!;
        if (a.from !== fin.from && a.flags & ACK && a.ack >>> 0 === want) return i;
      }
      return -1;
    };
    const ack1 = ackOf(finAts[0]!);
    if (ack1 >= 0) steps.push({ label: `ACK of ${closer}'s FIN`, arrow: ack1 });
    let last = Math.max(finAts[0]!, ack1);
    const details: Record<string, string> = { 'Closed first by': closer };
    if (otherFinAt !== undefined) {
      steps.push({ label: `FIN from ${other}`, arrow: otherFinAt });
      const ack2 = ackOf(otherFinAt);
      if (ack2 >= 0) steps.push({ label: `ACK of ${other}'s FIN`, arrow: ack2 });
      last = Math.max(last, otherFinAt, ack2);
      // Simultaneous close (RFC 9293 §3.6): each side sent its FIN before seeing the other's.
      if (otherFinAt < (ack1 >= 0 ? ack1 : Infinity) && arrows[otherFinAt]!.ack !== ((firstFin.seq + firstFin.len + 1) >>> 0)) {
        details['Simultaneous close'] = 'yes: both FINs crossed';
      }
    } else details['Other side'] = 'did not send a FIN in the capture';
    steps.sort((a, b) => a.arrow - b.arrow);
    const simultaneous = details['Simultaneous close'] ? ' (simultaneous)' : '';
    model.phases.push({
      kind: 'teardown',
      label: `Teardown \u00b7 ${closer} closed first${simultaneous}`,
      first: Math.min(...steps.map((s) => s.arrow)),
      last,
      steps,
      details,
    });
  }
  if (rstAt >= 0) {
    const who = arrows[rstAt]!.from;
    model.phases.push({
      kind: 'reset',
      label: `Reset by ${who}`,
      first: rstAt,
      last: rstAt,
      steps: [{ label: `RST from ${who}`, arrow: rstAt }],
      details: { 'Reset by': who },
    });
  }
}

function dataPhase(model: LadderModel): void {
  const arrows = model.arrows;
  const taken = new Set<number>();
  for (const ph of model.phases) if (ph.kind === 'handshake' || ph.kind === 'teardown' || ph.kind === 'reset' || ph.kind === 'tls-handshake') {
    for (let i = ph.first; i <= ph.last; i++) taken.add(i);
  }
  let firstAt = -1;
  let lastAt = -1;
  const bytes = { client: 0, server: 0 };
  let segments = 0;
  for (let i = 0; i < arrows.length; i++) {
    const a = arrows[i]!;
    if (a.missing || a.len === 0 || taken.has(i)) continue;
    if (firstAt < 0) firstAt = i;
    lastAt = i;
    segments++;
    bytes[a.from === 'client' ? 'client' : 'server'] += a.len;
  }
  if (firstAt < 0) return;
  const dur = arrows[lastAt]!.t - arrows[firstAt]!.t;
  model.phases.push({
    kind: 'data',
    label: `Data transfer \u00b7 ${segmentsText(segments)}, ${bytesText(bytes.client + bytes.server)}`,
    first: firstAt,
    last: lastAt,
    steps: [],
    details: {
      'Client → server': bytesText(bytes.client),
      'Server → client': bytesText(bytes.server),
      Duration: durationText(dur),
    },
  });
}

function segmentsText(n: number): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'segment' : 'segments'}`;
}

export function bytesText(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

// ---- several sessions in one ladder: a lifeline per host (client → balancer → backend) ----

export interface SessionPackets {
  session: TcpSession;
  packets: LadderPacket[];
}

/**
 * One ladder for several sessions with a lifeline per host address, so that a request relayed
 * by a proxy reads top to bottom. Arrow labels keep their ports ("53574 → 80 [SYN]") and the
 * phases of each session are kept, prefixed with the stream number.
 */
export function buildHostLadder(items: SessionPackets[], hostName: HostNames = () => undefined): LadderModel {
  // Lifelines in order of first appearance, clients first so that requests flow left to right.
  const order: string[] = [];
  const addHost = (a: string) => {
    if (!order.includes(a)) order.push(a);
  };
  const byStart = [...items].sort((a, b) => a.session.first - b.session.first);
  for (const it of byStart) addHost(it.session.client.addr);
  for (const it of byStart) addHost(it.session.server.addr);
  const endpoints: LadderEndpoint[] = order.map((addr) => ({ id: addr, addr, port: null, label: addr, host: hostName(addr), role: 'host' }));
  const all = items.flatMap((it) => it.packets.map((p) => ({ p, it })));
  all.sort((a, b) => a.p.index - b.p.index);
  const ref = all[0]?.p ?? { sec: 0, nsec: 0 };
  const arrows: LadderArrow[] = [];
  let prev: { sec: number; nsec: number } = ref;
  const posOf = new Map<number, number>();
  for (const { p } of all) {
    const a = toArrow(p, p.src, p.dst, ref, prev);
    a.label = `${p.srcPort} \u2192 ${p.dstPort} ${a.label}`;
    posOf.set(p.index, arrows.length);
    arrows.push(a);
    prev = p;
  }
  const phases: LadderPhase[] = [];
  for (const it of items) {
    const single = buildLadder(it.session, it.packets, hostName);
    for (const ph of single.phases) {
      if (ph.kind === 'data') continue;
      const map = (i: number) => posOf.get(single.arrows[i]!.index);
      const steps = ph.steps.filter((s) => !single.arrows[s.arrow]!.missing).map((s) => ({ ...s, arrow: map(s.arrow)! })).filter((s) => s.arrow !== undefined);
      const at = steps.map((s) => s.arrow);
      const firstPos = map(ph.first) ?? Math.min(...at);
      const lastPos = map(ph.last) ?? Math.max(...at);
      if (!Number.isFinite(firstPos) || !Number.isFinite(lastPos)) continue;
      phases.push({ ...ph, label: `Stream ${it.session.stream}: ${ph.label}`, first: firstPos, last: lastPos, steps });
    }
  }
  phases.sort((a, b) => a.first - b.first || a.last - b.last);
  const streams = items.map((i) => i.session.stream).sort((a, b) => a - b);
  return {
    title: `Host flow: ${order.join(' \u2194 ')} (TCP streams ${streams.join(', ')})`,
    stream: null,
    endpoints,
    arrows,
    phases,
  };
}

// ---- long sessions: runs of plain data segments collapse into one labelled arrow ----

export type DisplayItem =
  | { type: 'arrow'; pos: number }
  | {
      type: 'run';
      /** Positions in `arrows`, inclusive. */
      first: number;
      last: number;
      count: number;
      /** Payload bytes each way inside the run. */
      bytes: Record<string, number>;
      /** Endpoint ids: the main direction of the data. */
      from: string;
      to: string;
      label: string;
    };

/**
 * Groups maximal runs of ordinary data/ACK arrows (no analysis flags, not a phase step) of at
 * least `minRun` arrows. `expanded` holds the `first` position of runs the user opened.
 */
export function collapseRuns(model: LadderModel, minRun = 12, expanded: ReadonlySet<number> = new Set()): DisplayItem[] {
  const keep = new Set<number>();
  for (const ph of model.phases) for (const s of ph.steps) keep.add(s.arrow);
  const plain = (i: number) => {
    const a = model.arrows[i]!;
    return (a.kind === 'data' || a.kind === 'ack' || a.kind === 'tls') && !a.analysis && !a.missing && !keep.has(i) && !/Hello|Alert|Change Cipher/.test(a.label);
  };
  const out: DisplayItem[] = [];
  const n = model.arrows.length;
  for (let i = 0; i < n; ) {
    if (!plain(i)) {
      out.push({ type: 'arrow', pos: i });
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < n && plain(j + 1)) j++;
    const count = j - i + 1;
    if (count < minRun || expanded.has(i)) {
      for (let k = i; k <= j; k++) out.push({ type: 'arrow', pos: k });
    } else {
      const bytes: Record<string, number> = {};
      for (let k = i; k <= j; k++) {
        const a = model.arrows[k]!;
        bytes[a.from] = (bytes[a.from] ?? 0) + a.len;
      }
      const dirs = Object.entries(bytes).sort((a, b) => b[1] - a[1]);
      const from = dirs[0]![0];
      const to = model.arrows.slice(i, j + 1).find((a) => a.from === from)!.to;
      const total = dirs.reduce((s, [, b]) => s + b, 0);
      out.push({
        type: 'run',
        first: i,
        last: j,
        count,
        bytes,
        from,
        to,
        label: `\u2026 ${segmentsText(count)}, ${bytesText(total)}`,
      });
    }
    i = j + 1;
  }
  return out;
}
