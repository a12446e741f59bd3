// TCP (RFC 9293) with its options (RFC 7323 timestamps and window scale, RFC 2018 SACK,
// RFC 7413 Fast Open, RFC 5925 TCP-AO, RFC 8684 Multipath TCP in mptcp.ts), stream index,
// relative sequence numbers, sequence analysis and reassembly of the PDUs its payload
// protocols ask for.

import { Columns, Packet, PacketFlag, type TcpSummary } from './packet.ts';
import type { LaneSegment } from './tcp-lane.ts';
import { F } from './tcp-fields.ts';
import { ipProtoTable, tcpHeuristics, tcpLanePayloads, tcpPortTable, type PayloadDissect, type TcpLanePayload } from './tables.ts';
import { GENERATED, type TreeSink } from './tree.ts';
import { MalformedError, Tvb } from './tvb.ts';
import { analysisExpert, analysisPrefix, dupAckOut, isTcpProblem, recordRelativeNumbers, recordSegment, recordSynWindowScale, scaledWindow, TcpAnalysis } from './tcp-analysis.ts';
import { tcpState, TcpConversation, WS_NONE, WS_UNKNOWN, type TcpState } from './tcp-conversation.ts';
import { dissectTcpFin, dissectTcpPayload } from './tcp-reassembly.ts';
import { dissectMptcpOption, finishMptcpPacket } from './mptcp.ts';

export { F };

const analysisFields: [number, keyof typeof F][] = [
  [TcpAnalysis.Retransmission, 'tcp.analysis.retransmission'],
  [TcpAnalysis.FastRetransmission, 'tcp.analysis.fast_retransmission'],
  [TcpAnalysis.SpuriousRetransmission, 'tcp.analysis.spurious_retransmission'],
  [TcpAnalysis.OutOfOrder, 'tcp.analysis.out_of_order'],
  [TcpAnalysis.LostPacket, 'tcp.analysis.lost_segment'],
  [TcpAnalysis.AckLostPacket, 'tcp.analysis.ack_lost_segment'],
  [TcpAnalysis.WindowUpdate, 'tcp.analysis.window_update'],
  [TcpAnalysis.WindowFull, 'tcp.analysis.window_full'],
  [TcpAnalysis.KeepAlive, 'tcp.analysis.keep_alive'],
  [TcpAnalysis.KeepAliveAck, 'tcp.analysis.keep_alive_ack'],
  [TcpAnalysis.DuplicateAck, 'tcp.analysis.duplicate_ack'],
  [TcpAnalysis.ZeroWindow, 'tcp.analysis.zero_window'],
  [TcpAnalysis.ZeroWindowProbe, 'tcp.analysis.zero_window_probe'],
  [TcpAnalysis.ZeroWindowProbeAck, 'tcp.analysis.zero_window_probe_ack'],
  [TcpAnalysis.ReusedPorts, 'tcp.analysis.reused_ports'],
];

/** 2^shift for the window scale shifts 0 … 14 (RFC 7323 §2.3). */

/** Segments whose payload is not new data for the payload protocol. */
export const OLD_DATA =
  TcpAnalysis.Retransmission | TcpAnalysis.FastRetransmission | TcpAnalysis.SpuriousRetransmission | TcpAnalysis.OutOfOrder | TcpAnalysis.KeepAlive;

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;
const URG = 0x20;

const FLAG_NAMES: [number, string][] = [
  [0x001, 'FIN'],
  [0x002, 'SYN'],
  [0x004, 'RST'],
  [0x008, 'PSH'],
  [0x010, 'ACK'],
  [0x020, 'URG'],
  [0x040, 'ECE'],
  [0x080, 'CWR'],
  [0x100, 'NS'],
];

/** "SYN, ACK" — tshark's flag list, in bit order, reserved bits named once. */
const flagTextCache = new Map<number, string>();
export function tcpFlagsText(flags: number): string {
  let s = flagTextCache.get(flags);
  if (s !== undefined) return s;
  const parts: string[] = [];
  for (const [bit, name] of FLAG_NAMES) if (flags & bit) parts.push(name);
  if (flags & 0xe00) parts.push('Reserved');
  s = parts.length ? parts.join(', ') : '<None>';
  flagTextCache.set(flags, s);
  return s;
}

/** Wireshark's compact flags string, e.g. "··········S·" for a SYN. */
function flagsStr(flags: number): string {
  const letters = 'RRRNCEUAPRSF';
  let s = '';
  for (let i = 0; i < 12; i++) {
    const bit = 1 << (11 - i);
    s += flags & bit ? letters[i] : '\u00b7';
  }
  return s;
}

/**
 * Walks the options (RFC 9293 §3.1, §3.2). A length of 0 or 1 for a kind that has a length,
 * or a length past the header, is malformed — reported, never looped on. `p` is null when only
 * the Info text is wanted (laneSegmentInfo: its segments carry no MPTCP option).
 */
function dissectOptions(tvb: Tvb, off: number, end: number, conv: TcpConversation, dir: 0 | 1, t: TreeSink | null, cols: Columns | null, p: Packet | null): number {
  let wsShift = -1;
  if (t) t.open(F['tcp.options'], tvb, off, end - off, tvb.bytes(off, Math.min(end - off, tvb.remaining(off))), `Options: (${end - off} bytes)`);
  try {
    while (off < end) {
      const kind = tvb.u8(off);
      if (kind === 0) {
        t?.text(tvb, off, 1, 'TCP Option - End of Option List (EOL)');
        break;
      }
      if (kind === 1) {
        t?.text(tvb, off, 1, 'TCP Option - No-Operation (NOP)');
        off++;
        continue;
      }
      if (off + 1 >= end) {
        t?.expert('error', `Option kind ${kind} has no length byte`, tvb, off, 1);
        throw new MalformedError('TCP option without length');
      }
      const len = tvb.u8(off + 1);
      if (len < 2 || off + len > end) {
        t?.expert('error', `Option length ${len} is invalid (kind ${kind})`, tvb, off, 2);
        // Wireshark stops option parsing here without failing the packet.
        break;
      }
      switch (kind) {
        case 2: // MSS, RFC 9293 §3.2
          if (len === 4) {
            const mss = tvb.u16(off + 2);
            cols?.appendInfo(` MSS=${mss}`);
            if (t) t.add(F['tcp.options.mss_val'], tvb, off, 4, mss, `TCP Option - Maximum segment size: ${mss} bytes`);
          }
          break;
        case 3: // Window scale, RFC 7323 §2
          if (len === 3) {
            wsShift = tvb.u8(off + 2);
            const mult = wsShift > 14 ? 1 << 14 : 1 << wsShift;
            cols?.appendInfo(` WS=${mult}`);
            if (t) t.add(F['tcp.options.wscale.shift'], tvb, off, 3, wsShift, `TCP Option - Window scale: ${wsShift} (multiply by ${mult})`);
          }
          break;
        case 4: // SACK permitted, RFC 2018 §2
          cols?.appendInfo(' SACK_PERM');
          if (t) t.add(F['tcp.options.sack_perm'], tvb, off, len, null, 'TCP Option - SACK permitted');
          break;
        case 5: {
          // SACK blocks, RFC 2018 §3; edges shown relative to the peer's base like tshark.
          const base = conv.flow(dir ^ 1).baseSeq;
          let label = 'TCP Option - SACK';
          for (let o = off + 2; o + 8 <= off + len; o += 8) {
            const le = (tvb.u32(o) - base) >>> 0;
            const re = (tvb.u32(o + 4) - base) >>> 0;
            cols?.appendInfo(` SLE=${le} SRE=${re}`);
            label += ` ${le}-${re}`;
          }
          if (t) {
            t.text(tvb, off, len, label, true);
            for (let o = off + 2; o + 8 <= off + len; o += 8) {
              t.add(F['tcp.options.sack_le'], tvb, o, 4, (tvb.u32(o) - base) >>> 0);
              t.add(F['tcp.options.sack_re'], tvb, o + 4, 4, (tvb.u32(o + 4) - base) >>> 0);
            }
            t.close();
          }
          break;
        }
        case 8: // Timestamps, RFC 7323 §3
          if (len === 10) {
            const tsval = tvb.u32(off + 2);
            const tsecr = tvb.u32(off + 6);
            cols?.appendInfo(` TSval=${tsval} TSecr=${tsecr}`);
            if (t) {
              t.text(tvb, off, 10, `TCP Option - Timestamps: TSval ${tsval}, TSecr ${tsecr}`, true);
              t.add(F['tcp.options.timestamp.tsval'], tvb, off + 2, 4, tsval);
              t.add(F['tcp.options.timestamp.tsecr'], tvb, off + 6, 4, tsecr);
              t.close();
            }
          }
          break;
        case 34: // TCP Fast Open cookie, RFC 7413 §4.1.1
          if (len === 2) {
            cols?.appendInfo(' TFO=R');
            t?.add(F['tcp.options.tfo.request'], tvb, off, 2, null, 'TCP Option - TFO: Cookie Request');
          } else {
            cols?.appendInfo(' TFO=C');
            t?.add(F['tcp.options.tfo.cookie'], tvb, off + 2, len - 2, tvb.bytes(off + 2, len - 2), 'TCP Option - TFO: Cookie');
          }
          break;
        case 253:
        case 254: // Experimental options (RFC 6994); magic 0xF989 is the pre-RFC Fast Open cookie.
          if (len >= 4 && tvb.u16(off + 2) === 0xf989) {
            cols?.appendInfo(len === 4 ? ' TFO=R' : ' TFO=C');
            t?.text(tvb, off, len, len === 4 ? 'TCP Option - TFO: Cookie Request (experimental)' : 'TCP Option - TFO: Cookie (experimental)');
          } else t?.text(tvb, off, len, `TCP Option - Experimental (kind ${kind}, ${len} bytes)`);
          break;
        case 29: // TCP-AO, RFC 5925 §2.2 — tshark appends "TCP AO" without a space.
          cols?.appendInfo('TCP AO');
          t?.text(tvb, off, len, 'TCP Option - TCP AO');
          break;
        case 30: // Multipath TCP, RFC 8684 §3: its own subtree (kind and length inside), mptcp.ts.
          if (p) {
            dissectMptcpOption(tvb.sub(off, len), p, conv, dir, t);
            off += len;
            continue;
          }
          break;
        default:
          t?.text(tvb, off, len, `TCP Option - Unknown (kind ${kind}, ${len} bytes)`);
      }
      t?.add(F['tcp.option_kind'], tvb, off, 1, kind);
      off += len;
    }
  } finally {
    t?.close();
  }
  return wsShift;
}

/** Set by findConversation: the SYN it just saw starts a new connection on a reused port pair. */
let lastReused = false;

/** Whether the conversation findConversation() just returned reuses the ports of a finished one. */
export function conversationReused(): boolean {
  return lastReused;
}

/**
 * The conversation of a segment from src:sport to dst:dport (frame `num`); in the first pass a
 * new one for a new connection (conversationReused() then tells whether it reuses the ports of
 * a finished one).
 */
export function findConversation(st: TcpState, src: string, sport: number, dst: string, dport: number, flags: number, seq: number, firstPass: boolean, num: number): TcpConversation {
  let conv = st.lookup(src, sport, dst, dport);
  lastReused = false;
  if (conv && firstPass && (flags & (SYN | ACK | RST)) === SYN) {
    // A new SYN on a pair we know: a new connection when the old one finished or the ISN differs
    // (Wireshark starts a new tcp.stream and flags "TCP Port numbers reused").
    const dir = conv.direction(src, sport);
    const f = conv.flow(dir);
    const done = conv.flow(0).finSeen || conv.flow(1).finSeen || conv.flow(0).rstSeen || conv.flow(1).rstSeen;
    if (f.baseSet && (done || (f.synSeen && f.baseSeq !== seq))) {
      conv = undefined;
      lastReused = true;
    }
  }
  if (!conv) {
    conv = new TcpConversation(st.conversations.length, src, sport, dst, dport, num, st.flows);
    st.conversations.push(conv);
    st.bind(conv);
  }
  return conv;
}

export function dissectTcp(tvb: Tvb, p: Packet): void {
  p.layers.push('tcp');
  p.cols.protocol = 'TCP';
  const sport = tvb.u16(0);
  const dport = tvb.u16(2);
  p.srcPort = sport;
  p.dstPort = dport;
  // The port pair goes into Info before anything can fail (tshark shows "58657 → 47645[Malformed
  // Packet]" for a short header); a whole header takes the cached text of its conversation below.
  const whole = tvb.has(0, 20);
  if (!whole) p.cols.setInfo(`${sport} \u2192 ${dport}`);
  const t = p.tree;
  const seqRaw = tvb.u32(4);
  const ackRaw = tvb.u32(8);
  const offFlags = tvb.u16(12);
  const hlen = (offFlags >> 12) * 4;
  const flags = offFlags & 0x0fff;
  const winRaw = tvb.u16(14);
  const payloadLen = Math.max(0, tvb.reportedLength - hlen);
  const st = tcpState.of(p.state);
  const frames = st.frames;
  const num = p.num;

  // --- conversation, relative numbers, window scaling, analysis (first pass) or replay ---
  let conv: TcpConversation;
  let relSeq: number;
  let relAck: number;
  let window: number;
  let analysis = 0;
  let dupNum = 0;
  let dupFrame = 0;
  let dir: 0 | 1;
  if (!p.visited) {
    conv = findConversation(st, p.netSrc, sport, p.netDst, dport, flags, seqRaw, true, num);
    dir = conv.direction(p.netSrc, sport);
    recordRelativeNumbers(conv, dir, frames, num, flags, seqRaw, ackRaw);
    relSeq = frames.relSeq[num]!;
    relAck = frames.relAck[num]!;
    if (lastReused) analysis |= TcpAnalysis.ReusedPorts;
  } else {
    frames.ensure(num);
    const stream = frames.streamOf(num);
    conv = st.conversations[stream] ?? findConversation(st, p.netSrc, sport, p.netDst, dport, flags, seqRaw, false, num);
    dir = conv.direction(p.netSrc, sport);
    relSeq = frames.relSeq[num]!;
    relAck = frames.relAck[num]!;
  }

  const cols = p.cols.enabled ? p.cols : null;
  if (whole) cols?.setInfo(conv.portsText(dir));
  const flagText = tcpFlagsText(flags);

  if (t) {
    t.open(F.proto, tvb, 0, hlen, null,
      `Transmission Control Protocol, Src Port: ${sport}, Dst Port: ${dport}, Seq: ${relSeq}` +
        (flags & ACK ? `, Ack: ${relAck}` : '') + `, Len: ${payloadLen}`);
    t.add(F['tcp.srcport'], tvb, 0, 2, sport);
    t.add(F['tcp.dstport'], tvb, 2, 2, dport);
    t.add(F['tcp.stream'], tvb, 0, GENERATED, conv.stream);
    t.add(F['tcp.len'], tvb, 0, GENERATED, payloadLen);
    t.add(F['tcp.seq'], tvb, 4, 4, relSeq, `Sequence Number: ${relSeq}    (relative sequence number)`);
    t.add(F['tcp.seq_raw'], tvb, 4, 4, seqRaw);
    t.add(F['tcp.ack'], tvb, 8, 4, relAck, `Acknowledgment Number: ${relAck}    (relative ack number)`);
    t.add(F['tcp.ack_raw'], tvb, 8, 4, ackRaw);
    t.add(F['tcp.hdr_len'], tvb, 12, 1, hlen, `${(hlen / 4).toString(2).padStart(4, '0')} .... = Header Length: ${hlen} bytes (${hlen / 4})`);
    t.open(F['tcp.flags'], tvb, 12, 2, flags, `Flags: 0x${flags.toString(16).padStart(3, '0')} (${flagText})`);
    t.add(F['tcp.flags.res'], tvb, 12, 1, (flags & 0xe00) !== 0);
    t.add(F['tcp.flags.ns'], tvb, 12, 1, (flags & 0x100) !== 0);
    t.add(F['tcp.flags.cwr'], tvb, 13, 1, (flags & 0x080) !== 0);
    t.add(F['tcp.flags.ece'], tvb, 13, 1, (flags & 0x040) !== 0);
    t.add(F['tcp.flags.urg'], tvb, 13, 1, (flags & 0x020) !== 0);
    t.add(F['tcp.flags.ack'], tvb, 13, 1, (flags & 0x010) !== 0);
    t.add(F['tcp.flags.push'], tvb, 13, 1, (flags & 0x008) !== 0);
    t.add(F['tcp.flags.reset'], tvb, 13, 1, (flags & 0x004) !== 0);
    t.add(F['tcp.flags.syn'], tvb, 13, 1, (flags & 0x002) !== 0);
    t.add(F['tcp.flags.fin'], tvb, 13, 1, (flags & 0x001) !== 0);
    t.add(F['tcp.flags.str'], tvb, 12, 2, flagsStr(flags), `[TCP Flags: ${flagsStr(flags)}]`);
    t.close();
  }

  if (hlen < 20) {
    // Wireshark reports this in Info and stops, without a Malformed exception.
    cols?.appendInfo(` [${flagText}] Seq=${relSeq}${flags & ACK ? ` Ack=${relAck}` : ''} Win=${winRaw}, bogus TCP header length (${hlen}, must be at least 20)`);
    t?.expert('error', `Bogus TCP header length (${hlen}, must be at least 20)`, tvb, 12, 1);
    t?.close();
    return;
  }

  const fwd = conv.flow(dir);
  if (!p.visited) {
    window = scaledWindow(fwd, flags, winRaw);
    // Stored now: a truncated option list below may end the first pass for this packet.
    frames.window[num] = window;
  } else {
    window = frames.window[num]!;
  }
  // Written before the options so that a truncated option list keeps what was understood.
  if (cols) {
    let info = ` [${flagText}] Seq=${relSeq}`;
    if (flags & ACK) info += ` Ack=${relAck}`;
    info += ` Win=${window}`;
    if (flags & URG) info += ` Urg=${tvb.u16(18)}`;
    cols.appendInfo(info + ` Len=${payloadLen}`);
  }
  if (t) {
    t.add(F['tcp.window_size_value'], tvb, 14, 2, winRaw);
    t.add(F['tcp.window_size'], tvb, 14, GENERATED, window);
    t.add(F['tcp.window_size_scalefactor'], tvb, 14, GENERATED,
      fwd.winScale === WS_UNKNOWN ? -1 : fwd.winScale === WS_NONE ? -2 : 2 ** fwd.winScale,
      `Window size scaling factor: ${fwd.winScale === WS_UNKNOWN ? '-1 (unknown)' : fwd.winScale === WS_NONE ? '-2 (no window scaling used)' : 2 ** fwd.winScale}`);
    t.add(F['tcp.checksum'], tvb, 16, 2, tvb.u16(16), `Checksum: 0x${tvb.u16(16).toString(16).padStart(4, '0')} [unverified]`);
    t.add(F['tcp.urgent_pointer'], tvb, 18, 2, tvb.u16(18));
  }
  const wsShift = hlen > 20 ? dissectOptions(tvb, 20, hlen, conv, dir, t, cols, p) : -1;

  if (!p.visited) {
    if (flags & SYN) recordSynWindowScale(conv, dir, flags, wsShift);
    analysis = recordSegment(conv, dir, frames, num, p.frame.tsSec * 1e9 + p.frame.tsNsec, seqRaw, ackRaw, payloadLen, flags, window, analysis);
    dupNum = dupAckOut.num;
    dupFrame = dupAckOut.frame;
  } else {
    analysis = frames.analysis[num]!;
    const d = frames.dupAck.get(num);
    if (d) [dupNum, dupFrame] = d;
  }

  const summary: TcpSummary = {
    stream: conv.stream,
    srcPort: sport,
    dstPort: dport,
    flags,
    seq: relSeq,
    ack: relAck,
    len: payloadLen,
    win: window,
    analysis,
  };
  p.tcp = summary;

  if (t) {
    if (payloadLen > 0 || flags & (SYN | FIN)) {
      t.add(F['tcp.nxtseq'], tvb, 0, GENERATED, (relSeq + payloadLen + (flags & (SYN | FIN) ? 1 : 0)) >>> 0);
    }
    if (analysis) {
      t.open(F['tcp.analysis.flags'], tvb, 0, GENERATED, null, '[TCP Analysis Flags]');
      for (const [bit, name] of analysisFields) if (analysis & bit) t.add(F[name], tvb, 0, GENERATED, null);
      if (dupNum) {
        t.add(F['tcp.analysis.duplicate_ack_num'], tvb, 0, GENERATED, dupNum);
        t.add(F['tcp.analysis.duplicate_ack_frame'], tvb, 0, GENERATED, dupFrame);
      }
      for (const [bit, sev, text] of analysisExpert) if (analysis & bit) t.expert(sev, text, tvb, 0, 0);
      t.close();
    }
  }
  // After the analysis, as in tshark: the MPTCP connection learns this packet's option subtypes.
  if (conv.mptcp) finishMptcpPacket(p, conv, tvb, t);

  if (analysis) {
    // Analysis labels go in front, behind a fence so a payload protocol cannot clear them.
    cols?.prependInfoFenced(analysisPrefix(analysis, dupNum, dupFrame));
    if (isTcpProblem(analysis)) p.flags |= PacketFlag.ExpertWarn;
  }
  t?.close();

  if (payloadLen === 0) {
    // A FIN may end a PDU that lasts until the connection closes (an HTTP body without length).
    if (flags & FIN) dissectTcpFin(p, conv, dir, dissectConversationPayload, tvb.sub(hlen));
    return;
  }
  const payload = tvb.sub(hlen);
  // RFC 1122 §4.2.2.12: a RST may carry data, perhaps text saying why. It is no protocol's
  // payload; tshark shows it as the reset cause.
  if (flags & RST) {
    if (t && payload.length > 0) t.add(F['tcp.reset_cause'], payload, 0, payload.length, payload.latin1(0, payload.length));
    return;
  }
  // Retransmitted data was dissected the first time, and a keep-alive byte is old data:
  // tshark does not hand either to the payload protocol again.
  if (analysis & OLD_DATA) {
    t?.add(F['tcp.payload'], payload, 0, payload.length, null,
      analysis & TcpAnalysis.KeepAlive ? `TCP keep-alive data (${payloadLen} bytes)` : `Retransmitted TCP segment data (${payloadLen} bytes)`);
    return;
  }
  dissectTcpPayload(payload, p, conv, dir, seqRaw, dissectConversationPayload);
}

/** Columns reused by bareSegmentInfo (one packet at a time). */
const laneColumns = new Columns();

/**
 * The Info text of a segment taken by the short lane (tcp-lane.ts), as dissectTcp and the
 * payload protocol write it: ports, flags, numbers, options, analysis labels in front (fenced),
 * then, for a message the payload protocol took, its text in place of the TCP part.
 */
export function laneSegmentInfo(a: LaneSegment, frame: Uint8Array): string {
  const conv = a.conv!;
  const cols = laneColumns;
  cols.reset();
  cols.setInfo(conv.portsText(a.dir));
  cols.appendInfo(` [${tcpFlagsText(a.flags)}] Seq=${a.seq}${a.flags & ACK ? ` Ack=${a.ack}` : ''} Win=${a.win} Len=${a.len}`);
  if (a.tcpHeaderLength > 20) {
    const end = a.tcpOffset + a.tcpHeaderLength;
    const tvb = new Tvb(frame, a.tcpOffset, end, end);
    dissectOptions(tvb, 20, a.tcpHeaderLength, conv, a.dir, null, cols, null);
  }
  if (a.analysis) cols.prependInfoFenced(analysisPrefix(a.analysis, a.dupNum, a.dupFrame));
  a.payload?.info(cols, frame, a.tcpOffset + a.tcpHeaderLength, a.len);
  return cols.info;
}

const byName = new Map<string, PayloadDissect>();
/** Lets payload protocols be named (for conversations bound to a protocol by a heuristic). */
export function registerTcpPayload(name: string, d: PayloadDissect): void {
  byName.set(name, d);
}

/**
 * The dissector dissectConversationPayload tries first for frame `num` of `conv`: the one a
 * heuristic bound the conversation to, else the lower port's, else the higher port's
 * (undefined: the heuristics come first).
 */
function firstPayloadDissector(conv: TcpConversation, num: number): PayloadDissect | undefined {
  const bound = conv.payloadDissector && num >= conv.payloadDissectorFrom ? byName.get(conv.payloadDissector) : undefined;
  if (bound) return bound;
  const low = conv.portA < conv.portB ? conv.portA : conv.portB;
  const high = conv.portA < conv.portB ? conv.portB : conv.portA;
  return tcpPortTable.get(low) ?? (low !== high ? tcpPortTable.get(high) : undefined);
}

/** What lanePayloadFor chose: the lane part, and the heuristic that binds the conversation ('' for none). */
const laneChoice = { part: undefined as TcpLanePayload | undefined, bind: '' };

/**
 * The lane part (tables.ts, TcpLanePayload) of the dissector dissectConversationPayload would
 * give frame `num`'s payload (bytes `off` to `off + len` of `b`) in the first pass, into
 * `laneChoice`; its part undefined when that is not plain without dissecting. With no bound
 * dissector and no port's, the heuristics are asked in order, as there: each must say it
 * leaves the bytes, until one says its lane part decides (then it binds the conversation).
 */
export function lanePayloadFor(conv: TcpConversation, num: number, b: Uint8Array, off: number, len: number): typeof laneChoice {
  const c = laneChoice;
  c.bind = '';
  c.part = undefined;
  const d = firstPayloadDissector(conv, num);
  if (d) {
    c.part = tcpLanePayloads.get(d);
    return c;
  }
  if (conv.payloadDissector) return c; // bound to a name without a dissector: not plain
  for (const h of tcpHeuristics) {
    const r = h.laneTest?.(b, off, len) ?? 'unknown';
    if (r === 'no') continue;
    if (r === 'lane' && h.lane) {
      c.part = h.lane;
      c.bind = h.name;
    }
    break;
  }
  return c;
}

/** Port tables first (lower port first, as Wireshark), then heuristics (see ConversationDissect). */
function dissectConversationPayload(conv: TcpConversation, tvb: Tvb, p: Packet): boolean {
  // A heuristic binds the conversation from the frame where it matched: a re-dissection of an
  // earlier frame must not use it.
  if (conv.payloadDissector && p.num >= conv.payloadDissectorFrom) {
    const d = byName.get(conv.payloadDissector);
    if (d && d(tvb, p)) return true;
  }
  const sport = conv.portA;
  const dport = conv.portB;
  const low = sport < dport ? sport : dport;
  const high = sport < dport ? dport : sport;
  const a = tcpPortTable.get(low);
  if (a && a(tvb, p)) return true;
  const b = low !== high ? tcpPortTable.get(high) : undefined;
  if (b && b(tvb, p)) return true;
  for (const h of tcpHeuristics) {
    if (h.dissect(tvb, p)) {
      if (!p.visited && !conv.payloadDissector) {
        conv.payloadDissector = h.name;
        conv.payloadDissectorFrom = p.num;
      }
      return true;
    }
  }
  return false;
}

ipProtoTable.add(6, dissectTcp);
