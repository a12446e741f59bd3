// DNS (RFC 1035) over UDP port 53 and TCP port 53 (RFC 1035 §4.2.2 / RFC 7766: a 2-byte length
// before each message), Multicast DNS (RFC 6762, UDP 5353) and LLMNR (RFC 4795, UDP 5355), plus
// tshark's "DNS over UDP" heuristic for other ports. Info, fields and tree follow tshark 4.0.
//
// The Info column is built in a local string and written when the message ends, also when it
// throws: tshark's Info keeps what it had appended before the exception
// ("Standard query 0x5311[Malformed Packet]").

import { ONE_MORE_SEGMENT, PacketFlag, stateSlot, type Packet } from './packet.ts';
import { reportPduException } from './frame.ts';
import { bitPattern, type FieldDef } from './registry.ts';
import { tcpPortTable, udpHeuristics, udpPortTable } from './tables.ts';
import { GENERATED, type TreeSink } from './tree.ts';
import { CapturedBoundsError, MalformedError, type Tvb } from './tvb.ts';
import { dsoTypeName, F, LLMNR, MDNS, OPCODES, RCODES } from './dns-fields.ts';
import { valueLabel } from './dns-items.ts';
import { dissectQuestion, dissectRecord, type DnsCtx } from './dns-records.ts';

export { F };

const enum Kind {
  Dns,
  Mdns,
  Llmnr,
}

const F_RESPONSE = 0x8000;
const OPCODE_UPDATE = 5;
const OPCODE_DSO = 6;
/** Seconds within which a repeated query ID counts as a retransmission (tshark's default). */
const RETRANSMISSION_SECS = 5;

// ---- request/response matching (per capture) ----------------------------------------------

interface Transaction {
  req: number;
  rep: number;
  sec: number;
  nsec: number;
  multiple: boolean;
}

/**
 * Transactions per conversation and ID, in frame order (tshark keys them by ID and frame).
 * Conversations are keyed without building strings: first address → second address →
 * (ports, ID) as one number; TCP uses its stream index.
 */
class DnsState {
  readonly udp = new Map<string, Map<string, Map<number, Transaction[]>>>();
  readonly tcp = new Map<number, Transaction[]>();
}
const dnsState = stateSlot(() => new DnsState());

/** The transaction list of this message's conversation and ID; `create` makes a missing one. */
function transactions(st: DnsState, p: Packet, id: number, create: boolean): Transaction[] | undefined {
  let list: Transaction[] | undefined;
  if (p.tcp) {
    const key = p.tcp.stream * 65536 + id;
    list = st.tcp.get(key);
    if (!list && create) st.tcp.set(key, (list = []));
    return list;
  }
  // The two endpoints in a fixed order, so both directions find the same conversation.
  const fwd = p.netSrc < p.netDst || (p.netSrc === p.netDst && p.srcPort <= p.dstPort);
  const a = fwd ? p.netSrc : p.netDst;
  const b = fwd ? p.netDst : p.netSrc;
  const key = ((fwd ? p.srcPort : p.dstPort) * 65536 + (fwd ? p.dstPort : p.srcPort)) * 65536 + id;
  let byB = st.udp.get(a);
  if (!byB) {
    if (!create) return undefined;
    st.udp.set(a, (byB = new Map()));
  }
  let byKey = byB.get(b);
  if (!byKey) {
    if (!create) return undefined;
    byB.set(b, (byKey = new Map()));
  }
  list = byKey.get(key);
  if (!list && create) byKey.set(key, (list = []));
  return list;
}

/** The latest transaction with this ID that started at or before frame `num`. */
function lookup(list: Transaction[] | undefined, num: number): Transaction | undefined {
  if (!list) return undefined;
  for (let i = list.length - 1; i >= 0; i--) if (list[i]!.req <= num) return list[i];
  return undefined;
}

interface Matched {
  trans: Transaction;
  retransmission: boolean;
}

function newTransaction(p: Packet, req: number): Transaction {
  return { req, rep: 0, sec: p.frame.tsSec, nsec: p.frame.tsNsec, multiple: false };
}

function matchTransaction(p: Packet, id: number, response: boolean): Matched {
  const out: Matched = { trans: null!, retransmission: false };
  // Messages quoted inside ICMP errors take no part in matching.
  if (p.flags & PacketFlag.IcmpError) {
    out.trans = newTransaction(p, 0);
    return out;
  }
  const list = transactions(dnsState.of(p.state), p, id, !response && !p.visited);
  let trans = lookup(list, p.num);
  if (!p.visited) {
    if (!response) {
      let fresh = !trans || trans.rep > 0;
      if (!fresh) {
        const dt = p.frame.tsSec - trans!.sec + (p.frame.tsNsec - trans!.nsec) / 1e9;
        if (dt < RETRANSMISSION_SECS) out.retransmission = true;
        else fresh = true;
      }
      if (fresh) {
        trans = newTransaction(p, p.num);
        list!.push(trans);
      }
    } else if (trans) {
      if (trans.rep === 0) trans.rep = p.num;
      else if (!trans.multiple) out.retransmission = true;
    }
  } else if (trans) {
    if (!response && trans.req !== p.num) {
      // A retransmitted request: shown against the original, without touching it.
      trans = newTransaction(p, trans.req);
      out.retransmission = true;
    } else if (response && trans.rep !== p.num && !trans.multiple) out.retransmission = true;
  }
  out.trans = trans ?? newTransaction(p, 0);
  return out;
}

// ---- the message --------------------------------------------------------------------------

function opcodeText(op: number): string {
  return OPCODES.get(op) ?? `Unknown operation (${op})`;
}

/**
 * Dissects one DNS message. `tcp`: the message follows a 2-byte length (which `tvb` includes).
 * Always writes the Info it built, also when the message turns out to be malformed.
 */
function dissectMessage(tvb: Tvb, p: Packet, tcp: boolean, kind: Kind, c: DnsCtx): void {
  const off = c.dataOff;
  const inError = (p.flags & PacketFlag.IcmpError) !== 0;
  if (!inError) p.cols.clearInfo();
  try {
    messageBody(tvb, p, tcp, kind, c, off);
  } finally {
    if (!inError) p.cols.setInfo(c.info);
  }
}

function messageBody(tvb: Tvb, p: Packet, tcp: boolean, kind: Kind, c: DnsCtx, off: number): void {
  const t = p.tree;
  const id = tvb.u16(off);
  const flags = tvb.u16(off + 2);
  const opcode = (flags >> 11) & 0xf;
  const rcode = flags & 0xf;
  const response = (flags & F_RESPONSE) !== 0;
  c.info = `${opcodeText(opcode)}${response ? ' response' : ''} 0x${id.toString(16).padStart(4, '0')}`;
  if (response && rcode !== 0) c.info += ` ${RCODES.get(rcode) ?? `Unknown error (${rcode})`}`;
  const update = opcode === OPCODE_UPDATE;

  const what = response ? 'response' : 'query';
  if (t) {
    if (kind === Kind.Llmnr) t.open(LLMNR.proto, tvb, 0, tvb.length, null, `Link-local Multicast Name Resolution (${what})`);
    else if (kind === Kind.Mdns) t.open(MDNS.proto, tvb, 0, tvb.length, null, `Multicast Domain Name System (${what})`);
    else t.open(F.proto, tvb, 0, tvb.length, null, `Domain Name System (${what})`);
    c.depth++;
  }

  const { trans, retransmission } = matchTransaction(p, id, response);

  if (t) {
    if (tcp) t.add(F['dns.length'], tvb, 0, 2, tvb.u16(0));
    t.add(F['dns.id'], tvb, off, 2, id);
    flagsTree(c, off + 2, flags, kind === Kind.Llmnr);
  }
  // Each count is shown as soon as it is read, so a header cut short ends where tshark's does.
  const quest = headerCount(c, off + 4, update ? F['dns.count.zones'] : F['dns.count.queries']);
  const ans = headerCount(c, off + 6, update ? F['dns.count.prerequisites'] : F['dns.count.answers']);
  const auth = headerCount(c, off + 8, update ? F['dns.count.updates'] : F['dns.count.auth_rr']);
  const add = headerCount(c, off + 10, F['dns.count.add_rr']);
  let cur = off + 12;
  if (opcode === OPCODE_DSO && quest === 0 && ans === 0 && auth === 0 && add === 0) cur += dso(c, cur);

  if (quest > 0) {
    cur += section(c, cur, quest, update ? 'Zone' : 'Queries', true);
    trans.multiple = c.multiple;
  }
  if (ans > 0) cur += section(c, cur, ans, update ? 'Prerequisites' : 'Answers', false);
  if (auth > 0) cur += section(c, cur, auth, update ? 'Updates' : 'Authoritative nameservers', false);
  if (add > 0) cur += section(c, cur, add, 'Additional records', false);

  if (t) matchingTree(c, p, response, trans, retransmission, off);

  // Bytes after the last record (tshark adds them as a checked item, so a snapped tail throws).
  const extra = tvb.reportedRemaining(cur);
  if (extra > 0) {
    tvb.check(cur, extra);
    if (t) {
      t.text(tvb, cur, extra, `Extraneous Data (${extra} bytes)`, true);
      t.add(F['dns.extraneous.data'], tvb, cur, extra, tvb.bytes(cur, extra));
      t.add(F['dns.extraneous.length'], tvb, 0, GENERATED, extra, `[Extraneous Data Length: ${extra}]`);
      t.close();
    }
  }
  if (t) {
    t.close();
    c.depth--;
  }
}

function headerCount(c: DnsCtx, off: number, f: FieldDef): number {
  const v = c.tvb.u16(off);
  if (c.t) c.t.add(f, c.tvb, off, 2, v);
  return v;
}

function flagsTree(c: DnsCtx, off: number, flags: number, llmnr: boolean): void {
  const t = c.t!;
  const tvb = c.tvb;
  const opcode = (flags >> 11) & 0xf;
  const rcode = flags & 0xf;
  const response = (flags & F_RESPONSE) !== 0;
  let text = `Flags: 0x${flags.toString(16).padStart(4, '0')} ${OPCODES.get(opcode) ?? 'Unknown operation'}`;
  if (response) text += ` response, ${RCODES.get(rcode) ?? 'Unknown error'}`;
  t.open(F['dns.flags'], tvb, off, 2, flags, text);
  flagBit(t, tvb, off, F['dns.flags.response'], flags, 0x8000);
  t.add(F['dns.flags.opcode'], tvb, off, 2, opcode, valueLabel(F['dns.flags.opcode'], opcode, flags));
  if (llmnr) {
    // RFC 4795 §2.1.1: C (conflict), TC, T (tentative).
    if (response) t.add(F['dns.flags.conflict'], tvb, off, 2, (flags & 0x0400) !== 0);
    else {
      t.add(F['dns.flags.conflict'], tvb, off, 2, (flags & 0x0400) !== 0,
        bitPattern(0x0400, 16, flags) + `Conflict: ${flags & 0x0400 ? 'The sender received multiple responses' : 'None'}`);
    }
    flagBit(t, tvb, off, F['dns.flags.truncated'], flags, 0x0200);
    flagBit(t, tvb, off, F['dns.flags.tentative'], flags, 0x0100);
    if (response) t.add(F['dns.flags.rcode'], tvb, off, 2, rcode, valueLabel(F['dns.flags.rcode'], rcode, flags));
  } else {
    if (response) flagBit(t, tvb, off, F['dns.flags.authoritative'], flags, 0x0400);
    flagBit(t, tvb, off, F['dns.flags.truncated'], flags, 0x0200);
    flagBit(t, tvb, off, F['dns.flags.recdesired'], flags, 0x0100);
    if (response) flagBit(t, tvb, off, F['dns.flags.recavail'], flags, 0x0080);
    flagBit(t, tvb, off, F['dns.flags.z'], flags, 0x0040);
    if (response) flagBit(t, tvb, off, F['dns.flags.authenticated'], flags, 0x0020);
    else if (flags & 0x0020) {
      // RFC 6840 §5.7: AD in a query asks for the AD bit in the response.
      t.add(F['dns.flags.authenticated'], tvb, off, 2, true, bitPattern(0x0020, 16, flags) + 'AD bit: Set');
    }
    flagBit(t, tvb, off, F['dns.flags.checkdisable'], flags, 0x0010);
    if (response) t.add(F['dns.flags.rcode'], tvb, off, 2, rcode, valueLabel(F['dns.flags.rcode'], rcode, flags));
  }
  t.close();
}

function flagBit(t: TreeSink, tvb: Tvb, off: number, f: FieldDef, flags: number, mask: number): void {
  t.add(f, tvb, off, 2, (flags & mask) !== 0);
}

/** A section of `count` questions or records; returns the bytes it used. */
function section(c: DnsCtx, start: number, count: number, title: string, questions: boolean): number {
  const t = c.t;
  // tshark opens the section "to the end of the data", which needs a byte there.
  if (c.tvb.remaining(start) === 0) c.tvb.u8(start);
  if (t) {
    t.text(c.tvb, start, 0, title, true);
    c.depth++;
  }
  let cur = start;
  // Each entry consumes at least one byte or throws, so `count` bounds the work.
  while (count-- > 0) cur += questions ? dissectQuestion(c, cur) : dissectRecord(c, cur);
  if (t) {
    t.setLength(cur - start);
    t.close();
    c.depth--;
  }
  return cur - start;
}

function matchingTree(c: DnsCtx, p: Packet, response: boolean, trans: Transaction, retransmission: boolean, off: number): void {
  const t = c.t!;
  const tvb = c.tvb;
  const inError = (p.flags & PacketFlag.IcmpError) !== 0;
  if (!response) {
    if (retransmission && trans.req && !inError) {
      t.expert('warn', `DNS query retransmission. Original request in frame ${trans.req}`, tvb, off, 2, 'Protocol');
      t.add(F['dns.retransmit_request_in'], tvb, 0, GENERATED, trans.req, `[Retransmitted request. Original request in: ${trans.req}]`);
      t.add(F['dns.retransmission'], tvb, 0, GENERATED, true, '[Retransmission: True]');
    } else if (trans.rep) {
      t.add(F['dns.response_in'], tvb, 0, GENERATED, trans.rep, `[Response In: ${trans.rep}]`);
    }
  } else if (trans.req) {
    if (retransmission && trans.rep && !inError) {
      t.expert('warn', `DNS response retransmission. Original response in frame ${trans.rep}`, tvb, off, 2, 'Protocol');
      t.add(F['dns.retransmit_response_in'], tvb, 0, GENERATED, trans.rep, `[Retransmitted response. Original response in: ${trans.rep}]`);
      t.add(F['dns.retransmission'], tvb, 0, GENERATED, true, '[Retransmission: True]');
    } else {
      t.add(F['dns.response_to'], tvb, 0, GENERATED, trans.req, `[Request In: ${trans.req}]`);
      const dt = p.frame.tsSec - trans.sec + (p.frame.tsNsec - trans.nsec) / 1e9;
      t.add(F['dns.time'], tvb, 0, GENERATED, dt, `[Time: ${dt.toFixed(9)} seconds]`);
    }
  } else if (!retransmission) {
    t.add(F['dns.unsolicited'], tvb, 0, GENERATED, true, '[Unsolicited: True]');
  }
}

/** DNS Stateful Operations TLVs (RFC 8490 §5.4) of a message with all counts zero. */
function dso(c: DnsCtx, start: number): number {
  const { tvb, t } = c;
  // tshark adds the DSO item "to the end", which needs at least one byte.
  if (tvb.remaining(start) === 0) tvb.u8(start);
  if (t) {
    t.open(F['dns.dso'], tvb, start, tvb.remaining(start), null, 'DNS Stateful Operation');
    c.depth++;
  }
  let off = start;
  // Each TLV consumes at least its 4-byte header.
  while (tvb.reportedRemaining(off) >= 4) {
    const type = tvb.u16(off);
    const len = tvb.u16(off + 2);
    if (t) {
      t.open(F['dns.dso.tlv'], tvb, off, len + 4, null, `DSO TLV: ${dsoTypeName(type)}`);
      t.add(F['dns.dso.tlv.type'], tvb, off, 2, type, `Type: ${dsoTypeName(type)} (${type})`);
      t.add(F['dns.dso.tlv.length'], tvb, off + 2, 2, len);
    }
    off += 4;
    if (type === 1) {
      const a = tvb.u32(off);
      const b = tvb.u32(off + 4);
      if (t) {
        t.add(F['dns.dso.tlv.keepalive.inactivity'], tvb, off, 4, a);
        t.add(F['dns.dso.tlv.keepalive.interval'], tvb, off + 4, 4, b);
      }
      off += 8;
    } else if (type === 2) {
      const a = tvb.u32(off);
      if (t) t.add(F['dns.dso.tlv.retrydelay.retrydelay'], tvb, off, 4, a);
      off += 4;
    } else if (len > 0) {
      tvb.check(off, len);
      if (t) t.add(type === 3 ? F['dns.dso.tlv.encpad.padding'] : F['dns.dso.tlv.data'], tvb, off, len, tvb.bytes(off, len));
      off += len;
    }
    if (t) t.close();
  }
  if (t) {
    t.setLength(off - start);
    t.close();
    c.depth--;
  }
  return off - start;
}

function newCtx(tvb: Tvb, p: Packet, dataOff: number, kind: Kind): DnsCtx {
  return { tvb, p, t: p.tree, dataOff, mdns: kind === Kind.Mdns, info: '', depth: 0, multiple: false };
}

function enter(p: Packet, layer: string, protocol: string): void {
  if (p.layers[p.layers.length - 1] !== layer) p.layers.push(layer);
  if (!(p.flags & PacketFlag.IcmpError)) p.cols.protocol = protocol;
}

// ---- transports ---------------------------------------------------------------------------

function udpDissector(kind: Kind, layer: string, protocol: string) {
  return (tvb: Tvb, p: Packet): boolean => {
    enter(p, layer, protocol);
    dissectMessage(tvb, p, false, kind, newCtx(tvb, p, 0, kind));
    return true;
  };
}

export const dissectDnsUdp = udpDissector(Kind.Dns, 'dns', 'DNS');
export const dissectMdns = udpDissector(Kind.Mdns, 'mdns', 'MDNS');
export const dissectLlmnr = udpDissector(Kind.Llmnr, 'llmnr', 'LLMNR');

/**
 * DNS over TCP: a sequence of length-prefixed messages (RFC 1035 §4.2.2). An incomplete one at
 * the end asks TCP for the missing bytes (the desegment contract); a broken one is reported
 * and the next one is still dissected, like tshark's tcp_dissect_pdus.
 */
export function dissectDnsTcp(tvb: Tvb, p: Packet): boolean {
  // Reassembly only works on whole captured segments.
  const canDesegment = p.canDesegment && tvb.length === tvb.reportedLength;
  let off = 0;
  while (tvb.reportedRemaining(off) > 0) {
    const avail = tvb.remaining(off);
    if (avail === 0) tvb.u8(off); // snapped: throws "packet size limited"
    if (canDesegment && avail < 2) {
      // The length prefix itself is split: any further segment completes it.
      p.desegmentOffset = off;
      p.desegmentLen = ONE_MORE_SEGMENT;
      return true;
    }
    const plen = tvb.u16(off) + 2;
    if (canDesegment && avail < plen) {
      p.desegmentOffset = off;
      p.desegmentLen = plen - avail;
      return true;
    }
    enter(p, 'dns', 'DNS');
    const pdu = tvb.sub(off, plen);
    const c = newCtx(pdu, p, 2, Kind.Dns);
    try {
      dissectMessage(pdu, p, true, Kind.Dns, c);
    } catch (e) {
      if (!(e instanceof MalformedError) && !(e instanceof CapturedBoundsError)) throw e;
      pduException(p, pdu, c, e);
    }
    off += plen;
  }
  return true;
}

/** Reports an exception of one PDU the way frame.ts reports one of a packet, then goes on. */
function pduException(p: Packet, pdu: Tvb, c: DnsCtx, e: Error): void {
  const t = p.tree;
  if (t) while (c.depth-- > 0) t.close();
  reportPduException(p, pdu, 'DNS', e);
}

/**
 * UDP ports tshark 4.0 hands to other dissectors (`tshark -G decodes`): there tshark never tries
 * heuristics, so neither do we (NBNS on 137 looks just like DNS).
 */
const OTHER_UDP_PORTS = new Set(`
  7 13 19 37 49 67 68 69 88 111 123 137 138 161 162 173 177 213 269 319 320 389 427 434 464 473 496
  500 502 513 514 520 521 524 525 539 546 547 573 623 631 646 654 664 698 699 701 750 853 854 910
  921 925 1001 1044 1052 1069 1089 1090 1091 1101 1113 1153 1194 1293 1547 1628 1629 1645 1646 1700
  1701 1718 1719 1745 1755 1812 1813 1900 1985 2029 2048 2055 2067 2099 2123 2152 2157 2190 2221
  2222 2231 2246 2268 2269 2313 2345 2424 2427 2428 2727 2887 2944 2945 2948 2949 2960 3000 3121
  3130 3205 3222 3250 3333 3343 3357 3386 3389 3452 3455 3478 3483 3503 3540 3544 3567 3622 3671
  3784 3785 3792 3799 3804 3819 3863 3956 4000 4011 4058 4305 4306 4307 4341 4342 4500 4533 4534
  4551 4555 4556 4569 4665 4672 4713 4729 4739 4754 4784 4789 4790 4791 4991 5000 5001 5031 5050
  5060 5072 5094 5246 5247 5264 5265 5350 5351 5404 5405 5436 5555 5567 5678 5683 5684 5868 6060
  6073 6081 6084 6087 6118 6160 6343 6543 6635 6666 6696 6784 6970 7000 7001 7002 7003 7004 7005
  7006 7007 7008 7009 7010 7021 7074 7075 7255 7275 7784 8000 8116 8161 8200 8211 8600 8611 8612
  8613 8614 8755 8767 8805 8848 9003 9200 9201 9202 9203 9214 9600 9875 9877 9899 9901 9955 9956
  9996 9999 10253 10500 11211 11273 11898 12000 12001 12002 12003 12004 12220 12222 12223 13400
  13819 13907 13910 17220 17500 17754 17755 17756 18246 19132 19788 19948 19999 20000 20561 22222
  23272 24576 24577 25826 26000 27036 27500 27910 27950 27951 27952 27953 27960 27961 27962 27963
  30030 32000 32512 34962 34980 37008 41170 44818 45564 47000 47808 49999 54328 56000 56001 56500
  56501 57000 57001 57032 57033 57500 57501 57532 57533 59000 59001 59032 59033 59500 59501 59532
  59533 60001
`.trim().split(/\s+/).map(Number));

/**
 * tshark's "DNS over UDP" heuristic (enabled by default in 4.0): a standard-query opcode and
 * plausible counts — one question and nothing else for a query; at most one question, 100
 * answers, 10 authority and 10 additional records for a response.
 */
function dnsHeuristic(tvb: Tvb, p: Packet): boolean {
  if (OTHER_UDP_PORTS.has(p.srcPort) || OTHER_UDP_PORTS.has(p.dstPort)) return false;
  if (tvb.reportedLength <= 12) return false;
  const flags = tvb.u16(2);
  if (flags & 0x7800) return false;
  const quest = tvb.u16(4);
  const ans = tvb.u16(6);
  const auth = tvb.u16(8);
  if (!(flags & F_RESPONSE)) {
    if (quest !== 1 || ans !== 0 || auth !== 0) return false;
  } else if (quest > 1 || ans > 100 || auth > 10) return false;
  if (tvb.u16(10) > 10) return false;
  return dissectDnsUdp(tvb, p);
}

udpPortTable.add(53, dissectDnsUdp);
udpPortTable.add(5353, dissectMdns);
udpPortTable.add(5355, dissectLlmnr);
tcpPortTable.add(53, dissectDnsTcp);
tcpPortTable.add(5353, dissectDnsTcp);
udpHeuristics.push({ name: 'dns_udp', dissect: dnsHeuristic });
