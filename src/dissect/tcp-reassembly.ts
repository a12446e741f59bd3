// Reassembly of PDUs that span TCP segments (TLS records, HTTP messages, DNS over TCP).
// A payload dissector that needs more bytes says so through p.desegmentOffset/desegmentLen
// (the contract of Wireshark's pinfo->desegment_*). The segment bytes are kept until the PDU
// is complete; earlier segments show "[TCP segment of a reassembled PDU]" and the PDU is
// dissected on the segment that completes it, as tshark shows it.
//
// The first pass records, per frame, what it dissected (a "plan"), so a later re-dissection of
// any single frame (details pane) rebuilds the same PDU from the frames' bytes.

import { ONE_MORE_SEGMENT, Packet, PacketFlag } from './packet.ts';
import type { PayloadDissect } from './tables.ts';
import { gtSeq } from './tcp-analysis.ts';
import { tcpState, type PduSegment, type PendingPdu, type TcpConversation } from './tcp-conversation.ts';
import { F as TCP } from './tcp-fields.ts';
import { GENERATED } from './tree.ts';
import { Tvb } from './tvb.ts';

export type PlanStep =
  /** The dissector was called on the segment's payload from `off`. */
  | { kind: 'direct'; off: number }
  /** The dissector was called on the bytes of these segments, put together. */
  | { kind: 'pdu'; segments: PduSegment[] }
  /** Nothing was completed in this frame: "[TCP segment of a reassembled PDU]". */
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

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

const SEGMENT_TEXT = ' [TCP segment of a reassembled PDU]';

function markSegment(p: Packet): void {
  p.cols.protocol = 'TCP';
  p.cols.appendInfo(SEGMENT_TEXT);
}

/** Calls the dissector and reports whether it took the bytes and what more it wants. */
function callDissector(d: PayloadDissect, tvb: Tvb, p: Packet): { took: boolean; wantOffset: number; wantLen: number } {
  p.desegmentOffset = 0;
  p.desegmentLen = 0;
  p.canDesegment = true;
  let took: boolean;
  try {
    took = d(tvb, p);
  } finally {
    p.canDesegment = false;
  }
  return { took, wantOffset: p.desegmentOffset, wantLen: p.desegmentLen };
}

function newPending(seq: number, firstFrame: number, wantLen: number): PendingPdu {
  return { seq, wanted: wantLen === ONE_MORE_SEGMENT ? Infinity : wantLen, have: 0, segments: [], chunks: [], firstFrame };
}

/** Appends up to `max` bytes of the payload from `off` to a pending PDU; returns how many. */
function feed(pend: PendingPdu, payload: Tvb, off: number, max: number, frame: number): number {
  const n = Math.min(max, payload.length - off);
  if (n <= 0) return 0;
  const copy = payload.bytes(off, n).slice();
  pend.chunks.push(copy);
  pend.segments.push({ frame, offset: payload.abs(off), length: n, data: payload.source === 0 ? undefined : copy });
  pend.have += n;
  return n;
}

/**
 * Dissects the payload of a segment: feeds a pending PDU, dissects complete PDUs, starts a new
 * pending one when a dissector asks for more. Mirrors what tshark shows in one pass.
 */
export function dissectTcpPayload(payload: Tvb, p: Packet, conv: TcpConversation, dir: 0 | 1, seqRaw: number, d: PayloadDissect): void {
  const st = tcpState.of(p.state);
  if (p.visited) {
    replay(payload, p, d, st.plans.get(p.num), st.reassembledIn.get(p.num));
    return;
  }
  const flow = conv.flows[dir];
  const len = payload.length;
  // A snapped segment cannot be reassembled reliably: dissect what there is.
  const canReassemble = len === payload.reportedLength;
  const plan: PlanStep[] = [];
  let involved = false;
  let completed = false;
  let off = 0;

  const pend = flow.pending;
  if (pend) {
    involved = true;
    const expected = (pend.seq + pend.have) >>> 0;
    if (seqRaw !== expected || !canReassemble) {
      if (gtSeq(seqRaw, expected) || !canReassemble) flow.pending = null; // data lost: the PDU cannot complete
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
      if (pend.have > MAX_PDU) {
        flow.pending = null;
        p.flags |= PacketFlag.Malformed;
        off = len;
      } else if (pend.have >= pend.wanted || pend.wanted === Infinity) {
        const buf = concat(pend.chunks, pend.have);
        const src = p.addSource('Reassembled TCP', buf);
        plan.push({ kind: 'pdu', segments: pend.segments });
        const r = callDissector(d, new Tvb(buf, 0, buf.length, buf.length, src), p);
        flow.pending = null;
        if (r.wantLen > 0) {
          // The PDU is longer than first thought, or a new one starts inside these bytes.
          if (r.wantOffset > 0) completed = true;
          const np = newPending((pend.seq + r.wantOffset) >>> 0, pend.firstFrame, r.wantLen);
          np.chunks.push(buf.subarray(r.wantOffset));
          np.segments = trimSegments(pend.segments, r.wantOffset);
          np.have = buf.length - r.wantOffset;
          np.wanted = r.wantLen === ONE_MORE_SEGMENT ? Infinity : np.have + r.wantLen;
          flow.pending = np;
          off += feed(np, payload, off, np.wanted - np.have, p.num);
        } else completed = true;
        if (completed) {
          for (const s of pend.segments) if (s.frame !== p.num) st.reassembledIn.set(s.frame, p.num);
          p.flags |= PacketFlag.Reassembled;
        }
      }
    }
  }

  if (off < len) {
    // New PDUs start in this segment.
    plan.push({ kind: 'direct', off });
    const r = callDissector(d, payload.sub(off), p);
    if (r.wantLen > 0 && canReassemble) {
      involved = true;
      if (r.wantOffset > 0) completed = true;
      const np = newPending((seqRaw + off + r.wantOffset) >>> 0, p.num, r.wantLen);
      feed(np, payload, off + r.wantOffset, Infinity, p.num);
      if (np.wanted !== Infinity) np.wanted += np.have;
      flow.pending = np;
    } else if (r.took || r.wantLen > 0) {
      completed = true;
    } else {
      plan.pop();
      p.tree?.add(TCP['tcp.payload'], payload, off, len - off, null, `TCP payload (${len - off} bytes)`);
      completed = true;
    }
  }
  if (involved && !completed) {
    plan.push({ kind: 'mark' });
    markSegment(p);
  }
  // A plan is needed only when reassembly was involved; a plain call replays by itself.
  if (involved) st.plans.set(p.num, plan);
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

function replay(payload: Tvb, p: Packet, d: PayloadDissect, plan: PlanStep[] | undefined, reassembledIn: number | undefined): void {
  const t = p.tree;
  if (!plan) {
    const r = callDissector(d, payload, p);
    if (!r.took && r.wantLen === 0) t?.add(TCP['tcp.payload'], payload, 0, payload.length, null, `TCP payload (${payload.length} bytes)`);
    return;
  }
  for (const step of plan) {
    if (step.kind === 'direct') callDissector(d, payload.sub(step.off), p);
    else if (step.kind === 'overlap') {
      p.cols.appendInfo(OVERLAP_TEXT);
      t?.expert('error', 'New fragment overlaps old data (retransmission?)', payload, 0, payload.length);
    }
    else if (step.kind === 'mark') {
      markSegment(p);
      t?.add(TCP['tcp.segment_of_pdu'], payload, 0, payload.length, null, `TCP segment data (${payload.length} bytes)`);
      if (reassembledIn) t?.add(TCP['tcp.reassembled_in'], payload, 0, GENERATED, reassembledIn, `[Reassembled PDU in frame: ${reassembledIn}]`);
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
      const buf = concat(parts, total);
      const src = p.addSource('Reassembled TCP', buf);
      if (t) {
        t.text(null, 0, 0, `[${step.segments.length} Reassembled TCP Segments (${total} bytes): ${step.segments.map((s) => `#${s.frame}(${s.length})`).join(', ')}]`, true);
        for (const s of step.segments) t.add(TCP['tcp.segment'], payload, 0, GENERATED, s.frame, `[Frame: ${s.frame}, payload: ${s.length} bytes]`);
        t.add(TCP['tcp.segment.count'], payload, 0, GENERATED, step.segments.length);
        t.add(TCP['tcp.reassembled.length'], payload, 0, GENERATED, total);
        t.close();
      }
      p.flags |= PacketFlag.Reassembled;
      callDissector(d, new Tvb(buf, 0, buf.length, buf.length, src), p);
    }
  }
}
