// The per-packet context handed from layer to layer (Wireshark's packet_info), the summary
// columns it fills in, and the per-capture state that stateful dissectors keep.

import type { PacketRecord } from '../capture/types.ts';
import type { TreeMark, TreeSink } from './tree.ts';
import type { CaptureInterface } from '../capture/types.ts';

/**
 * The Info column, with Wireshark's "fence": text written before a fence survives a later
 * set/clear by a higher layer. TCP analysis writes "[TCP Previous segment not captured] ",
 * fences it, and TLS then replaces the rest.
 */
export class Columns {
  protocol = '';
  info = '';
  private fence = 0;
  /**
   * False when nobody will read the Info text of this pass (the worker's first pass: rows get
   * their Info by re-dissection when shown). Then Info writes are ignored, and dissectors skip
   * building texts that only Info needs (`p.cols.enabled`, or `cols?.` with a null Columns).
   */
  enabled = true;

  setInfo(s: string): void {
    if (this.enabled) this.info = this.fence ? this.info.slice(0, this.fence) + s : s;
  }

  appendInfo(s: string): void {
    if (this.enabled) this.info += s;
  }

  /** Appends `sep` first when the column already has text (like col_append_sep_str). */
  appendInfoSep(sep: string, s: string): void {
    if (this.enabled) this.info = this.info.length ? this.info + sep + s : s;
  }

  prependInfo(s: string): void {
    if (!this.enabled) return;
    this.info = s + this.info;
    if (this.fence) this.fence += s.length;
  }

  /** Prepends text that a higher layer may not clear (col_prepend_fence_fstr). */
  prependInfoFenced(s: string): void {
    if (!this.enabled) return;
    this.info = s + this.info;
    this.fence += s.length;
  }

  clearInfo(): void {
    if (this.enabled) this.info = this.fence ? this.info.slice(0, this.fence) : '';
  }

  fenceInfo(): void {
    this.fence = this.info.length;
  }

  /** Empty again, for reuse. */
  reset(): void {
    this.protocol = '';
    this.info = '';
    this.fence = 0;
    this.enabled = true;
  }
}

/**
 * Thrown (through every dissector, never shown as a malformed packet) when re-dissecting a frame
 * needs the bytes of frames that are not in memory: the app keeps no capture bytes, and reads
 * the frames it needs from the file before it asks again (worker/engine.ts).
 */
export class FrameBytesMissing extends Error {
  override name = 'FrameBytesMissing';
  constructor(readonly frames: readonly number[]) {
    super(`the bytes of frame${frames.length === 1 ? '' : 's'} ${frames.slice(0, 5).join(', ')}${frames.length > 5 ? ' …' : ''} are not loaded`);
  }
}

/** Per-capture state that knows which other frames a frame's re-dissection reads (reassembly). */
export interface FrameDependencies {
  framesNeededBy(num: number): Iterable<number> | undefined;
}

/** Per-capture state, one slot per stateful protocol (TCP conversations, DNS/ICMP matching …). */
export class CaptureState {
  private readonly slots: unknown[] = [];
  private readonly dependencies: FrameDependencies[] = [];
  /** Exceptions thrown by our own code (not by bad packets): must stay 0. */
  dissectorBugs = 0;
  /**
   * Returns the bytes of another frame (for rebuilding reassembled PDUs when replaying); may
   * throw FrameBytesMissing. The first pass never calls it: it copies what it keeps.
   */
  frameBytes: (num: number) => Uint8Array | undefined = () => undefined;
  /**
   * The timestamp of another frame (the Frame subtree's deltas to the previous and the first
   * frame), undefined when unknown or the frame has none. Set by whoever holds the records.
   */
  frameTime: (num: number) => { sec: number; nsec: number } | undefined = () => undefined;
  /** The file's interfaces when it is a pcapng (the Frame subtree names them, as tshark does); null for a classic pcap. */
  pcapngInterfaces: readonly CaptureInterface[] | null = null;

  /** Registers state that records frame dependencies (see framesNeededBy). */
  addDependencies<T extends FrameDependencies>(d: T): T {
    this.dependencies.push(d);
    return d;
  }

  /** Other frames whose bytes a re-dissection of frame `num` reads, as the first pass recorded. */
  framesNeededBy(num: number): number[] {
    const out: number[] = [];
    for (const d of this.dependencies) {
      const frames = d.framesNeededBy(num);
      if (frames) for (const f of frames) if (f !== num) out.push(f);
    }
    return out;
  }

  slot<T>(index: number, init: (state: CaptureState) => T): T {
    let v = this.slots[index] as T | undefined;
    if (v === undefined) {
      v = init(this);
      this.slots[index] = v;
    }
    return v;
  }
}

let nextSlot = 0;

/** Declares a piece of per-capture state; `of(state)` creates it on first use. */
export function stateSlot<T>(init: (state: CaptureState) => T): { of(state: CaptureState): T } {
  const index = nextSlot++;
  return { of: (state: CaptureState) => state.slot(index, init) };
}

/** TCP facts of a packet the packet list, sessions and ladder need (see tcp.ts). */
export interface TcpSummary {
  stream: number;
  srcPort: number;
  dstPort: number;
  /** Header flags (FIN 0x001 … NS 0x100 and reserved bits 0xe00). */
  flags: number;
  /** Relative sequence / acknowledgement numbers, like tshark's default. */
  seq: number;
  ack: number;
  /** Segment payload length. */
  len: number;
  /** Advertised window after scaling (raw when the scale is unknown). */
  win: number;
  /** Bit set of TCP analysis findings (TcpAnalysis in tcp.ts). */
  analysis: number;
}

/** A packet as the capture file gave it (the frame number is passed alongside). */
export type FrameInput = PacketRecord;

/** Flags of a packet's state that the list colours and the status bar count. */
export const PacketFlag = {
  Malformed: 1,
  Truncated: 2, // read past the captured bytes ("Packet size limited during capture")
  ExpertError: 4,
  ExpertWarn: 8,
  Checksum: 16, // reserved for checksum validation (off by default, as in Wireshark)
  Fragment: 32, // an IP fragment that is not the last one
  IcmpError: 64,
  Reassembled: 128, // payload dissected from a reassembled PDU
} as const;

export class Packet {
  readonly num: number;
  readonly frame: FrameInput;
  readonly state: CaptureState;
  /** Null on the fast path: build nothing. */
  readonly tree: TreeSink | null;
  /** The TCP subtree once closed, for the payload lines TCP adds to it afterwards (tcp-reassembly.ts). */
  tcpNode: TreeMark | null = null;
  /** The latest IPv6 header's node: its extension headers go inside it, as tshark shows them. */
  ipv6Node: TreeMark | null = null;
  /** True when the first pass has already seen this frame: read per-frame state, do not update it. */
  readonly visited: boolean;
  readonly cols = new Columns();

  /** Source/Destination columns: link-layer addresses, overwritten by network-layer ones. */
  src = '';
  dst = '';
  /** Network-layer addresses (printable), '' when none. */
  netSrc = '';
  netDst = '';
  /**
   * The innermost IPv6 header's source and final destination (after a routing header), for the
   * pseudo-header of upper-layer checksums (RFC 8200 §8.1); null without IPv6.
   */
  ipv6Src: Uint8Array | null = null;
  ipv6Dst: Uint8Array | null = null;
  ipVersion = 0;
  /** TTL / hop limit of the innermost IP header, -1 when none (ICMP echo Info shows it). */
  ipTtl = -1;
  /** The transport protocol number of the innermost IP header, -1 when none. */
  ipProto = -1;
  srcPort = -1;
  dstPort = -1;
  tcp: TcpSummary | null = null;
  /** Protocol stack as in frame.protocols: "eth:ethertype:ip:tcp:tls". */
  readonly layers: string[] = [];
  flags = 0;
  /** Byte sources beyond the frame (reassembled PDUs), created on first use. */
  private extraSources: { name: string; data: Uint8Array }[] | null = null;

  /**
   * Set by a TCP payload dissector that needs more bytes (Wireshark's desegment_offset/len):
   * the PDU starts at `desegmentOffset` of the payload it was given and needs `desegmentLen`
   * more bytes (ONE_MORE_SEGMENT when unknown).
   */
  desegmentOffset = 0;
  desegmentLen = 0;
  /** True while dissecting the payload of a TCP segment (set by tcp.ts). */
  canDesegment = false;

  constructor(num: number, frame: FrameInput, state: CaptureState, tree: TreeSink | null, visited: boolean) {
    this.num = num;
    this.frame = frame;
    this.state = state;
    this.tree = tree;
    this.visited = visited;
  }

  /** Byte sources for the bytes pane: [0] the frame, then reassembled PDUs. */
  get sources(): { name: string; data: Uint8Array }[] {
    return [{ name: 'Frame', data: this.frame.data }, ...(this.extraSources ?? [])];
  }

  /** Adds a data source (a reassembled PDU) for the bytes pane; returns its index. */
  addSource(name: string, data: Uint8Array): number {
    (this.extraSources ??= []).push({ name, data });
    return this.extraSources.length;
  }

  /** Forgets the sources added after the first `keep` (a reassembly attempt that was dropped). */
  dropSources(keep: number): void {
    if (this.extraSources) this.extraSources.length = Math.max(0, keep - 1);
  }
}

/** desegmentLen meaning "at least one more segment, length unknown". */
export const ONE_MORE_SEGMENT = 0x0fffffff;
/** desegmentLen meaning "everything up to the sender's FIN" (Wireshark's DESEGMENT_UNTIL_FIN). */
export const DESEGMENT_UNTIL_FIN = 0x0ffffffe;
