// TCP conversations: the tcp.stream index, relative sequence numbers, window scaling and the
// per-direction state that sequence analysis and reassembly keep (RFC 9293, RFC 7323).
// Everything a later re-dissection needs is stored per frame in typed arrays, so replaying a
// frame (details pane) shows exactly what the first pass showed.

import { stateSlot } from './packet.ts';
import { U32Map } from './u32-map.ts';

/** Unknown window scale (SYN not seen): windows are shown unscaled, as tshark does. */
export const WS_UNKNOWN = -1;
/** Both SYNs seen but scaling not negotiated: factor 1. */
export const WS_NONE = -2;

export class TcpFlow {
  /** Initial sequence number used for relative numbers; set by the first segment seen. */
  baseSeq = 0;
  baseSet = false;
  /** Shift announced in this side's SYN (WS option), WS_UNKNOWN before any SYN. */
  winScale = WS_UNKNOWN;
  synSeen = false;
  finSeen = false;
  rstSeen = false;
  // --- sequence analysis (see tcp-analysis.ts) ---
  /** Highest sequence number + length seen (absolute); 0 = none yet, as in Wireshark. */
  nextSeq = 0;
  nextSeqTimeNs = 0;
  /** Highest in-order sequence number the peer may acknowledge; 0 = none yet. */
  maxSeqToBeAcked = 0;
  /** Last acknowledgement number sent in this direction; 0 = none yet. */
  lastAck = 0;
  lastAckTimeNs = 0;
  window = -1;
  lastSegmentFlags = 0;
  dupAckNum = 0;
  lastNonDupAck = 0;
  // --- reassembly (see tcp-reassembly.ts) ---
  /** A PDU being reassembled in this direction, if any. */
  pending: PendingPdu | null = null;
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

export class TcpConversation {
  readonly flows: [TcpFlow, TcpFlow] = [new TcpFlow(), new TcpFlow()];
  /** Time of the most recent SYN, and the handshake round trip (SYN → first ACK), for analysis. */
  synTimeNs = 0;
  firstRttNs = 0;
  /** Dissector chosen for the payload of this conversation (by port or heuristic), if any. */
  payloadDissector: string | null = null;
  /** Frame from which `payloadDissector` applies. */
  payloadDissectorFrom = 0;
  /** The payload dispatcher for this conversation's ports (tcp.ts), made on first use. */
  dissect: import('./tables.ts').PayloadDissect | null = null;
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
  ) {}
  /** 0 when the packet goes from A to B, 1 otherwise. */
  direction(src: string, srcPort: number): 0 | 1 {
    return src === this.addrA && srcPort === this.portA ? 0 : 1;
  }
}

/** Grows a typed array to hold index `i`. */
function grow<T extends Uint32Array | Int32Array | Float64Array>(a: T, i: number, make: (n: number) => T): T {
  if (i < a.length) return a;
  const b = make(Math.max(i + 1, a.length * 2));
  b.set(a);
  return b;
}

/** Per-frame TCP results of the first pass, indexed by frame number. */
export class TcpFrameTable {
  stream = new Int32Array(1024).fill(-1);
  relSeq = new Uint32Array(1024);
  relAck = new Uint32Array(1024);
  window = new Float64Array(1024);
  analysis = new Uint32Array(1024);
  /** Dup-ACK details: frame → [number, frame of the original ACK]. */
  readonly dupAck = new Map<number, [number, number]>();

  ensure(num: number): void {
    if (num < this.stream.length) return;
    const n = this.stream.length;
    this.stream = grow(this.stream, num, (k) => new Int32Array(k));
    this.stream.fill(-1, n);
    this.relSeq = grow(this.relSeq, num, (k) => new Uint32Array(k));
    this.relAck = grow(this.relAck, num, (k) => new Uint32Array(k));
    this.window = grow(this.window, num, (k) => new Float64Array(k));
    this.analysis = grow(this.analysis, num, (k) => new Uint32Array(k));
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
