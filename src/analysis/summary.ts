// The packet-list summary: records in, one row per packet out (No., Time, Source, Destination,
// Protocol, Length, Info), in the words and layout of tshark 4.0's `tshark -r FILE -n`.

import { tshark40Precision } from '../capture/time.ts';
import type { PacketRecord } from '../capture/types.ts';
import { CaptureState, dissectFrame, type Packet } from '../dissect/index.ts';
import type { TreeSink } from '../dissect/tree.ts';
import { tcpState } from '../dissect/tcp-conversation.ts';
import { expectedRows } from '../lib/growable.ts';
import { laneSegmentInfo } from '../dissect/tcp.ts';
import { laneSegment, tcpLane } from '../dissect/tcp-lane.ts';

export interface SummaryRow {
  num: number;
  /** Seconds since the first packet, at the frame's own precision, '' without a timestamp. */
  time: string;
  source: string;
  destination: string;
  protocol: string;
  length: number;
  info: string;
  /** tcp.stream, -1 for a packet without TCP (row() sets it). */
  stream?: number;
}

/**
 * Exact "seconds.fraction" difference of two timestamps, truncated to `digits` decimals like
 * Wireshark's display of relative time (no float rounding: the pair is integer arithmetic).
 */
export function formatRelative(sec: number, nsec: number, refSec: number, refNsec: number, digits: number): string {
  if (nsec < 1e9 && refNsec < 1e9) {
    let s = sec - refSec;
    let ns = nsec - refNsec;
    if (ns < 0) {
      s--;
      ns += 1e9;
    }
    if (s >= 0) return formatSecFrac(s, ns, digits);
    // Negative: magnitude of s + ns/1e9 where s < 0 ≤ ns.
    return ns === 0 ? '-' + formatSecFrac(-s, 0, digits) : '-' + formatSecFrac(-s - 1, 1e9 - ns, digits);
  }
  // Broken files may hold nsec ≥ 1e9; integer arithmetic keeps it exact.
  let total = BigInt(sec - refSec) * 1_000_000_000n + BigInt(nsec - refNsec);
  const neg = total < 0n;
  if (neg) total = -total;
  return (neg ? '-' : '') + formatSecFrac(Number(total / 1_000_000_000n), Number(total % 1_000_000_000n), digits);
}

const DIVISORS = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1];
/** Leading zeros of a fraction, by count. */
const ZEROS = ['', '0', '00', '000', '0000', '00000', '000000', '0000000', '00000000', '000000000'];
/** "12." of the last seconds formatted: consecutive packets mostly share it (one text for them all). */
let lastSec = NaN;
let lastSecText = '';

/** "12.345678" from whole seconds and nanoseconds, truncated to `digits` decimals. */
export function formatSecFrac(sec: number, nsec: number, digits: number): string {
  if (digits <= 0) return String(sec);
  const d = digits > 9 ? 9 : digits;
  const frac = String(Math.floor(nsec / DIVISORS[d]!));
  if (sec !== lastSec) {
    lastSec = sec;
    lastSecText = sec + '.';
  }
  return frac.length < d ? lastSecText + ZEROS[d - frac.length]! + frac : lastSecText + frac;
}

/** One line in tshark's default layout (fixed widths for No., Time, Source, Destination). */
export function tsharkLine(r: SummaryRow): string {
  return `${String(r.num).padStart(5)} ${r.time.padStart(10)} ${addressPair(r.source, r.destination)} ${r.protocol} ${r.length} ${r.info}`;
}

/**
 * "   10.0.0.1 → 10.0.0.2    ": Source and Destination padded as tshark prints them. A capture
 * has few address pairs and the texts are shared strings, so each pair's text is made once
 * (the command line prints it for every packet). Bounded: cleared past 4096 pairs.
 */
const pairTexts = new Map<string, Map<string, string>>();
let pairCount = 0;

function addressPair(src: string, dst: string): string {
  let bySrc = pairTexts.get(src);
  if (bySrc === undefined) {
    if (pairCount >= 4096) {
      pairTexts.clear();
      pairCount = 0;
    }
    bySrc = new Map();
    pairTexts.set(src, bySrc);
  }
  let text = bySrc.get(dst);
  if (text === undefined) {
    text = `${src.padStart(12)} \u2192 ${dst.padEnd(12)}`;
    bySrc.set(dst, text);
    pairCount++;
  }
  return text;
}

/** Decodes records in file order (the first pass) and produces summary rows. */
export class SummaryDecoder {
  readonly state = new CaptureState();
  private count = 0;
  private refSec = 0;
  private refNsec = 0;
  private refSet = false;

  /** @param lane take bare TCP SYNs, ACKs and FINs by the short lane in row(); false only to check it. */
  constructor(private readonly lane = true) {}

  get packets(): number {
    return this.count;
  }

  /**
   * The chunks of a file of `totalBytes`, passed on; after each, the TCP per-frame tables learn
   * how many frames the file will hold (growable.ts, expectedRows), as the app's engine tells
   * them: they then grow once to that size instead of doubling, and each doubling touches fresh
   * memory (a page fault per 4 KiB, ~0.1 s of a 500k-packet decode here).
   */
  async *sized(chunks: AsyncIterable<Uint8Array>, totalBytes: number): AsyncGenerator<Uint8Array> {
    const frames = tcpState.of(this.state).frames;
    let read = 0;
    for await (const chunk of chunks) {
      read += chunk.length;
      yield chunk;
      frames.expectedFrames = expectedRows(this.count, read, totalBytes);
    }
  }

  /** Dissects the next record; returns the packet (columns filled) and its relative time text. */
  next(rec: PacketRecord, tree: TreeSink | null = null): { packet: Packet; time: string } {
    const num = ++this.count;
    if (!this.refSet) {
      // tshark measures from the first frame, counting a missing timestamp as 0.
      this.refSet = true;
      if (rec.hasTs) {
        this.refSec = rec.tsSec;
        this.refNsec = rec.tsNsec;
      }
    }
    const packet = dissectFrame(this.state, num, rec, tree, false);
    return { packet, time: this.time(rec) };
  }

  /** Relative time text of a record (after the first record was seen). */
  private time(rec: PacketRecord): string {
    return rec.hasTs ? formatRelative(rec.tsSec, rec.tsNsec, this.refSec, this.refNsec, tshark40Precision(rec.tsPrecision)) : '';
  }

  /** The next record's summary line; bare TCP SYNs, ACKs and FINs by the short lane (dissect/tcp-lane.ts). */
  row(rec: PacketRecord): SummaryRow {
    // The short lane never takes a first packet (its conversation would be unknown): the time
    // reference is set by then.
    if (this.lane && this.refSet && tcpLane(this.state, this.count + 1, rec)) {
      const num = ++this.count;
      const a = laneSegment;
      return { num, time: this.time(rec), source: a.src, destination: a.dst, protocol: a.protocol, length: rec.origLen, info: laneSegmentInfo(a, rec.data), stream: a.stream };
    }
    const { packet, time } = this.next(rec);
    return {
      num: packet.num,
      time,
      source: packet.src,
      destination: packet.dst,
      protocol: packet.cols.protocol,
      length: rec.origLen,
      info: packet.cols.info,
      stream: packet.tcp ? packet.tcp.stream : -1,
    };
  }
}
