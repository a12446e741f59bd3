// Test-only capture WRITER: builds classic pcap and pcapng files in memory so unit tests
// (ours and the dissector's) can craft fixtures without binary blobs in the repo.
//
//   writePcap([{ data, tsSec, tsNsec }], { linkType: 1 })               → classic pcap (µs)
//   writePcap(pkts, { linkType: 1, nanos: true, bigEndian: true })      → ns, big-endian
//   writePcapng([{ type: 'shb' }, { type: 'idb', linkType: 1 }, { type: 'epb', data }])
//   writeSimplePcapng(pkts, { linkType: 1 })                             → SHB + IDB + EPBs
//
// It can also write deliberately broken files (wrong lengths, truncated tails) for reader tests.
// Not used by the app; never import it from production code.

export interface TestPacket {
  data: Uint8Array;
  /** Seconds since the epoch (default 0). */
  tsSec?: number;
  /** Nanoseconds (default 0). For µs pcap it is divided by 1000 (truncated). */
  tsNsec?: number;
  /** Length on the wire; default data.length. */
  origLen?: number;
  /** Override the captured-length field (to write broken records); default data.length. */
  capLen?: number;
}

export interface PcapWriteOptions {
  /** LINKTYPE_* (default 1, Ethernet). Written as is, so FCS bits can be set for tests. */
  linkType?: number;
  /** Nanosecond magic (0xA1B23C4D) instead of microseconds. */
  nanos?: boolean;
  bigEndian?: boolean;
  /** Default 262144. */
  snapLen?: number;
  versionMajor?: number;
  versionMinor?: number;
  /**
   * Raw fraction field instead of tsNsec-derived (to write out-of-range µs/ns values).
   * Indexed like packets.
   */
  rawFraction?: (number | undefined)[];
}

/** Classic pcap file (draft-ietf-opsawg-pcap): 24-byte header + 16-byte record headers. */
export function writePcap(packets: TestPacket[], opts: PcapWriteOptions = {}): Uint8Array {
  const le = !opts.bigEndian;
  let size = 24;
  for (const p of packets) size += 16 + p.data.length;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, opts.nanos ? 0xa1b23c4d : 0xa1b2c3d4, le);
  dv.setUint16(4, opts.versionMajor ?? 2, le);
  dv.setUint16(6, opts.versionMinor ?? 4, le);
  dv.setInt32(8, 0, le);
  dv.setUint32(12, 0, le);
  dv.setUint32(16, opts.snapLen ?? 262144, le);
  dv.setUint32(20, (opts.linkType ?? 1) >>> 0, le);
  let pos = 24;
  packets.forEach((p, i) => {
    const nsec = p.tsNsec ?? 0;
    const frac = opts.rawFraction?.[i] ?? (opts.nanos ? nsec : Math.floor(nsec / 1000));
    dv.setUint32(pos, p.tsSec ?? 0, le);
    dv.setUint32(pos + 4, frac >>> 0, le);
    dv.setUint32(pos + 8, (p.capLen ?? p.data.length) >>> 0, le);
    dv.setUint32(pos + 12, (p.origLen ?? p.data.length) >>> 0, le);
    out.set(p.data, pos + 16);
    pos += 16 + p.data.length;
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// pcapng (draft-ietf-opsawg-pcapng)

export interface PcapngOption {
  code: number;
  /** Strings are written as UTF-8 without a terminator. */
  value: Uint8Array | string;
}

interface Commented {
  /** opt_comment (code 1), one option per string. */
  comment?: string | string[];
  /** Extra raw options, written before opt_endofopt. */
  options?: PcapngOption[];
  /** Omit the opt_endofopt terminator (readers must cope). */
  noEndOfOpt?: boolean;
}

export interface ShbSpec extends Commented {
  type: 'shb';
  bigEndian?: boolean;
  versionMajor?: number;
  versionMinor?: number;
  hardware?: string;
  os?: string;
  userAppl?: string;
}

export interface IdbSpec extends Commented {
  type: 'idb';
  linkType?: number;
  snapLen?: number;
  name?: string;
  description?: string;
  /** Raw if_tsresol byte: 6 → µs (default), 9 → ns, 0x88 → 2^-8 … */
  tsresol?: number;
  /** if_tsoffset in seconds. */
  tsoffset?: number | bigint;
  fcslen?: number;
}

interface Timestamped {
  /** Raw 64-bit timestamp in the interface's units; wins over tsSec/tsNsec. */
  ts?: bigint;
  tsSec?: number;
  tsNsec?: number;
}

export interface EpbSpec extends Commented, Timestamped {
  type: 'epb';
  /** Section-local interface index (default 0). */
  interfaceId?: number;
  data: Uint8Array;
  origLen?: number;
  /** Override the captured-length field (broken files). */
  capLen?: number;
  flags?: number;
  dropCount?: bigint | number;
}

export interface SpbSpec {
  type: 'spb';
  data: Uint8Array;
  origLen?: number;
}

export interface OpbSpec extends Commented, Timestamped {
  type: 'opb';
  interfaceId?: number;
  drops?: number;
  data: Uint8Array;
  origLen?: number;
  flags?: number;
}

export interface NrbSpec extends Commented {
  type: 'nrb';
  records: { kind: 'ipv4' | 'ipv6'; address: Uint8Array | string; names: string[] }[];
}

export interface IsbSpec extends Commented, Timestamped {
  type: 'isb';
  interfaceId?: number;
  ifRecv?: bigint | number;
  ifDrop?: bigint | number;
}

export interface DsbSpec extends Commented {
  type: 'dsb';
  secretsType: number;
  data: Uint8Array;
}

export interface CustomSpec {
  type: 'custom';
  /** true → 0x00000BAD (may be copied), false → 0x40000BAD. */
  copyable?: boolean;
  pen: number;
  data: Uint8Array;
}

/** Any block, body given raw (without type/length framing). */
export interface RawBlockSpec {
  type: 'raw';
  blockType: number;
  body: Uint8Array;
  /** Override the leading and/or trailing total-length fields (broken files). */
  totalLength?: number;
  trailingLength?: number;
}

export type PcapngBlockSpec =
  | ShbSpec
  | IdbSpec
  | EpbSpec
  | SpbSpec
  | OpbSpec
  | NrbSpec
  | IsbSpec
  | DsbSpec
  | CustomSpec
  | RawBlockSpec;

const enc = new TextEncoder();

class Bytes {
  private buf = new Uint8Array(256);
  private dv = new DataView(this.buf.buffer);
  len = 0;
  constructor(public le: boolean) {}
  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.dv = new DataView(next.buffer);
  }
  u8(v: number): this {
    this.ensure(1);
    this.buf[this.len++] = v;
    return this;
  }
  u16(v: number): this {
    this.ensure(2);
    this.dv.setUint16(this.len, v, this.le);
    this.len += 2;
    return this;
  }
  u32(v: number): this {
    this.ensure(4);
    this.dv.setUint32(this.len, v >>> 0, this.le);
    this.len += 4;
    return this;
  }
  u64(v: bigint): this {
    this.ensure(8);
    this.dv.setBigUint64(this.len, BigInt.asUintN(64, v), this.le);
    this.len += 8;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }
  pad4(): this {
    while (this.len & 3) this.u8(0);
    return this;
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

function u32Bytes(v: number, le: boolean): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, le);
  return b;
}

function u64Bytes(v: bigint | number, le: boolean): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, BigInt(v)), le);
  return b;
}

function writeOptions(w: Bytes, opts: PcapngOption[], c: Commented): void {
  const comments = c.comment === undefined ? [] : Array.isArray(c.comment) ? c.comment : [c.comment];
  const all: PcapngOption[] = [...comments.map((s) => ({ code: 1, value: s })), ...opts, ...(c.options ?? [])];
  if (all.length === 0) return;
  for (const o of all) {
    const v = typeof o.value === 'string' ? enc.encode(o.value) : o.value;
    w.u16(o.code).u16(v.length).bytes(v).pad4();
  }
  if (!c.noEndOfOpt) w.u16(0).u16(0);
}

interface WriterIface {
  unitsPerSec: bigint;
  offset: bigint;
}

/** Resolution of an if_tsresol byte (pcapng §4.2): high bit set → 2^-n, else 10^-n. */
export function tsresolUnits(tsresol: number): bigint {
  const e = BigInt(tsresol & 0x7f);
  return tsresol & 0x80 ? 1n << e : 10n ** e;
}

function rawTs(spec: Timestamped, iface: WriterIface | undefined): bigint {
  if (spec.ts !== undefined) return spec.ts;
  const units = iface?.unitsPerSec ?? 1000000n;
  const offset = iface?.offset ?? 0n;
  const sec = BigInt(spec.tsSec ?? 0) - offset;
  const nsec = BigInt(spec.tsNsec ?? 0);
  return sec * units + (nsec * units) / 1000000000n;
}

/** Serialises blocks; each SHB sets the byte order of the blocks that follow it. */
export function writePcapng(blocks: PcapngBlockSpec[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let le = true;
  let ifaces: WriterIface[] = [];
  for (const b of blocks) {
    if (b.type === 'shb') {
      le = !b.bigEndian;
      ifaces = [];
    }
    const body = new Bytes(le);
    let blockType: number;
    let totalOverride: number | undefined;
    let trailingOverride: number | undefined;
    switch (b.type) {
      case 'shb': {
        blockType = 0x0a0d0d0a;
        body.u32(0x1a2b3c4d).u16(b.versionMajor ?? 1).u16(b.versionMinor ?? 0).u64(-1n);
        const o: PcapngOption[] = [];
        if (b.hardware !== undefined) o.push({ code: 2, value: b.hardware });
        if (b.os !== undefined) o.push({ code: 3, value: b.os });
        if (b.userAppl !== undefined) o.push({ code: 4, value: b.userAppl });
        writeOptions(body, o, b);
        break;
      }
      case 'idb': {
        blockType = 1;
        body.u16(b.linkType ?? 1).u16(0).u32(b.snapLen ?? 0);
        const o: PcapngOption[] = [];
        if (b.name !== undefined) o.push({ code: 2, value: b.name });
        if (b.description !== undefined) o.push({ code: 3, value: b.description });
        if (b.tsresol !== undefined) o.push({ code: 9, value: Uint8Array.of(b.tsresol) });
        if (b.fcslen !== undefined) o.push({ code: 13, value: Uint8Array.of(b.fcslen) });
        if (b.tsoffset !== undefined) o.push({ code: 14, value: u64Bytes(b.tsoffset, le) });
        writeOptions(body, o, b);
        ifaces.push({
          unitsPerSec: b.tsresol === undefined ? 1000000n : tsresolUnits(b.tsresol),
          offset: BigInt(b.tsoffset ?? 0),
        });
        break;
      }
      case 'epb': {
        blockType = 6;
        const ifId = b.interfaceId ?? 0;
        const ts = rawTs(b, ifaces[ifId]);
        body
          .u32(ifId)
          .u32(Number((ts >> 32n) & 0xffffffffn))
          .u32(Number(ts & 0xffffffffn))
          .u32(b.capLen ?? b.data.length)
          .u32(b.origLen ?? b.data.length)
          .bytes(b.data)
          .pad4();
        const o: PcapngOption[] = [];
        if (b.flags !== undefined) o.push({ code: 2, value: u32Bytes(b.flags, le) });
        if (b.dropCount !== undefined) o.push({ code: 4, value: u64Bytes(b.dropCount, le) });
        writeOptions(body, o, b);
        break;
      }
      case 'spb': {
        blockType = 3;
        body.u32(b.origLen ?? b.data.length).bytes(b.data).pad4();
        break;
      }
      case 'opb': {
        blockType = 2;
        const ifId = b.interfaceId ?? 0;
        const ts = rawTs(b, ifaces[ifId]);
        body
          .u16(ifId)
          .u16(b.drops ?? 0)
          .u32(Number((ts >> 32n) & 0xffffffffn))
          .u32(Number(ts & 0xffffffffn))
          .u32(b.data.length)
          .u32(b.origLen ?? b.data.length)
          .bytes(b.data)
          .pad4();
        const o: PcapngOption[] = [];
        if (b.flags !== undefined) o.push({ code: 2, value: u32Bytes(b.flags, le) });
        writeOptions(body, o, b);
        break;
      }
      case 'nrb': {
        blockType = 4;
        for (const r of b.records) {
          const addr = typeof r.address === 'string' ? parseAddress(r.address) : r.address;
          const names = r.names.map((n) => enc.encode(n + '\0'));
          const len = addr.length + names.reduce((s, n) => s + n.length, 0);
          body.u16(r.kind === 'ipv4' ? 1 : 2).u16(len).bytes(addr);
          for (const n of names) body.bytes(n);
          body.pad4();
        }
        body.u16(0).u16(0);
        writeOptions(body, [], b);
        break;
      }
      case 'isb': {
        blockType = 5;
        const ifId = b.interfaceId ?? 0;
        const ts = rawTs(b, ifaces[ifId]);
        body
          .u32(ifId)
          .u32(Number((ts >> 32n) & 0xffffffffn))
          .u32(Number(ts & 0xffffffffn));
        const o: PcapngOption[] = [];
        if (b.ifRecv !== undefined) o.push({ code: 4, value: u64Bytes(b.ifRecv, le) });
        if (b.ifDrop !== undefined) o.push({ code: 5, value: u64Bytes(b.ifDrop, le) });
        writeOptions(body, o, b);
        break;
      }
      case 'dsb': {
        blockType = 0x0000000a;
        body.u32(b.secretsType).u32(b.data.length).bytes(b.data).pad4();
        writeOptions(body, [], b);
        break;
      }
      case 'custom': {
        blockType = b.copyable === false ? 0x40000bad : 0x00000bad;
        body.u32(b.pen).bytes(b.data).pad4();
        break;
      }
      case 'raw': {
        blockType = b.blockType;
        body.bytes(b.body);
        totalOverride = b.totalLength;
        trailingOverride = b.trailingLength;
        break;
      }
    }
    const inner = body.result();
    const total = 12 + inner.length;
    const block = new Uint8Array(total);
    const dv = new DataView(block.buffer);
    dv.setUint32(0, blockType >>> 0, le);
    dv.setUint32(4, totalOverride ?? total, le);
    block.set(inner, 8);
    dv.setUint32(total - 4, trailingOverride ?? totalOverride ?? total, le);
    parts.push(block);
  }
  return concatBytes(parts);
}

export interface SimplePcapngOptions {
  linkType?: number;
  bigEndian?: boolean;
  snapLen?: number;
  /** if_tsresol byte (default: none, i.e. µs). */
  tsresol?: number;
  tsoffset?: number | bigint;
  /** Use SPBs instead of EPBs (no timestamps). */
  simple?: boolean;
}

/** The common case: one section, one interface, one EPB (or SPB) per packet. */
export function writeSimplePcapng(packets: TestPacket[], opts: SimplePcapngOptions = {}): Uint8Array {
  const blocks: PcapngBlockSpec[] = [
    { type: 'shb', bigEndian: opts.bigEndian },
    { type: 'idb', linkType: opts.linkType ?? 1, snapLen: opts.snapLen ?? 0, tsresol: opts.tsresol, tsoffset: opts.tsoffset },
  ];
  for (const p of packets) {
    blocks.push(
      opts.simple
        ? { type: 'spb', data: p.data, origLen: p.origLen }
        : { type: 'epb', data: p.data, origLen: p.origLen, capLen: p.capLen, tsSec: p.tsSec, tsNsec: p.tsNsec },
    );
  }
  return writePcapng(blocks);
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/** "10.0.0.1" or "2001:db8::1" → bytes (only for writing NRB fixtures). */
export function parseAddress(s: string): Uint8Array {
  if (s.includes(':')) {
    const [head, tail] = s.split('::') as [string, string | undefined];
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    const out = new Uint8Array(16);
    groups.forEach((g, i) => {
      const v = parseInt(g, 16);
      out[i * 2] = v >> 8;
      out[i * 2 + 1] = v & 0xff;
    });
    return out;
  }
  return Uint8Array.from(s.split('.').map((x) => Number(x)));
}

/** A deterministic packet body of n bytes (seeded), handy for byte-exact comparisons. */
export function fakePacket(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed * 2654435761 >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
