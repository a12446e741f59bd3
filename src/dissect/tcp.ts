// TCP (RFC 9293) with its options (RFC 7323 timestamps and window scale, RFC 2018 SACK,
// RFC 7413 Fast Open, RFC 5925 TCP-AO, RFC 8684 Multipath TCP in mptcp.ts), stream index,
// relative sequence numbers, sequence analysis and reassembly of the PDUs its payload
// protocols ask for.

import { Columns, Packet, PacketFlag, type TcpSummary } from './packet.ts';
import type { LaneSegment } from './tcp-lane.ts';
import { F } from './tcp-fields.ts';
import type { FieldDef } from './registry.ts';
import { ipProtoTable, tcpHeuristics, tcpLanePayloads, tcpPortTable, type PayloadDissect, type TcpLanePayload } from './tables.ts';
import { expertItem, GENERATED, type TreeSink } from './tree.ts';
import { MalformedError, Tvb } from './tvb.ts';
import { nsText } from './text.ts';
import { dissectData } from './data.ts';
import { analysisPrefix, completenessText, segmentOut, isTcpProblem, recordAccEcnSetup, recordRelativeNumbers, recordSynWindowScale, scaledWindow, TcpAnalysis } from './tcp-analysis.ts';
import { recordSegment } from './tcp-record.ts';
import { NO_SACK_EDGES, recordSackBlocks, seqAckTree } from './tcp-seqack.ts';
import { tcpState, TcpConversation, WS_NONE, WS_UNKNOWN, type TcpState } from './tcp-conversation.ts';
import { dissectTcpFin, dissectTcpPayload, tcpPayloadLine } from './tcp-reassembly.ts';
import { dissectMptcpOption, finishMptcpPacket } from './mptcp.ts';

export { F };

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
  [0x100, 'AE'],
];

/** The ACE counter of Accurate ECN (RFC 9768 §3.2): AE, CWR and ECE read as one 3-bit number. */
function aceOf(flags: number): number {
  return (flags >> 6) & 7;
}

/** Flags text by flags (12 bits) + 0x1000 when the ACE counter shows: an array, read for every segment. */
const flagTextCache: (string | undefined)[] = new Array<string | undefined>(0x2000).fill(undefined);

/**
 * "SYN, ACK" — tshark's flag list, in bit order, reserved bits named once; with Accurate ECN in
 * use, the three ECN bits as "ACE=n" instead.
 */
export function tcpFlagsText(flags: number, ace = false): string {
  const key = ace ? flags | 0x1000 : flags;
  let s = flagTextCache[key];
  if (s !== undefined) return s;
  const parts: string[] = [];
  for (const [bit, name] of FLAG_NAMES) if (flags & bit && (!ace || bit < 0x040)) parts.push(name);
  if (ace) parts.push(`ACE=${aceOf(flags)}`);
  if (flags & 0xe00) parts.push('Reserved');
  s = parts.length ? parts.join(', ') : '<None>';
  flagTextCache[key] = s;
  return s;
}

/** Wireshark's compact flags string, e.g. "··········S·" for a SYN ("-n-" for the ACE counter). */
function flagsStr(flags: number, ace: boolean): string {
  const letters = 'RRRACEUAPRSF';
  let s = '';
  for (let i = 0; i < 12; i++) {
    if (ace && i >= 3 && i <= 5) {
      s += i === 4 ? String(aceOf(flags)) : '-';
      continue;
    }
    const bit = 1 << (11 - i);
    s += flags & bit ? letters[i] : '\u00b7';
  }
  return s;
}

/**
 * The options tshark knows: the name it lists in the Options line ("Options: (20 bytes), Maximum
 * segment size, …") and the item each one is (its display-filter name).
 */
/** The SACK edges of the header being walked (dissectOptions does not nest). */
const SACK_EDGES: number[] = [];

const OPTIONS: Record<number, [name: string, field: string]> = {
  0: ['End of Option List (EOL)', 'eol'], 1: ['No-Operation (NOP)', 'nop'], 2: ['Maximum segment size', 'mss'],
  3: ['Window scale', 'wscale'], 4: ['SACK permitted', 'sack_perm'], 5: ['SACK', 'sack'], 6: ['Echo', 'echo'],
  7: ['Echo reply', 'echoreply'], 8: ['Timestamps', 'timestamp'], 11: ['CC', 'cc'], 12: ['CC.NEW', 'ccnew'],
  13: ['CC.ECHO', 'ccecho'], 19: ['TCP MD5 signature', 'md5'], 20: ['SCPS capabilities', 'scps'],
  21: ['Selective Negative Acknowledgment', 'snack'], 22: ['SCPS record boundary', 'scpsrec'],
  23: ['SCPS corruption experienced', 'scpscor'], 27: ['Quick-Start', 'qs'], 28: ['User Timeout', 'user_to'],
  29: ['TCP AO', 'ao'], 30: ['MPTCP', ''], 34: ['TCP Fast Open', 'tfo'], 76: ['Riverbed Probe', 'rvbd.probe'],
  78: ['Riverbed Transparency', 'rvbd.trpy'], 172: ['Accurate ECN', 'acc_ecn'], 174: ['Accurate ECN', 'acc_ecn'],
  253: ['Experimental', 'experimental'], 254: ['Experimental', 'experimental'],
};

/** The name tshark lists an option kind by ("Unknown (0x63)" for one it does not know). */
function optionName(kind: number): string {
  return OPTIONS[kind]?.[0] ?? `Unknown (0x${kind.toString(16).padStart(2, '0')})`;
}

/** The item of an option kind ("tcp.options.mss"), tcp.options.unknown for a kind tshark does not know. */
function optionField(kind: number): FieldDef {
  const field = OPTIONS[kind]?.[1];
  return F[`tcp.options.${field || 'unknown'}` as 'tcp.options.unknown'];
}

const plural = (n: number) => (n === 1 ? '' : 's');



/**
 * Walks the options (RFC 9293 §3.1, §3.2) and lays them out as tshark does: each option a subtree
 * with its kind and length, the Options line listing their names. A length byte missing, too
 * short or past the header ends the walk with a note, as in tshark, never a loop. `p` is null
 * when only the Info text is wanted (laneSegmentInfo: its segments carry no MPTCP option).
 */
function dissectOptions(tvb: Tvb, off: number, end: number, conv: TcpConversation, dir: 0 | 1, t: TreeSink | null, cols: Columns | null, p: Packet | null, flags = 0, relAck = 0): number {
  let wsShift = -1;
  if (t) t.open(F['tcp.options'], tvb, off, end - off, tvb.bytes(off, Math.min(end - off, tvb.remaining(off))), `Options: (${end - off} bytes)`);
  // SACK edges of the whole header, for tshark's D-SACK test (RFC 2883 §4); one array reused.
  const sackEdges = SACK_EDGES;
  sackEdges.length = 0;
  try {
    let eolSeen = false;
    let mssSeen = false;
    let nops = 0;
    while (off < end) {
      const kind = tvb.u8(off);
      if (eolSeen && kind !== 0) {
        if (t) expertItem(t, 'error', 'Non-zero header padding', tvb, off, end - off, 'Protocol');
        break;
      }
      if (kind === 0 || kind === 1) {
        if (t) {
          const name = OPTIONS[kind]![0];
          // RFC 7323 App. A: options are padded to 32 bits; four NOPs in a word mean a middlebox removed one.
          if (kind === 1 && (nops === 0 || off % 4)) {
            if (++nops === 4) t.expert('warn', '4 NOP in a row - a router may have removed some options', tvb, off, 1, 'Protocol');
          } else nops = 0;
          const f = optionField(kind);
          t.open(f, tvb, off, 1, tvb.bytes(off, 1), f.name);
          t.add(F['tcp.option_kind'], tvb, off, 1, kind);
          t.close();
          t.appendLabel(`, ${name}`);
        }
        if (kind === 0) eolSeen = true;
        off++;
        continue;
      }
      if (off + 1 >= end) {
        if (t) expertItem(t, 'note', `${optionName(kind)} (length byte past end of options)`, tvb, off, 1, 'Sequence');
        break;
      }
      const len = tvb.u8(off + 1);
      if (len < 2) {
        if (t) expertItem(t, 'note', `${optionName(kind)} (with too-short option length = ${len} byte${plural(len)})`, tvb, off, 2, 'Sequence');
        break;
      }
      if (off + len > end) {
        if (t) expertItem(t, 'note', `${optionName(kind)} (option length = ${len} byte${plural(len)} says option goes past end of options)`, tvb, off, end - off, 'Sequence');
        break;
      }
      if (kind === 2) mssSeen = true;
      if (kind === 30) {
        // Multipath TCP, RFC 8684 §3: its own subtree (kind and length inside), mptcp.ts.
        if (p) dissectMptcpOption(tvb.sub(off, len), p, conv, dir, t);
      } else if (kind === 3) {
        const shift = option(tvb, off, kind, len, t, cols, conv, dir, flags, relAck, sackEdges);
        if (shift >= 0) wsShift = shift;
      } else {
        option(tvb, off, kind, len, t, cols, conv, dir, flags, relAck, sackEdges);
      }
      if (kind === 172 || kind === 174 || (kind >= 253 && len >= 4 && (tvb.u16(off + 2) & 0xfffe) === 0xacc0)) {
        if (p && !p.visited && accEcnValid(kind, len) && !conv.accEcnOptionFrame) conv.accEcnOptionFrame = p.num;
      }
      t?.appendLabel(`, ${optionName(kind)}`);
      off += len;
    }
    if (t && flags & SYN && !mssSeen) t.expert('note', 'The SYN packet does not contain a MSS option', tvb, 0, 0, 'Protocol');
  } finally {
    t?.close();
  }
  return wsShift;
}

/** True for an AccECN option of a length tshark reads (RFC 9768 §3.2.3; the experimental form has 2 more bytes). */
function accEcnValid(kind: number, len: number): boolean {
  const data = kind >= 253 ? len - 4 : len - 2;
  return data === 0 || data === 3 || data === 6 || data === 9;
}

/** AccECN byte counters (RFC 9768 §3.2.3): EE0B, ECEB, EE1B in order 0; EE1B, ECEB, EE0B in order 1. */
function accEcnCounters(tvb: Tvb, base: number, len: number, at: number, order0: boolean, t: TreeSink | null, cols: Columns | null): void {
  const names = order0 ? ['ee0b', 'eceb', 'ee1b'] as const : ['ee1b', 'eceb', 'ee0b'] as const;
  const n = (len - at) / 3;
  if (n === 0) cols?.appendInfo(' AccECN');
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = tvb.u24(base + at + 3 * i);
    const abbrev = names[i]!.toUpperCase();
    cols?.appendInfo(` ${abbrev}=${v}`);
    parts.push(`${abbrev} ${v}`);
    t?.add(F[`tcp.options.acc_ecn.${names[i]!}`], tvb, base + at + 3 * i, 3, v);
  }
  if (t && n > 0) t.appendLabel(` (Order ${order0 ? 0 : 1}): ${parts.join(', ')}`);
}

/** An option's own item (its label gets the value appended: "TCP Option - Window scale: 7 (multiply by 128)") and its Kind. */
function optionHead(t: TreeSink | null, tvb: Tvb, base: number, kind: number, len: number): void {
  if (!t) return;
  const f = optionField(kind);
  t.open(f, tvb, base, len, tvb.bytes(base, Math.min(len, tvb.remaining(base))), f.name);
  t.add(F['tcp.option_kind'], tvb, base, 1, kind, F['tcp.option_kind'].vals!.has(kind) ? undefined : `Kind: Unknown (${kind})`);
}

/**
 * The Length line; false, with tshark's note on it, when the option must have another length
 * (`expected` -1: any). Module-level, not a closure: it runs for every option of every packet.
 */
function optionLength(t: TreeSink | null, tvb: Tvb, base: number, len: number, expected: number): boolean {
  const ok = expected < 0 || len === expected;
  if (t) {
    if (ok) t.add(F['tcp.option_len'], tvb, base + 1, 1, len);
    else {
      t.open(F['tcp.option_len'], tvb, base + 1, 1, len);
      t.expert('note', `option length should be ${expected}`, tvb, base + 1, 1, 'Sequence');
      t.close();
    }
  }
  return ok;
}

/**
 * One option with a length, its subtree as tshark builds it: "TCP Option - <name>[: value]" over
 * Kind, Length and the option's fields; a length other than the option's own is a note on the
 * Length line and the value is not read (nor written to Info), as in tshark. Returns the window
 * scale shift for a WS option, else -1.
 */
function option(tvb: Tvb, base: number, kind: number, len: number, t: TreeSink | null, cols: Columns | null, conv: TcpConversation, dir: 0 | 1, flags: number, relAck: number, sackEdges: number[]): number {
  let shiftOut = -1;
  switch (kind) {
    case 2: { // MSS, RFC 9293 §3.2
      optionHead(t, tvb, base, kind, len);
      // RFC 9293 §3.7.1: sent only on a SYN.
      if (!(flags & SYN)) t?.expert('warn', 'The non-SYN packet does contain a MSS option', tvb, base, len, 'Protocol');
      if (!optionLength(t, tvb, base, len, 4)) break;
      const mss = tvb.u16(base + 2);
      cols?.appendInfo(` MSS=${mss}`);
      if (t) {
        t.add(F['tcp.options.mss_val'], tvb, base + 2, 2, mss);
        t.appendLabel(`: ${mss} bytes`);
      }
      break;
    }
    case 3: { // Window scale, RFC 7323 §2.2-2.3: a shift above 14 counts as 14
      optionHead(t, tvb, base, kind, len);
      if (!optionLength(t, tvb, base, len, 3)) break;
      const shift = tvb.u8(base + 2);
      shiftOut = shift;
      const mult = 1 << Math.min(shift, 14);
      cols?.appendInfo(` WS=${mult}`);
      if (t) {
        if (shift > 14) {
          t.open(F['tcp.options.wscale.shift'], tvb, base + 2, 1, shift);
          t.expert('warn', 'Window scale shift exceeds 14', tvb, base + 2, 1, 'Protocol');
          t.close();
        } else t.add(F['tcp.options.wscale.shift'], tvb, base + 2, 1, shift);
        t.add(F['tcp.options.wscale.multiplier'], tvb, base + 2, GENERATED, mult);
        t.appendLabel(`: ${shift} (multiply by ${mult})`);
      }
      break;
    }
    case 4: // SACK permitted, RFC 2018 §2
      optionHead(t, tvb, base, kind, len);
      cols?.appendInfo(' SACK_PERM');
      optionLength(t, tvb, base, len, 2);
      break;
    case 5: { // SACK blocks, RFC 2018 §3; edges relative to the peer's base, as tshark shows them
      optionHead(t, tvb, base, kind, len);
      optionLength(t, tvb, base, len, -1);
      const peerBase = conv.flow(dir ^ 1).baseSeq;
      let n = 0;
      let o = 2;
      for (; o < len; o += 8) {
        if (len - o < 4) {
          if (t) expertItem(t, 'error', 'suboption would go past end of option', tvb, base + o, len - o, 'Malformed');
          break;
        }
        const le = (tvb.u32(base + o) - peerBase) >>> 0;
        t?.add(F['tcp.options.sack_le'], tvb, base + o, 4, le, `left edge = ${le} (relative)`);
        if (len - o - 4 < 4) {
          if (t) expertItem(t, 'error', 'suboption would go past end of option', tvb, base + o, len - o - 4, 'Malformed');
          break;
        }
        const re = (tvb.u32(base + o + 4) - peerBase) >>> 0;
        t?.add(F['tcp.options.sack_re'], tvb, base + o + 4, 4, re, `right edge = ${re} (relative)`);
        cols?.appendInfo(` SLE=${le} SRE=${re}`);
        sackEdges.push(le, re);
        t?.appendLabel(` ${le}-${re}`);
        n++;
      }
      t?.add(F['tcp.options.sack.count'], tvb, base, GENERATED, n);
      // RFC 2883 §4: a first block at or below the ACK, or inside the second block, reports a
      // duplicate. tshark then shows the first block of this option again, read from its bytes:
      // an option too short to hold it makes the packet malformed, in the packet list too.
      const re0 = sackEdges.length >= 2 ? sackEdges[1]! : 0;
      const dsack = ((re0 - relAck) | 0) <= 0 ||
        (sackEdges.length >= 4 && ((sackEdges[2]! - re0) | 0) < 0 && ((sackEdges[3]! - re0) | 0) >= 0);
      if (dsack) {
        // tshark reads both edges from the option's own bytes: past its end is a malformed packet.
        if (len < 6) throw new MalformedError('D-SACK edge past the end of the SACK option');
        const le = (tvb.u32(base + 2) - peerBase) >>> 0;
        t?.add(F['tcp.options.sack.dsack_le'], tvb, base + 2, GENERATED, le, `D-SACK Left Edge = ${le} (relative)`);
        if (len < 10) throw new MalformedError('D-SACK edge past the end of the SACK option');
        const re = (tvb.u32(base + 6) - peerBase) >>> 0;
        t?.add(F['tcp.options.sack.dsack_re'], tvb, base + 6, GENERATED, re, `D-SACK Right Edge = ${re} (relative)`);
        if (t) expertItem(t, 'warn', 'D-SACK Sequence', tvb, base + 2, 8, 'Sequence');
      }
      break;
    }
    case 8: { // Timestamps, RFC 7323 §3.2
      optionHead(t, tvb, base, kind, len);
      if (!optionLength(t, tvb, base, len, 10)) break;
      const tsval = tvb.u32(base + 2);
      const tsecr = tvb.u32(base + 6);
      cols?.appendInfo(` TSval=${tsval} TSecr=${tsecr}`);
      if (t) {
        t.add(F['tcp.options.timestamp.tsval'], tvb, base + 2, 4, tsval);
        t.add(F['tcp.options.timestamp.tsecr'], tvb, base + 6, 4, tsecr);
        t.appendLabel(`: TSval ${tsval}, TSecr ${tsecr}`);
      }
      break;
    }
    case 19: // TCP MD5 signature, RFC 2385 §3.0
      optionHead(t, tvb, base, kind, len);
      cols?.appendInfo(' MD5');
      if (optionLength(t, tvb, base, len, 18)) t?.add(F['tcp.options.md5.digest'], tvb, base + 2, 16, tvb.bytes(base + 2, 16));
      break;
    case 28: { // User Timeout, RFC 5482 §2
      optionHead(t, tvb, base, kind, len);
      if (!optionLength(t, tvb, base, len, 4)) break;
      const v = tvb.u16(base + 2);
      t?.add(F['tcp.options.user_to_granularity'], tvb, base + 2, 2, (v & 0x8000) !== 0);
      t?.add(F['tcp.options.user_to_val'], tvb, base + 2, 2, v & 0x7fff);
      cols?.appendInfo(` USER_TO=${v & 0x7fff}`);
      break;
    }
    case 29: // TCP-AO, RFC 5925 §2.2 — tshark appends "TCP AO" without a space.
      optionHead(t, tvb, base, kind, len);
      cols?.appendInfo('TCP AO');
      optionLength(t, tvb, base, len, -1);
      break;
    case 34: // TCP Fast Open cookie, RFC 7413 §4.1.1
      optionHead(t, tvb, base, kind, len);
      optionLength(t, tvb, base, len, -1);
      fastOpen(tvb, base, len, 2, t, cols, flags);
      break;
    case 172:
    case 174: // Accurate ECN, RFC 9768 §3.2.3: byte counters, in two orders.
      optionHead(t, tvb, base, kind, len);
      if (optionLength(t, tvb, base, len, -1) && !accEcnValid(kind, len)) {
        t?.expert('note', `option length should be 2, 5, 8, or 11 instead of ${len}`, tvb, base + 1, 1, 'Sequence');
      } else accEcnCounters(tvb, base, len, 2, kind === 172, t, cols);
      break;
    case 253:
    case 254: { // Experimental (RFC 4727), with an experiment identifier (RFC 6994 §2)
      optionHead(t, tvb, base, kind, len);
      optionLength(t, tvb, base, len, -1);
      if (len < 4) {
        t?.expert('note', `option length ${len} smaller than 4`, tvb, base + 1, 1, 'Sequence');
        break;
      }
      const exid = tvb.u16(base + 2);
      const exName = F['tcp.options.experimental.exid'].vals!.get(exid);
      t?.add(F['tcp.options.experimental.exid'], tvb, base + 2, 2, exid, exName ? undefined : `Experiment Identifier: Unknown (0x${exid.toString(16).padStart(4, '0')})`);
      t?.appendLabel(`: ${exName ?? 'Unknown'}`);
      if (exid === 0x00ac) {
        // TCP ACK Rate Request (draft-gomez-tcpm-ack-rate-request)
        if (len === 4) cols?.appendInfo(' TARR');
        else if (len === 5) {
          const rate = tvb.u8(base + 4) >> 1;
          cols?.appendInfo(` TARR=${rate}`);
          t?.appendLabel(` ${rate}`);
        } else t?.expert('note', `option length should be 4 or 5 instead of ${len}`, tvb, base + 1, 1, 'Sequence');
      } else if (exid === 0xacc0 || exid === 0xacc1) {
        if (!accEcnValid(kind, len)) t?.expert('note', `option length should be 4, 7, 10, or 13 instead of ${len}`, tvb, base + 1, 1, 'Sequence');
        else {
          t?.appendLabel(': Accurate ECN');
          accEcnCounters(tvb, base, len, 4, exid === 0xacc0, t, cols);
        }
      } else if (exid === 0xf989) {
        fastOpen(tvb, base, len, 4, t, cols, flags);
      } else {
        if (len > 4) t?.add(F['tcp.options.experimental.data'], tvb, base + 4, len - 4, tvb.bytes(base + 4, len - 4));
        cols?.appendInfo(` ExID=${exid.toString(16).toUpperCase()}`);
      }
      break;
    }
    default:
      // Known to tshark but not decoded here: its kind and length; unknown: the payload too.
      optionHead(t, tvb, base, kind, len);
      optionLength(t, tvb, base, len, -1);
      if (!OPTIONS[kind] && len > 2) t?.add(F['tcp.options.unknown.payload'], tvb, base + 2, len - 2, tvb.bytes(base + 2, Math.min(len - 2, tvb.remaining(base + 2))));
  }
  // Every case ends its subtree here; an exception leaves it to frame.ts to close.
  t?.close();
  return shiftOut;
}

/** A Fast Open cookie or cookie request (RFC 7413 §4.1.1), from `at` in the option. */
function fastOpen(tvb: Tvb, base: number, len: number, at: number, t: TreeSink | null, cols: Columns | null, flags: number): void {
  const n = len - at;
  if (n === 0) {
    cols?.appendInfo(' TFO=R');
    t?.add(F['tcp.options.tfo.request'], tvb, base + at - 2, 2, null);
  } else if (n > 0) {
    cols?.appendInfo(' TFO=C');
    if (t) {
      const syn = (flags & (SYN | ACK)) === SYN;
      if (syn) t.open(F['tcp.options.tfo.cookie'], tvb, base + at, n, tvb.bytes(base + at, Math.min(n, tvb.remaining(base + at))));
      else t.add(F['tcp.options.tfo.cookie'], tvb, base + at, n, tvb.bytes(base + at, Math.min(n, tvb.remaining(base + at))));
      if (syn) {
        t.expert('note', 'TCP SYN with TFO Cookie', tvb, base + at, n, 'Sequence');
        t.close();
      }
    }
  }
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
  const ace = conv.usesAce(flags, num);
  const flagText = tcpFlagsText(flags, ace);

  if (t) {
    t.open(F.proto, tvb, 0, hlen, null,
      `Transmission Control Protocol, Src Port: ${sport}, Dst Port: ${dport}, Seq: ${relSeq}` +
        (flags & ACK ? `, Ack: ${relAck}` : '') + `, Len: ${payloadLen}`);
    t.add(F['tcp.srcport'], tvb, 0, 2, sport);
    t.add(F['tcp.dstport'], tvb, 2, 2, dport);
    t.add(F['tcp.stream'], tvb, 0, GENERATED, conv.stream);
    // The whole connection's, as Wireshark shows it once the file is loaded (tshark -2).
    t.add(F['tcp.completeness'], tvb, 0, GENERATED, conv.completeness, `Conversation completeness: ${completenessText(conv.completeness)}`);
    t.add(F['tcp.len'], tvb, 0, GENERATED, payloadLen);
    t.add(F['tcp.seq'], tvb, 4, 4, relSeq, `Sequence Number: ${relSeq}    (relative sequence number)`);
    t.add(F['tcp.seq_raw'], tvb, 4, 4, seqRaw);
    // SYN and FIN take one sequence number (RFC 9293 §3.4).
    const next = (relSeq + payloadLen + (flags & (SYN | FIN) ? 1 : 0)) >>> 0;
    t.add(F['tcp.nxtseq'], tvb, 0, GENERATED, next, `Next Sequence Number: ${next}    (relative sequence number)`);
    if (flags & ACK) t.add(F['tcp.ack'], tvb, 8, 4, relAck, `Acknowledgment Number: ${relAck}    (relative ack number)`);
    else if (ackRaw !== 0) {
      t.open(F['tcp.ack'], tvb, 8, 4, relAck);
      t.expert('note', 'The acknowledgment number field is nonzero while the ACK flag is not set', tvb, 8, 4, 'Protocol');
      t.close();
    } else t.add(F['tcp.ack'], tvb, 8, 4, relAck);
    t.add(F['tcp.ack_raw'], tvb, 8, 4, ackRaw);
    t.add(F['tcp.hdr_len'], tvb, 12, 1, hlen, `${(hlen / 4).toString(2).padStart(4, '0')} .... = Header Length: ${hlen} bytes (${hlen / 4})`);
    t.open(F['tcp.flags'], tvb, 12, 2, flags, `Flags: 0x${flags.toString(16).padStart(3, '0')} (${flagText})`);
    t.add(F['tcp.flags.res'], tvb, 12, 1, (flags & 0xe00) !== 0);
    if (ace) {
      const n = aceOf(flags);
      t.add(F['tcp.flags.ace'], tvb, 12, 2, n, `...${n >> 2} ${(n >> 1) & 1}${n & 1}.. .... = ACE: ${n}`);
    } else {
      t.add(F['tcp.flags.ae'], tvb, 12, 1, (flags & 0x100) !== 0);
      t.add(F['tcp.flags.cwr'], tvb, 13, 1, (flags & 0x080) !== 0);
      t.add(F['tcp.flags.ece'], tvb, 13, 1, (flags & 0x040) !== 0);
    }
    t.add(F['tcp.flags.urg'], tvb, 13, 1, (flags & 0x020) !== 0);
    t.add(F['tcp.flags.ack'], tvb, 13, 1, (flags & 0x010) !== 0);
    t.add(F['tcp.flags.push'], tvb, 13, 1, (flags & 0x008) !== 0);
    if (flags & RST) {
      t.open(F['tcp.flags.reset'], tvb, 13, 1, true);
      t.expert('warn', 'Connection reset (RST)', tvb, 13, 1, 'Sequence');
      t.close();
    } else t.add(F['tcp.flags.reset'], tvb, 13, 1, false);
    if (flags & SYN) {
      t.open(F['tcp.flags.syn'], tvb, 13, 1, true);
      t.expert('chat', flags & ACK ? `Connection establish acknowledge (SYN+ACK): server port ${sport}` : `Connection establish request (SYN): server port ${dport}`, tvb, 13, 1, 'Sequence');
      t.close();
    } else t.add(F['tcp.flags.syn'], tvb, 13, 1, false);
    if (flags & FIN) {
      t.open(F['tcp.flags.fin'], tvb, 13, 1, true);
      t.expert('chat', 'Connection finish (FIN)', tvb, 13, 1, 'Sequence');
      t.close();
    } else t.add(F['tcp.flags.fin'], tvb, 13, 1, false);
    const str = flagsStr(flags, ace);
    if (flags & FIN) {
      // Who closed first (tshark's closing initiator): the direction of the connection's first FIN.
      t.open(F['tcp.flags.str'], tvb, 12, 2, str, `[TCP Flags: ${str}]`);
      if (conv.closingDir === dir || conv.closingDir < 0) t.expert('note', 'This frame initiates the connection closing', tvb, 12, 2, 'Sequence');
      else t.expert('note', 'This frame undergoes the connection closing', tvb, 12, 2, 'Sequence');
      t.close();
    } else t.add(F['tcp.flags.str'], tvb, 12, 2, str, `[TCP Flags: ${str}]`);
    t.close();
  }

  if (hlen < 20) {
    // Wireshark reports this in Info and stops, without a Malformed exception.
    cols?.appendInfo(` [${flagText}] Seq=${relSeq}${flags & ACK ? ` Ack=${relAck}` : ''} Win=${winRaw}, bogus TCP header length (${hlen}, must be at least 20)`);
    t?.expert('error', `Bogus TCP header length (${hlen}, must be at least 20)`, tvb, 12, 1, 'Protocol');
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
    // A SYN's window is never scaled (RFC 7323 §2.2): tshark gives no factor there.
    if (!(flags & SYN)) {
      t.add(F['tcp.window_size_scalefactor'], tvb, 14, GENERATED,
        fwd.winScale === WS_UNKNOWN ? -1 : fwd.winScale === WS_NONE ? -2 : 2 ** fwd.winScale,
        `Window size scaling factor: ${fwd.winScale === WS_UNKNOWN ? '-1 (unknown)' : fwd.winScale === WS_NONE ? '-2 (no window scaling used)' : 2 ** fwd.winScale}`);
    }
    t.add(F['tcp.checksum'], tvb, 16, 2, tvb.u16(16), `Checksum: 0x${tvb.u16(16).toString(16).padStart(4, '0')} [unverified]`);
    t.add(F['tcp.checksum.status'], tvb, 16, GENERATED, 2, 'Checksum Status: Unverified');
    t.add(F['tcp.urgent_pointer'], tvb, 18, 2, tvb.u16(18));
  }
  // tshark analyses the segment before it walks the options, and shows [Timestamps] and
  // [SEQ/ACK analysis] after the options' node even when options cut short end the dissection.
  if (!p.visited) {
    analysis = recordSegment(st, conv, dir, num, p.frame.tsSec, p.frame.tsNsec, seqRaw, ackRaw, payloadLen, flags, window, analysis);
    dupNum = segmentOut.dupNum;
    dupFrame = segmentOut.dupFrame;
  } else {
    analysis = frames.analysis[num]!;
    const d = frames.dupAck.get(num);
    if (d) [dupNum, dupFrame] = d;
  }
  let wsShift = -1;
  try {
    if (hlen > 20) wsShift = dissectOptions(tvb, 20, hlen, conv, dir, t, cols, p, flags, relAck);
  } finally {
    if (t) {
      // tshark's [Timestamps] (tcp.calculate_timestamps is on by default).
      const sinceFirst = (p.frame.tsSec - conv.firstSec) * 1e9 + (p.frame.tsNsec - conv.firstNsec);
      const sincePrev = frames.prevDeltaNs[num]!;
      t.text(tvb, 0, 0, '[Timestamps]', true);
      t.add(F['tcp.time_relative'], tvb, 0, GENERATED, sinceFirst / 1e9, `[Time since first frame in this TCP stream: ${nsText(sinceFirst)} seconds]`);
      t.add(F['tcp.time_delta'], tvb, 0, GENERATED, sincePrev / 1e9, `[Time since previous frame in this TCP stream: ${nsText(sincePrev)} seconds]`);
      t.close();
      seqAckTree(t, tvb, p.state, st, conv, num, analysis, dupNum, dupFrame);
    }
  }
  if (!p.visited) {
    if (flags & SYN) {
      recordSynWindowScale(conv, dir, flags, wsShift);
      recordAccEcnSetup(conv, flags);
    }
    // The peer's bytes in flight discount the SACK blocks this segment carried (walked above).
    recordSackBlocks(fwd, hlen > 20 ? SACK_EDGES : NO_SACK_EDGES);
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

  // After the analysis, as in tshark: the MPTCP connection learns this packet's option subtypes.
  if (conv.mptcp) finishMptcpPacket(p, conv, tvb, t);

  if (analysis) {
    // Analysis labels go in front, behind a fence so a payload protocol cannot clear them.
    cols?.prependInfoFenced(analysisPrefix(analysis, dupNum, dupFrame));
    if (isTcpProblem(analysis)) p.flags |= PacketFlag.ExpertWarn;
  }
  p.tcpNode = t ? t.mark() : null;
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
    if (t) tcpPayloadLine(t, p, payload, (analysis & TcpAnalysis.Retransmission) !== 0);
    // tshark still hands a keep-alive's byte on, and no protocol takes it.
    if (analysis & TcpAnalysis.KeepAlive) dissectData(payload, p);
    return;
  }
  dissectTcpPayload(payload, p, conv, dir, seqRaw, dissectConversationPayload);
}

/** Columns reused by laneSegmentInfo (one packet at a time). */
const laneColumns = new Columns();

/**
 * The Info text of a segment taken by the short lane (tcp-lane.ts), as dissectTcp and the
 * payload protocol write it: ports, flags, numbers, options, analysis labels in front (fenced),
 * then, for a message the payload protocol took, its text in place of the TCP part.
 */
export function laneSegmentInfo(a: LaneSegment, frame: Uint8Array): string {
  const conv = a.conv!;
  const payload = a.payload;
  // A payload's lane part writes its text in place of TCP's (TcpLanePayload.info): TCP's is not made.
  if (!payload) {
    const tcpText = `${conv.portsText(a.dir)} [${tcpFlagsText(a.flags, conv.usesAce(a.flags, Infinity))}] Seq=${a.seq}${a.flags & ACK ? ` Ack=${a.ack}` : ''} Win=${a.win} Len=${a.len}`;
    const end = a.tcpOffset + a.tcpHeaderLength;
    const common = a.tcpHeaderLength > 20 ? commonOptionsInfo(frame, a.tcpOffset + 20, end) : '';
    // The usual segment: its text whole, the analysis labels in front (what the columns would hold).
    if (common !== null) return a.analysis ? analysisPrefix(a.analysis, a.dupNum, a.dupFrame) + tcpText + common : tcpText + common;
    const cols = laneColumns;
    cols.reset();
    cols.setInfo(tcpText);
    dissectOptions(new Tvb(frame, a.tcpOffset, end, end), 20, a.tcpHeaderLength, conv, a.dir, null, cols, null, a.flags, a.ack);
    if (a.analysis) cols.prependInfoFenced(analysisPrefix(a.analysis, a.dupNum, a.dupFrame));
    return cols.info;
  }
  const cols = laneColumns;
  cols.reset();
  if (a.analysis) cols.prependInfoFenced(analysisPrefix(a.analysis, a.dupNum, a.dupFrame));
  payload.info(cols, frame, a.tcpOffset + a.tcpHeaderLength, a.len);
  return cols.info;
}

/**
 * The Info text of options `o` to `end` of `b` when they are only the ones nearly every segment
 * carries, each with its own length: NOP, MSS, SACK permitted, Timestamps, Window scale (what
 * option() appends for them, in order; an EOL ends them). Null for anything else: the full walk.
 */
function commonOptionsInfo(b: Uint8Array, o: number, end: number): string | null {
  let s = '';
  while (o < end) {
    const kind = b[o]!;
    if (kind === 0) break;
    if (kind === 1) {
      o++;
      continue;
    }
    if (o + 1 >= end) return null;
    const len = b[o + 1]!;
    if (o + len > end) return null;
    if (kind === 8 && len === 10) s += ` TSval=${u32At(b, o + 2)} TSecr=${u32At(b, o + 6)}`;
    else if (kind === 2 && len === 4) s += ` MSS=${(b[o + 2]! << 8) | b[o + 3]!}`;
    else if (kind === 4 && len === 2) s += ' SACK_PERM';
    else if (kind === 3 && len === 3) s += ` WS=${1 << Math.min(b[o + 2]!, 14)}`;
    else return null;
    o += len;
  }
  return s;
}

/** Big-endian unsigned 32 bits at `o` of `b` (the caller checked the bounds). */
function u32At(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
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
