// The one bounds-checked byte view every dissector reads through (named after Wireshark's tvbuff).
// It never copies: a sub-view shares the packet's Uint8Array and only narrows the window.
//
// Two lengths matter, as in Wireshark:
//  - the captured length: bytes we actually have (snaplen may have cut the packet);
//  - the reported length: bytes the packet really had on the wire (or what a length field says).
// Reading past the captured end but inside the reported end means the capture was cut short:
// CapturedBoundsError, shown as "[Packet size limited during capture]".
// Reading past the reported end means the packet contradicts itself: MalformedError,
// shown as "[Malformed Packet]".

import { U32Map } from './u32-map.ts';

/** Reading beyond the captured bytes of a packet that was longer on the wire. */
export class CapturedBoundsError extends Error {
  override name = 'CapturedBoundsError';
}

/** Reading beyond what the packet itself says it holds, or a structural contradiction. */
export class MalformedError extends Error {
  override name = 'MalformedError';
}

export class Tvb {
  /** The packet (or reassembled PDU) buffer; offsets below are relative to `start`. */
  readonly buf: Uint8Array;
  /** Absolute offset of this view in `buf`. */
  readonly start: number;
  /** Absolute end of the bytes we have. */
  readonly capEnd: number;
  /** Absolute end of the bytes the packet claims (≥ capEnd unless the view was clamped). */
  readonly repEnd: number;
  /** Which data source the bytes belong to: 0 = the frame, ≥ 1 = a reassembled buffer. */
  readonly source: number;

  constructor(buf: Uint8Array, start = 0, capEnd = buf.length, repEnd = capEnd, source = 0) {
    this.buf = buf;
    this.start = start;
    this.capEnd = capEnd;
    this.repEnd = repEnd;
    this.source = source;
  }

  /** Bytes available (captured) from the start of the view. */
  get length(): number {
    return this.capEnd - this.start;
  }

  /** Bytes the packet claims from the start of the view. */
  get reportedLength(): number {
    return this.repEnd - this.start;
  }

  /** Captured bytes left after `off`, never negative. */
  remaining(off: number): number {
    const r = this.capEnd - this.start - off;
    return r > 0 ? r : 0;
  }

  /** Reported bytes left after `off`, never negative. */
  reportedRemaining(off: number): number {
    const r = this.repEnd - this.start - off;
    return r > 0 ? r : 0;
  }

  /** Throws the right error unless `len` bytes at `off` are captured. */
  check(off: number, len: number): void {
    const end = this.start + off + len;
    if (off < 0 || len < 0 || end > this.capEnd) this.fail(end);
  }

  /** True when `len` bytes at `off` are captured. */
  has(off: number, len: number): boolean {
    return off >= 0 && len >= 0 && this.start + off + len <= this.capEnd;
  }

  private fail(end: number): never {
    if (end > this.repEnd) throw new MalformedError('read past the end of the packet');
    throw new CapturedBoundsError('read past the captured bytes');
  }

  u8(off: number): number {
    const p = this.start + off;
    if (off < 0 || p >= this.capEnd) this.fail(p + 1);
    return this.buf[p]!;
  }

  u16(off: number): number {
    const p = this.start + off;
    if (off < 0 || p + 2 > this.capEnd) this.fail(p + 2);
    const b = this.buf;
    return (b[p]! << 8) | b[p + 1]!;
  }

  u16le(off: number): number {
    const p = this.start + off;
    if (off < 0 || p + 2 > this.capEnd) this.fail(p + 2);
    const b = this.buf;
    return b[p]! | (b[p + 1]! << 8);
  }

  u24(off: number): number {
    const p = this.start + off;
    if (off < 0 || p + 3 > this.capEnd) this.fail(p + 3);
    const b = this.buf;
    return (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!;
  }

  u32(off: number): number {
    const p = this.start + off;
    if (off < 0 || p + 4 > this.capEnd) this.fail(p + 4);
    const b = this.buf;
    return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
  }

  u32le(off: number): number {
    const p = this.start + off;
    if (off < 0 || p + 4 > this.capEnd) this.fail(p + 4);
    const b = this.buf;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
  }

  /** 64-bit big-endian as bigint (rare fields: timestamps, 64-bit counters). */
  u64(off: number): bigint {
    return (BigInt(this.u32(off)) << 32n) | BigInt(this.u32(off + 4));
  }

  /** A zero-copy view of `len` captured bytes at `off`. */
  bytes(off: number, len: number): Uint8Array {
    this.check(off, len);
    const p = this.start + off;
    return this.buf.subarray(p, p + len);
  }

  /** Index of `byte` in [off, off+maxLen) within the captured bytes, or -1. */
  indexOf(byte: number, off: number, maxLen = Infinity): number {
    const from = this.start + off;
    if (off < 0 || from >= this.capEnd) return -1;
    const to = Math.min(this.capEnd, maxLen === Infinity ? this.capEnd : from + maxLen);
    // Most searches (the end of an HTTP line) succeed within a few dozen bytes, where a loop
    // beats the call into the native search; longer ones go native (it may look past `to`).
    const b = this.buf;
    const near = Math.min(to, from + 64);
    for (let p = from; p < near; p++) if (b[p] === byte) return p - this.start;
    if (near >= to) return -1;
    const at = b.indexOf(byte, near);
    return at >= 0 && at < to ? at - this.start : -1;
  }

  /** Latin-1 text of captured bytes (checked). HTTP lines and DNS labels are ASCII on the wire. */
  latin1(off: number, len: number): string {
    this.check(off, len);
    return latin1(this.buf, this.start + off, this.start + off + len);
  }

  /**
   * A sub-view starting at `off`. `len` limits the reported length (a header's length field);
   * the captured end is clamped to what we have. Omitted `len` keeps the rest of this view.
   */
  sub(off: number, len?: number): Tvb {
    const start = this.start + off;
    if (off < 0 || start > this.capEnd) {
      // A sub-view may start exactly at the end (empty payload), not beyond the captured data.
      if (start > this.repEnd || off < 0) throw new MalformedError('sub-view starts past the packet');
      throw new CapturedBoundsError('sub-view starts past the captured bytes');
    }
    if (len === undefined) return new Tvb(this.buf, start, this.capEnd, this.repEnd, this.source);
    const rep = start + len;
    return new Tvb(this.buf, start, Math.min(this.capEnd, rep), rep, this.source);
  }

  /** Absolute offset (within `buf`) of a view-relative offset: for byte highlighting. */
  abs(off: number): number {
    return this.start + off;
  }
}

/** Latin-1 decode of buf[from, to): one String.fromCharCode call per 8 KiB, no per-byte joins. */
export function latin1(buf: Uint8Array, from: number, to: number): string {
  const n = to - from;
  if (n <= 0) return '';
  if (n <= 8192) return String.fromCharCode.apply(null, buf.subarray(from, to) as unknown as number[]);
  let s = '';
  for (let i = from; i < to; i += 8192) {
    s += String.fromCharCode.apply(null, buf.subarray(i, Math.min(to, i + 8192)) as unknown as number[]);
  }
  return s;
}

/**
 * Text of short byte ranges that recur (HTTP request lines, media types): found again by a hash
 * of the bytes, so a repeat costs a hash and a compare instead of building a new string.
 * Bounded: once full, new texts are built but not kept.
 */
export class RecurringText {
  private readonly table = new U32Map<{ bytes: Uint8Array; text: string }>(256);
  constructor(private readonly capacity = 4096, private readonly maxLen = 256) {}

  get(buf: Uint8Array, from: number, to: number): string {
    const n = to - from;
    if (n <= 0) return '';
    if (n > this.maxLen) return latin1(buf, from, to);
    let h = n;
    for (let i = from; i < to; i++) h = Math.imul(h ^ buf[i]!, 16777619);
    h >>>= 0;
    const e = this.table.get(h);
    if (e && e.bytes.length === n) {
      let same = true;
      for (let i = 0; i < n; i++) {
        if (e.bytes[i] !== buf[from + i]) {
          same = false;
          break;
        }
      }
      if (same) return e.text;
    }
    const text = latin1(buf, from, to);
    if (!e && this.table.size < this.capacity) this.table.set(h, 0, { bytes: buf.slice(from, to), text });
    return text;
  }
}
