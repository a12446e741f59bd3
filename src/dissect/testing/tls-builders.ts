// Test-only builders for TLS records/handshakes and for TCP conversations carrying them
// (used by tls.test.ts and http.test.ts). Every byte is written by the test, per RFC 8446 /
// RFC 5246 structures, so the fixtures carry no captured data.

import { writePcap } from '../../capture/testing/writer.ts';
import { ACK, bytes, eth, ipv4, PSH, tcp, u16 } from './packets.ts';

export function u24(n: number): number[] {
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function vec8(b: Uint8Array | number[]): Uint8Array {
  return bytes([b.length], b);
}
function vec16(b: Uint8Array | number[]): Uint8Array {
  return bytes(u16(b.length), b);
}

/** TLSPlaintext (RFC 8446 §5.1). `length` overrides the length field (malformed tests). */
export function record(type: number, version: number, body: Uint8Array | number[], length?: number): Uint8Array {
  return bytes([type], u16(version), u16(length ?? body.length), body);
}

/** Handshake message (RFC 8446 §4). */
export function handshake(type: number, body: Uint8Array | number[], length?: number): Uint8Array {
  return bytes([type], u24(length ?? body.length), body);
}

export function ext(type: number, data: Uint8Array | number[]): Uint8Array {
  return bytes(u16(type), vec16(data));
}

/** server_name (RFC 6066 §3): one host_name entry. */
export function sniExt(name: string): Uint8Array {
  const n = new TextEncoder().encode(name);
  return ext(0, vec16(bytes([0], vec16(n))));
}

/** application_layer_protocol_negotiation (RFC 7301 §3.1). */
export function alpnExt(protos: string[]): Uint8Array {
  const list = bytes(...protos.map((p) => vec8(new TextEncoder().encode(p))));
  return ext(16, vec16(list));
}

/** supported_versions, ClientHello form (RFC 8446 §4.2.1). */
export function supportedVersionsClient(vs: number[]): Uint8Array {
  return ext(43, vec8(vs.flatMap(u16)));
}

/** supported_versions, ServerHello / HelloRetryRequest form. */
export function supportedVersionServer(v: number): Uint8Array {
  return ext(43, u16(v));
}

export function groupsExt(gs: number[]): Uint8Array {
  return ext(10, vec16(gs.flatMap(u16)));
}

export function sigAlgsExt(ss: number[]): Uint8Array {
  return ext(13, vec16(ss.flatMap(u16)));
}

/** key_share, ClientHello form: entries of (group, key). */
export function keyShareClient(entries: [number, number][]): Uint8Array {
  return ext(51, vec16(bytes(...entries.map(([g, n]) => bytes(u16(g), vec16(new Uint8Array(n).fill(0x42)))))));
}

/** key_share, ServerHello form. */
export function keyShareServer(group: number, keyLen: number): Uint8Array {
  return ext(51, bytes(u16(group), vec16(new Uint8Array(keyLen).fill(0x24))));
}

/** key_share, HelloRetryRequest form: the selected group only. */
export function keyShareHrr(group: number): Uint8Array {
  return ext(51, u16(group));
}

export function random(seed: number): Uint8Array {
  const r = new Uint8Array(32);
  for (let i = 0; i < 32; i++) r[i] = (seed * 31 + i * 7) & 255;
  return r;
}

/** The special Random of a HelloRetryRequest (RFC 8446 §4.1.3): SHA-256("HelloRetryRequest"). */
export const HRR_RANDOM = Uint8Array.from([
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
]);

export interface HelloOpts {
  version?: number;
  random?: Uint8Array;
  sessionId?: Uint8Array;
  suites?: number[];
  extensions?: Uint8Array[];
}

export function clientHello(o: HelloOpts = {}): Uint8Array {
  const exts = bytes(...(o.extensions ?? []));
  return handshake(1, bytes(
    u16(o.version ?? 0x0303),
    o.random ?? random(1),
    vec8(o.sessionId ?? new Uint8Array(0)),
    vec16((o.suites ?? [0x1301, 0xc02f, 0x009c]).flatMap(u16)),
    vec8([0]),
    o.extensions ? vec16(exts) : [],
  ));
}

export function serverHello(o: HelloOpts & { suite?: number } = {}): Uint8Array {
  const exts = bytes(...(o.extensions ?? []));
  return handshake(2, bytes(
    u16(o.version ?? 0x0303),
    o.random ?? random(2),
    vec8(o.sessionId ?? new Uint8Array(0)),
    u16(o.suite ?? 0xc02f),
    [0],
    o.extensions ? vec16(exts) : [],
  ));
}

export const CCS = 20;
export const ALERT = 21;
export const HANDSHAKE = 22;
export const APPDATA = 23;

export function filler(n: number, seed = 0x5a): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (seed + i * 13) & 255;
  return b;
}

/**
 * A TCP connection between a client and a server over IPv4/Ethernet, with consistent sequence
 * numbers: `c(payload)` sends from the client, `s(payload)` from the server.
 */
export class TcpConv {
  private cseq = 1000;
  private sseq = 5000;
  readonly frames: Uint8Array[] = [];
  constructor(readonly cport = 50000, readonly sport = 443, readonly caddr = '192.0.2.1', readonly saddr = '198.51.100.7') {}

  c(payload: Uint8Array | string, skip = 0): this {
    const p = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
    this.cseq += skip;
    this.frames.push(eth(ipv4(tcp({ sport: this.cport, dport: this.sport, seq: this.cseq, ack: this.sseq, flags: ACK | PSH, payload: p }), { src: this.caddr, dst: this.saddr })));
    this.cseq += p.length;
    return this;
  }

  s(payload: Uint8Array | string, skip = 0): this {
    const p = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
    this.sseq += skip;
    this.frames.push(eth(ipv4(tcp({ sport: this.sport, dport: this.cport, seq: this.sseq, ack: this.cseq, flags: ACK | PSH, payload: p }), { src: this.saddr, dst: this.caddr })));
    this.sseq += p.length;
    return this;
  }

  /** The frames as a classic pcap (to run tshark on the same bytes). */
  pcap(): Uint8Array {
    return writePcap(this.frames.map((data, i) => ({ data, tsSec: 1_700_000_000, tsNsec: i * 1_000_000 })));
  }
}

/** Splits bytes into pieces of the given sizes (the last piece takes the rest). */
export function split(b: Uint8Array, ...sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let o = 0;
  for (const s of sizes) {
    out.push(b.subarray(o, o + s));
    o += s;
  }
  out.push(b.subarray(o));
  return out;
}
