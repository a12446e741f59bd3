// Shared shapes of the capture layer: file formats in, packet records out.
// Nothing here knows about protocols; link types are passed through as numbers.

/** One packet as the capture file stores it. */
export interface PacketRecord {
  /**
   * The captured bytes. A view (subarray) into the chunk that was pushed — no copy —
   * except when the record straddled two chunks, in which case it is a fresh array.
   * The view stays valid as long as the caller keeps the chunk alive.
   */
  data: Uint8Array;
  /** Length of the packet on the wire (may exceed data.length when snapped). */
  origLen: number;
  /**
   * Timestamp as an exact pair: whole seconds since the Unix epoch and nanoseconds.
   * tsNsec is what the file says, converted to ns; a broken file may give a value ≥ 1e9
   * (tshark prints such values as they are, so we keep them). A classic pcap's fraction goes
   * through a signed 32-bit int as in tshark's reader (wiretap): µs × 1000 wraps around.
   */
  tsSec: number;
  tsNsec: number;
  /** False for pcapng Simple Packet Blocks, which carry no timestamp. */
  hasTs: boolean;
  /** Decimal digits the file's resolution supports (6 for µs pcap, 9 for ns, 2 for 2^-8 …). */
  tsPrecision: number;
  /** LINKTYPE_* value (upper FCS bits of a pcap header already masked off). */
  linkType: number;
  /** pcapng: index of the interface across the whole file (IDBs numbered in file order); pcap: 0. */
  interfaceId: number;
  /** Byte offset of the packet data within the (decompressed) capture stream. */
  fileOffset: number;
  /** pcapng opt_comment values of the EPB/OPB. */
  comments?: string[];
  /** pcapng epb_flags (or the obsolete Packet Block's pack_flags), when present. */
  epbFlags?: number;
  /**
   * Packets dropped between this packet and the previous one on the same interface:
   * pcapng epb_dropcount option, or the drops_count field of an obsolete Packet Block.
   */
  dropCount?: number;
}

/** pcapng Interface Description Block (pcapng §4.2), or the pseudo-interface of a classic pcap. */
export interface CaptureInterface {
  linkType: number;
  snapLen: number;
  name?: string;
  description?: string;
  /** Units per second of the raw timestamp (10^k or 2^k). */
  tsUnitsPerSec: bigint;
  /** if_tsoffset: seconds added to every timestamp. */
  tsOffsetSec: bigint;
  tsPrecision: number;
  sectionIndex: number;
  /** pcapng: the interface's index inside its own section (what EPBs refer to). */
  sectionInterfaceId?: number;
  /** classic pcap: the whole 32-bit LinkType field, FCS bits included. */
  linkTypeRaw?: number;
  /** FCS bytes at the end of each packet, when the file says (pcap P bit / if_fcslen). */
  fcsLen?: number;
  /** if_os. */
  os?: string;
  /** opt_comment values of the IDB. */
  comments?: string[];
}

/** pcapng Name Resolution Block record (pcapng §4.5). */
export interface NameRecord {
  kind: 'ipv4' | 'ipv6';
  /** Printable address, e.g. "10.0.0.1" or "2001:db8::1". */
  address: string;
  names: string[];
}

/** pcapng Decryption Secrets Block (pcapng §4.8), kept for a later TLS-decryption feature. */
export interface DecryptionSecrets {
  /** e.g. 0x544c534b "TLSK" for an NSS key log. */
  secretsType: number;
  data: Uint8Array;
}

/** pcapng Interface Statistics Block (pcapng §4.6). */
export interface InterfaceStatistics {
  interfaceId: number;
  tsSec: number;
  tsNsec: number;
  /** Option code → raw bytes, plus decoded counters where known. */
  ifRecv?: bigint;
  ifDrop?: bigint;
  /** isb_filteraccept, isb_osdrop, isb_usrdeliv. */
  filterAccept?: bigint;
  osDrop?: bigint;
  usrDeliv?: bigint;
  comments?: string[];
}

export type CaptureFormat =
  | 'pcap'
  | 'pcap-ns'
  | 'pcapng'
  | 'gzip';

/** Non-fatal problems: the file is still read as far as it can be. */
export interface CaptureWarning {
  /** Byte offset (in the decompressed stream) where the problem was found. */
  offset: number;
  message: string;
}

/** What the reader learned about the file besides its packets. */
export interface CaptureMeta {
  format: CaptureFormat | 'unknown';
  /** True when the file was gzip-compressed (format then names the inner format). */
  compressed: boolean;
  bigEndian: boolean;
  /** pcap: version, snaplen; pcapng: per section. */
  versionMajor: number;
  versionMinor: number;
  /** File-wide interface list: PacketRecord.interfaceId indexes it (classic pcap: one entry). */
  interfaces: CaptureInterface[];
  /** pcapng: number of sections read; classic pcap: 0. */
  sectionCount: number;
  /** opt_comment values of Section Header Blocks, in file order. */
  sectionComments: string[];
  /** SHB options shb_hardware, shb_os, shb_userappl of the first section. */
  hardware?: string;
  os?: string;
  userAppl?: string;
  names: NameRecord[];
  secrets: DecryptionSecrets[];
  statistics: InterfaceStatistics[];
  /** Block types skipped because unknown (pcapng), by count. */
  skippedBlocks: number;
  /** Custom blocks (0x00000BAD / 0x40000BAD), skipped but counted separately. */
  customBlocks: number;
  packetCount: number;
  /** Bytes of (decompressed) capture data consumed; short of the file size when reading stopped early. */
  bytesRead: number;
  warnings: CaptureWarning[];
  /**
   * Set when reading stopped early because the rest of the file cannot be trusted
   * (absurd record length, broken block): every packet before it was still delivered.
   */
  error?: CaptureWarning;
}

/** Thrown when the input is not a capture at all (nothing can be read). */
export class CaptureFormatError extends Error {
  override name = 'CaptureFormatError';
}
