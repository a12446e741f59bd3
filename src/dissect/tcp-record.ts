// The first pass's record of one TCP segment, shared by dissectTcp and the short lane
// (tcp-lane.ts): the conversation's times and completeness, the handshake round trip, the
// sequence analysis (tcp-analysis.ts) and the SEQ/ACK bookkeeping (tcp-seqack.ts), written into
// the per-frame table that every later re-dissection reads.

import { analyzeSegment, Completeness, segmentOut, TcpAnalysis, type SegmentFacts } from './tcp-analysis.ts';
import type { TcpConversation, TcpState } from './tcp-conversation.ts';
import { oldestUnacked, trackSegments } from './tcp-seqack.ts';

const FIN = 0x001;
const SYN = 0x002;
const RST = 0x004;
const ACK = 0x010;

/** Reused for every segment: the analysis reads it synchronously. */
const SEGMENT: SegmentFacts = { frame: 0, timeNs: 0, seq: 0, ack: 0, len: 0, flags: 0, window: 0 };

/**
 * The first pass's record of one segment: FIN/RST seen, the handshake round trip, the sequence
 * analysis and the SEQ/ACK bookkeeping, and the frame's window and analysis flags in the
 * per-frame table. (dissectTcp calls it before a SYN's window scale is recorded, as tshark
 * orders them, and the lane after: nothing here reads the scale of a SYN's own direction.) Returns `analysis` with the analysis flags added; the dup-ACK
 * details are in segmentOut. Shared by dissectTcp and the short lane (tcp-lane.ts).
 */
export function recordSegment(
  st: TcpState, conv: TcpConversation, dir: 0 | 1, num: number, sec: number, nsec: number,
  seq: number, ack: number, len: number, flags: number, window: number, analysis: number,
): number {
  const frames = st.frames;
  const fwd = conv.flow(dir);
  const timeNs = sec * 1e9 + nsec;
  // tshark's [Timestamps]: the time since the stream's previous frame, exact (the seconds apart
  // first, then nanoseconds: epoch nanoseconds do not fit a double).
  if (conv.lastSec < 0) {
    conv.firstSec = conv.lastSec = sec;
    conv.firstNsec = conv.lastNsec = nsec;
  }
  frames.prevDeltaNs[num] = (sec - conv.lastSec) * 1e9 + (nsec - conv.lastNsec);
  // tshark's conversation completeness: a pure SYN counts only as the conversation's first frame.
  if (conv.firstFrame === num) {
    if ((flags & (SYN | ACK)) === SYN) conv.completeness |= len > 0 ? Completeness.SynSent | Completeness.Data : Completeness.SynSent;
  } else {
    if ((flags & (SYN | ACK)) === (SYN | ACK)) conv.completeness |= Completeness.SynAck;
    if ((flags & (SYN | ACK)) === ACK) conv.completeness |= len > 0 ? Completeness.Data : Completeness.Ack;
    if ((flags & (FIN | ACK)) === (FIN | ACK)) conv.completeness |= Completeness.Fin;
    if (flags & RST) conv.completeness |= Completeness.Rst;
  }
  conv.lastSec = sec;
  conv.lastNsec = nsec;
  if (flags & FIN) {
    fwd.finSeen = true;
    if (conv.closingDir < 0) conv.closingDir = dir;
  }
  if (flags & RST) fwd.rstSeen = true;
  // The handshake round trip: SYN to the first pure ACK (Wireshark's iRTT).
  if ((flags & (SYN | ACK)) === SYN) {
    conv.synTimeNs = timeNs;
    conv.synFrame = num;
  } else if ((flags & (SYN | ACK)) === ACK && conv.synTimeNs && !conv.firstRttNs) {
    conv.firstRttNs = timeNs - conv.synTimeNs;
    conv.rttSynFrame = conv.synFrame;
    conv.rttAckFrame = num;
  }
  const facts = SEGMENT;
  facts.frame = num;
  facts.timeNs = timeNs;
  facts.seq = seq;
  facts.ack = ack;
  facts.len = len;
  facts.flags = flags;
  facts.window = window;
  // A retransmission's RTO is timed from the flow's state before this segment (tcp-seqack.ts).
  const rtoFallback = fwd.nextSeqFrame;
  analysis |= analyzeSegment(conv, dir, facts);
  frames.window[num] = window;
  frames.analysis[num] = analysis;
  if (segmentOut.dupNum) frames.dupAck.set(num, [segmentOut.dupNum, segmentOut.dupFrame]);
  if (analysis & TcpAnalysis.Retransmission) {
    const from = oldestUnacked(st.unacked, fwd) || rtoFallback;
    if (from) frames.rtoFrame.set(num, from);
  }
  trackSegments(st, conv, dir, num, seq >>> 0, ack >>> 0, len, flags, analysis, segmentOut.acksBeyondSeen);
  return analysis;
}
