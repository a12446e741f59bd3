// TCP's [SEQ/ACK analysis]: which earlier segment an ACK acknowledges and how long that took,
// the bytes in flight, the bytes sent since the last PSH, the RTO of a retransmission; the
// values of Wireshark's tcp.analysis.* fields, from the first pass's unacknowledged-segment
// lists (tshark 4.0's tcp_analyze_sequence_number), shown in the details tree as tshark -V
// shows them. The flags themselves are judged in tcp-analysis.ts.

import type { CaptureState } from './packet.ts';
import { F } from './tcp-fields.ts';
import { GENERATED, type TreeSink } from './tree.ts';
import type { Tvb } from './tvb.ts';
import { timeApartSeconds, timeApartText } from './text.ts';
import type { FieldDef } from './registry.ts';
import { gtSeq, leSeq, TcpAnalysis } from './tcp-analysis.ts';
import { FLOW_BIF_INVALID, FLOW_PUSH_LAST, PUSH_BYTES, SEQ_ACK_STATE, UNACKED_COUNT, UNACKED_HEAD, type TcpConversation, type TcpFlow, type TcpState } from './tcp-conversation.ts';
import { FRAME, LINK, NEXT, SEQ, type UnackedSegments } from './tcp-unacked.ts';

const FIN = 0x001;
const SYN = 0x002;
const PSH = 0x008;
const ACK = 0x010;

/** tshark stops listing a flow's segments past this many unacknowledged ones (TCP_MAX_UNACKED_SEGMENTS). */
const MAX_UNACKED = 10000;

/** Bit of TcpFrameTable.seqAck: the frame has SEQ/ACK analysis data (tshark's tcp_acked). */
export const SEQ_ACK_SHOWN = 1;

/**
 * The frame of the oldest segment of `fwd` not yet acknowledged (0 when there is none): what a
 * retransmission's RTO is timed from, before the segment itself is listed (trackSegments).
 */
export function oldestUnacked(list: UnackedSegments, fwd: TcpFlow): number {
  const nodes = list.nodes;
  let frame = 0;
  for (let n = fwd.unackedHead; n; n = nodes[list.at(n) + LINK]!) frame = nodes[list.at(n) + FRAME]!;
  return frame;
}

/**
 * The first pass's SEQ/ACK bookkeeping of one segment, after analyzeSegment judged it (with its
 * `analysis` flags; `noted` when the analysis kept data for the frame without a flag): lists
 * the segment as unacknowledged, takes what its ACK acknowledges off the peer's list, and
 * records the frame's acks_frame, bytes in flight and bytes since PSH in the frame table.
 */
export function trackSegments(
  st: TcpState, conv: TcpConversation, dir: 0 | 1, num: number,
  seq: number, ack: number, len: number, flags: number, analysis: number, noted: boolean,
): void {
  // Read and written straight in the flow table: this runs for every segment, and TurboFan
  // stopped inlining the TcpFlow accessors of a function this size (~0.1 s of a 500k decode).
  const flows = st.flows;
  const bits = flows.bits;
  const state = flows.seqAckState;
  const f = conv.flow(dir).index;
  const r = conv.flow(dir ^ 1).index;
  const fs = f * SEQ_ACK_STATE;
  const rs = r * SEQ_ACK_STATE;
  const list = st.unacked;
  const frames = st.frames;
  // An ACK makes the peer's bytes in flight countable again; a gap in this direction stops ours.
  if (flags & ACK) bits[r] = bits[r]! & ~FLOW_BIF_INVALID;
  if (analysis & TcpAnalysis.LostPacket) bits[f] = bits[f]! | FLOW_BIF_INVALID;

  const sends = len !== 0 || (flags & (SYN | FIN)) !== 0;
  // The commonest segment, an ACK while the peer has nothing outstanding, changes nothing more.
  if (!sends && !state[rs + UNACKED_HEAD]) {
    if (analysis !== 0 || noted) frames.seqAck[num] = SEQ_ACK_SHOWN;
    return;
  }
  // SYN and FIN take one sequence number (RFC 9293 §3.4).
  if (sends && state[fs + UNACKED_COUNT]! < MAX_UNACKED) {
    state[fs + UNACKED_HEAD] = list.push(state[fs + UNACKED_HEAD]!, seq, (seq + len + (flags & (SYN | FIN) ? 1 : 0)) >>> 0, num);
    state[fs + UNACKED_COUNT]!++;
  }
  const nodes = list.nodes;

  // The peer's segments this acknowledgement covers leave its list; the oldest one it ends
  // exactly is the one it acknowledges (tshark walks newest to oldest, the last match counts).
  let acked = 0;
  let prev = 0;
  for (let n = state[rs + UNACKED_HEAD]!; n; ) {
    const i = list.at(n);
    const end = nodes[i + NEXT]!;
    const after = nodes[i + LINK]!;
    if (ack !== end) {
      if (gtSeq(ack, nodes[i + SEQ]!) && leSeq(ack, end)) nodes[i + SEQ] = ack; // partly acknowledged
      if (gtSeq(end, ack)) {
        prev = n;
        n = after;
        continue;
      }
    } else acked = nodes[i + FRAME]!;
    if (prev) nodes[list.at(prev) + LINK] = after;
    else state[rs + UNACKED_HEAD] = after;
    list.release(n);
    state[rs + UNACKED_COUNT]!--;
    n = after;
  }

  let shown = analysis !== 0 || acked !== 0 || noted;
  const head = state[fs + UNACKED_HEAD]!;
  if (len !== 0 && head && !(bits[f]! & FLOW_BIF_INVALID)) {
    shown = true;
    // Bytes in flight: the span of this side's unacknowledged segments, relative to its base
    // (unsigned, as tshark computes it), less what the peer's latest SACK blocks say arrived.
    const base = flows.baseSeq[f]!;
    let first = (nodes[list.at(head) + SEQ]! - base) >>> 0;
    let last = (nodes[list.at(head) + NEXT]! - base) >>> 0;
    for (let n = head; n; n = nodes[list.at(n) + LINK]!) {
      const i = list.at(n);
      const s = (nodes[i + SEQ]! - base) >>> 0;
      const e = (nodes[i + NEXT]! - base) >>> 0;
      if (e > last) last = e;
      if (s < first) first = s;
    }
    let inFlight = (last - first) >>> 0;
    const sack = conv.flow(dir ^ 1).sack;
    if (sack && sack[0]! > 0) {
      let delivered = 0;
      for (let k = 0; k < sack[0]!; k++) delivered = (delivered + sack[2 + 2 * k]! - sack[1 + 2 * k]!) >>> 0;
      inFlight = (inFlight - delivered) >>> 0;
    }
    if (inFlight > 0 && inFlight < 2_000_000_000) frames.inFlight[num] = flags & (SYN | FIN) ? inFlight - 1 : inFlight;
    // Bytes since PSH: a PSH segment counts itself; the next segment after one starts anew.
    const pushBytes = bits[f]! & FLOW_PUSH_LAST ? len : (state[fs + PUSH_BYTES]! + len) >>> 0;
    state[fs + PUSH_BYTES] = pushBytes;
    bits[f] = flags & PSH ? bits[f]! | FLOW_PUSH_LAST : bits[f]! & ~FLOW_PUSH_LAST;
    frames.pushBytes[num] = pushBytes;
  }
  // Written only when set: the first pass's table starts zeroed.
  if (shown) frames.seqAck[num] = SEQ_ACK_SHOWN;
  if (acked) frames.acked[num] = acked;
}

/**
 * Keeps the SACK blocks (RFC 2018 §3) of a segment of `fwd`, as [left, right, …] edges (none: an
 * empty list), for the peer's bytes in flight. Like tshark 4.0, at most three, and only the
 * latest segment's: one without SACK blocks ends their count.
 */
export function recordSackBlocks(fwd: TcpFlow, edges: ArrayLike<number>): void {
  const count = Math.min(3, edges.length >> 1);
  if (count === 0) {
    if (fwd.sack) fwd.sack = undefined;
    return;
  }
  const sack = fwd.sack ?? new Uint32Array(7);
  sack[0] = count;
  for (let k = 0; k < 2 * count; k++) sack[1 + k] = edges[k]!;
  fwd.sack = sack;
}

/** No SACK blocks. */
export const NO_SACK_EDGES: readonly number[] = [];

/**
 * A generated time field: the time from frame `from` to frame `to`, labelled "[Name: X seconds]";
 * nothing when either time is unknown or they are equal (tshark shows no zero RTT or RTO).
 */
function addTimeApart(t: TreeSink, tvb: Tvb, state: CaptureState, field: FieldDef, from: number, to: number): boolean {
  const a = state.frameTime(from);
  const b = state.frameTime(to);
  if (!a || !b || (a.sec === b.sec && a.nsec === b.nsec)) return false;
  t.add(field, tvb, 0, GENERATED, timeApartSeconds(a, b), `[${field.name}: ${timeApartText(a, b)} seconds]`);
  return true;
}

/** tshark's items under [TCP Analysis Flags], in its order: [flag, field, severity, expert text]. */
const FLAG_ITEMS: [number, keyof typeof F, 'warn' | 'note' | 'chat', string][] = [
  [TcpAnalysis.ReusedPorts, 'tcp.analysis.reused_ports', 'note', 'A new tcp session is started with the same ports as an earlier session in this trace'],
  [TcpAnalysis.Retransmission, 'tcp.analysis.retransmission', 'note', 'This frame is a (suspected) retransmission'],
  [TcpAnalysis.FastRetransmission, 'tcp.analysis.fast_retransmission', 'note', 'This frame is a (suspected) fast retransmission'],
  [TcpAnalysis.SpuriousRetransmission, 'tcp.analysis.spurious_retransmission', 'note', 'This frame is a (suspected) spurious retransmission'],
  [TcpAnalysis.OutOfOrder, 'tcp.analysis.out_of_order', 'warn', 'This frame is a (suspected) out-of-order segment'],
  [TcpAnalysis.LostPacket, 'tcp.analysis.lost_segment', 'warn', 'Previous segment(s) not captured (common at capture start)'],
  [TcpAnalysis.AckLostPacket, 'tcp.analysis.ack_lost_segment', 'warn', 'ACKed segment that wasn\'t captured (common at capture start)'],
  [TcpAnalysis.WindowUpdate, 'tcp.analysis.window_update', 'chat', 'TCP window update'],
  [TcpAnalysis.WindowFull, 'tcp.analysis.window_full', 'warn', 'TCP window specified by the receiver is now completely full'],
  [TcpAnalysis.KeepAlive, 'tcp.analysis.keep_alive', 'note', 'TCP keep-alive segment'],
  [TcpAnalysis.KeepAliveAck, 'tcp.analysis.keep_alive_ack', 'note', 'ACK to a TCP keep-alive segment'],
  [TcpAnalysis.DuplicateAck, 'tcp.analysis.duplicate_ack', 'note', ''],
  [TcpAnalysis.ZeroWindowProbe, 'tcp.analysis.zero_window_probe', 'note', 'TCP Zero Window Probe'],
  [TcpAnalysis.ZeroWindow, 'tcp.analysis.zero_window', 'warn', 'TCP Zero Window segment'],
  [TcpAnalysis.ZeroWindowProbeAck, 'tcp.analysis.zero_window_probe_ack', 'note', 'ACK to a TCP Zero Window Probe'],
];
const RETRANSMISSION_ITEM = FLAG_ITEMS[1]!;

/** An expert item on the open node, its field there (hidden) for the filter and the JSON output. */
function flagExpert(t: TreeSink, tvb: Tvb, [, field, severity, text]: (typeof FLAG_ITEMS)[number]): void {
  t.hidden(F[field], null);
  t.expert(severity, text, tvb, 0, 0, 'Sequence');
}

/**
 * The [SEQ/ACK analysis] subtree of frame `num` (tshark's tcp_print_sequence_number_analysis),
 * from what the first pass recorded; nothing when the frame has no analysis data.
 */
export function seqAckTree(
  t: TreeSink, tvb: Tvb, state: CaptureState, st: TcpState, conv: TcpConversation, num: number,
  analysis: number, dupNum: number, dupFrame: number,
): void {
  const frames = st.frames;
  if (!(frames.seqAck[num]! & SEQ_ACK_SHOWN)) return;
  t.open(F['tcp.analysis'], tvb, 0, GENERATED, null, '[SEQ/ACK analysis]');
  const acked = frames.acked[num]!;
  if (acked) {
    t.add(F['tcp.analysis.acks_frame'], tvb, 0, GENERATED, acked, `[This is an ACK to the segment in frame: ${acked}]`);
    addTimeApart(t, tvb, state, F['tcp.analysis.ack_rtt'], acked, num);
  }
  // The handshake's round trip, once the whole file is read (as Wireshark shows it).
  if (conv.rttAckFrame) addTimeApart(t, tvb, state, F['tcp.analysis.initial_rtt'], conv.rttSynFrame, conv.rttAckFrame);
  const inFlight = frames.inFlight[num]!;
  if (inFlight) {
    t.add(F['tcp.analysis.bytes_in_flight'], tvb, 0, GENERATED, inFlight, `[Bytes in flight: ${inFlight}]`);
    t.add(F['tcp.analysis.push_bytes_sent'], tvb, 0, GENERATED, frames.pushBytes[num]!, `[Bytes sent since last PSH flag: ${frames.pushBytes[num]!}]`);
  }
  if (analysis) {
    t.open(F['tcp.analysis.flags'], tvb, 0, GENERATED, null, '[TCP Analysis Flags]');
    for (const item of FLAG_ITEMS) {
      const bit = item[0];
      if (!(analysis & bit)) continue;
      if (bit === TcpAnalysis.DuplicateAck) {
        if (dupNum) t.add(F['tcp.analysis.duplicate_ack'], tvb, 0, GENERATED, null, '[This is a TCP duplicate ack]');
        continue;
      }
      flagExpert(t, tvb, item);
      // A fast or spurious retransmission is a retransmission too (its expert item follows).
      if (bit === TcpAnalysis.FastRetransmission || bit === TcpAnalysis.SpuriousRetransmission) flagExpert(t, tvb, RETRANSMISSION_ITEM);
      if (bit === TcpAnalysis.Retransmission) {
        const from = frames.rtoFrame.get(num);
        if (from && addTimeApart(t, tvb, state, F['tcp.analysis.rto'], from, num)) {
          t.add(F['tcp.analysis.rto_frame'], tvb, 0, GENERATED, from, `[RTO based on delta from frame: ${from}]`);
        }
      }
    }
    t.close();
  }
  if (dupNum) {
    t.add(F['tcp.analysis.duplicate_ack_num'], tvb, 0, GENERATED, dupNum, `[Duplicate ACK #: ${dupNum}]`);
    t.open(F['tcp.analysis.duplicate_ack_frame'], tvb, 0, GENERATED, dupFrame, `[Duplicate to the ACK in frame: ${dupFrame}]`);
    t.expert('note', `Duplicate ACK (#${dupNum})`, tvb, 0, 0, 'Sequence');
    t.close();
  }
  t.close();
}
