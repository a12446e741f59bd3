// The first pass's short lane for the commonest packets of a capture: a bare TCP SYN, SYN-ACK,
// acknowledgement or FIN (IPv4 without options or fragmentation, no payload; an ACK or FIN of a
// conversation already seen) over Ethernet II, Linux cooked capture v1/v2, BSD null or raw IP;
// and a data segment of a known conversation that carries one whole simple message of a
// protocol with a lane part (HTTP: a request or a response with its whole body; TLS: whole
// Application Data records), found by port, by the conversation's binding or by the
// heuristics. Such a packet needs no tree; the lane reads its headers straight from the bytes
// and updates exactly the state dissectTcp's first pass (and the payload protocol's) updates
// (relative numbers, window, sequence analysis, per-frame table, HTTP requests and responses,
// the TLS session kept per frame, a heuristic's binding), without a Packet, its columns,
// layers and Tvbs.
// Any packet that is not plainly one of these goes the full way (dissectFrame), and so does
// every re-dissection: worker/engine-lane.test.ts and corpus/lane.corpus.test.ts check that both
// ways give the same columns, rows, details and summary lines.

import type { PacketRecord } from '../capture/types.ts';
import type { CaptureState } from './packet.ts';
import { ipv4Text } from './ip.ts';
import type { TcpLanePayload } from './tables.ts';
import { segmentOut, recordAccEcnSetup, recordRelativeNumbers, recordSynWindowScale, scaledWindow, TcpAnalysis } from './tcp-analysis.ts';
import { recordSegment } from './tcp-record.ts';
import { NO_SACK_EDGES, recordSackBlocks } from './tcp-seqack.ts';
import { tcpState, type TcpConversation } from './tcp-conversation.ts';
import { conversationReused, findConversation, lanePayloadFor, OLD_DATA } from './tcp.ts';

/**
 * Offset of an IPv4 header in a frame of `linkType`, as the link-layer dissector finds it (eth.ts,
 * sll.ts, sll2.ts, null.ts, raw.ts, ip.ts), or -1 when the frame is anything else.
 */
function ipv4Offset(linkType: number, b: Uint8Array): number {
  switch (linkType) {
    case 1: // Ethernet II, EtherType IPv4 (no VLAN tag)
      return b[12] === 0x08 && b[13] === 0x00 ? 14 : -1;
    case 113: // Linux cooked v1: protocol after the 14-byte header
      return b[14] === 0x08 && b[15] === 0x00 ? 16 : -1;
    case 276: // Linux cooked v2: protocol first
      return b[0] === 0x08 && b[1] === 0x00 ? 20 : -1;
    case 0: // BSD null: AF_INET (2) in either byte order
      return b[1] === 0 && b[2] === 0 && ((b[0] === 2 && b[3] === 0) || (b[0] === 0 && b[3] === 2)) ? 4 : -1;
    case 101: // raw IP (the version nibble is checked below)
    case 12:
    case 14:
    case 228: // LINKTYPE_IPV4
      return 0;
  }
  return -1;
}
const ACK = 0x010;
const PSH = 0x008;
const FIN = 0x001;
const SYN = 0x002;

/** What the lane found for the packet it took (one reused object, read at once by the caller). */
export interface LaneSegment {
  stream: number;
  /** SYN, SYN + ACK, ACK, or FIN + ACK; ACK or PSH + ACK for a data segment. */
  flags: number;
  /** TCP payload length (0 for a bare segment). */
  len: number;
  /** The Protocol column: "TCP", or the payload protocol's. */
  protocol: string;
  srcPort: number;
  dstPort: number;
  /** Relative numbers and the scaled window, as dissectTcp shows them. */
  seq: number;
  ack: number;
  win: number;
  analysis: number;
  /** The address texts (shared strings: no new text per packet). */
  src: string;
  dst: string;
  /** Duplicate-ACK number and the frame of the original ACK (0 when not a duplicate). */
  dupNum: number;
  dupFrame: number;
  /** The payload protocol's lane part when it took the payload (Info text, colouring), else null. */
  payload: TcpLanePayload | null;
  /** For the Info text (laneSegmentInfo): the conversation, the direction, the TCP header. */
  conv: TcpConversation | null;
  dir: 0 | 1;
  /** Offset of the TCP header in the frame and its length. */
  tcpOffset: number;
  tcpHeaderLength: number;
}

/** The edges of the SACK option at `at` (RFC 2018 §3), in one reused array. */
const SACK_EDGES: number[] = [];
function sackEdges(b: Uint8Array, at: number): number[] {
  SACK_EDGES.length = 0;
  for (let o = at + 2, end = at + b[at + 1]!; o + 4 <= end; o += 4) SACK_EDGES.push(((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0);
  return SACK_EDGES;
}

export const laneSegment: LaneSegment = {
  stream: 0, flags: 0, len: 0, protocol: 'TCP', payload: null, srcPort: 0, dstPort: 0, seq: 0, ack: 0, win: 0, analysis: 0, src: '', dst: '',
  dupNum: 0, dupFrame: 0, conv: null, dir: 0, tcpOffset: 0, tcpHeaderLength: 20,
};


/**
 * Takes frame `num` (first pass only) when it is a bare SYN or SYN-ACK, or a bare ACK or FIN of
 * a known conversation, or a data segment of a known conversation whose payload is
 * one whole simple message of a protocol with a lane part (tables.ts, TcpLanePayload: HTTP):
 * updates the TCP state (and the payload protocol's), fills `laneSegment` and returns true.
 * Returns false, having changed nothing, otherwise.
 */
export function tcpLane(state: CaptureState, num: number, rec: PacketRecord): boolean {
  const b = rec.data;
  const cap = b.length;
  if (cap < 40) return false;
  const ipOff = ipv4Offset(rec.linkType, b);
  const tcpOff = ipOff + 20;
  if (ipOff < 0 || cap < tcpOff + 20) return false;
  // Version 4 with a 20-byte header, TCP.
  if (b[ipOff] !== 0x45 || b[ipOff + 9] !== 6) return false;
  // Neither a fragment nor more fragments (RFC 791 §3.1); the datagram wholly captured.
  if ((b[ipOff + 6]! & 0x3f) !== 0 || b[ipOff + 7] !== 0) return false;
  const totalLen = (b[ipOff + 2]! << 8) | b[ipOff + 3]!;
  if (totalLen < 40 || ipOff + totalLen > cap) return false;
  const hlen = (b[tcpOff + 12]! >> 4) * 4;
  if (hlen < 20 || totalLen < 20 + hlen) return false;
  const payloadLen = totalLen - 20 - hlen;
  const flags = ((b[tcpOff + 12]! & 0x0f) << 8) | b[tcpOff + 13]!;
  const syn = flags === SYN || flags === (SYN | ACK);
  // Bare: SYN, SYN + ACK, ACK or FIN + ACK (RFC 9293 §3.1). Data: ACK or PSH + ACK only.
  if (payloadLen === 0 ? !syn && flags !== ACK && flags !== (FIN | ACK) : flags !== ACK && flags !== (PSH | ACK)) return false;
  // Options that the full path walks without an error (a kind without its length byte is one),
  // and the window scale a SYN announces (RFC 7323 §2.2; the last one counts, as there).
  let wsShift = -1;
  let sackAt = 0;
  for (let off = tcpOff + 20, end = tcpOff + hlen; off < end; ) {
    const kind = b[off]!;
    if (kind === 0) break;
    if (kind === 1) {
      off++;
      continue;
    }
    if (off + 1 >= end) return false;
    // Multipath TCP (RFC 8684) keeps per-connection state and names the protocol: the full path.
    // Accurate ECN options change how later segments' flags read: the full path keeps that state.
    if (kind === 30 || kind === 172 || kind === 174 || kind >= 253) return false;
    const len = b[off + 1]!;
    // A SACK option with a block cut short: tshark's D-SACK test then fails the packet (tcp.ts).
    if (kind === 5 && (len - 2) % 8 !== 0) return false;
    if (len < 2 || off + len > end) break;
    if (kind === 3 && len === 3) wsShift = b[off + 2]!;
    if (kind === 5 && len > 2) sackAt = off;
    off += len;
  }

  const src = ((b[ipOff + 12]! << 24) | (b[ipOff + 13]! << 16) | (b[ipOff + 14]! << 8) | b[ipOff + 15]!) >>> 0;
  const dst = ((b[ipOff + 16]! << 24) | (b[ipOff + 17]! << 16) | (b[ipOff + 18]! << 8) | b[ipOff + 19]!) >>> 0;
  const sport = (b[tcpOff]! << 8) | b[tcpOff + 1]!;
  const dport = (b[tcpOff + 2]! << 8) | b[tcpOff + 3]!;
  const srcText = ipv4Text(src);
  const dstText = ipv4Text(dst);
  const st = tcpState.of(state);
  const seqRaw = ((b[tcpOff + 4]! << 24) | (b[tcpOff + 5]! << 16) | (b[tcpOff + 6]! << 8) | b[tcpOff + 7]!) >>> 0;
  // A SYN finds or starts its conversation as dissectTcp does; an ACK, FIN or data needs a known one.
  const conv = syn ? findConversation(st, srcText, sport, dstText, dport, flags, seqRaw, true, num) : st.lookup(srcText, sport, dstText, dport);
  if (!conv) return false;

  const dir = conv.direction(srcText, sport);
  const fwd = conv.flow(dir);
  // A FIN that ends a PDU lasting until the connection closes goes to the payload protocol.
  if (flags & FIN && fwd.pending?.untilFin) return false;
  let payload: TcpLanePayload | undefined;
  let bindTo = '';
  let protocol = 'TCP';
  if (payloadLen > 0) {
    // The payload goes to the conversation's protocol whole, with nothing held for reassembly
    // (tcp-reassembly.ts), and that protocol takes it as one message: else the full path.
    if (fwd.pending) return false;
    const choice = lanePayloadFor(conv, num, b, tcpOff + hlen, payloadLen);
    payload = choice.part;
    bindTo = choice.bind;
    const name = payload?.check(state, conv.stream, num, b, tcpOff + hlen, payloadLen) ?? null;
    if (name === null) return false;
    protocol = name;
  }

  // From here on, what dissectTcp's first pass does for this packet.
  const ackRaw = ((b[tcpOff + 8]! << 24) | (b[tcpOff + 9]! << 16) | (b[tcpOff + 10]! << 8) | b[tcpOff + 11]!) >>> 0;
  const winRaw = (b[tcpOff + 14]! << 8) | b[tcpOff + 15]!;
  const frames = st.frames;
  recordRelativeNumbers(conv, dir, frames, num, flags, seqRaw, ackRaw);
  const window = scaledWindow(fwd, flags, winRaw);
  if (syn) {
    recordSynWindowScale(conv, dir, flags, wsShift);
    recordAccEcnSetup(conv, flags);
  }
  const reused = syn && conversationReused() ? TcpAnalysis.ReusedPorts : 0;
  const analysis = recordSegment(st, conv, dir, num, rec.tsSec, rec.tsNsec, seqRaw, ackRaw, payloadLen, flags, window, reused);
  recordSackBlocks(fwd, sackAt ? sackEdges(b, sackAt) : NO_SACK_EDGES);
  if (payload) {
    // Retransmitted data and keep-alive bytes do not reach the payload protocol (dissectTcp).
    if (analysis & OLD_DATA) {
      protocol = 'TCP';
      payload = undefined;
    } else {
      payload.commit(state, conv.stream, num, rec.tsSec, rec.tsNsec);
      // A heuristic that took the payload binds the conversation (dissectConversationPayload).
      if (bindTo) {
        conv.payloadDissector = bindTo;
        conv.payloadDissectorFrom = num;
      }
    }
  }

  const r = laneSegment;
  r.stream = conv.stream;
  r.flags = flags;
  r.len = payloadLen;
  r.protocol = protocol;
  r.payload = payload ?? null;
  r.srcPort = sport;
  r.dstPort = dport;
  r.seq = frames.relSeq[num]!;
  r.ack = frames.relAck[num]!;
  r.win = window;
  r.analysis = analysis;
  r.src = srcText;
  r.dst = dstText;
  r.dupNum = segmentOut.dupNum;
  r.dupFrame = segmentOut.dupFrame;
  r.conv = conv;
  r.dir = dir;
  r.tcpOffset = tcpOff;
  r.tcpHeaderLength = hlen;
  return true;
}
