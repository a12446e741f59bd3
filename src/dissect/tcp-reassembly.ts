// Reassembly of PDUs that span TCP segments (TLS records, HTTP messages, DNS over TCP).
// A payload dissector that needs more bytes says so through p.desegmentOffset/desegmentLen
// (the contract of Wireshark's pinfo->desegment_*). The segment bytes are kept until the PDU
// is complete; earlier segments show "[TCP segment of a reassembled PDU]" and the PDU is
// dissected on the segment that completes it, as tshark shows it.
//
// The first pass records, per frame, what it dissected (a "plan"), so a later re-dissection of
// any single frame (details pane) rebuilds the same PDU from the frames' bytes.

import { joinBytes } from '../lib/bytes.ts';
import { DESEGMENT_UNTIL_FIN, ONE_MORE_SEGMENT, Packet, PacketFlag } from './packet.ts';
import { gtSeq } from './tcp-analysis.ts';
import { tcpState, type PduSegment, type PendingPdu, type TcpConversation, type TcpFlow } from './tcp-conversation.ts';
import { F as TCP } from './tcp-fields.ts';
import { GENERATED, type TreeSink } from './tree.ts';
import { Tvb } from './tvb.ts';

export type PlanStep =
  /** The dissector was called on the segment's payload from `off`. */
  | { kind: 'direct'; off: number }
  /** The dissector was called on the bytes of these segments, put together. */
  | { kind: 'pdu'; segments: PduSegment[] }
  /**
   * "[TCP segment of a reassembled PDU]": nothing was completed here (at the end of the plan), or
   * the start of the segment belonged to a PDU that lost data (then the rest follows, fenced).
   */
  | { kind: 'mark' }
  /** The segment rewrote bytes of the PDU being reassembled with different ones. */
  | { kind: 'overlap' };

const OVERLAP_TEXT = '[Reassembly error, protocol TCP: New fragment overlaps old data (retransmission?)]';

/** The byte at `index` of a pending PDU, or -1. */
function pendingByte(pend: PendingPdu, index: number): number {
  for (const c of pend.chunks) {
    if (index < c.length) return c[index]!;
    index -= c.length;
  }
  return -1;
}

/** True when the segment's bytes that overlap the pending PDU differ from what it holds. */
function overlapConflicts(pend: PendingPdu, payload: Tvb, seqRaw: number): boolean {
  const start = (seqRaw - pend.seq) | 0;
  if (start < 0) return false;
  const n = Math.min(payload.length, pend.have - start);
  for (let i = 0; i < n; i++) if (payloadByte(payload, i) !== pendingByte(pend, start + i)) return true;
  return false;
}

function payloadByte(t: Tvb, i: number): number {
  return t.buf[t.start + i]!;
}

/** Upper bound on one reassembled PDU; a hostile length field must not exhaust memory. */
const MAX_PDU = 16 << 20;

const SEGMENT_TEXT = ' [TCP segment of a reassembled PDU]';

function markSegment(p: Packet): void {
  p.cols.protocol = 'TCP';
  p.cols.appendInfoSep(' ', SEGMENT_TEXT.slice(1)); // col_append_sep_str(" "): no leading space when a payload dissector cleared Info
}

/**
 * The payload dissector of a conversation's segments (tcp.ts: port tables, then heuristics).
 * One function for every conversation, handed the conversation: no closure per connection.
 */
export type ConversationDissect = (conv: TcpConversation, tvb: Tvb, p: Packet) => boolean;

/** What callDissector() found; one object reused by every call (read before the next call). */
const CALL = { took: false, wantOffset: 0, wantLen: 0 };

/** Calls the dissector and reports whether it took the bytes and what more it wants. */
function callDissector(d: ConversationDissect, conv: TcpConversation, tvb: Tvb, p: Packet): typeof CALL {
  p.desegmentOffset = 0;
  p.desegmentLen = 0;
  p.canDesegment = true;
  let took: boolean;
  try {
    took = d(conv, tvb, p);
  } finally {
    p.canDesegment = false;
  }
  CALL.took = took;
  CALL.wantOffset = p.desegmentOffset;
  CALL.wantLen = p.desegmentLen;
  return CALL;
}

function newPending(seq: number, firstFrame: number, wantLen: number): PendingPdu {
  const open = wantLen === ONE_MORE_SEGMENT || wantLen === DESEGMENT_UNTIL_FIN;
  return { seq, wanted: open ? Infinity : wantLen, have: 0, segments: [], chunks: [], firstFrame, untilFin: wantLen === DESEGMENT_UNTIL_FIN };
}

/** Total length wanted once `have` bytes are held and the dissector asks for `wantLen` more. */
function wantedTotal(have: number, wantLen: number): number {
  return wantLen === ONE_MORE_SEGMENT || wantLen === DESEGMENT_UNTIL_FIN ? Infinity : have + wantLen;
}

/** Appends up to `max` bytes of the payload from `off` to a pending PDU; returns how many. */
function feed(pend: PendingPdu, payload: Tvb, off: number, max: number, frame: number): number {
  const n = Math.min(max, payload.length - off);
  if (n <= 0) return 0;
  const view = payload.bytes(off, n);
  // Frame bytes are copied: the reader may reuse its buffer for the next slice of the file once
  // this packet is done (the app keeps no capture bytes in memory). A reassembled buffer is ours.
  const fromFrame = payload.source === 0;
  pend.chunks.push(fromFrame ? view.slice() : view);
  pend.segments.push({ frame, offset: payload.abs(off), length: n, data: fromFrame ? undefined : view });
  pend.have += n;
  return n;
}

/**
 * Dissects the payload of a segment: feeds a pending PDU, dissects complete PDUs, starts a new
 * pending one when a dissector asks for more. Mirrors what tshark shows in one pass.
 */
export function dissectTcpPayload(payload: Tvb, p: Packet, conv: TcpConversation, dir: 0 | 1, seqRaw: number, d: ConversationDissect): void {
  const st = tcpState.of(p.state);
  if (p.visited) {
    replay(payload, p, conv, d, st.plans.get(p.num), st.reassembledIn.get(p.num));
    return;
  }
  const flow = conv.flow(dir);
  const len = payload.length;
  // A snapped segment cannot be reassembled reliably: dissect what there is.
  const canReassemble = len === payload.reportedLength;
  const plan: PlanStep[] = [];
  let involved = false;
  let completed = false;
  let marked = false;
  let off = 0;

  const pend = flow.pending;
  if (pend) {
    involved = true;
    const expected = (pend.seq + pend.have) >>> 0;
    if (seqRaw !== expected || !canReassemble) {
      const end = (pend.seq + pend.wanted) >>> 0;
      if (canReassemble && gtSeq(seqRaw, expected) && pend.wanted !== Infinity && gtSeq(end, seqRaw)) {
        // Data before this segment was lost, inside the PDU being reassembled. Like tshark, the
        // bytes up to the PDU's end still belong to it (it will never complete); what follows
        // the PDU's end starts new PDUs, shown after the segment text.
        off = Math.min(len, (end - seqRaw) >>> 0);
        markSegment(p);
        plan.push({ kind: 'mark' });
        marked = true;
        if (off >= len) completed = true; // nothing after it: the mark is the whole story
        if (off < len) flow.pending = null;
      } else if (gtSeq(seqRaw, expected) || !canReassemble) flow.pending = null; // the PDU cannot complete
      else {
        // Old data (a keep-alive byte, an overlap): nothing new to dissect; tshark reports a
        // conflict when the bytes differ from those already held for the PDU.
        off = len;
        if (overlapConflicts(pend, payload, seqRaw)) {
          plan.push({ kind: 'overlap' });
          p.cols.appendInfo(OVERLAP_TEXT);
          completed = true;
        }
      }
    } else {
      off = feed(pend, payload, 0, pend.wanted - pend.have, p.num);
      let cur: PendingPdu | null = pend;
      // A segment may complete a PDU and then, with what is left of it, the next one too.
      for (let round = 0; cur && round < 64; round++) {
        if (cur.have > MAX_PDU) {
          flow.pending = null;
          p.flags |= PacketFlag.Malformed;
          off = len;
          break;
        }
        // Still incomplete (a PDU that ends with the connection waits for the FIN).
        if (cur.untilFin || !(cur.have >= cur.wanted || cur.wanted === Infinity)) break;
        const buf = joinBytes(cur.chunks, cur.have);
        const src = p.addSource('Reassembled TCP', buf);
        plan.push({ kind: 'pdu', segments: cur.segments });
        const r = callDissector(d, conv, new Tvb(buf, 0, buf.length, buf.length, src), p);
        flow.pending = null;
        let done = r.wantLen === 0 || r.wantOffset > 0;
        if (done) {
          completed = true;
          const upTo = r.wantLen === 0 ? cur.segments : trimSegmentsBefore(cur.segments, r.wantOffset);
          for (const sg of upTo) if (sg.frame !== p.num) st.reassembledIn.set(sg.frame, p.num);
          p.flags |= PacketFlag.Reassembled;
        }
        if (r.wantLen === 0) break;
        // The PDU is longer than first thought, or a new one starts inside these bytes.
        const np = newPending((cur.seq + r.wantOffset) >>> 0, cur.firstFrame, r.wantLen);
        np.chunks.push(buf.subarray(r.wantOffset));
        np.segments = trimSegments(cur.segments, r.wantOffset);
        np.have = buf.length - r.wantOffset;
        np.wanted = wantedTotal(np.have, r.wantLen);
        flow.pending = np;
        off += feed(np, payload, off, np.wanted - np.have, p.num);
        // Only go round again when the new PDU is complete and larger than what was just tried.
        done = np.wanted !== Infinity && np.have >= np.wanted && np.have > 0 && np.wanted > buf.length - r.wantOffset;
        cur = done ? np : null;
      }
    }
  }

  if (off < len) {
    // New PDUs start in this segment. After a segment mark they are shown behind it, under TCP.
    if (marked) p.cols.fenceInfo();
    plan.push({ kind: 'direct', off });
    const r = callDissector(d, conv, payload.sub(off), p);
    if (marked) p.cols.protocol = 'TCP';
    if (r.wantLen > 0 && canReassemble) {
      involved = true;
      if (r.wantOffset > 0) completed = true;
      const np = newPending((seqRaw + off + r.wantOffset) >>> 0, p.num, r.wantLen);
      feed(np, payload, off + r.wantOffset, Infinity, p.num);
      np.wanted = wantedTotal(np.have, r.wantLen);
      flow.pending = np;
    } else if (r.took || r.wantLen > 0) {
      completed = true;
    } else {
      plan.pop();
      p.tree?.add(TCP['tcp.payload'], payload, off, len - off, null, `TCP payload (${len - off} bytes)`);
      completed = true;
    }
  }
  // A PDU that lasts until the connection closes ends with this segment's FIN.
  if (p.tcp && p.tcp.flags & FIN && flow.pending?.untilFin) {
    involved = true;
    if (finishUntilFin(flow, p, conv, d, plan)) completed = true;
  }
  if (involved && !completed && !marked) {
    plan.push({ kind: 'mark' });
    markSegment(p);
  }
  // A plan is needed only when reassembly was involved; a plain call replays by itself.
  if (involved) st.plans.set(p.num, plan);
}

const FIN = 0x01;

/** Hands a PDU gathered "until FIN" to its dissector (RFC 9112 §6.3: the body ends with the connection). */
function finishUntilFin(flow: TcpFlow, p: Packet, conv: TcpConversation, d: ConversationDissect, plan: PlanStep[]): boolean {
  const pend = flow.pending;
  flow.pending = null;
  if (!pend || pend.have === 0) return false;
  const buf = joinBytes(pend.chunks, pend.have);
  const src = p.addSource('Reassembled TCP', buf);
  plan.push({ kind: 'pdu', segments: pend.segments });
  callDissector(d, conv, new Tvb(buf, 0, buf.length, buf.length, src), p);
  const st = tcpState.of(p.state);
  for (const s of pend.segments) if (s.frame !== p.num) st.reassembledIn.set(s.frame, p.num);
  p.flags |= PacketFlag.Reassembled;
  return true;
}

/** A FIN without payload may still end a PDU that lasts until the connection closes. */
export function dissectTcpFin(p: Packet, conv: TcpConversation, dir: 0 | 1, d: ConversationDissect, empty: Tvb): void {
  const st = tcpState.of(p.state);
  if (p.visited) {
    const plan = st.plans.get(p.num);
    if (plan) replay(empty, p, conv, d, plan, undefined);
    return;
  }
  const flow = conv.flow(dir);
  if (!flow.pending?.untilFin) return;
  const plan: PlanStep[] = [];
  if (finishUntilFin(flow, p, conv, d, plan)) st.plans.set(p.num, plan);
}

/** The segments holding the first `keep` bytes of the PDU. */
function trimSegmentsBefore(segs: PduSegment[], keep: number): PduSegment[] {
  const out: PduSegment[] = [];
  for (const s of segs) {
    if (keep <= 0) break;
    out.push(s);
    keep -= s.length;
  }
  return out;
}

/** Segments after dropping the first `skip` bytes of the PDU. */
function trimSegments(segs: PduSegment[], skip: number): PduSegment[] {
  const out: PduSegment[] = [];
  for (const s of segs) {
    if (skip >= s.length) {
      skip -= s.length;
      continue;
    }
    out.push({ frame: s.frame, offset: s.offset + skip, length: s.length - skip, data: s.data?.subarray(skip) });
    skip = 0;
  }
  return out;
}

/** "TCP payload (N bytes)" in the TCP subtree, as tshark writes it before the payload's own protocols. */
export function tcpPayloadLine(t: TreeSink, p: Packet, payload: Tvb, retransmitted = false): void {
  const back = t.reenter(p.tcpNode);
  t.add(TCP['tcp.payload'], payload, 0, payload.length, null, `TCP payload (${bytesText(payload.reportedLength)})`);
  // tshark hands a retransmission's data to no protocol and says so.
  if (retransmitted) t.add(TCP['tcp.segment_data'], payload, 0, payload.length, null, `Retransmitted TCP segment data (${bytesText(payload.reportedLength)})`);
  if (back) t.close();
}

/** "1 byte", "10 bytes". */
function bytesText(n: number): string {
  return `${n} byte${n === 1 ? '' : 's'}`;
}

function replay(payload: Tvb, p: Packet, conv: TcpConversation, d: ConversationDissect, plan: PlanStep[] | undefined, reassembledIn: number | undefined): void {
  const t = p.tree;
  if (t) tcpPayloadLine(t, p, payload);
  if (!plan) {
    callDissector(d, conv, payload, p);
    return;
  }
  let marked = false;
  for (const step of plan) {
    if (step.kind === 'direct') {
      if (marked) p.cols.fenceInfo();
      callDissector(d, conv, payload.sub(step.off), p);
      if (marked) p.cols.protocol = 'TCP';
    }
    else if (step.kind === 'overlap') {
      p.cols.appendInfo(OVERLAP_TEXT);
      t?.expert('error', 'New fragment overlaps old data (retransmission?)', payload, 0, payload.length, 'Malformed');
    }
    else if (step.kind === 'mark') {
      markSegment(p);
      marked = true;
      if (t) {
        const back = t.reenter(p.tcpNode);
        t.add(TCP['tcp.segment_data'], payload, 0, payload.length, null, `TCP segment data (${bytesText(payload.length)})`);
        if (reassembledIn) t.add(TCP['tcp.reassembled_in'], payload, 0, GENERATED, reassembledIn, `[Reassembled PDU in frame: ${reassembledIn}]`);
        if (back) t.close();
      }
    } else {
      const parts: Uint8Array[] = [];
      let total = 0;
      for (const s of step.segments) {
        if (s.data) {
          parts.push(s.data);
          total += s.length;
          continue;
        }
        const bytes = s.frame === p.num ? p.frame.data : p.state.frameBytes(s.frame);
        if (!bytes) continue;
        parts.push(bytes.subarray(s.offset, s.offset + s.length));
        total += s.length;
      }
      const buf = joinBytes(parts, total);
      const src = p.addSource('Reassembled TCP', buf);
      if (t) {
        // This segment's part of the PDU, in the TCP subtree; the PDU's segments at the top.
        const mine = step.segments[step.segments.length - 1];
        if (mine && mine.frame === p.num) {
          const back = t.reenter(p.tcpNode);
          t.add(TCP['tcp.segment_data'], payload, 0, mine.length, null, `TCP segment data (${bytesText(mine.length)})`);
          if (back) t.close();
        }
        t.text(null, 0, 0, `[${step.segments.length} Reassembled TCP Segments (${total} bytes): ${step.segments.map((s) => `#${s.frame}(${s.length})`).join(', ')}]`, true);
        let at = 0;
        for (const s of step.segments) {
          t.add(TCP['tcp.segment'], payload, 0, GENERATED, s.frame, `[Frame: ${s.frame}, payload: ${at}-${at + s.length - 1} (${s.length} byte${s.length === 1 ? '' : 's'})]`);
          at += s.length;
        }
        t.add(TCP['tcp.segment.count'], payload, 0, GENERATED, step.segments.length);
        t.add(TCP['tcp.reassembled.length'], payload, 0, GENERATED, total);
        t.add(TCP['tcp.reassembled.data'], payload, 0, GENERATED, buf);
        t.close();
      }
      p.flags |= PacketFlag.Reassembled;
      callDissector(d, conv, new Tvb(buf, 0, buf.length, buf.length, src), p);
    }
  }
}
