// TCP sequence analysis, the single-pass way tshark does it by default: each segment is judged
// against what was seen before it in its conversation (RFC 9293 §3.4 sequence space; the
// categories and their wording are Wireshark's "tcp.analysis.*" expert items).

import { WS_NONE, WS_UNKNOWN, type TcpConversation, type TcpFlow, type TcpFrameTable } from './tcp-conversation.ts';

export const TcpAnalysis = {
  Retransmission: 0x0001,
  LostPacket: 0x0002, // "Previous segment not captured"
  AckLostPacket: 0x0004, // "ACKed unseen segment"
  KeepAlive: 0x0008,
  DuplicateAck: 0x0010,
  ZeroWindow: 0x0020,
  ZeroWindowProbe: 0x0040,
  ZeroWindowProbeAck: 0x0080,
  KeepAliveAck: 0x0100,
  OutOfOrder: 0x0200,
  FastRetransmission: 0x0400,
  WindowUpdate: 0x0800,
  WindowFull: 0x1000,
  ReusedPorts: 0x2000,
  SpuriousRetransmission: 0x4000,
} as const;

/** Any of these makes a packet "bad TCP" for colouring (Wireshark's tcp.analysis.flags rule). */
export const TCP_ANALYSIS_PROBLEMS =
  TcpAnalysis.Retransmission |
  TcpAnalysis.LostPacket |
  TcpAnalysis.AckLostPacket |
  TcpAnalysis.DuplicateAck |
  TcpAnalysis.ZeroWindow |
  TcpAnalysis.ZeroWindowProbe |
  TcpAnalysis.ZeroWindowProbeAck |
  TcpAnalysis.OutOfOrder |
  TcpAnalysis.FastRetransmission |
  TcpAnalysis.WindowFull |
  TcpAnalysis.SpuriousRetransmission |
  TcpAnalysis.ReusedPorts;

/** Whether analysis flags mark a problem: Wireshark's expert warning and its "Bad TCP" colour. */
export function isTcpProblem(analysis: number): boolean {
  return (analysis & TCP_ANALYSIS_PROBLEMS) !== 0;
}

const SYN = 0x02;
const FIN = 0x01;
const RST = 0x04;
const ACK = 0x10;

/** Sequence-space comparisons modulo 2^32 (RFC 9293 §3.4). */
const diff = (a: number, b: number): number => (a - b) | 0;
export const gtSeq = (a: number, b: number): boolean => diff(a, b) > 0;
export const ltSeq = (a: number, b: number): boolean => diff(a, b) < 0;
export const leSeq = (a: number, b: number): boolean => diff(a, b) <= 0;

/** Wireshark's default out-of-order threshold: a "retransmission" within 3 ms is reordering. */
const OOO_THRESHOLD_NS = 3_000_000;
/** A retransmission within 20 ms of a third duplicate ACK is a fast retransmission. */
const FAST_RETRANS_NS = 20_000_000;

export interface SegmentFacts {
  frame: number;
  timeNs: number;
  seq: number;
  ack: number;
  len: number;
  flags: number;
  /** Window after scaling. */
  window: number;
}

/**
 * What analyzeSegment found besides its flags (one reused object: the hot path allocates
 * nothing): the duplicate-ACK details, and whether the segment acknowledged beyond what was seen
 * of the peer (tshark then keeps analysis data for the frame even when it raises no flag).
 */
export const segmentOut = { dupNum: 0, dupFrame: 0, acksBeyondSeen: false };

/**
 * Judges one segment and updates the flow state, the way tshark 4.0 does in its single pass.
 * Like Wireshark, a zero sequence or ack value counts as "not seen yet".
 */
export function analyzeSegment(conv: TcpConversation, dir: 0 | 1, s: SegmentFacts): number {
  const fwd: TcpFlow = conv.flow(dir);
  const rev: TcpFlow = conv.flow(dir ^ 1);
  const ctl = s.flags & (SYN | FIN | RST);
  const seq = s.seq >>> 0;
  const ack = s.ack >>> 0;
  let flags = 0;
  let dupAckNum = 0;
  let dupAckFrame = 0;
  segmentOut.acksBeyondSeen = false;

  checks: {
    // Zero-window probe: one byte at the next sequence number into a closed window.
    if (s.len === 1 && seq === fwd.nextSeq && rev.window === 0) {
      flags |= TcpAnalysis.ZeroWindowProbe;
      break checks;
    }
    // Zero window advertised (control segments excepted).
    if (s.window === 0 && ctl === 0) flags |= TcpAnalysis.ZeroWindow;
    // Data beyond the highest sequence number seen: a segment was missed.
    if (fwd.nextSeq && gtSeq(seq, fwd.nextSeq) && (s.flags & RST) === 0) flags |= TcpAnalysis.LostPacket;
    // Keep-alive: zero or one byte, one below the next expected sequence number.
    if (s.len <= 1 && seq === ((fwd.nextSeq - 1) >>> 0) && ctl === 0) flags |= TcpAnalysis.KeepAlive;
    const sameState = s.len === 0 && seq === fwd.nextSeq && ack === fwd.lastAck && ctl === 0;
    // Window update: nothing new but the window.
    if (sameState && s.window !== 0 && s.window !== fwd.window) flags |= TcpAnalysis.WindowUpdate;
    // Window full: the segment reaches the edge of the window the peer advertised.
    if (s.len > 0 && rev.winScale !== -1 && ctl === 0 && ((seq + s.len) >>> 0) === ((rev.lastAck + rev.window) >>> 0)) {
      flags |= TcpAnalysis.WindowFull;
    }
    if (sameState && s.window !== 0 && s.window === fwd.window && rev.lastSegmentFlags & TcpAnalysis.KeepAlive) {
      flags |= TcpAnalysis.KeepAliveAck;
      break checks;
    }
    if (sameState && s.window === 0 && s.window === fwd.window && rev.lastSegmentFlags & TcpAnalysis.ZeroWindowProbe) {
      flags |= TcpAnalysis.ZeroWindowProbeAck;
      break checks;
    }
    // Duplicate ACK: same ack, same window, no data; for an MPTCP subflow, not while the
    // connection's option subtypes are new to this direction (see MptcpSubflowLink).
    const mptcp = conv.mptcp?.connection;
    if (sameState && s.window !== 0 && s.window === fwd.window && !(mptcp && mptcp.operations !== conv.mptcp!.flowOperations[dir])) {
      fwd.dupAckNum = fwd.dupAckNum === -1 ? 1 : fwd.dupAckNum + 1; // -1: see "ACKed unseen" below
      flags |= TcpAnalysis.DuplicateAck;
      dupAckNum = fwd.dupAckNum;
      dupAckFrame = fwd.lastNonDupAck;
    }
  }
  // A new acknowledgement number restarts the duplicate count.
  if (ack !== fwd.lastAck) {
    fwd.lastNonDupAck = s.frame;
    fwd.dupAckNum = 0;
  }

  // ACKed unseen segment: the peer acknowledges data beyond the last contiguous byte we saw.
  // tshark 4.0 reports one gap once: the mark jumps to the highest byte seen if it can; if it
  // cannot (the unseen data is beyond everything seen), the peer's duplicate-ACK counter is set
  // to -1 and the report waits until the peer's own acknowledgement number changes.
  if (rev.maxSeqToBeAcked && gtSeq(ack, rev.maxSeqToBeAcked) && s.flags & ACK) {
    segmentOut.acksBeyondSeen = true;
    if (ltSeq(rev.maxSeqToBeAcked, rev.nextSeq)) {
      rev.maxSeqToBeAcked = rev.nextSeq;
      flags |= TcpAnalysis.AckLostPacket;
    } else {
      if (rev.dupAckNum === 0) flags |= TcpAnalysis.AckLostPacket;
      rev.dupAckNum = -1;
    }
  }

  // Retransmission family, for segments that carry data (or SYN/FIN).
  const segEnd = (seq + s.len + (s.flags & (SYN | FIN) ? 1 : 0)) >>> 0;
  if ((s.len > 0 || s.flags & (SYN | FIN)) && !(flags & TcpAnalysis.KeepAlive)) {
    let notAdvanced = fwd.nextSeq !== 0 && ltSeq(seq, fwd.nextSeq);
    // One byte below nextSeq followed by new data: that byte was a probe, this is new data.
    if (s.len > 1 && ((fwd.nextSeq - 1) >>> 0) === seq) notAdvanced = false;
    const sinceAck = s.timeNs - rev.lastAckTimeNs;
    const sinceNext = s.timeNs - fwd.nextSeqTimeNs;
    const oooThreshold = conv.firstRttNs > 0 ? conv.firstRttNs : OOO_THRESHOLD_NS;
    if (s.len > 0 && rev.lastAck && leSeq((seq + s.len) >>> 0, rev.lastAck)) {
      // Everything in it was already acknowledged.
      flags |= TcpAnalysis.SpuriousRetransmission;
    } else if (notAdvanced && rev.dupAckNum >= 2 && rev.lastAck === seq && sinceAck < FAST_RETRANS_NS) {
      flags |= TcpAnalysis.FastRetransmission;
    } else if (notAdvanced && sinceNext < oooThreshold && fwd.nextSeq !== segEnd) {
      flags |= TcpAnalysis.OutOfOrder;
    } else if (notAdvanced) {
      flags |= TcpAnalysis.Retransmission;
    }
  }

  // Remember the highest sequence number seen (zero-window probes do not advance it).
  if ((gtSeq(segEnd, fwd.nextSeq) || !fwd.nextSeq) && !(flags & TcpAnalysis.ZeroWindowProbe)) {
    fwd.nextSeq = segEnd;
    fwd.nextSeqTimeNs = s.timeNs;
    fwd.nextSeqFrame = s.frame;
  }
  // The highest contiguous sequence number, to detect ACKs of data we did not see.
  if ((seq === fwd.maxSeqToBeAcked || !fwd.maxSeqToBeAcked) && !(flags & TcpAnalysis.ZeroWindowProbe)) {
    fwd.maxSeqToBeAcked = fwd.nextSeq;
  }
  fwd.window = s.window;
  fwd.lastAck = ack;
  fwd.lastAckTimeNs = s.timeNs;
  fwd.lastSegmentFlags = flags;
  if (conv.mptcp?.connection) conv.mptcp.flowOperations[dir] = conv.mptcp.connection.operations;
  segmentOut.dupNum = dupAckNum;
  segmentOut.dupFrame = dupAckFrame;
  return flags;
}


/**
 * The first pass's relative sequence and acknowledgement numbers of frame `num` (tshark's
 * default: from 0 on a SYN, from 1 otherwise), written with its stream into the frame table;
 * the first segment seen in each direction sets that direction's base. Shared by dissectTcp and
 * the short lane (tcp-lane.ts).
 */
export function recordRelativeNumbers(
  conv: TcpConversation, dir: 0 | 1, frames: TcpFrameTable, num: number, flags: number, seqRaw: number, ackRaw: number,
): void {
  const fwd = conv.flow(dir);
  const rev = conv.flow(dir ^ 1);
  if (!fwd.baseSet) {
    fwd.baseSeq = flags & SYN ? seqRaw : (seqRaw - 1) >>> 0;
    fwd.baseSet = true;
  }
  if (!rev.baseSet && flags & ACK) {
    rev.baseSeq = (ackRaw - 1) >>> 0;
    rev.baseSet = true;
  }
  frames.ensure(num);
  frames.streamPlus1[num] = conv.stream + 1;
  frames.relSeq[num] = (seqRaw - fwd.baseSeq) >>> 0;
  frames.relAck[num] = flags & ACK ? (ackRaw - rev.baseSeq) >>> 0 : 0;
}

/** 2^0 … 2^14, the window-scale multipliers (RFC 7323 §2.3: a shift of at most 14). */
const WS_MULTIPLIER = Array.from({ length: 15 }, (_, i) => 2 ** i);

/** The window a segment announces: never scaled on a SYN (RFC 7323 §2.2), nor while the scale is unknown. */
export function scaledWindow(flow: TcpFlow, flags: number, winRaw: number): number {
  return flags & SYN || flow.winScale < 0 ? winRaw : winRaw * WS_MULTIPLIER[flow.winScale]!;
}

/**
 * A SYN's window-scale bookkeeping, after its window was read: `wsShift` is its WS option's
 * shift, -1 without one. RFC 7323 §2.2: scaling is in effect only when both SYNs carried it.
 */
export function recordSynWindowScale(conv: TcpConversation, dir: 0 | 1, flags: number, wsShift: number): void {
  const fwd = conv.flow(dir);
  const rev = conv.flow(dir ^ 1);
  fwd.synSeen = true;
  if (wsShift >= 0) fwd.winScale = Math.min(wsShift, 14);
  if (fwd.winScale === WS_UNKNOWN) fwd.winScale = rev.winScale = WS_NONE;
  else if (flags & ACK && rev.winScale === WS_NONE) fwd.winScale = WS_NONE;
}

/** Bits of TcpConversation.completeness: what of a connection's life the capture holds. */
export const Completeness = { SynSent: 1, SynAck: 2, Ack: 4, Data: 8, Fin: 16, Rst: 32 } as const;

/** tshark's words for a completeness value ("Complete, WITH_DATA (31)"). */
export function completenessText(c: number): string {
  const core = c & 15;
  let word = 'Incomplete';
  if (c === 1) word = 'Incomplete, SYN_SENT';
  else if (c === 3) word = 'Incomplete, CLIENT_ESTABLISHED';
  else if (c === 7) word = 'Incomplete, ESTABLISHED';
  else if (c === 15) word = 'Incomplete, DATA';
  else if (core === 15 && c & 48) word = 'Complete, WITH_DATA';
  else if (core === 7 && c & 48) word = 'Complete, NO_DATA';
  return `${word} (${c})`;
}

/** Bits of TcpConversation.accEcn. */
export const AccEcn = { Syn: 1, SynAck: 2 } as const;

/**
 * A SYN's Accurate ECN setup (RFC 9768 §3.1.1): a SYN asks with AE, CWR and ECE all set; a
 * SYN/ACK agrees with CWR without AE, or AE without ECE. Each SYN decides anew, as in tshark.
 */
export function recordAccEcnSetup(conv: TcpConversation, flags: number): void {
  if (flags & ACK) {
    const agreed = (flags & 0x180) === 0x080 || (flags & 0x140) === 0x100;
    conv.accEcn = agreed ? conv.accEcn | AccEcn.SynAck : conv.accEcn & ~AccEcn.SynAck;
  } else {
    const asked = (flags & 0x1c0) === 0x1c0;
    conv.accEcn = asked ? conv.accEcn | AccEcn.Syn : conv.accEcn & ~AccEcn.Syn;
  }
}

/** The Info prefix tshark writes for the analysis flags, in tshark's order. */
export function analysisPrefix(flags: number, dupAckNum: number, dupAckFrame: number): string {
  // Wireshark prepends each label in turn, so the last one checked ends up first.
  const order: [number, string][] = [
    [TcpAnalysis.Retransmission, '[TCP Retransmission] '],
    [TcpAnalysis.FastRetransmission, '[TCP Fast Retransmission] '],
    [TcpAnalysis.SpuriousRetransmission, '[TCP Spurious Retransmission] '],
    [TcpAnalysis.OutOfOrder, '[TCP Out-Of-Order] '],
    [TcpAnalysis.ReusedPorts, '[TCP Port numbers reused] '],
    [TcpAnalysis.LostPacket, '[TCP Previous segment not captured] '],
    [TcpAnalysis.AckLostPacket, '[TCP ACKed unseen segment] '],
    [TcpAnalysis.WindowUpdate, '[TCP Window Update] '],
    [TcpAnalysis.WindowFull, '[TCP Window Full] '],
    [TcpAnalysis.KeepAlive, '[TCP Keep-Alive] '],
    [TcpAnalysis.KeepAliveAck, '[TCP Keep-Alive ACK] '],
    [TcpAnalysis.DuplicateAck, ''],
    [TcpAnalysis.ZeroWindowProbe, '[TCP ZeroWindowProbe] '],
    [TcpAnalysis.ZeroWindow, '[TCP ZeroWindow] '],
    [TcpAnalysis.ZeroWindowProbeAck, '[TCP ZeroWindowProbeAck] '],
  ];
  let s = '';
  for (const [bit, text] of order) {
    if (!(flags & bit)) continue;
    s = (bit === TcpAnalysis.DuplicateAck ? `[TCP Dup ACK ${dupAckFrame}#${dupAckNum}] ` : text) + s;
  }
  return s;
}
