// pcapng (draft-ietf-opsawg-pcapng). Every block is framed the same way (§3.1 General Block
// Structure): type (32), total length (32), body padded to 32 bits, total length again.
// Each Section Header Block sets the byte order of the blocks that follow it and starts a fresh
// list of interfaces (§3.3, §4.1). We number interfaces file-wide for PacketRecord.interfaceId.

import type { FormatParser, PacketCallback } from './parser.ts';
import { CUT_SHORT, MAX_PACKET_LEN, REST_UNREADABLE } from './parser.ts';
import { hexBytes, PCAPNG_MIN_SHB_LEN, tooShort } from './sniff.ts';
import { timestampPrecision } from './time.ts';
import type { CaptureInterface, CaptureMeta, InterfaceStatistics } from './types.ts';

const BT_SHB = 0x0a0d0d0a;
const BT_IDB = 0x00000001;
const BT_OPB = 0x00000002; // obsolete Packet Block (appendix "Packet Block")
const BT_SPB = 0x00000003;
const BT_NRB = 0x00000004;
const BT_ISB = 0x00000005;
const BT_EPB = 0x00000006;
const BT_DSB = 0x0000000a;
const BT_CB_COPY = 0x00000bad;
const BT_CB_NOCOPY = 0x40000bad;

const BLOCK_OVERHEAD = 12; // type + length + trailing length
/** Larger blocks are treated as corruption (Wireshark uses the same 16 MiB cap). */
export const MAX_BLOCK_LEN = 16 * 1024 * 1024;

const OPT_ENDOFOPT = 0;
const OPT_COMMENT = 1;

/** Interface state used on the hot path. */
interface Iface {
  fileIndex: number;
  linkType: number;
  snapLen: number;
  /** Units per second as a number (exact whenever nsPerUnit !== 0). */
  units: number;
  unitsBig: bigint;
  /** 10^9 / units when that is an integer (10^0..10^9, 2^0..2^9): the fast, exact path. */
  nsPerUnit: number;
  /** if_tsoffset, seconds. */
  offset: number;
  precision: number;
}

// Outputs of convertTs (module-level to avoid allocating a pair per packet).
let outSec = 0;
let outNsec = 0;

/**
 * 64-bit timestamp in interface units (pcapng §4.3: "Timestamp (High)/(Low)") → exact seconds +
 * nanoseconds, truncating like Wireshark: nsec = (ts mod units) * 10^9 / units.
 */
function convertTs(hi: number, lo: number, f: Iface): void {
  const mul = f.nsPerUnit;
  if (mul !== 0) {
    const u = f.units; // ≤ 10^9
    if (hi < 0x200000) {
      // ts < 2^53: plain doubles are exact (the common µs case until the year 2255).
      const ts = hi * 4294967296 + lo;
      let s = Math.floor(ts / u);
      let r = ts - s * u;
      if (r < 0) {
        s--;
        r += u;
      } else if (r >= u) {
        s++;
        r -= u;
      }
      outSec = s + f.offset;
      outNsec = r * mul;
      return;
    }
    // ts ≥ 2^53 (e.g. ns resolution): long division in 16-bit steps keeps every intermediate
    // value below 2^53, so no BigInt is needed.
    const hq = Math.floor(hi / u);
    const hr = hi - hq * u;
    const x1 = hr * 65536 + (lo >>> 16);
    let q1 = Math.floor(x1 / u);
    let r1 = x1 - q1 * u;
    if (r1 < 0) {
      q1--;
      r1 += u;
    } else if (r1 >= u) {
      q1++;
      r1 -= u;
    }
    const x2 = r1 * 65536 + (lo & 0xffff);
    let q2 = Math.floor(x2 / u);
    let r2 = x2 - q2 * u;
    if (r2 < 0) {
      q2--;
      r2 += u;
    } else if (r2 >= u) {
      q2++;
      r2 -= u;
    }
    outSec = (hq * 65536 + q1) * 65536 + q2 + f.offset;
    outNsec = r2 * mul;
    return;
  }
  // Unusual resolutions (2^-10, 2^-20, 10^-12 …): exact BigInt arithmetic.
  const ts = (BigInt(hi) << 32n) | BigInt(lo);
  const ub = f.unitsBig;
  outSec = Number(ts / ub) + f.offset;
  outNsec = Number(((ts % ub) * 1000000000n) / ub);
}

// Outputs of readPacketOptions.
let optComments: string[] | undefined;
let optFlags: number | undefined;
let optDrops: number | undefined;

const utf8 = new TextDecoder('utf-8');

/**
 * UTF-8 string option/field. pcapng §3.5 "Options": strings are not necessarily
 * zero-terminated, but a zero octet MUST be treated as a terminator.
 */
function decodeString(buf: Uint8Array, start: number, len: number): string {
  let n = 0;
  while (n < len && buf[start + n] !== 0) n++;
  return utf8.decode(buf.subarray(start, start + n));
}

/** RFC 5952 text form of a 16-byte IPv6 address. */
export function formatIpv6(b: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i]! << 8) | b[i + 1]!);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

function readU64(dv: DataView, pos: number, le: boolean): bigint {
  return dv.getBigUint64(pos, le);
}

export class PcapngParser implements FormatParser {
  stopped = false;
  /** Byte order of the current section. */
  private le: boolean;
  private sectionIndex = -1;
  /** Interfaces of the current section, indexed by section-local id. */
  private sectionIfaces: Iface[] = [];
  private fileIfaceCount = 0;

  constructor(
    private readonly meta: CaptureMeta,
    private readonly onPacket: PacketCallback,
    bigEndian: boolean,
  ) {
    this.le = !bigEndian;
    meta.format = 'pcapng';
    meta.bigEndian = bigEndian;
  }

  private fail(offset: number, what: string): void {
    this.stopped = true;
    this.meta.error = { offset, message: `${what} — ${REST_UNREADABLE}` };
  }

  private warn(offset: number, message: string): void {
    this.meta.warnings.push({ offset, message });
  }

  /**
   * Validates the block header at pos (≥ 12 bytes present) and returns its total length,
   * or -1 after fail(). General Block Structure (§3.1): the length is a multiple of 4 and
   * at least 12; an SHB carries its own byte order (§4.1).
   */
  private blockLength(dv: DataView, pos: number, base: number): number {
    let le = this.le;
    const type = dv.getUint32(pos, le);
    if (type === BT_SHB) {
      // Block type is palindromic; the byte-order magic 8 bytes in tells the order.
      const bom = dv.getUint32(pos + 8, false);
      if (bom === 0x1a2b3c4d) le = false;
      else if (bom === 0x4d3c2b1a) le = true;
      else {
        const b = new Uint8Array(dv.buffer, dv.byteOffset + pos + 8, 4);
        this.fail(base + pos, `section header block at offset ${base + pos} has an unknown byte-order magic (${hexBytes(b)})`);
        return -1;
      }
    }
    const len = dv.getUint32(pos + 4, le);
    const at = base + pos;
    if (len < BLOCK_OVERHEAD) {
      this.fail(at, `block at offset ${at} has a total length of ${len} bytes (less than the 12-byte minimum)`);
      return -1;
    }
    if ((len & 3) !== 0) {
      this.fail(at, `block at offset ${at} has a total length of ${len} bytes, which is not a multiple of 4`);
      return -1;
    }
    if (len > MAX_BLOCK_LEN) {
      this.fail(at, `block at offset ${at} claims ${len} bytes (more than ${MAX_BLOCK_LEN}), the file appears to be damaged or corrupt`);
      return -1;
    }
    if (type === BT_SHB && len < PCAPNG_MIN_SHB_LEN) {
      this.fail(at, `section header block at offset ${at} is only ${len} bytes long (at least 28 needed)`);
      return -1;
    }
    return len;
  }

  unitLength(_buf: Uint8Array, dv: DataView, pos: number, avail: number, base: number): number {
    if (avail < BLOCK_OVERHEAD) return BLOCK_OVERHEAD;
    return this.blockLength(dv, pos, base);
  }

  parse(buf: Uint8Array, dv: DataView, pos: number, end: number, base: number): number {
    const ab = buf.buffer;
    const bo = buf.byteOffset;
    const onPacket = this.onPacket;
    let fast = 0;
    while (!this.stopped && end - pos >= BLOCK_OVERHEAD) {
      // Hot path: a well-formed EPB without options (pcapng §4.3). Anything unusual falls
      // through to the general code below, which validates and reports.
      const le = this.le;
      const fastLen = dv.getUint32(pos + 4, le);
      if (
        dv.getUint32(pos, le) === BT_EPB &&
        fastLen >= 32 &&
        (fastLen & 3) === 0 &&
        fastLen <= end - pos &&
        dv.getUint32(pos + fastLen - 4, le) === fastLen
      ) {
        const f = this.sectionIfaces[dv.getUint32(pos + 8, le)];
        const cap = dv.getUint32(pos + 20, le);
        if (f !== undefined && cap <= MAX_PACKET_LEN && fastLen - 32 - ((cap + 3) & ~3) === 0) {
          const hi = dv.getUint32(pos + 12, le);
          const lo = dv.getUint32(pos + 16, le);
          let sec: number;
          let nsec: number;
          const mul = f.nsPerUnit;
          if (mul !== 0 && hi < 0x200000) {
            const u = f.units;
            const ts = hi * 4294967296 + lo;
            sec = Math.floor(ts / u);
            let r = ts - sec * u;
            if (r < 0) {
              sec--;
              r += u;
            } else if (r >= u) {
              sec++;
              r -= u;
            }
            sec += f.offset;
            nsec = r * mul;
          } else {
            convertTs(hi, lo, f);
            sec = outSec;
            nsec = outNsec;
          }
          fast++;
          onPacket({
            data: new Uint8Array(ab, bo + pos + 28, cap),
            origLen: dv.getUint32(pos + 24, le),
            tsSec: sec,
            tsNsec: nsec,
            hasTs: true,
            tsPrecision: f.precision,
            linkType: f.linkType,
            interfaceId: f.fileIndex,
            fileOffset: base + pos + 28,
            comments: undefined,
            epbFlags: undefined,
            dropCount: undefined,
          });
          pos += fastLen;
          continue;
        }
      }
      const len = this.blockLength(dv, pos, base);
      if (len < 0) break;
      if (len > end - pos) break; // incomplete: the facade gathers the rest
      let le2 = le;
      const type = dv.getUint32(pos, le);
      if (type === BT_SHB) le2 = dv.getUint32(pos + 8, true) === 0x1a2b3c4d;
      if (dv.getUint32(pos + len - 4, le2) !== len) {
        const at = base + pos;
        this.fail(at, `block at offset ${at}: the trailing length (${dv.getUint32(pos + len - 4, le2)}) does not match the leading length (${len})`);
        break;
      }
      switch (type) {
        case BT_EPB:
          this.epb(buf, dv, pos, len, base);
          break;
        case BT_SHB:
          this.shb(buf, dv, pos, len, base, le2);
          break;
        case BT_IDB:
          this.idb(buf, dv, pos, len, base);
          break;
        case BT_SPB:
          this.spb(buf, dv, pos, len, base);
          break;
        case BT_OPB:
          this.opb(buf, dv, pos, len, base);
          break;
        case BT_NRB:
          this.nrb(buf, dv, pos, len, base);
          break;
        case BT_ISB:
          this.isb(buf, dv, pos, len, base);
          break;
        case BT_DSB:
          this.dsb(buf, dv, pos, len, base);
          break;
        case BT_CB_COPY:
        case BT_CB_NOCOPY:
          // Custom Block: vendor data (PEN + data + options). tshark 4.0 shows each as a
          // "PCAPNG" pseudo-frame; we only count them.
          this.meta.customBlocks++;
          break;
        default:
          // Unknown or uninteresting (Darwin process info 0x80000001, systemd journal 9,
          // IRIG 7, ARINC 8 …): "a parser that does not understand them can simply ignore" (§3.1).
          this.meta.skippedBlocks++;
      }
      if (this.stopped) break;
      pos += len;
    }
    this.meta.packetCount += fast;
    return pos;
  }

  // pcapng §4.1 Section Header Block: BOM, major, minor, section length (64), options.
  private shb(buf: Uint8Array, dv: DataView, pos: number, len: number, base: number, le: boolean): void {
    const major = dv.getUint16(pos + 12, le);
    const minor = dv.getUint16(pos + 14, le);
    // "Readers MUST treat a Minor Version of 2 as equivalent to 0" (§4.1). Like tshark 4.0 we
    // refuse any other version; the spec would have us skip the section, tshark stops (corpus
    // gopacket_le_test901.pcapng), and so do we, keeping every packet before it.
    if (major !== 1 || (minor !== 0 && minor !== 2)) {
      const at = base + pos;
      this.fail(at, `section header block at offset ${at} has unsupported pcapng version ${major}.${minor}`);
      return;
    }
    const meta = this.meta;
    this.le = le;
    this.sectionIndex++;
    this.sectionIfaces = [];
    meta.sectionCount++;
    const first = this.sectionIndex === 0;
    if (first) {
      meta.bigEndian = !le;
      meta.versionMajor = major;
      meta.versionMinor = minor;
    }
    this.options(dv, pos + 24, pos + len - 4, base, (code, v, n) => {
      if (code === OPT_COMMENT) meta.sectionComments.push(decodeString(buf, v, n));
      else if (!first) return;
      else if (code === 2) meta.hardware = decodeString(buf, v, n); // shb_hardware
      else if (code === 3) meta.os = decodeString(buf, v, n); // shb_os
      else if (code === 4) meta.userAppl = decodeString(buf, v, n); // shb_userappl
    });
  }

  // pcapng §4.2 Interface Description Block: LinkType (16), reserved (16), SnapLen (32), options.
  private idb(buf: Uint8Array, dv: DataView, pos: number, len: number, base: number): void {
    const at = base + pos;
    if (len < 20) {
      this.fail(at, `interface description block at offset ${at} is only ${len} bytes long`);
      return;
    }
    const le = this.le;
    const iface: CaptureInterface = {
      linkType: dv.getUint16(pos + 8, le),
      snapLen: dv.getUint32(pos + 12, le),
      tsUnitsPerSec: 1000000n, // default if_tsresol 6
      tsOffsetSec: 0n,
      tsPrecision: 6,
      sectionIndex: this.sectionIndex,
      sectionInterfaceId: this.sectionIfaces.length,
    };
    let bad: string | undefined;
    this.options(dv, pos + 16, pos + len - 4, base, (code, v, n) => {
      switch (code) {
        case OPT_COMMENT:
          (iface.comments ??= []).push(decodeString(buf, v, n));
          break;
        case 2: // if_name
          iface.name = decodeString(buf, v, n);
          break;
        case 3: // if_description
          iface.description = decodeString(buf, v, n);
          break;
        case 9: {
          // if_tsresol: MSB clear → 10^-n s, set → 2^-n s.
          if (n !== 1) break;
          const r = buf[v]!;
          const e = r & 0x7f;
          if (r & 0x80 ? e > 63 : e > 19) {
            bad = `interface description block at offset ${at} has an impossible if_tsresol (0x${r.toString(16)})`;
            break;
          }
          iface.tsUnitsPerSec = r & 0x80 ? 1n << BigInt(e) : 10n ** BigInt(e);
          break;
        }
        case 12: // if_os
          iface.os = decodeString(buf, v, n);
          break;
        case 13: // if_fcslen
          if (n === 1) iface.fcsLen = buf[v]!;
          break;
        case 14: // if_tsoffset: signed 64-bit seconds added to every timestamp
          if (n === 8) iface.tsOffsetSec = dv.getBigInt64(v, le);
          break;
      }
    });
    if (bad) {
      this.fail(at, bad);
      return;
    }
    iface.tsPrecision = timestampPrecision(iface.tsUnitsPerSec);
    const units = iface.tsUnitsPerSec;
    const nsPerUnit = units <= 1000000000n && 1000000000n % units === 0n ? Number(1000000000n / units) : 0;
    this.sectionIfaces.push({
      fileIndex: this.fileIfaceCount++,
      linkType: iface.linkType,
      snapLen: iface.snapLen,
      units: Number(units),
      unitsBig: units,
      nsPerUnit,
      offset: Number(iface.tsOffsetSec),
      precision: iface.tsPrecision,
    });
    this.meta.interfaces.push(iface);
  }

  private missingIface(pos: number, base: number, what: string, id: number): void {
    const at = base + pos;
    const n = this.sectionIfaces.length;
    this.fail(
      at,
      n === 0
        ? `${what} at offset ${at} appears before any interface description block in its section`
        : `${what} at offset ${at} refers to interface ${id}, but its section has only ${n}`,
    );
  }

  private tooBig(pos: number, base: number, what: string, cap: number): void {
    const at = base + pos;
    this.fail(at, `${what} at offset ${at} claims ${cap} captured bytes (more than ${MAX_PACKET_LEN}), the file appears to be damaged or corrupt`);
  }

  // pcapng §4.3 Enhanced Packet Block: Interface ID, Timestamp (High), Timestamp (Low),
  // Captured Packet Length, Original Packet Length, Packet Data (padded), options.
  private epb(buf: Uint8Array, dv: DataView, pos: number, len: number, base: number): void {
    const ifId = len < 32 ? 0 : dv.getUint32(pos + 8, this.le);
    this.packetBlock(buf, dv, pos, len, base, 'enhanced packet block', ifId, -1);
  }

  /** EPB and OPB share everything from the timestamp on; `drops` ≥ 0 is the OPB's drop count. */
  private packetBlock(buf: Uint8Array, dv: DataView, pos: number, len: number, base: number, what: string, ifId: number, drops: number): void {
    const le = this.le;
    if (len < 32) {
      const at = base + pos;
      this.fail(at, `${what} at offset ${at} is only ${len} bytes long (at least 32 needed)`);
      return;
    }
    const f = this.sectionIfaces[ifId];
    if (f === undefined) {
      this.missingIface(pos, base, what, ifId);
      return;
    }
    const cap = dv.getUint32(pos + 20, le);
    const dataStart = pos + 28;
    if (cap > len - 32) {
      const at = base + pos;
      this.fail(at, `${what} at offset ${at} claims ${cap} captured bytes, but the block has room for ${len - 32}`);
      return;
    }
    if (cap > MAX_PACKET_LEN) {
      this.tooBig(pos, base, what, cap);
      return;
    }
    convertTs(dv.getUint32(pos + 12, le), dv.getUint32(pos + 16, le), f);
    const optStart = dataStart + ((cap + 3) & ~3);
    const optEnd = pos + len - 4;
    if (optEnd - optStart >= 4) this.readPacketOptions(buf, dv, optStart, optEnd, base);
    else optComments = optFlags = optDrops = undefined;
    this.meta.packetCount++;
    this.onPacket({
      data: new Uint8Array(buf.buffer, buf.byteOffset + dataStart, cap),
      origLen: dv.getUint32(pos + 24, le),
      tsSec: outSec,
      tsNsec: outNsec,
      hasTs: true,
      tsPrecision: f.precision,
      linkType: f.linkType,
      interfaceId: f.fileIndex,
      fileOffset: base + dataStart,
      comments: optComments,
      epbFlags: optFlags,
      dropCount: drops >= 0 ? drops : optDrops,
    });
  }

  // pcapng §4.4 Simple Packet Block: Original Packet Length, Packet Data. No timestamp, no
  // interface id (always the section's first interface); captured length =
  // min(original length, SnapLen (0 = unlimited), room in the block).
  private spb(buf: Uint8Array, dv: DataView, pos: number, len: number, base: number): void {
    const f = this.sectionIfaces[0];
    if (f === undefined) {
      this.missingIface(pos, base, 'simple packet block', 0);
      return;
    }
    if (len < 16) {
      const at = base + pos;
      this.fail(at, `simple packet block at offset ${at} is only ${len} bytes long (at least 16 needed)`);
      return;
    }
    const orig = dv.getUint32(pos + 8, this.le);
    let cap = orig;
    if (f.snapLen !== 0 && cap > f.snapLen) cap = f.snapLen;
    if (cap > len - 16) cap = len - 16;
    if (cap > MAX_PACKET_LEN) {
      this.tooBig(pos, base, 'simple packet block', cap);
      return;
    }
    const dataStart = pos + 12;
    this.meta.packetCount++;
    this.onPacket({
      data: new Uint8Array(buf.buffer, buf.byteOffset + dataStart, cap),
      origLen: orig,
      tsSec: 0,
      tsNsec: 0,
      hasTs: false,
      tsPrecision: f.precision,
      linkType: f.linkType,
      interfaceId: f.fileIndex,
      fileOffset: base + dataStart,
      comments: undefined,
      epbFlags: undefined,
      dropCount: undefined,
    });
  }

  // Obsolete Packet Block (type 2, pcapng appendix "Packet Block"): Interface ID (16),
  // Drops Count (16), then the EPB's layout from the timestamp on.
  private opb(buf: Uint8Array, dv: DataView, pos: number, len: number, base: number): void {
    const ok = len >= 32;
    // A drop count of 0xFFFF ("not available") is not defined for the 16-bit field; kept as is.
    this.packetBlock(buf, dv, pos, len, base, 'packet block', ok ? dv.getUint16(pos + 8, this.le) : 0, ok ? dv.getUint16(pos + 10, this.le) : -1);
  }

  /** EPB/OPB options (§4.3): opt_comment, epb_flags (2) / pack_flags, epb_dropcount (4). */
  private readPacketOptions(buf: Uint8Array, dv: DataView, start: number, end: number, base: number): void {
    optComments = optFlags = optDrops = undefined;
    const le = this.le;
    let p = start;
    while (end - p >= 4) {
      const code = dv.getUint16(p, le);
      const n = dv.getUint16(p + 2, le);
      const v = p + 4;
      if (code === OPT_ENDOFOPT) break;
      if (n > end - v) {
        this.warn(base + p, `option ${code} at offset ${base + p} runs past the end of its block; ignored`);
        break;
      }
      if (code === OPT_COMMENT) (optComments ??= []).push(decodeString(buf, v, n));
      else if (code === 2 && n === 4) optFlags = dv.getUint32(v, le);
      else if (code === 4 && n === 8) optDrops = Number(readU64(dv, v, le));
      p = v + ((n + 3) & ~3);
    }
  }

  /** Generic option walk (§3.5): code (16), length (16), value padded to 32 bits. */
  private options(
    dv: DataView,
    start: number,
    end: number,
    base: number,
    onOption: (code: number, valueStart: number, length: number) => void,
  ): void {
    const le = this.le;
    let p = start;
    while (end - p >= 4) {
      const code = dv.getUint16(p, le);
      const n = dv.getUint16(p + 2, le);
      const v = p + 4;
      if (code === OPT_ENDOFOPT) break;
      if (n > end - v) {
        this.warn(base + p, `option ${code} at offset ${base + p} runs past the end of its block; ignored`);
        break;
      }
      onOption(code, v, n);
      p = v + ((n + 3) & ~3);
    }
  }

  // pcapng §4.5 Name Resolution Block: records (type 16, length 16, value padded), ending with
  // nrb_record_end, then options.
  private nrb(buf: Uint8Array, dv: DataView, pos: number, len: number, base: number): void {
    const le = this.le;
    const end = pos + len - 4;
    let p = pos + 8;
    while (end - p >= 4) {
      const type = dv.getUint16(p, le);
      const n = dv.getUint16(p + 2, le);
      const v = p + 4;
      if (type === 0) break; // nrb_record_end
      if (n > end - v) {
        this.warn(base + p, `name resolution record at offset ${base + p} runs past the end of its block; ignored`);
        break;
      }
      const addrLen = type === 1 ? 4 : type === 2 ? 16 : 0; // nrb_record_ipv4 / _ipv6
      if (addrLen !== 0 && n >= addrLen) {
        const address =
          type === 1 ? `${buf[v]}.${buf[v + 1]}.${buf[v + 2]}.${buf[v + 3]}` : formatIpv6(buf.subarray(v, v + 16));
        const names: string[] = [];
        let s = v + addrLen;
        const stop = v + n;
        while (s < stop) {
          let z = s;
          while (z < stop && buf[z] !== 0) z++;
          if (z > s) names.push(utf8.decode(buf.subarray(s, z)));
          s = z + 1;
        }
        this.meta.names.push({ kind: type === 1 ? 'ipv4' : 'ipv6', address, names });
      }
      // Other record types (EUI-48/64, future ones) "MUST be ignored and skipped past".
      p = v + ((n + 3) & ~3);
    }
  }

  // pcapng §4.6 Interface Statistics Block: Interface ID, Timestamp (High/Low), options.
  private isb(buf: Uint8Array, dv: DataView, pos: number, len: number, base: number): void {
    const le = this.le;
    const at = base + pos;
    if (len < 24) {
      this.warn(at, `interface statistics block at offset ${at} is only ${len} bytes long; ignored`);
      return;
    }
    const ifId = dv.getUint32(pos + 8, le);
    const f = this.sectionIfaces[ifId];
    if (f === undefined) {
      this.warn(at, `interface statistics block at offset ${at} refers to unknown interface ${ifId}; ignored`);
      return;
    }
    convertTs(dv.getUint32(pos + 12, le), dv.getUint32(pos + 16, le), f);
    const st: InterfaceStatistics = { interfaceId: f.fileIndex, tsSec: outSec, tsNsec: outNsec };
    this.options(dv, pos + 20, pos + len - 4, base, (code, v, n) => {
      if (code === OPT_COMMENT) (st.comments ??= []).push(decodeString(buf, v, n));
      else if (n !== 8) return;
      else if (code === 4) st.ifRecv = readU64(dv, v, le); // isb_ifrecv
      else if (code === 5) st.ifDrop = readU64(dv, v, le); // isb_ifdrop
      else if (code === 6) st.filterAccept = readU64(dv, v, le); // isb_filteraccept
      else if (code === 7) st.osDrop = readU64(dv, v, le); // isb_osdrop
      else if (code === 8) st.usrDeliv = readU64(dv, v, le); // isb_usrdeliv
    });
    this.meta.statistics.push(st);
  }

  // pcapng Decryption Secrets Block (type 0x0000000A): Secrets Type, Secrets Length, data, options.
  private dsb(buf: Uint8Array, dv: DataView, pos: number, len: number, base: number): void {
    const le = this.le;
    const at = base + pos;
    const n = len >= 20 ? dv.getUint32(pos + 12, le) : 0;
    if (len < 20 || n > len - 20) {
      this.warn(at, `decryption secrets block at offset ${at} is malformed; ignored`);
      return;
    }
    // A copy: meta outlives the chunk the block came in.
    this.meta.secrets.push({ secretsType: dv.getUint32(pos + 8, le), data: buf.slice(pos + 16, pos + 16 + n) });
  }

  finish(partial: number, offset: number, need: number): void {
    if (this.sectionIndex < 0 && !this.stopped) {
      throw tooShort('pcapng section header', partial, Math.max(need, PCAPNG_MIN_SHB_LEN));
    }
    if (partial === 0 || this.stopped) return;
    const detail =
      partial < BLOCK_OVERHEAD
        ? `the file ends ${partial} bytes into a block header at offset ${offset}`
        : `the block at offset ${offset} claims ${need} bytes, but the file ends after ${partial}`;
    this.stopped = true;
    this.meta.error = { offset, message: `${CUT_SHORT} (${detail})` };
  }
}
