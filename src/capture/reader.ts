// The capture-reading facade everybody else uses.
//
//   const reader = new CaptureReader((rec) => …);   // sync, chunk-fed, uncompressed input
//   reader.push(chunk); …; const meta = reader.end();
//
//   const meta = await readCapture(fileChunks(path), (rec) => …);   // gzip too
//   const meta = readCaptureBuffer(bytes, (rec) => …);               // tests, small files
//
// Zero-copy: a PacketRecord's data is a view into the chunk it arrived in. Only a unit (record,
// block) split across chunks is copied, into a fresh array of exactly its size. The reader keeps
// no view into a chunk once it asks for the next, so a source may reuse its buffers.

import { gunzip } from './gzip.ts';
import type { FormatParser, PacketCallback } from './parser.ts';
import { newMeta } from './parser.ts';
import { PcapParser } from './pcap.ts';
import { PcapngParser } from './pcapng.ts';
import { isGzip, sniff } from './sniff.ts';
import type { SniffedFormat } from './sniff.ts';
import { CaptureFormatError } from './types.ts';
import type { CaptureMeta, PacketRecord } from './types.ts';

export { CaptureFormatError } from './types.ts';
export type { CaptureMeta, PacketRecord } from './types.ts';

const EMPTY = new Uint8Array(0);
/** Bytes looked at before declaring "not a capture" (≥ SNIFF_BYTES). */
const HINT_BYTES = 16;

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export class CaptureReader {
  readonly meta: CaptureMeta = newMeta();
  private parser: FormatParser | null = null;
  /** First bytes, kept (copied, < HINT_BYTES) until the format is known. */
  private head: Uint8Array | null = null;
  /** The one unit that straddles chunks, being gathered; exactly as long as the unit. */
  private carry: Uint8Array | null = null;
  private carryLen = 0;
  private carryBase = 0;
  private offset = 0;
  private ended = false;

  constructor(private readonly onPacket: (rec: PacketRecord) => void) {}

  /** True once meta.error stopped the reading: further chunks are ignored. */
  get stopped(): boolean {
    return this.parser?.stopped ?? false;
  }

  /**
   * Feeds the next slice of the (uncompressed) capture. Throws CaptureFormatError when the
   * first bytes are not a pcap/pcapng file (gzip included: use readCapture for that).
   */
  push(chunk: Uint8Array): void {
    if (this.ended) throw new Error('CaptureReader.push() after end()');
    const n = chunk.length;
    if (n === 0) return;
    const base = this.offset;
    this.offset += n;
    this.meta.bytesRead = this.offset;
    if (this.parser === null) {
      const head = this.head;
      const probe = head === null ? chunk : concat(head, chunk.subarray(0, HINT_BYTES));
      let sniffed: SniffedFormat | null;
      try {
        sniffed = sniff(probe, false);
      } catch (e) {
        // Not a capture. With only a few bytes seen, wait for a few more (or the end) so the
        // message and its hint do not depend on how the input was chunked.
        if (probe.length >= HINT_BYTES) throw e;
        sniffed = null;
      }
      if (sniffed === null) {
        this.head = head === null ? chunk.slice() : concat(head, chunk);
        return;
      }
      this.parser = this.makeParser(sniffed);
      this.head = null;
      if (head !== null) this.feed(head, 0);
    }
    this.feed(chunk, base);
  }

  /** End of input: reports a truncated last record etc. Returns (and keeps) the meta. */
  end(): CaptureMeta {
    if (this.ended) return this.meta;
    this.ended = true;
    if (this.parser === null) {
      // Fewer bytes than sniff() wanted: decide now (throws for empty/short/garbage input).
      const head = this.head ?? EMPTY;
      this.parser = this.makeParser(sniff(head, true)!);
      this.head = null;
      if (head.length > 0) this.feed(head, 0);
    }
    const carry = this.carry;
    this.carry = null;
    if (carry !== null) this.parser.finish(this.carryLen, this.carryBase, carry.length);
    else this.parser.finish(0, this.offset, 0);
    return this.meta;
  }

  private makeParser(s: SniffedFormat): FormatParser {
    switch (s.format) {
      case 'gzip':
        throw new CaptureFormatError(
          'gzip-compressed data: CaptureReader takes uncompressed input; use readCapture() to decompress it',
        );
      case 'pcap':
      case 'pcap-ns':
        return new PcapParser(this.meta, this.onPacket as PacketCallback, s.bigEndian, s.nanos);
      case 'pcapng':
        return new PcapngParser(this.meta, this.onPacket as PacketCallback, s.bigEndian);
    }
  }

  private feed(chunk: Uint8Array, base: number): void {
    const parser = this.parser!;
    if (parser.stopped) return;
    const n = chunk.length;
    let pos = 0;
    if (this.carry !== null) {
      pos = this.fillCarry(chunk);
      if (pos < 0 || pos === n || parser.stopped) return;
    }
    const dv = new DataView(chunk.buffer, chunk.byteOffset, n);
    pos = parser.parse(chunk, dv, pos, n, base);
    if (parser.stopped || pos === n) return;
    // An incomplete unit at the end of the chunk: start gathering it.
    const rem = n - pos;
    const need = parser.unitLength(chunk, dv, pos, rem, base);
    if (need < 0) return;
    const carry = new Uint8Array(Math.max(need, rem));
    carry.set(chunk.subarray(pos));
    this.carry = carry;
    this.carryLen = rem;
    this.carryBase = base + pos;
  }

  /** Completes the pending unit from the start of `chunk`; returns the next position, or -1 when the chunk ran out. */
  private fillCarry(chunk: Uint8Array): number {
    const parser = this.parser!;
    let carry = this.carry!;
    let pos = 0;
    for (;;) {
      const take = Math.min(carry.length - this.carryLen, chunk.length - pos);
      if (take > 0) {
        carry.set(chunk.subarray(pos, pos + take), this.carryLen);
        this.carryLen += take;
        pos += take;
      }
      if (this.carryLen < carry.length) return -1;
      const dv = new DataView(carry.buffer);
      const need = parser.unitLength(carry, dv, 0, this.carryLen, this.carryBase);
      if (need < 0) {
        this.carry = null;
        return -1;
      }
      if (need > this.carryLen) {
        // Only the header was known before; now the full size is: grow to exactly that.
        const bigger = new Uint8Array(need);
        bigger.set(carry);
        carry = this.carry = bigger;
        continue;
      }
      parser.parse(carry, dv, 0, this.carryLen, this.carryBase);
      this.carry = null;
      return pos;
    }
  }
}

/** Convenience for tests and small files: whole buffer, uncompressed formats only (sync). */
export function readCaptureBuffer(buf: Uint8Array, onPacket: (rec: PacketRecord) => void): CaptureMeta {
  const reader = new CaptureReader(onPacket);
  reader.push(buf);
  return reader.end();
}

/** Yields the chunks already taken from `it`, then the rest of `it`. */
async function* replay(
  first: Uint8Array[],
  it: AsyncIterator<Uint8Array>,
  exhausted: boolean,
): AsyncGenerator<Uint8Array> {
  let finished = exhausted;
  try {
    for (const c of first) yield c;
    while (!finished) {
      const r = await it.next();
      if (r.done) finished = true;
      else yield r.value;
    }
  } finally {
    if (!finished) await it.return?.();
  }
}

/**
 * Reads any supported capture, gzip included, from a stream of chunks (Blob.slice reads, fs
 * reads…). Throws CaptureFormatError when the data is not a capture; everything else the file
 * has to say (truncation, corruption) ends up in the returned meta.
 */
export async function readCapture(
  chunks: AsyncIterable<Uint8Array>,
  onPacket: (rec: PacketRecord) => void,
): Promise<CaptureMeta> {
  const it = chunks[Symbol.asyncIterator]();
  const first: Uint8Array[] = [];
  let have = 0;
  let exhausted = false;
  while (have < 2) {
    // Kept over another next(): a copy, since a chunk may be reused once the next is asked for.
    if (first.length) first[first.length - 1] = first[first.length - 1]!.slice();
    const r = await it.next();
    if (r.done) {
      exhausted = true;
      break;
    }
    if (r.value.length === 0) continue;
    first.push(r.value);
    have += r.value.length;
  }
  const byteAt = (i: number): number => {
    for (const c of first) {
      if (i < c.length) return c[i]!;
      i -= c.length;
    }
    return -1;
  };
  const source = replay(first, it, exhausted);
  const reader = new CaptureReader(onPacket);

  if (!isGzip(Uint8Array.of(byteAt(0), byteAt(1)))) {
    for await (const c of source) {
      reader.push(c);
      if (reader.stopped) break;
    }
    return reader.end();
  }

  // gzip (RFC 1952 ID1 ID2 = 1f 8b): decompress as we go.
  let formatError: CaptureFormatError | undefined;
  const outcome = await gunzip(source, (out) => {
    try {
      reader.push(out);
    } catch (e) {
      if (!(e instanceof CaptureFormatError)) throw e;
      formatError = e;
      return false;
    }
    return !reader.stopped;
  });
  if (formatError) throw new CaptureFormatError(`gzip-compressed file, but inside it: ${formatError.message}`);
  let meta: CaptureMeta;
  try {
    meta = reader.end();
  } catch (e) {
    if (!(e instanceof CaptureFormatError)) throw e;
    if (outcome.error !== undefined && reader.meta.bytesRead === 0)
      throw new CaptureFormatError(`gzip-compressed file that cannot be decompressed (${outcome.error})`);
    throw new CaptureFormatError(
      `gzip-compressed file, but inside it: ${e.message}` +
        (outcome.error !== undefined ? ` (the gzip data is truncated or corrupt: ${outcome.error})` : ''),
    );
  }
  meta.compressed = true;
  if (outcome.error !== undefined) {
    const offset = meta.bytesRead;
    const message =
      `the gzip data is truncated or corrupt (${outcome.error}); ` +
      `reading stopped after ${offset} decompressed bytes`;
    if (meta.error === undefined) meta.error = { offset, message };
    else meta.warnings.push({ offset, message });
  }
  return meta;
}
