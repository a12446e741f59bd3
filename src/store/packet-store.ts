// The packet list in columnar form: typed arrays indexed by packet (0-based), strings interned
// in tables. No object per packet: a 500k-packet capture costs a few tens of bytes a packet.
//
// The packets' bytes are either kept in the buffers they were read into (zero copy; `retain`,
// for sources that cannot be read again at an offset, such as gzip or a test's chunks), or not
// kept at all: each packet's file offset is, and the few frames being looked at are read from
// the file again into a small cache (like Wireshark, which re-reads frames from disk). Holding a
// 700 MB capture in memory cost ~2 s of page faults alone on the test machine.

import type { PacketRecord } from '../capture/types.ts';
import { FrameBytesMissing, type Packet } from '../dissect/packet.ts';
import { grownLength, resized } from '../lib/growable.ts';
import { StringTable } from '../lib/string-table.ts';
import type { LaneSegment } from '../dissect/tcp-lane.ts';
import { TcpFrameTable } from '../dissect/tcp-conversation.ts';

/** Bits of `PacketStore.state` beyond the dissector's PacketFlag bits. */
export const HAS_TS = 0x8000;

/** Frames less than this apart in the file are read in one read … */
const READ_GAP = 64 << 10;
/** … of at most this many bytes. */
const READ_MAX = 8 << 20;
/** How much of the start of the file is kept when the rest is read again on demand. */
const HEAD_BYTES = 1 << 20;
/** Frames read again are kept until they add up to this much. */
const CACHE_BUDGET = 32 << 20;

export class PacketStore {
  count = 0;
  private cap = 0;
  /** Buffers holding packet bytes (file slices, or copies of records that straddled two). */
  readonly buffers: Uint8Array[] = [];
  private lastBuffer: ArrayBufferLike | null = null;
  private lastBufferIndex = -1;
  private readonly bufferIndex = new Map<ArrayBufferLike, number>();
  readonly strings = new StringTable();

  /** Keep every packet's bytes (false: only `fileOffset`, bytes read again on demand). */
  retain = true;
  /** Bytes of frames read again from the file (not retaining), by packet index. */
  private readonly cache = new Map<number, Uint8Array>();
  private cacheBytes = 0;
  /**
   * A copy of the start of the file (not retaining): the first rows on screen need no read
   * while the rest of the file is still being decoded.
   */
  private head = new Uint8Array(0);
  private headLen = 0;

  fileOffset = new Float64Array(0);
  bufIdx = new Uint32Array(0);
  byteOffset = new Uint32Array(0);
  capLen = new Uint32Array(0);
  origLen = new Uint32Array(0);
  tsSec = new Float64Array(0);
  tsNsec = new Uint32Array(0);
  tsPrec = new Uint8Array(0);
  linkType = new Uint32Array(0);
  iface = new Uint16Array(0);
  /** PacketFlag bits | HAS_TS. */
  state = new Uint16Array(0);
  proto = new Uint32Array(0);
  src = new Uint32Array(0);
  dst = new Uint32Array(0);
  color = new Uint8Array(0);
  /** TCP facts the per-frame table (tcpFrames) does not hold; 0 for non-TCP packets. */
  tcpFlags = new Uint16Array(0);
  tcpLen = new Uint32Array(0);
  srcPort = new Uint16Array(0);
  dstPort = new Uint16Array(0);
  /** pcapng packet comments, for the few packets that have them. */
  readonly comments = new Map<number, readonly string[]>();

  /**
   * The TCP stream, relative numbers, window and analysis of each packet: the first pass's
   * per-frame table (frame i + 1), which the dissectors keep anyway for re-dissection. Not
   * copied into columns of the store: half a million rows of them were 12 MB of fresh memory,
   * and fresh memory is what a load pays most for (see growable.ts). The engine gives its own.
   */
  tcpFrames = new TcpFrameTable();

  /** TCP stream index of packet `i` (tshark's tcp.stream), -1 when it has none. */
  tcpStreamOf(i: number): number {
    return this.tcpFrames.streamOf(i + 1);
  }

  /** Relative sequence number of packet `i` (0 when not TCP). */
  tcpSeqOf(i: number): number {
    return this.tcpFrames.relSeq[i + 1] ?? 0;
  }

  /** Relative acknowledgement number of packet `i` (0 when not TCP or no ACK flag). */
  tcpAckOf(i: number): number {
    return this.tcpFrames.relAck[i + 1] ?? 0;
  }

  /** Window of packet `i`, scaled when the SYNs gave the scale. */
  tcpWinOf(i: number): number {
    return this.tcpFrames.window[i + 1] ?? 0;
  }

  /** TcpAnalysis bits of packet `i`. */
  tcpAnalysisOf(i: number): number {
    return this.tcpFrames.analysis[i + 1] ?? 0;
  }

  /** Rows the file is expected to hold (see expectedRows): room made for them at the next growth. */
  expectedCount = 0;

  private ensure(n: number): void {
    if (n <= this.cap) return;
    const c = grownLength(this.cap, n, this.expectedCount);
    this.fileOffset = resized(this.fileOffset, c);
    if (this.retain) {
      this.bufIdx = resized(this.bufIdx, c);
      this.byteOffset = resized(this.byteOffset, c);
    }
    this.capLen = resized(this.capLen, c);
    this.origLen = resized(this.origLen, c);
    this.tsSec = resized(this.tsSec, c);
    this.tsNsec = resized(this.tsNsec, c);
    this.tsPrec = resized(this.tsPrec, c);
    this.linkType = resized(this.linkType, c);
    this.iface = resized(this.iface, c);
    this.state = resized(this.state, c);
    this.proto = resized(this.proto, c);
    this.src = resized(this.src, c);
    this.dst = resized(this.dst, c);
    this.color = resized(this.color, c);
    this.tcpFlags = resized(this.tcpFlags, c);
    this.tcpLen = resized(this.tcpLen, c);
    this.srcPort = resized(this.srcPort, c);
    this.dstPort = resized(this.dstPort, c);
    this.cap = c;
  }

  private bufferOf(data: Uint8Array): number {
    const b = data.buffer;
    if (b === this.lastBuffer) return this.lastBufferIndex;
    let i = this.bufferIndex.get(b);
    if (i === undefined) {
      i = this.buffers.length;
      this.buffers.push(new Uint8Array(b));
      this.bufferIndex.set(b, i);
    }
    this.lastBuffer = b;
    this.lastBufferIndex = i;
    return i;
  }

  /** Appends a dissected packet; returns its index. */
  add(rec: PacketRecord, p: Packet, color: number): number {
    const i = this.addRecord(rec, p.flags, p.cols.protocol, p.src, p.dst, color);
    const t = p.tcp;
    if (t) this.setTcp(i, t.flags, t.len);
    this.srcPort[i] = p.srcPort > 0 ? p.srcPort : 0;
    this.dstPort[i] = p.dstPort > 0 ? p.dstPort : 0;
    return i;
  }

  /** Appends a TCP segment taken by the first pass's short lane (dissect/tcp-lane.ts). */
  addLaneTcp(rec: PacketRecord, a: LaneSegment, flags: number, color: number): number {
    const i = this.addRecord(rec, flags, a.protocol, a.src, a.dst, color);
    this.setTcp(i, a.flags, a.len);
    this.srcPort[i] = a.srcPort;
    this.dstPort[i] = a.dstPort;
    return i;
  }

  /** The columns every packet has; TCP flags and length 0 until setTcp. */
  private addRecord(rec: PacketRecord, flags: number, protocol: string, src: string, dst: string, color: number): number {
    const i = this.count;
    this.ensure(i + 1);
    this.fileOffset[i] = rec.fileOffset;
    if (this.retain) {
      this.bufIdx[i] = this.bufferOf(rec.data);
      this.byteOffset[i] = rec.data.byteOffset;
    }
    this.capLen[i] = rec.data.length;
    this.origLen[i] = rec.origLen;
    this.tsSec[i] = rec.tsSec;
    this.tsNsec[i] = rec.tsNsec;
    this.tsPrec[i] = rec.tsPrecision;
    this.linkType[i] = rec.linkType;
    this.iface[i] = rec.interfaceId;
    this.state[i] = (flags & 0x7fff) | (rec.hasTs ? HAS_TS : 0);
    this.proto[i] = this.strings.intern(protocol);
    this.src[i] = this.strings.intern(src);
    this.dst[i] = this.strings.intern(dst);
    this.color[i] = color;
    if (rec.comments?.length) this.comments.set(i, rec.comments);
    this.count = i + 1;
    return i;
  }

  private setTcp(i: number, flags: number, len: number): void {
    this.tcpFlags[i] = flags;
    this.tcpLen[i] = len;
  }

  /**
   * The captured bytes of packet `i` (0-based): a view into the buffer it was read into, or into
   * the cache; throws FrameBytesMissing when they are not in memory (see `missing`).
   */
  bytes(i: number): Uint8Array {
    if (!this.retain) {
      const c = this.cache.get(i) ?? this.fromHead(i);
      if (c === undefined) throw new FrameBytesMissing([i + 1]);
      return c;
    }
    const b = this.buffers[this.bufIdx[i]!]!;
    const off = this.byteOffset[i]!;
    return b.subarray(off, off + this.capLen[i]!);
  }

  /** Keeps a copy of the file's bytes at `offset` (the next slice read) while the copy is under `limit` bytes. */
  keepHead(offset: number, chunk: Uint8Array, limit: number = HEAD_BYTES): void {
    if (this.retain || offset !== this.headLen || this.headLen >= limit) return;
    const n = Math.min(chunk.length, limit - this.headLen);
    if (this.head.length < this.headLen + n) {
      const bigger = new Uint8Array(Math.min(limit, Math.max(this.headLen + n, this.head.length * 2)));
      bigger.set(this.head.subarray(0, this.headLen));
      this.head = bigger;
    }
    this.head.set(chunk.subarray(0, n), this.headLen);
    this.headLen += n;
  }

  private fromHead(i: number): Uint8Array | undefined {
    const off = this.fileOffset[i]!;
    const end = off + this.capLen[i]!;
    return end <= this.headLen ? this.head.subarray(off, end) : undefined;
  }

  /** Of packets `indices`, those whose bytes are not in memory. */
  missing(indices: Iterable<number>): number[] {
    const out: number[] = [];
    if (this.retain) return out;
    for (const i of indices) if (i >= 0 && i < this.count && !this.cache.has(i) && !this.fromHead(i)) out.push(i);
    return out;
  }

  /**
   * Reads the bytes of packets `indices` with `readAt` (file offset, length → bytes): nearby
   * frames in one read, each frame a view into it.
   */
  async fetch(indices: Iterable<number>, readAt: (offset: number, length: number) => Promise<Uint8Array>): Promise<void> {
    const want = [...new Set(this.missing(indices))].sort((a, b) => this.fileOffset[a]! - this.fileOffset[b]!);
    let k = 0;
    while (k < want.length) {
      // One read for frames close together: a window of rows, a TCP stream's segments.
      const first = want[k]!;
      const start = this.fileOffset[first]!;
      let end = start + this.capLen[first]!;
      let last = k;
      while (last + 1 < want.length) {
        const j = want[last + 1]!;
        const off = this.fileOffset[j]!;
        const e = off + this.capLen[j]!;
        if (off - end > READ_GAP || Math.max(end, e) - start > READ_MAX) break;
        end = Math.max(end, e);
        last++;
      }
      const bytes = await readAt(start, end - start);
      // Not a truncated packet: the file itself is shorter than when it was decoded.
      if (bytes.length < end - start) throw new Error('the file is shorter than when it was opened');
      for (; k <= last; k++) {
        const j = want[k]!;
        const off = this.fileOffset[j]! - start;
        this.cache.set(j, bytes.subarray(off, off + this.capLen[j]!));
      }
      this.cacheBytes += bytes.length;
    }
  }

  /** Forgets the frames read again once they hold more than `budget` bytes. */
  trimCache(budget = CACHE_BUDGET): void {
    if (this.cacheBytes <= budget) return;
    this.cache.clear();
    this.cacheBytes = 0;
  }

  /** The timestamp of record i (no bytes read), undefined when it has none. */
  timeOf(i: number): { sec: number; nsec: number } | undefined {
    return this.state[i]! & HAS_TS ? { sec: this.tsSec[i]!, nsec: this.tsNsec[i]! } : undefined;
  }

  /** The record as the reader gave it, rebuilt from the columns (for re-dissection). */
  record(i: number): PacketRecord {
    const s = this.state[i]!;
    return {
      data: this.bytes(i),
      origLen: this.origLen[i]!,
      tsSec: this.tsSec[i]!,
      tsNsec: this.tsNsec[i]!,
      hasTs: (s & HAS_TS) !== 0,
      tsPrecision: this.tsPrec[i]!,
      linkType: this.linkType[i]!,
      interfaceId: this.iface[i]!,
      fileOffset: 0,
      comments: this.comments.get(i)?.slice(),
    };
  }

  /**
   * Bytes used by the columns' rows (the Info texts are not kept: see CaptureEngine.info). Room
   * made for rows still to come is left out: its pages are not touched, so not held.
   */
  memoryEstimate(): number {
    let n = this.cacheBytes + this.head.length;
    for (const a of [this.fileOffset, this.bufIdx, this.byteOffset, this.capLen, this.origLen, this.tsSec, this.tsNsec, this.tsPrec,
      this.linkType, this.iface, this.state, this.proto, this.src, this.dst, this.color, this.tcpFlags, this.tcpLen,
      this.srcPort, this.dstPort, ...this.tcpFrames.columns()]) {
      n += Math.min(a.length, this.count) * a.BYTES_PER_ELEMENT;
    }
    return n;
  }
}
