// Internal contract between the chunk-feeding facade (reader.ts) and the format parsers
// (pcap.ts, pcapng.ts). Not part of the public API.
//
// A format is a sequence of "units" (the pcap file header, pcap records, pcapng blocks), each of
// which can be sized from its first few bytes. The facade hands a parser whole chunks; the parser
// consumes every complete unit in place (zero-copy) and stops at the first incomplete one. The
// facade then copies just that one unit's bytes into a fresh buffer as more chunks arrive and
// hands it over whole.

import type { CaptureMeta, PacketRecord } from './types.ts';

export type PacketCallback = (rec: PacketRecord) => void;

export interface FormatParser {
  /** True once a fatal problem (meta.error) ended the reading. */
  stopped: boolean;
  /**
   * Consumes every complete unit in buf[pos, end) and returns the position of the first byte not
   * consumed: the start of an incomplete unit, `end`, or where a fatal error stopped it.
   * `base` is the stream offset of buf[0]; `dv` views the same bytes as `buf`.
   */
  parse(buf: Uint8Array, dv: DataView, pos: number, end: number, base: number): number;
  /**
   * Size of the unit starting at buf[pos] when `avail` bytes of it are present: the full size
   * once its header is readable, otherwise the header size (ask again with more bytes).
   * Returns -1 (and sets meta.error, stopped) when the header proves the unit unreadable.
   */
  unitLength(buf: Uint8Array, dv: DataView, pos: number, avail: number, base: number): number;
  /**
   * End of input. `partial` bytes of an incomplete unit starting at stream offset `offset` were
   * left over (0 when the input ended on a unit boundary); `need` is what unitLength said.
   * May throw CaptureFormatError when not even the file header was complete.
   */
  finish(partial: number, offset: number, need: number): void;
}

/** libpcap's and Wireshark's largest packet (WTAP_MAX_PACKET_SIZE): longer records are corrupt. */
export const MAX_PACKET_LEN = 262144;

/** tshark's words for a truncated file ("…appears to have been cut short in the middle of a packet"). */
export const CUT_SHORT = 'the capture file appears to have been cut short in the middle of a packet';

export const REST_UNREADABLE = 'the rest of the file cannot be read';

export function newMeta(): CaptureMeta {
  return {
    format: 'unknown',
    compressed: false,
    bigEndian: false,
    versionMajor: 0,
    versionMinor: 0,
    interfaces: [],
    sectionCount: 0,
    sectionComments: [],
    names: [],
    secrets: [],
    statistics: [],
    skippedBlocks: 0,
    customBlocks: 0,
    packetCount: 0,
    bytesRead: 0,
    warnings: [],
  };
}
