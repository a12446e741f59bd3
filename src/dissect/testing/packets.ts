// Test-only packet builders: craft Ethernet/IP/TCP/UDP frames byte by byte so that each
// protocol's tests own their fixtures, then decode them the way the app does.
//
//   const cap = decodeFrames([
//     eth(ipv4(tcp({ sport: 53574, dport: 80, flags: SYN, seq: 1000, options: [mss(1460)] }))),
//   ]);
//   cap.rows[0].info  // "53574 → 80 [SYN] Seq=0 Win=64240 Len=0 MSS=1460"

import { DecodedCapture } from '../../analysis/decoded.ts';
import { readCaptureBuffer } from '../../capture/reader.ts';
import { writePcap, type TestPacket } from '../../capture/testing/writer.ts';
import { tsharkLine } from '../../analysis/summary.ts';
import type { TreeItem } from '../tree.ts';
import '../index.ts';

export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;
export const URG = 0x20;

export function bytes(...parts: (Uint8Array | number[] | string)[]): Uint8Array {
  const arrs = parts.map((p) => (typeof p === 'string' ? new TextEncoder().encode(p) : p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(arrs.reduce((n, a) => n + a.length, 0));
  let o = 0;
  for (const a of arrs) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}

export function u16(n: number): number[] {
  return [(n >> 8) & 255, n & 255];
}

export function u32(n: number): number[] {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}

export function ipv4Addr(s: string): number[] {
  return s.split('.').map(Number);
}

export function ipv6Addr(s: string): number[] {
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':').filter(Boolean) : [];
  const t = tail !== undefined && tail ? tail.split(':') : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => u16(parseInt(g, 16)));
}

export function mac(s: string): number[] {
  return s.split(':').map((x) => parseInt(x, 16));
}

export interface EthOpts {
  src?: string;
  dst?: string;
  type?: number;
}

export function eth(payload: Uint8Array, o: EthOpts = {}): Uint8Array {
  return bytes(mac(o.dst ?? '00:00:5e:00:53:02'), mac(o.src ?? '00:00:5e:00:53:01'), u16(o.type ?? 0x0800), payload);
}

/** Internet checksum (RFC 1071). */
export function checksum(b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += (b[i]! << 8) | (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

export interface Ipv4Opts {
  src?: string;
  dst?: string;
  proto?: number;
  ttl?: number;
  id?: number;
  /** Fragment offset in bytes (multiple of 8). */
  fragOffset?: number;
  mf?: boolean;
  df?: boolean;
  options?: number[];
  /** Overrides the total length field. */
  totalLength?: number;
}

export function ipv4(payload: Uint8Array, o: Ipv4Opts = {}): Uint8Array {
  const opts = o.options ?? [];
  const hlen = 20 + opts.length;
  const total = o.totalLength ?? hlen + payload.length;
  const flags = (o.df ? 0x4000 : 0) | (o.mf ? 0x2000 : 0) | ((o.fragOffset ?? 0) >> 3);
  const h = bytes(
    [0x40 | (hlen >> 2), 0],
    u16(total),
    u16(o.id ?? 0x1234),
    u16(flags),
    [o.ttl ?? 64, o.proto ?? 6, 0, 0],
    ipv4Addr(o.src ?? '192.0.2.1'),
    ipv4Addr(o.dst ?? '192.0.2.2'),
    opts,
  );
  const c = checksum(h);
  h[10] = c >> 8;
  h[11] = c & 255;
  return bytes(h, payload);
}

export interface Ipv6Opts {
  src?: string;
  dst?: string;
  next?: number;
  hopLimit?: number;
  /** Extension headers already encoded, placed before the payload (set `next` to the first one). */
  ext?: Uint8Array;
}

export function ipv6(payload: Uint8Array, o: Ipv6Opts = {}): Uint8Array {
  const ext = o.ext ?? new Uint8Array(0);
  return bytes([0x60, 0, 0, 0], u16(ext.length + payload.length), [o.next ?? 6, o.hopLimit ?? 64],
    ipv6Addr(o.src ?? '2001:db8::1'), ipv6Addr(o.dst ?? '2001:db8::2'), ext, payload);
}

export interface TcpOpts {
  sport?: number;
  dport?: number;
  seq?: number;
  ack?: number;
  flags?: number;
  win?: number;
  urg?: number;
  options?: number[];
  payload?: Uint8Array | string;
}

export function tcp(o: TcpOpts = {}): Uint8Array {
  const opts = [...(o.options ?? [])];
  while (opts.length % 4) opts.push(1); // NOP padding... placed after; pad with EOL-safe NOPs
  const hlen = 20 + opts.length;
  const payload = typeof o.payload === 'string' ? new TextEncoder().encode(o.payload) : o.payload ?? new Uint8Array(0);
  return bytes(u16(o.sport ?? 40000), u16(o.dport ?? 80), u32(o.seq ?? 1000), u32(o.ack ?? 0),
    [((hlen / 4) << 4) | (((o.flags ?? ACK) >> 8) & 0x0f), (o.flags ?? ACK) & 0xff], u16(o.win ?? 64240), [0, 0], u16(o.urg ?? 0), opts, payload);
}

export const mss = (v: number) => [2, 4, ...u16(v)];
export const wscale = (shift: number) => [3, 3, shift];
export const sackPerm = () => [4, 2];
export const timestamps = (val: number, ecr: number) => [8, 10, ...u32(val), ...u32(ecr)];
export const nop = () => [1];
export const sack = (...edges: [number, number][]) => [5, 2 + 8 * edges.length, ...edges.flatMap(([l, r]) => [...u32(l), ...u32(r)])];

export interface UdpOpts {
  sport?: number;
  dport?: number;
  payload?: Uint8Array | string;
  /** Overrides the length field. */
  length?: number;
}

export function udp(o: UdpOpts = {}): Uint8Array {
  const payload = typeof o.payload === 'string' ? new TextEncoder().encode(o.payload) : o.payload ?? new Uint8Array(0);
  return bytes(u16(o.sport ?? 40000), u16(o.dport ?? 53), u16(o.length ?? 8 + payload.length), [0, 0], payload);
}

export interface FrameSpec {
  data: Uint8Array;
  /** Seconds since the start (default: 1 ms apart). */
  t?: number;
  origLen?: number;
}

/** The frames as a classic pcap (µs), timed from a fixed start: what decodeFrames reads, for tshark too. */
export function framesPcap(frames: (Uint8Array | FrameSpec)[], linkType = 1, file: { bigEndian?: boolean } = {}): Uint8Array {
  const base = 1_700_000_000;
  const packets: TestPacket[] = frames.map((f, i) => {
    const spec = f instanceof Uint8Array ? { data: f } : f;
    const t = spec.t ?? i * 0.001;
    const sec = Math.floor(t);
    return { data: spec.data, tsSec: base + sec, tsNsec: Math.round((t - sec) * 1e6) * 1000, origLen: spec.origLen };
  });
  return writePcap(packets, { linkType, bigEndian: file.bigEndian });
}

/** Writes the frames into a classic pcap, reads it back and decodes it (first pass). */
export function decodeFrames(frames: (Uint8Array | FrameSpec)[], linkType = 1, file: { bigEndian?: boolean } = {}): DecodedCapture {
  const cap = new DecodedCapture();
  readCaptureBuffer(framesPcap(frames, linkType, file), (rec) => cap.add(rec));
  return cap;
}

/** The summary lines, as `tshark -r FILE -n` prints them. */
export function lines(cap: DecodedCapture): string[] {
  return cap.rows.map(tsharkLine);
}

/** The details tree of a frame as indented text (for snapshots). */
/** A subtree as tshark -V prints it: four spaces a level, generated items in brackets. */
export function tsharkText(item: TreeItem, depth = 0): string {
  const label = item.generated && !item.label.startsWith('[') ? `[${item.label}]` : item.label;
  let s = `${'    '.repeat(depth)}${label}\n`;
  for (const c of item.children ?? []) s += tsharkText(c, depth + 1);
  return s;
}

export function treeText(items: TreeItem[], depth = 0): string {
  let s = '';
  for (const it of items) {
    s += `${'  '.repeat(depth)}${it.label}${it.field ? `  {${it.field}}` : ''}\n`;
    if (it.children) s += treeText(it.children, depth + 1);
  }
  return s;
}
