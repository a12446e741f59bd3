// Classic pcap (draft-ietf-opsawg-pcap): a 24-byte File Header (§4) and 16-byte Packet Record
// headers (§5), in the writer's byte order, with µs or ns fractions chosen by the magic.

import type { FormatParser, PacketCallback } from './parser.ts';
import { CUT_SHORT, MAX_PACKET_LEN, REST_UNREADABLE } from './parser.ts';
import { PCAP_HEADER_LEN, tooShort } from './sniff.ts';
import type { CaptureMeta } from './types.ts';

const RECORD_HEADER_LEN = 16;

// caplen/len order of a file (see readHeader).
const ORDER_NORMAL = 0;
const ORDER_SWAPPED = 1;
/** Version 2.3: swapped only where the record says caplen > len. */
const ORDER_MAYBE_SWAPPED = 2;

export class PcapParser implements FormatParser {
  stopped = false;
  private headerDone = false;
  private readonly le: boolean;
  private readonly nanos: boolean;
  private linkType = 0;
  private order = ORDER_NORMAL;

  constructor(
    private readonly meta: CaptureMeta,
    private readonly onPacket: PacketCallback,
    bigEndian: boolean,
    nanos: boolean,
  ) {
    this.le = !bigEndian;
    this.nanos = nanos;
    meta.format = nanos ? 'pcap-ns' : 'pcap';
    meta.bigEndian = bigEndian;
  }

  /** File Header (draft-ietf-opsawg-pcap §4). The magic was checked by sniff(). */
  private readHeader(dv: DataView, pos: number): void {
    const le = this.le;
    const major = dv.getUint16(pos + 4, le);
    const minor = dv.getUint16(pos + 6, le);
    // pos+8 Reserved1 ("thiszone"), pos+12 Reserved2 ("sigfigs"): MUST be ignored by readers.
    const snapLen = dv.getUint32(pos + 16, le);
    const raw = dv.getUint32(pos + 20, le);
    // "LinkType and additional information" (§4): FCS len (4 bits) | R | P | Reserved3 (10 bits) |
    // link-layer type. Like libpcap/Wireshark (LT_LINKTYPE) we keep the low 26 bits; this clears
    // the FCS nibble (tag linktype-fcs-bits, e.g. 0x30000001 → 1) and the P flag.
    this.linkType = raw & 0x03ffffff;
    const fcsLen = raw & 0x04000000 ? ((raw >>> 28) & 0xf) * 2 : undefined;
    // Version 2.3 interchanged the caplen and len fields (libpcap sf-pcap.c): older files have
    // them the other way round, some 2.3 files too, and DG/UX tcpdump wrote 543.0 files in the
    // old order. tshark does the same (corpus fuzz-2021-10-13.pcap is a 2.0 file).
    if (major < 2 || (major === 2 && minor < 3) || (major === 543 && minor === 0)) this.order = ORDER_SWAPPED;
    else if (major === 2 && minor === 3) this.order = ORDER_MAYBE_SWAPPED;
    const meta = this.meta;
    meta.versionMajor = major;
    meta.versionMinor = minor;
    meta.sectionCount = 0;
    meta.interfaces.push({
      linkType: this.linkType,
      snapLen,
      tsUnitsPerSec: this.nanos ? 1000000000n : 1000000n,
      tsOffsetSec: 0n,
      tsPrecision: this.nanos ? 9 : 6,
      sectionIndex: 0,
      linkTypeRaw: raw,
      fcsLen,
    });
    this.headerDone = true;
  }

  unitLength(_buf: Uint8Array, dv: DataView, pos: number, avail: number, base: number): number {
    if (!this.headerDone) return PCAP_HEADER_LEN;
    if (avail < RECORD_HEADER_LEN) return RECORD_HEADER_LEN;
    let incl = dv.getUint32(pos + 8, this.le);
    if (this.order !== ORDER_NORMAL) {
      const orig = dv.getUint32(pos + 12, this.le);
      if (this.order === ORDER_SWAPPED || incl > orig) incl = orig;
    }
    if (incl > MAX_PACKET_LEN) {
      this.fail(base + pos, incl);
      return -1;
    }
    return RECORD_HEADER_LEN + incl;
  }

  private fail(offset: number, incl: number): void {
    this.stopped = true;
    this.meta.error = {
      offset,
      message:
        `record at offset ${offset} claims ${incl} bytes (more than ${MAX_PACKET_LEN}) — ` +
        `the capture file appears to be damaged or corrupt; ${REST_UNREADABLE}`,
    };
  }

  parse(buf: Uint8Array, dv: DataView, pos: number, end: number, base: number): number {
    if (this.stopped) return pos;
    if (!this.headerDone) {
      if (end - pos < PCAP_HEADER_LEN) return pos;
      this.readHeader(dv, pos);
      pos += PCAP_HEADER_LEN;
    }
    const le = this.le;
    const onPacket = this.onPacket;
    const linkType = this.linkType;
    const precision = this.nanos ? 9 : 6;
    const fracToNs = this.nanos ? 1 : 1000;
    const order = this.order;
    // new Uint8Array(buffer, offset, length) is ~2.5x cheaper than subarray() in V8, and the
    // view is the main per-record cost.
    const ab = buf.buffer;
    const bo = buf.byteOffset;
    let count = 0;
    // Packet Record (§5): ts sec, ts µs/ns, captured length, original length, data (not padded).
    while (end - pos >= RECORD_HEADER_LEN) {
      let incl = dv.getUint32(pos + 8, le);
      let orig = dv.getUint32(pos + 12, le);
      if (order !== ORDER_NORMAL && (order === ORDER_SWAPPED || incl > orig)) {
        const t = incl;
        incl = orig;
        orig = t;
      }
      if (incl > MAX_PACKET_LEN) {
        this.fail(base + pos, incl);
        break;
      }
      const dataStart = pos + RECORD_HEADER_LEN;
      const next = dataStart + incl;
      if (next > end) break;
      count++;
      onPacket({
        data: new Uint8Array(ab, bo + dataStart, incl),
        origLen: orig,
        tsSec: dv.getUint32(pos, le),
        // Out-of-range fractions (≥ 10^6 µs) are kept as the file says, in a 32-bit int as
        // tshark's reader keeps them (µs × 1000 wraps); see PacketRecord.tsNsec.
        tsNsec: Math.imul(dv.getUint32(pos + 4, le), fracToNs),
        hasTs: true,
        tsPrecision: precision,
        linkType,
        interfaceId: 0,
        fileOffset: base + dataStart,
        comments: undefined,
        epbFlags: undefined,
        dropCount: undefined,
      });
      pos = next;
    }
    this.meta.packetCount += count;
    return pos;
  }

  finish(partial: number, offset: number, need: number): void {
    if (!this.headerDone) throw tooShort('pcap file header', partial, PCAP_HEADER_LEN);
    if (partial === 0 || this.stopped) return;
    const detail =
      partial < RECORD_HEADER_LEN
        ? `only ${partial} of its ${RECORD_HEADER_LEN} header bytes are present`
        : `only ${partial - RECORD_HEADER_LEN} of its ${need - RECORD_HEADER_LEN} data bytes are present`;
    this.meta.warnings.push({
      offset,
      message: `${CUT_SHORT} (the record at offset ${offset} is incomplete: ${detail})`,
    });
  }
}
