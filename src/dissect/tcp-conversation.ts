// TCP conversations: the tcp.stream index, relative sequence numbers, window scaling and the
// per-direction state that sequence analysis and reassembly keep (RFC 9293, RFC 7323).
// Everything a later re-dissection needs is stored per frame in typed arrays, so replaying a
// frame (details pane) shows exactly what the first pass showed.

import { stateSlot } from './packet.ts';
import { U32Map } from './u32-map.ts';
import { growColumn, grownLength, resized } from '../lib/growable.ts';
import { UnackedSegments } from './tcp-unacked.ts';

/** Unknown window scale (SYN not seen): windows are shown unscaled, as tshark does. */
export const WS_UNKNOWN = -1;
/** Both SYNs seen but scaling not negotiated: factor 1. */
export const WS_NONE = -2;

/**
 * Per-direction TCP state of every conversation, one typed-array column per field (flow i =
 * stream × 2 + direction). Objects with these fields cost ~270 bytes a flow (seven of the numbers
 * were heap numbers) and lived as long as the capture: ~21 MB of the heap for the 39k
 * connections of a 500k-packet capture, copied by every scavenge that promoted them.
 */
export class TcpFlowTable {
  count = 0;
  baseSeq = new Uint32Array(0);
  /** FLOW_* bits. */
  bits = new Uint8Array(0);
  winScale = new Int8Array(0);
  nextSeq = new Uint32Array(0);
  nextSeqTimeNs = new Float64Array(0);
  maxSeqToBeAcked = new Uint32Array(0);
  lastAck = new Uint32Array(0);
  lastAckTimeNs = new Float64Array(0);
  window = new Float64Array(0);
  lastSegmentFlags = new Uint32Array(0);
  /** Signed: -1 marks "an ACKed-unseen segment was reported; wait for an ACK" (tshark 4.0). */
  dupAckNum = new Int32Array(0);
  lastNonDupAck = new Uint32Array(0);
  /**
   * Per flow, side by side (one cache line where flows interleave): the frame that set nextSeq
   * (tshark's nextseqframe, the fallback reference of an RTO), and for the SEQ/ACK analysis
   * (tcp-seqack.ts) the newest unacknowledged segment (node, 0 = none), how many there are, and
   * the bytes sent since the last PSH flag (tshark's push_bytes_sent).
   */
  seqAckState = new Uint32Array(0);
  /**
   * The SACK blocks of a flow's latest segment, for the peer's bytes in flight: flow → [count,
   * left1, right1, left2, right2, left3, right3]. Few flows use SACK: a map.
   */
  readonly sack = new Map<number, Uint32Array>();

  /** A new flow, in its initial state; returns its index. */
  add(): number {
    const i = this.count++;
    if (i >= this.bits.length) {
      const c = Math.max(i + 1, this.bits.length * 2, 256);
      this.baseSeq = growColumn(this.baseSeq, c);
      this.bits = growColumn(this.bits, c);
      this.winScale = growColumn(this.winScale, c);
      this.nextSeq = growColumn(this.nextSeq, c);
      this.nextSeqTimeNs = growColumn(this.nextSeqTimeNs, c);
      this.maxSeqToBeAcked = growColumn(this.maxSeqToBeAcked, c);
      this.lastAck = growColumn(this.lastAck, c);
      this.lastAckTimeNs = growColumn(this.lastAckTimeNs, c);
      this.window = growColumn(this.window, c);
      this.lastSegmentFlags = growColumn(this.lastSegmentFlags, c);
      this.dupAckNum = growColumn(this.dupAckNum, c);
      this.lastNonDupAck = growColumn(this.lastNonDupAck, c);
      // Sized after `bits`, which may have grown past `c` (growable.ts grows to at least 1024).
      this.seqAckState = growColumn(this.seqAckState, this.bits.length * SEQ_ACK_STATE);
    }
    this.winScale[i] = WS_UNKNOWN;
    this.window[i] = -1;
    return i;
  }
}

const FLOW_BASE_SET = 1;
const FLOW_SYN = 2;
const FLOW_FIN = 4;
const FLOW_RST = 8;
/** TcpFlowTable.bits of the SEQ/ACK analysis (tcp-seqack.ts reads them straight from the table). */
export const FLOW_PUSH_LAST = 16;
export const FLOW_BIF_INVALID = 32;
const FLOW_SACK = 64;

/** seqAckState's numbers per flow: [NEXT_SEQ_FRAME, UNACKED_HEAD, UNACKED_COUNT, PUSH_BYTES]. */
export const SEQ_ACK_STATE = 4;
export const UNACKED_HEAD = 1;
export const UNACKED_COUNT = 2;
export const PUSH_BYTES = 3;

/** One direction of a conversation: a view of its row in the TcpFlowTable. */
export class TcpFlow {
  /** A PDU being reassembled in this direction, if any (see tcp-reassembly.ts). */
  pending: PendingPdu | null = null;

  constructor(
    private readonly t: TcpFlowTable,
    /** The flow's row in the table. */
    readonly index: number,
  ) {}

  private bit(b: number): boolean {
    return (this.t.bits[this.index]! & b) !== 0;
  }
  private setBit(b: number, on: boolean): void {
    if (on) this.t.bits[this.index]! |= b;
    else this.t.bits[this.index]! &= ~b;
  }

  /** Initial sequence number used for relative numbers; set by the first segment seen. */
  get baseSeq(): number { return this.t.baseSeq[this.index]!; }
  set baseSeq(v: number) { this.t.baseSeq[this.index] = v; }
  get baseSet(): boolean { return this.bit(FLOW_BASE_SET); }
  set baseSet(v: boolean) { this.setBit(FLOW_BASE_SET, v); }
  /** Shift announced in this side's SYN (WS option), WS_UNKNOWN before any SYN. */
  get winScale(): number { return this.t.winScale[this.index]!; }
  set winScale(v: number) { this.t.winScale[this.index] = v; }
  get synSeen(): boolean { return this.bit(FLOW_SYN); }
  set synSeen(v: boolean) { this.setBit(FLOW_SYN, v); }
  get finSeen(): boolean { return this.bit(FLOW_FIN); }
  set finSeen(v: boolean) { this.setBit(FLOW_FIN, v); }
  get rstSeen(): boolean { return this.bit(FLOW_RST); }
  set rstSeen(v: boolean) { this.setBit(FLOW_RST, v); }
  // --- sequence analysis (see tcp-analysis.ts) ---
  /** Highest sequence number + length seen (absolute); 0 = none yet, as in Wireshark. */
  get nextSeq(): number { return this.t.nextSeq[this.index]!; }
  set nextSeq(v: number) { this.t.nextSeq[this.index] = v; }
  get nextSeqTimeNs(): number { return this.t.nextSeqTimeNs[this.index]!; }
  set nextSeqTimeNs(v: number) { this.t.nextSeqTimeNs[this.index] = v; }
  /** Highest in-order sequence number the peer may acknowledge; 0 = none yet. */
  get maxSeqToBeAcked(): number { return this.t.maxSeqToBeAcked[this.index]!; }
  set maxSeqToBeAcked(v: number) { this.t.maxSeqToBeAcked[this.index] = v; }
  /** Last acknowledgement number sent in this direction; 0 = none yet. */
  get lastAck(): number { return this.t.lastAck[this.index]!; }
  set lastAck(v: number) { this.t.lastAck[this.index] = v; }
  get lastAckTimeNs(): number { return this.t.lastAckTimeNs[this.index]!; }
  set lastAckTimeNs(v: number) { this.t.lastAckTimeNs[this.index] = v; }
  /** Last window advertised (scaled); -1 = none yet. */
  get window(): number { return this.t.window[this.index]!; }
  set window(v: number) { this.t.window[this.index] = v; }
  get lastSegmentFlags(): number { return this.t.lastSegmentFlags[this.index]!; }
  set lastSegmentFlags(v: number) { this.t.lastSegmentFlags[this.index] = v; }
  get dupAckNum(): number { return this.t.dupAckNum[this.index]!; }
  set dupAckNum(v: number) { this.t.dupAckNum[this.index] = v; }
  get lastNonDupAck(): number { return this.t.lastNonDupAck[this.index]!; }
  set lastNonDupAck(v: number) { this.t.lastNonDupAck[this.index] = v; }
  get nextSeqFrame(): number { return this.t.seqAckState[this.index * SEQ_ACK_STATE]!; }
  set nextSeqFrame(v: number) { this.t.seqAckState[this.index * SEQ_ACK_STATE] = v; }
  // --- SEQ/ACK analysis (see tcp-seqack.ts) ---
  get unackedHead(): number { return this.t.seqAckState[this.index * SEQ_ACK_STATE + UNACKED_HEAD]!; }
  /** The SACK blocks of this side's latest segment ([count, left, right …]), if it had any. */
  get sack(): Uint32Array | undefined { return this.bit(FLOW_SACK) ? this.t.sack.get(this.index) : undefined; }
  set sack(v: Uint32Array | undefined) {
    this.setBit(FLOW_SACK, v !== undefined);
    if (v) this.t.sack.set(this.index, v);
    else this.t.sack.delete(this.index);
  }
}

export interface PduSegment {
  frame: number;
  /** Absolute offset of the bytes in that frame's data. */
  offset: number;
  length: number;
  /**
   * The bytes themselves, when they do not lie in the frame's data (a segment carried by a
   * reassembled IP datagram): then they cannot be found again from the frame alone.
   */
  data?: Uint8Array;
}

export interface PendingPdu {
  /** Absolute sequence number of the first byte of the PDU. */
  seq: number;
  /** Total bytes wanted; Infinity when the subdissector only asked for one more segment. */
  wanted: number;
  have: number;
  segments: PduSegment[];
  chunks: Uint8Array[];
  firstFrame: number;
  /** The PDU lasts until the sender's FIN (an HTTP body without length, RFC 9112 §6.3). */
  untilFin: boolean;
}

/**
 * What the sequence analysis needs of a conversation that is a Multipath TCP subflow (RFC 8684;
 * mptcp.ts keeps the rest): RFC 8684 §4 lets MPTCP send duplicate ACKs to carry options, and
 * tshark ignores a duplicate ACK while the connection's set of option subtypes seen is new to
 * the direction (tcp-analysis.ts).
 */
export interface MptcpSubflowLink {
  /** The MPTCP connection the subflow belongs to, once known. */
  connection: { operations: number } | null;
  /** `connection.operations` as the last segment of each direction found it. */
  readonly flowOperations: [number, number];
}

export class TcpConversation {
  /** The direction from endpoint A to B (0) and back (1). Two fields, not an array: one array per connection was 64 bytes of heap each. */
  private readonly flowA: TcpFlow;
  private readonly flowB: TcpFlow;
  /** Time of the most recent SYN, and the handshake round trip (SYN → first ACK), for analysis. */
  synTimeNs = 0;
  firstRttNs = 0;
  /** The most recent SYN's frame, and the SYN and ACK frames that gave firstRttNs (its exact value, iRTT, is their time apart). */
  synFrame = 0;
  rttSynFrame = 0;
  rttAckFrame = 0;
  /** Dissector chosen for the payload of this conversation (by port or heuristic), if any. */
  payloadDissector: string | null = null;
  /** Frame from which `payloadDissector` applies. */
  payloadDissectorFrom = 0;
  /**
   * Accurate ECN (RFC 9768 §3.1): AccEcn.Syn and AccEcn.SynAck when the last SYN and SYN/ACK asked
   * for it; with both, or after an AccECN option (accEcnOptionFrame), AE, CWR and ECE of every later
   * segment are the 3-bit ACE counter, as tshark shows them.
   */
  accEcn = 0;
  /** Direction of the connection's first FIN (the side that began closing it), -1 before one. */
  closingDir = -1;
  /** Completeness bits (tcp-analysis.ts), as the first pass has found them so far. */
  completeness = 0;
  /** Timestamps of the stream's first and latest frames (lastSec -1 before the first). */
  firstSec = 0;
  firstNsec = 0;
  lastSec = -1;
  lastNsec = 0;
  /** The first frame with a valid AccECN option (its later frames use ACE), 0 before one. */
  accEcnOptionFrame = 0;
  /** True when the flags of frame `num` (these flags) read as the ACE counter. */
  usesAce(flags: number, num: number): boolean {
    if (flags & 0x002) return false;
    return (this.accEcn & 3) === 3 || (this.accEcnOptionFrame > 0 && num > this.accEcnOptionFrame);
  }
  /** Multipath TCP state once the conversation carried an MPTCP option (mptcp.ts), else null. */
  mptcp: MptcpSubflowLink | null = null;
  private ports: [string, string] | null = null;

  /** "53574 → 80" for a direction, made once: the start of every TCP Info. */
  portsText(dir: 0 | 1): string {
    const t = (this.ports ??= [`${this.portA} \u2192 ${this.portB}`, `${this.portB} \u2192 ${this.portA}`]);
    return t[dir];
  }
  constructor(
    readonly stream: number,
    /** Endpoint that sent the first packet seen: flows[0] is its direction. */
    readonly addrA: string,
    readonly portA: number,
    readonly addrB: string,
    readonly portB: number,
    readonly firstFrame: number,
    flowTable: TcpFlowTable,
  ) {
    this.flowA = new TcpFlow(flowTable, flowTable.add());
    this.flowB = new TcpFlow(flowTable, flowTable.add());
  }

  /** The state of direction `dir` (0: from endpoint A). */
  flow(dir: number): TcpFlow {
    return dir === 0 ? this.flowA : this.flowB;
  }
  /** 0 when the packet goes from A to B, 1 otherwise. */
  direction(src: string, srcPort: number): 0 | 1 {
    return src === this.addrA && srcPort === this.portA ? 0 : 1;
  }
}

/** Per-frame TCP results of the first pass, indexed by frame number. */
export class TcpFrameTable {
  /**
   * tcp.stream + 1 of each frame, 0 for a frame without TCP: zero is what new room holds, so
   * room made for frames still to come is never written (see growable.ts).
   */
  streamPlus1 = new Uint32Array(1024);
  relSeq = new Uint32Array(1024);
  relAck = new Uint32Array(1024);
  window = new Float64Array(1024);
  analysis = new Uint32Array(1024);
  /** Nanoseconds since the stream's previous frame (tshark's "Time since previous frame in this TCP stream"). */
  prevDeltaNs = new Float64Array(1024);
  /** Dup-ACK details: frame → [number, frame of the original ACK]. */
  readonly dupAck = new Map<number, [number, number]>();
  /** SEQ/ACK analysis (tcp-seqack.ts): SEQ_ACK_* bits, 0 when the frame has none to show. */
  seqAck = new Uint8Array(1024);
  /** The frame of the segment this one acknowledges (tcp.analysis.acks_frame), 0 = none. */
  acked = new Uint32Array(1024);
  /** tcp.analysis.bytes_in_flight (0 = not shown) and tcp.analysis.push_bytes_sent. */
  inFlight = new Uint32Array(1024);
  pushBytes = new Uint32Array(1024);
  /** A retransmission's RTO reference: frame → the frame it is timed from (tcp.analysis.rto_frame). */
  readonly rtoFrame = new Map<number, number>();

  /** Frames the file is expected to hold (see expectedRows): room made for them at the next growth. */
  expectedFrames = 0;

  /** The TCP stream index of frame `num`, -1 when it has none. */
  streamOf(num: number): number {
    return num < this.streamPlus1.length ? this.streamPlus1[num]! - 1 : -1;
  }

  /** The table's columns (for a memory estimate). */
  columns(): (Uint8Array | Uint32Array | Float64Array)[] {
    return [this.streamPlus1, this.relSeq, this.relAck, this.window, this.analysis, this.prevDeltaNs, this.seqAck, this.acked, this.inFlight, this.pushBytes];
  }

  ensure(num: number): void {
    if (num < this.streamPlus1.length) return;
    const c = grownLength(this.streamPlus1.length, num + 1, this.expectedFrames + 1);
    this.streamPlus1 = resized(this.streamPlus1, c);
    this.relSeq = resized(this.relSeq, c);
    this.relAck = resized(this.relAck, c);
    this.window = resized(this.window, c);
    this.analysis = resized(this.analysis, c);
    this.prevDeltaNs = resized(this.prevDeltaNs, c);
    this.seqAck = resized(this.seqAck, c);
    this.acked = resized(this.acked, c);
    this.inFlight = resized(this.inFlight, c);
    this.pushBytes = resized(this.pushBytes, c);
  }
}

/** Endpoints below 2^32 are keys of the numeric pair map. */
const ENDPOINT_LIMIT = 2 ** 32;

export class TcpState {
  readonly conversations: TcpConversation[] = [];
  /**
   * Endpoint pair (lower endpoint first) → latest conversation between them. An endpoint is
   * address id × 65536 + port, 32 bits for the first 65,536 addresses (text keys beyond). One
   * map, not a map per endpoint: every connection from a new client port made a small map that
   * lived as long as the capture.
   */
  private readonly byPair = new U32Map<TcpConversation>(4096);
  private readonly byPairText = new Map<string, TcpConversation>();
  /** Small integer per address text, so endpoints are numbers and lookups build no strings. */
  private readonly addressIds = new Map<string, number>();
  readonly frames = new TcpFrameTable();
  /** The per-direction state of every conversation. */
  readonly flows = new TcpFlowTable();
  /** Every flow's segments not yet acknowledged (SEQ/ACK analysis). */
  readonly unacked = new UnackedSegments();
  /** Frames whose payload took part in reassembly: what the first pass dissected (tcp-reassembly.ts). */
  readonly plans = new Map<number, import('./tcp-reassembly.ts').PlanStep[]>();
  /** Frame → frame in which the PDU it belongs to was completed. */
  readonly reassembledIn = new Map<number, number>();

  /** The frames whose segments make up the PDUs frame `num` dissects (from its plan). */
  *framesNeededBy(num: number): Generator<number> {
    const plan = this.plans.get(num);
    if (!plan) return;
    for (const step of plan) if (step.kind === 'pdu') for (const s of step.segments) if (!s.data) yield s.frame;
  }

  private endpoint(addr: string, port: number): number {
    let id = this.addressIds.get(addr);
    if (id === undefined) {
      id = this.addressIds.size;
      this.addressIds.set(addr, id);
    }
    return id * 65536 + port;
  }

  /** The latest conversation between two endpoints, in either direction. */
  lookup(src: string, srcPort: number, dst: string, dstPort: number): TcpConversation | undefined {
    const a = this.endpoint(src, srcPort);
    const b = this.endpoint(dst, dstPort);
    const lo = a < b ? a : b;
    const hi = a < b ? b : a;
    return hi < ENDPOINT_LIMIT ? this.byPair.get(lo, hi) : this.byPairText.get(`${lo},${hi}`);
  }

  /** Makes `conv` the conversation between its endpoints (replacing an earlier one on reuse). */
  bind(conv: TcpConversation): void {
    const a = this.endpoint(conv.addrA, conv.portA);
    const b = this.endpoint(conv.addrB, conv.portB);
    const lo = a < b ? a : b;
    const hi = a < b ? b : a;
    if (hi < ENDPOINT_LIMIT) this.byPair.set(lo, hi, conv);
    else this.byPairText.set(`${lo},${hi}`, conv);
  }
}

export const tcpState = stateSlot((state) => state.addDependencies(new TcpState()));
