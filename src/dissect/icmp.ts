// ICMP (RFC 792; RFC 950 address mask; RFC 1256 router discovery; RFC 8335 extended echo),
// with tshark's Info texts, echo request/reply matching, and the quoted packet of error
// messages dissected the way tshark does: the inner IP header and transport show in the tree
// and fields, while the columns keep the outer packet's view.

import { stateSlot, PacketFlag, type Packet } from './packet.ts';
import { defineProtocol } from './registry.ts';
import { ipProtoTable } from './tables.ts';
import { GENERATED } from './tree.ts';
import { checksumTree, internetChecksum, wordSum } from './checksum.ts';
import { dissectData } from './data.ts';
import { utcTimeText } from './text.ts';
import { CapturedBoundsError, MalformedError, type Tvb } from './tvb.ts';
import { dissectIpv4, ipv4Text } from './ip.ts';
import { errorContext } from './ip-reassembly.ts';
import { echoInfo, EchoMatcher, responseMs, unanswered, type EchoTx } from './icmp-echo.ts';

const UNKNOWN = 'Unknown ICMP (obsolete or malformed?)';
const TYPES: Record<number, string> = {
  0: 'Echo (ping) reply', 1: 'Reserved', 2: 'Reserved', 3: 'Destination unreachable', 4: 'Source quench (flow control)',
  5: 'Redirect', 6: 'Alternate host address', 8: 'Echo (ping) request', 9: 'Router advertisement',
  10: 'Router solicitation', 11: 'Time-to-live exceeded', 12: 'Parameter problem', 13: 'Timestamp request',
  14: 'Timestamp reply', 15: 'Information request', 16: 'Information reply', 17: 'Address mask request',
  18: 'Address mask reply', 19: 'Reserved (for security)', 30: 'Traceroute', 31: 'Datagram Conversion Error',
  32: 'Mobile Host Redirect', 33: 'IPv6 Where-Are-You', 34: 'IPv6 I-Am-Here', 35: 'Mobile Registration Request',
  36: 'Mobile Registration Reply', 37: 'Domain Name Request', 38: 'Domain Name Reply', 39: 'SKIP', 40: 'Photuris',
  41: 'Experimental mobility protocols', 42: 'Extended Echo request', 43: 'Extended Echo reply',
};

const CODES: Record<number, Record<number, string>> = {
  3: {
    0: 'Network unreachable', 1: 'Host unreachable', 2: 'Protocol unreachable', 3: 'Port unreachable',
    4: 'Fragmentation needed', 5: 'Source route failed', 6: 'Destination network unknown', 7: 'Destination host unknown',
    8: 'Source host isolated', 9: 'Network administratively prohibited', 10: 'Host administratively prohibited',
    11: 'Network unreachable for TOS', 12: 'Host unreachable for TOS', 13: 'Communication administratively filtered',
    14: 'Host precedence violation', 15: 'Precedence cutoff in effect',
  },
  5: { 0: 'Redirect for network', 1: 'Redirect for host', 2: 'Redirect for TOS and network', 3: 'Redirect for TOS and host' },
  6: { 0: 'Alternate address for host' },
  9: { 0: 'Normal router advertisement', 16: 'Does not route common traffic' },
  11: { 0: 'Time to live exceeded in transit', 1: 'Fragment reassembly time exceeded' },
  12: { 0: 'Pointer indicates the error', 1: 'Required option missing', 2: 'Bad length' },
  40: { 0: 'Bad SPI', 1: 'Authentication Failed', 2: 'Decompression Failed', 3: 'Decryption Failed', 4: 'Need Authentication', 5: 'Need Authorization' },
  42: { 0: 'No error' },
  43: { 0: 'No error', 1: 'Malformed Query', 2: 'No Such Interface', 3: 'No Such Table Entry', 4: 'Multiple Interfaces Satisfy Query' },
};

/** Types whose body quotes the offending datagram (RFC 792). */
const ERROR_TYPES = new Set([3, 4, 5, 11, 12]);
/** Types with identifier and sequence number. */
const ECHO_LIKE = new Set([0, 8, 13, 14, 15, 16, 17, 18]);

export const F = defineProtocol('icmp', 'Internet Control Message Protocol', {
  'icmp.type': { name: 'Type', type: 'uint' },
  'icmp.code': { name: 'Code', type: 'uint' },
  'icmp.checksum': { name: 'Checksum', type: 'uint', base: 'hex', bits: 16 },
  'icmp.ident': { name: 'Identifier (BE)', type: 'uint', base: 'dec_hex', bits: 16 },
  'icmp.ident_le': { name: 'Identifier (LE)', type: 'uint', base: 'dec_hex', bits: 16 },
  'icmp.seq': { name: 'Sequence Number (BE)', type: 'uint', base: 'dec_hex', bits: 16 },
  'icmp.seq_le': { name: 'Sequence Number (LE)', type: 'uint', base: 'dec_hex', bits: 16 },
  'icmp.resp_in': { name: 'Response frame', type: 'framenum' },
  'icmp.resp_to': { name: 'Request frame', type: 'framenum' },
  'icmp.resptime': { name: 'Response time', type: 'float', unit: ' ms' },
  'icmp.no_resp': { name: 'No response seen', type: 'none' },
  'icmp.unused': { name: 'Unused', type: 'bytes' },
  'icmp.pointer': { name: 'Pointer', type: 'uint' },
  'icmp.redir_gw': { name: 'Gateway address', type: 'ipv4' },
  'icmp.mtu': { name: 'MTU of next hop', type: 'uint' },
  'icmp.data': { name: 'Data', type: 'bytes' },
  'icmp.data_time': { name: 'Timestamp from icmp data', type: 'abstime' },
  'icmp.data_time_relative': { name: 'Timestamp from icmp data (relative)', type: 'reltime' },
});

const echoes = stateSlot(() => new EchoMatcher());

/** "Type (code)" pieces of the Info column. */
export function icmpTypeText(type: number, code: number, tvb: Tvb): { type: string; code: string } {
  let typeStr = TYPES[type] ?? UNKNOWN;
  const table = CODES[type];
  let codeStr = '';
  if (table) codeStr = table[code] ?? `Unknown code: ${code}`;
  if (type === 9) {
    // RFC 3344 §2.1: code 0/16 advertisements are Mobile IP agent advertisements.
    if (code === 0 || code === 16) typeStr = 'Mobile IP Advertisement';
    else codeStr = `Unknown code: ${code}`;
  }
  void tvb;
  return { type: typeStr, code: codeStr };
}

/** Saves the columns and addresses an inner (quoted) packet must not change. */
export interface SavedView {
  protocol: string;
  info: string;
  src: string;
  dst: string;
  netSrc: string;
  netDst: string;
  ipVersion: number;
  ipProto: number;
  srcPort: number;
  dstPort: number;
  tcp: Packet['tcp'];
}
export function saveView(p: Packet): SavedView {
  return {
    protocol: p.cols.protocol, info: p.cols.info, src: p.src, dst: p.dst, netSrc: p.netSrc, netDst: p.netDst,
    ipVersion: p.ipVersion, ipProto: p.ipProto, srcPort: p.srcPort, dstPort: p.dstPort, tcp: p.tcp,
  };
}
export function restoreView(p: Packet, v: SavedView): void {
  p.cols.protocol = v.protocol;
  p.cols.info = v.info;
  p.src = v.src;
  p.dst = v.dst;
  p.netSrc = v.netSrc;
  p.netDst = v.netDst;
  p.ipVersion = v.ipVersion;
  p.ipProto = v.ipProto;
  p.srcPort = v.srcPort;
  p.dstPort = v.dstPort;
  p.tcp = v.tcp;
}

/** Dissects a quoted packet with the outer view kept, as tshark does for error messages. */
export function dissectQuoted(inner: Tvb, p: Packet, d: (tvb: Tvb, p: Packet) => void): void {
  const saved = saveView(p);
  errorContext.depth++;
  try {
    d(inner, p);
  } catch (e) {
    // A quoted packet is often cut short (RFC 792 quotes the header + 8 bytes): tshark ignores
    // bounds errors in it and keeps the outer packet as is.
    if (!(e instanceof CapturedBoundsError) && !(e instanceof MalformedError)) throw e;
    p.tree?.text(inner, 0, 0, '[Quoted packet ends early]');
  } finally {
    errorContext.depth--;
    restoreView(p, saved);
  }
}

export function dissectIcmp(tvb: Tvb, p: Packet): void {
  p.layers.push('icmp');
  p.cols.protocol = 'ICMP';
  p.cols.clearInfo();
  const ttl = p.ipTtl;
  const type = tvb.u8(0);
  const code = tvb.u8(1);
  const names = icmpTypeText(type, code, tvb);
  let info = names.type.padEnd(20);
  if (names.code) info += ` (${names.code})`;
  const t = p.tree;
  if (t) {
    t.open(F.proto, tvb, 0, tvb.length, null);
    t.add(F['icmp.type'], tvb, 0, 1, type, `Type: ${type} (${names.type})`);
    t.add(F['icmp.code'], tvb, 1, 1, code, names.code ? `Code: ${code} (${names.code})` : `Code: ${code}`);
    // tshark verifies ICMP's checksum (RFC 792) unless the message was cut or is quoted by an error.
    const whole = tvb.length >= tvb.reportedLength;
    if (whole && errorContext.depth === 0) checksumTree(t, F['icmp.checksum'], tvb, 2, internetChecksum(wordSum(tvb, tvb.reportedLength, (i) => i === 2)), '', 'warn');
    else checksumTree(t, F['icmp.checksum'], tvb, 2, null, errorContext.depth > 0 ? ' [in ICMP error packet]' : ' [fragmented datagram]');
  }
  let tx: EchoTx | undefined;
  let isReply = false;
  if (ECHO_LIKE.has(type)) {
    const id = tvb.u16(4);
    const seq = tvb.u16(6);
    const seqLe = ((seq & 0xff) << 8) | (seq >> 8);
    info += ` id=0x${id.toString(16).padStart(4, '0')}, seq=${seq}/${seqLe}, ttl=${ttl}`;
    if (type === 0 || type === 8) {
      isReply = type === 0;
      tx = echoes.of(p.state).match(p, id, seq, isReply);
      info += echoInfo(p, tx, isReply);
    }
    if (t) {
      t.add(F['icmp.ident'], tvb, 4, 2, id);
      t.add(F['icmp.ident_le'], tvb, 4, 2, ((id & 0xff) << 8) | (id >> 8));
      t.add(F['icmp.seq'], tvb, 6, 2, seq);
      t.add(F['icmp.seq_le'], tvb, 6, 2, seqLe);
      if (tx && isReply && tx.request) {
        t.add(F['icmp.resp_to'], tvb, 0, GENERATED, tx.request, `[Request frame: ${tx.request}]`);
        const ms = responseMs(p, tx);
        if (ms !== null) t.add(F['icmp.resptime'], tvb, 0, GENERATED, ms, `[Response time: ${ms.toFixed(3)} ms]`);
      }
      if (tx && !isReply && tx.reply && tx.request === p.num) t.add(F['icmp.resp_in'], tvb, 0, GENERATED, tx.reply, `[Response frame: ${tx.reply}]`);
      if (unanswered(p, tx, isReply)) {
        t.open(F['icmp.no_resp'], tvb, 0, GENERATED, null, '[No response seen]');
        t.expert('warn', 'No response seen to ICMP request', tvb, 0, 0, 'Sequence');
        t.close();
      }
    }
  }
  p.cols.setInfo(info);
  if (type === 13 || type === 14) tvb.check(8, 12); // three 32-bit timestamps (RFC 792)
  if (type === 17 || type === 18) tvb.check(8, 4); // the address mask (RFC 950)

  if (ERROR_TYPES.has(type)) {
    p.flags |= PacketFlag.IcmpError;
    if (t) {
      if (type === 5) t.add(F['icmp.redir_gw'], tvb, 4, 4, tvb.u32(4), `Gateway address: ${ipv4Text(tvb.u32(4))}`);
      else if (type === 12) t.add(F['icmp.pointer'], tvb, 4, 1, tvb.u8(4));
      else if (type === 3 && code === 4) t.add(F['icmp.mtu'], tvb, 6, 2, tvb.u16(6));
      else t.add(F['icmp.unused'], tvb, 4, 4, tvb.bytes(4, 4));
    }
    const inner = tvb.sub(8);
    if (inner.reportedLength > 0) dissectQuoted(inner, p, dissectIpv4);
    t?.close();
    return;
  }
  if (type === 0 || type === 8) {
    // An echo's data goes to the data dissector, after the sender's timestamp when it has one.
    let off = 8;
    if (tvb.reportedLength - 8 >= 8) {
      const ts = echoTimestamp(tvb, p);
      if (ts) {
        if (t) {
          t.add(F['icmp.data_time'], tvb, 8, 8, utcTimeText(ts.sec, ts.usec * 1000));
          const rel = (p.frame.tsSec - ts.sec) + (p.frame.tsNsec - ts.usec * 1000) / 1e9;
          t.add(F['icmp.data_time_relative'], tvb, 8, GENERATED, rel);
        }
        off = 16;
      }
    }
    if (tvb.reportedLength > off) dissectData(tvb.sub(off), p);
    t?.close();
    return;
  }
  if (t) {
    const off = ECHO_LIKE.has(type) ? 8 : 4;
    const rest = tvb.remaining(off);
    if (rest > 0) t.add(F['icmp.data'], tvb, off, rest, tvb.bytes(off, rest), `Data (${rest} bytes)`);
    t.close();
  }
}

/**
 * The timeval ping puts at the start of an echo's data (not in RFC 792; BSD ping's custom), as
 * tshark 4.0 guesses it: big-endian seconds and microseconds, else little-endian, taken when
 * within a day of the frame's time and the microseconds are below a second.
 */
function echoTimestamp(tvb: Tvb, p: Packet): { sec: number; usec: number } | null {
  if (!p.frame.hasTs || !tvb.has(8, 8)) return null;
  const near = (sec: number, usec: number) => Math.abs((sec - p.frame.tsSec) | 0) < 86400 && usec < 1e6;
  let sec = tvb.u32(8);
  let usec = tvb.u32(12);
  if (!near(sec, usec)) {
    sec = tvb.u32le(8);
    usec = tvb.u32le(12);
  }
  return near(sec, usec) ? { sec, usec } : null;
}

ipProtoTable.add(1, dissectIcmp);
