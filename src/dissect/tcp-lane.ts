// The first pass's short lane for the commonest packets of a capture: a bare TCP SYN, SYN-ACK,
// acknowledgement or FIN (Ethernet II, IPv4 without options or fragmentation, no payload; an ACK
// or FIN of a conversation already seen). Such a packet needs no payload protocol and no tree; the lane
// reads its headers straight from the bytes and updates exactly the state dissectTcp's first pass
// updates (relative numbers, window, sequence analysis, per-frame table), without a Packet, its
// columns, layers and Tvbs. Any packet that is not plainly one of these goes the full way
// (dissectFrame), and so does every re-dissection: tcp-lane.test.ts and the corpus test check
// that both ways give the same rows, columns and details.

import type { PacketRecord } from '../capture/types.ts';
import type { CaptureState } from './packet.ts';
import { ipv4Text } from './ip.ts';
import { dupAckOut, recordSegment, TcpAnalysis } from './tcp-analysis.ts';
import { tcpState, WS_NONE, WS_UNKNOWN, type TcpConversation } from './tcp-conversation.ts';
import { conversationReused, findConversation } from './tcp.ts';

const LINKTYPE_ETHERNET = 1;
const ETH = 14;
const IP = ETH + 20;
const ACK = 0x010;
const FIN = 0x001;
const SYN = 0x002;

/** What the lane found for the packet it took (one reused object, read at once by the caller). */
export interface LaneAck {
  stream: number;
  /** SYN, SYN + ACK, ACK, or FIN + ACK. */
  flags: number;
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
  /** TCP analysis found a problem (PacketFlag.ExpertWarn in the full path). */
  expertWarn: boolean;
  /** Duplicate-ACK number and the frame of the original ACK (0 when not a duplicate). */
  dupNum: number;
  dupFrame: number;
  /** For the Info text (bareSegmentInfo): the conversation, the direction, the TCP header. */
  conv: TcpConversation | null;
  dir: 0 | 1;
  /** Offset of the TCP header in the frame and its length. */
  tcpOffset: number;
  tcpHeaderLength: number;
}

export const laneAck: LaneAck = {
  stream: 0, flags: 0, srcPort: 0, dstPort: 0, seq: 0, ack: 0, win: 0, analysis: 0, src: '', dst: '', expertWarn: false,
  dupNum: 0, dupFrame: 0, conv: null, dir: 0, tcpOffset: IP, tcpHeaderLength: 20,
};

/** Analysis flags that do not make a packet "bad TCP" (as in dissectTcp). */
const BENIGN = TcpAnalysis.WindowUpdate | TcpAnalysis.KeepAlive | TcpAnalysis.KeepAliveAck;

/**
 * Takes frame `num` (first pass only) when it is a bare SYN or SYN-ACK, or a bare ACK or FIN of
 * a known conversation: updates the TCP state, fills `laneAck` and returns true. Returns false,
 * having changed nothing, otherwise.
 */
export function tcpAckLane(state: CaptureState, num: number, rec: PacketRecord): boolean {
  if (rec.linkType !== LINKTYPE_ETHERNET) return false;
  const b = rec.data;
  const cap = b.length;
  if (cap < IP + 20) return false;
  // EtherType IPv4 (no VLAN tag), version 4 with a 20-byte header, TCP.
  if (b[12] !== 0x08 || b[13] !== 0x00 || b[ETH] !== 0x45 || b[ETH + 9] !== 6) return false;
  // Neither a fragment nor more fragments (RFC 791 §3.1); the datagram wholly captured.
  if ((b[ETH + 6]! & 0x3f) !== 0 || b[ETH + 7] !== 0) return false;
  const totalLen = (b[ETH + 2]! << 8) | b[ETH + 3]!;
  if (totalLen < 40 || ETH + totalLen > cap) return false;
  // TCP: SYN, SYN + ACK, ACK or FIN + ACK, and no payload (RFC 9293 §3.1).
  const hlen = (b[IP + 12]! >> 4) * 4;
  if (hlen < 20 || totalLen !== 20 + hlen) return false;
  const flags = ((b[IP + 12]! & 0x0f) << 8) | b[IP + 13]!;
  const syn = flags === SYN || flags === (SYN | ACK);
  if (!syn && flags !== ACK && flags !== (FIN | ACK)) return false;
  // Options that the full path walks without an error (a kind without its length byte is one),
  // and the window scale a SYN announces (RFC 7323 §2.2; the last one counts, as there).
  let wsShift = -1;
  for (let off = IP + 20, end = IP + hlen; off < end; ) {
    const kind = b[off]!;
    if (kind === 0) break;
    if (kind === 1) {
      off++;
      continue;
    }
    if (off + 1 >= end) return false;
    const len = b[off + 1]!;
    if (len < 2 || off + len > end) break;
    if (kind === 3 && len === 3) wsShift = b[off + 2]!;
    off += len;
  }

  const src = ((b[ETH + 12]! << 24) | (b[ETH + 13]! << 16) | (b[ETH + 14]! << 8) | b[ETH + 15]!) >>> 0;
  const dst = ((b[ETH + 16]! << 24) | (b[ETH + 17]! << 16) | (b[ETH + 18]! << 8) | b[ETH + 19]!) >>> 0;
  const sport = (b[IP]! << 8) | b[IP + 1]!;
  const dport = (b[IP + 2]! << 8) | b[IP + 3]!;
  const srcText = ipv4Text(src);
  const dstText = ipv4Text(dst);
  const st = tcpState.of(state);
  const seqRaw = ((b[IP + 4]! << 24) | (b[IP + 5]! << 16) | (b[IP + 6]! << 8) | b[IP + 7]!) >>> 0;
  // A SYN finds or starts its conversation as dissectTcp does; an ACK or FIN needs a known one.
  const conv = syn ? findConversation(st, srcText, sport, dstText, dport, flags, seqRaw, true, num) : st.lookup(srcText, sport, dstText, dport);
  if (!conv) return false;

  // From here on, what dissectTcp's first pass does for this packet.
  const ackRaw = ((b[IP + 8]! << 24) | (b[IP + 9]! << 16) | (b[IP + 10]! << 8) | b[IP + 11]!) >>> 0;
  const winRaw = (b[IP + 14]! << 8) | b[IP + 15]!;
  const dir = conv.direction(srcText, sport);
  const fwd = conv.flows[dir];
  const rev = conv.flows[dir ^ 1]!;
  // A FIN that ends a PDU lasting until the connection closes goes to the payload protocol.
  if (flags & FIN && fwd.pending?.untilFin) return false;
  // Relative numbers start at 0 on a SYN, at 1 otherwise (tshark's default).
  if (!fwd.baseSet) {
    fwd.baseSeq = syn ? seqRaw : (seqRaw - 1) >>> 0;
    fwd.baseSet = true;
  }
  if (!rev.baseSet && flags & ACK) {
    rev.baseSeq = (ackRaw - 1) >>> 0;
    rev.baseSet = true;
  }
  const relSeq = (seqRaw - fwd.baseSeq) >>> 0;
  const relAck = flags & ACK ? (ackRaw - rev.baseSeq) >>> 0 : 0;
  const frames = st.frames;
  frames.ensure(num);
  frames.stream[num] = conv.stream;
  frames.relSeq[num] = relSeq;
  frames.relAck[num] = relAck;
  // The window of a SYN is never scaled (RFC 7323 §2.2).
  const window = syn || fwd.winScale < 0 ? winRaw : winRaw * 2 ** fwd.winScale;
  if (syn) {
    fwd.synSeen = true;
    // Scaling is in effect only when both SYNs carried the option.
    if (wsShift >= 0) fwd.winScale = Math.min(wsShift, 14);
    if (fwd.winScale === WS_UNKNOWN) fwd.winScale = rev.winScale = WS_NONE;
    else if (flags & ACK && rev.winScale === WS_NONE) fwd.winScale = WS_NONE;
  }
  const reused = syn && conversationReused() ? TcpAnalysis.ReusedPorts : 0;
  const analysis = recordSegment(conv, dir, frames, num, rec.tsSec * 1e9 + rec.tsNsec, seqRaw, ackRaw, 0, flags, window, reused);

  const r = laneAck;
  r.stream = conv.stream;
  r.flags = flags;
  r.srcPort = sport;
  r.dstPort = dport;
  r.seq = relSeq;
  r.ack = relAck;
  r.win = window;
  r.analysis = analysis;
  r.src = srcText;
  r.dst = dstText;
  r.expertWarn = (analysis & ~BENIGN) !== 0;
  r.dupNum = dupAckOut.num;
  r.dupFrame = dupAckOut.frame;
  r.conv = conv;
  r.dir = dir;
  r.tcpHeaderLength = hlen;
  return true;
}
