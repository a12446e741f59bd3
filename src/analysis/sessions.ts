// TCP sessions (one per tcp.stream) computed from the packet store's columns in one pass:
// who the client is, what each side sent, how the session opened and how it closed.

import type { PacketStore } from '../store/packet-store.ts';

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;

export type HandshakeState = 'complete' | 'partial' | 'none';
export type CloseState = 'fin-both' | 'fin-client' | 'fin-server' | 'rst-client' | 'rst-server' | 'open';
export type ClientBasis = 'syn' | 'syn-ack' | 'port';

export interface Endpoint {
  addr: string;
  port: number;
}

export interface TcpSession {
  stream: number;
  client: Endpoint;
  server: Endpoint;
  /** How the client side was decided: it sent the first SYN, received the first SYN-ACK, or has the ephemeral port. */
  clientBasis: ClientBasis;
  /** Frames each way: [client → server, server → client]. */
  packets: [number, number];
  /** Bytes on the wire (frame lengths) each way, like Wireshark's Conversations. */
  bytes: [number, number];
  /** TCP payload bytes each way. */
  payload: [number, number];
  /** Index (0-based, store order) of the first and last packet. */
  first: number;
  last: number;
  startSec: number;
  startNsec: number;
  /** Seconds from the capture's first packet to this session's first packet (Wireshark's frame.time_relative). */
  relStart: number;
  /** Seconds from the first to the last packet. */
  duration: number;
  /** "HTTP", "TLS", or the top protocol seen ("TCP" when nothing rode on it). */
  application: string;
  /** Server name from a TLS Client Hello, when seen. */
  sni: string | null;
  handshake: HandshakeState;
  /** Which handshake steps were captured: SYN, SYN-ACK, ACK. */
  handshakeSeen: { syn: boolean; synAck: boolean; ack: boolean };
  close: CloseState;
  /** Packets flagged by TCP analysis (retransmissions, lost segments …). */
  problems: number;
}

interface Acc {
  s: TcpSession;
  aAddr: number;
  aPort: number;
  /** Direction of the first packet's sender (A) vs the client: true when A is the client. */
  aIsClient: boolean | null;
  fin: [boolean, boolean];
  rst: [boolean, boolean];
  dirCounts: { packets: [number, number]; bytes: [number, number]; payload: [number, number] };
  synFrom: 0 | 1 | -1;
  synAckFrom: 0 | 1 | -1;
  ackAfterSynAck: boolean;
  protos: Set<string>;
}

/** One session per TCP stream, in stream order. */
export function computeSessions(store: PacketStore, serverNameOf: (stream: number) => string | undefined): TcpSession[] {
  const acc: Acc[] = [];
  const strings = store.strings;
  for (let i = 0; i < store.count; i++) {
    const stream = store.tcpStreamOf(i);
    if (stream < 0) continue;
    let a = acc[stream];
    if (!a) {
      a = {
        s: {
          stream,
          client: { addr: '', port: 0 },
          server: { addr: '', port: 0 },
          clientBasis: 'port',
          packets: [0, 0],
          bytes: [0, 0],
          payload: [0, 0],
          first: i,
          last: i,
          startSec: store.tsSec[i]!,
          startNsec: store.tsNsec[i]!,
          relStart: store.tsSec[i]! - store.tsSec[0]! + (store.tsNsec[i]! - store.tsNsec[0]!) / 1e9,
          duration: 0,
          application: 'TCP',
          sni: null,
          handshake: 'none',
          handshakeSeen: { syn: false, synAck: false, ack: false },
          close: 'open',
          problems: 0,
        },
        aAddr: store.src[i]!,
        aPort: store.srcPort[i]!,
        aIsClient: null,
        fin: [false, false],
        rst: [false, false],
        dirCounts: { packets: [0, 0], bytes: [0, 0], payload: [0, 0] },
        synFrom: -1,
        synAckFrom: -1,
        ackAfterSynAck: false,
        protos: new Set(),
      };
      acc[stream] = a;
    }
    const dir: 0 | 1 = store.src[i] === a.aAddr && store.srcPort[i] === a.aPort ? 0 : 1;
    const flags = store.tcpFlags[i]!;
    const s = a.s;
    s.last = i;
    a.dirCounts.packets[dir]++;
    a.dirCounts.bytes[dir] += store.origLen[i]!;
    a.dirCounts.payload[dir] += store.tcpLen[i]!;
    if (store.tcpAnalysisOf(i)) s.problems++;
    if ((flags & (SYN | ACK)) === SYN && a.synFrom < 0) a.synFrom = dir;
    if ((flags & (SYN | ACK)) === (SYN | ACK) && a.synAckFrom < 0) a.synAckFrom = dir;
    if ((flags & (SYN | ACK | RST | FIN)) === ACK && !a.ackAfterSynAck) {
      // The handshake's ACK: from the client, acknowledging the server's SYN (relative ack 1).
      const fromClient = a.synFrom >= 0 ? dir === a.synFrom : a.synAckFrom >= 0 ? dir !== a.synAckFrom : false;
      if (fromClient && store.tcpAckOf(i) === 1 && (a.synFrom >= 0 || a.synAckFrom >= 0)) a.ackAfterSynAck = true;
    }
    if (flags & FIN) a.fin[dir] = true;
    if (flags & RST) a.rst[dir] = true;
    const proto = strings.get(store.proto[i]!);
    if (proto !== 'TCP') {
      a.protos.add(proto);
    }
  }

  const out: TcpSession[] = [];
  for (const a of acc) {
    if (!a) continue;
    const s = a.s;
    // Decide the client: first SYN sender, else SYN-ACK receiver, else the ephemeral port side.
    let clientDir: 0 | 1;
    if (a.synFrom >= 0) {
      clientDir = a.synFrom as 0 | 1;
      s.clientBasis = 'syn';
    } else if (a.synAckFrom >= 0) {
      clientDir = (a.synAckFrom ^ 1) as 0 | 1;
      s.clientBasis = 'syn-ack';
    } else {
      const first = s.first;
      const portA = store.srcPort[first]!;
      const portB = store.dstPort[first]!;
      // The server usually has the lower, well-known port.
      clientDir = portA >= portB ? 0 : 1;
      s.clientBasis = 'port';
    }
    const f = s.first;
    const epA: Endpoint = { addr: strings.get(store.src[f]!), port: store.srcPort[f]! };
    const epB: Endpoint = { addr: strings.get(store.dst[f]!), port: store.dstPort[f]! };
    s.client = clientDir === 0 ? epA : epB;
    s.server = clientDir === 0 ? epB : epA;
    const c = clientDir;
    const sv = (c ^ 1) as 0 | 1;
    s.packets = [a.dirCounts.packets[c], a.dirCounts.packets[sv]];
    s.bytes = [a.dirCounts.bytes[c], a.dirCounts.bytes[sv]];
    s.payload = [a.dirCounts.payload[c], a.dirCounts.payload[sv]];
    s.duration = store.tsSec[s.last]! - s.startSec + (store.tsNsec[s.last]! - s.startNsec) / 1e9;
    s.handshakeSeen = { syn: a.synFrom >= 0, synAck: a.synAckFrom >= 0, ack: a.ackAfterSynAck };
    const seen = Number(s.handshakeSeen.syn) + Number(s.handshakeSeen.synAck) + Number(s.handshakeSeen.ack);
    s.handshake = seen === 3 ? 'complete' : seen > 0 ? 'partial' : 'none';
    if (a.rst[c] || a.rst[sv]) s.close = a.rst[c] ? 'rst-client' : 'rst-server';
    else if (a.fin[c] && a.fin[sv]) s.close = 'fin-both';
    else if (a.fin[c]) s.close = 'fin-client';
    else if (a.fin[sv]) s.close = 'fin-server';
    else s.close = 'open';
    s.application = applicationOf(a.protos);
    s.sni = serverNameOf(s.stream) ?? null;
    out.push(s);
  }
  return out;
}

function applicationOf(protos: Set<string>): string {
  let tls = false;
  let http = false;
  let other = '';
  for (const p of protos) {
    if (p.startsWith('TLS') || p.startsWith('SSL')) tls = true;
    else if (p.startsWith('HTTP')) http = true;
    else if (!other) other = p;
  }
  if (tls) return 'TLS';
  if (http) return 'HTTP';
  return other || 'TCP';
}

export const CLOSE_TEXT: Record<CloseState, string> = {
  'fin-both': 'FIN both ways',
  'fin-client': 'FIN from client only',
  'fin-server': 'FIN from server only',
  'rst-client': 'RST by client',
  'rst-server': 'RST by server',
  open: 'still open',
};

export function handshakeText(s: TcpSession): string {
  if (s.handshake === 'complete') return 'complete';
  if (s.handshake === 'none') return 'none (started before the capture)';
  const missing = [!s.handshakeSeen.syn && 'SYN', !s.handshakeSeen.synAck && 'SYN-ACK', !s.handshakeSeen.ack && 'ACK'].filter(Boolean);
  return `partial (${missing.join(', ')} not captured)`;
}
