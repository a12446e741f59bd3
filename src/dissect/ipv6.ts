// IPv6 (RFC 8200): the fixed header, the hand-off along the Next Header chain, the jumbo
// payload of RFC 2675, and the Info texts tshark gives broken headers. Extension headers are
// in ipv6-ext.ts; they register in the ip.proto table, so they also follow an IPv4 header.

import type { Packet } from './packet.ts';
import { defineProtocol, hexBytes, ipv6ToString } from './registry.ts';
import { etherTypeTable, ipProtoTable, linkTypeTable } from './tables.ts';
import { GENERATED } from './tree.ts';
import { MalformedError, type Tvb } from './tvb.ts';
import { ipProtoName, ipProtoVals } from './ipproto-names.ts';
import { dissectData } from './data.ts';

/** DiffServ codepoints (RFC 2474, 4594, 5865, 8622) and ECN (RFC 3168 §5), as Wireshark names them; IPv4 uses them too. */
export const DSCP: Record<number, string> = {
  0: 'Default', 1: 'Lower Effort', 8: 'Class Selector 1', 10: 'Assured Forwarding 11', 12: 'Assured Forwarding 12',
  14: 'Assured Forwarding 13', 16: 'Class Selector 2', 18: 'Assured Forwarding 21', 20: 'Assured Forwarding 22',
  22: 'Assured Forwarding 23', 24: 'Class Selector 3', 26: 'Assured Forwarding 31', 28: 'Assured Forwarding 32',
  30: 'Assured Forwarding 33', 32: 'Class Selector 4', 34: 'Assured Forwarding 41', 36: 'Assured Forwarding 42',
  38: 'Assured Forwarding 43', 40: 'Class Selector 5', 44: 'Voice Admit', 46: 'Expedited Forwarding',
  48: 'Class Selector 6', 56: 'Class Selector 7',
};
export const ECN: Record<number, string> = {
  0: 'Not ECN-Capable Transport', 1: "ECN-Capable Transport codepoint '01'", 2: "ECN-Capable Transport codepoint '10'",
  3: 'Congestion Experienced',
};

export const F = defineProtocol('ipv6', 'Internet Protocol Version 6', {
  'ipv6.version': { name: 'Version', type: 'uint', mask: 0xf0, bits: 8 },
  'ipv6.tclass': { name: 'Traffic Class', type: 'uint', base: 'hex', mask: 0x0ff00000, bits: 32 },
  'ipv6.tclass.dscp': { name: 'Differentiated Services Codepoint', type: 'uint', mask: 0x0fc00000, bits: 32, vals: DSCP },
  'ipv6.tclass.ecn': { name: 'Explicit Congestion Notification', type: 'uint', mask: 0x00300000, bits: 32, vals: ECN },
  'ipv6.flow': { name: 'Flow Label', type: 'uint', base: 'hex', mask: 0x000fffff, bits: 32 },
  'ipv6.plen': { name: 'Payload Length', type: 'uint' },
  'ipv6.nxt': { name: 'Next Header', type: 'uint', vals: ipProtoVals },
  'ipv6.hlim': { name: 'Hop Limit', type: 'uint' },
  'ipv6.src': { name: 'Source Address', type: 'ipv6' },
  'ipv6.dst': { name: 'Destination Address', type: 'ipv6' },
  'ipv6.src_sa_mac': { name: 'Source SLAAC MAC', type: 'ether' },
  'ipv6.dst_sa_mac': { name: 'Destination SLAAC MAC', type: 'ether' },
  'ipv6.addr': { name: 'Source or Destination Address', type: 'ipv6' },
  'ipv6.src_host': { name: 'Source Host', type: 'string' },
  'ipv6.dst_host': { name: 'Destination Host', type: 'string' },
  'ipv6.host': { name: 'Source or Destination Host', type: 'string' },
  'ipv6.fragments': { name: 'IPv6 Fragments', type: 'bytes' },
  'ipv6.fragment': { name: 'IPv6 Fragment', type: 'framenum' },
  'ipv6.fragment.count': { name: 'Fragment count', type: 'uint' },
  'ipv6.reassembled_in': { name: 'Reassembled IPv6 in frame', type: 'framenum' },
  'ipv6.reassembled.length': { name: 'Reassembled IPv6 length', type: 'uint' },
  'ipv6.reassembled.data': { name: 'Reassembled IPv6 data', type: 'bytes' },
});

/** Hop limit of the IPv6 header just dissected (ICMPv6 echo Info shows it). */

/** RFC 5952 text, cached per address (a capture has few distinct addresses). */
const textCache = new Map<string, string>();
export function ipv6Text(tvb: Tvb, off: number): string {
  const b = tvb.bytes(off, 16);
  let k = '';
  for (let i = 0; i < 16; i += 4) k += ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) + ',';
  let s = textCache.get(k);
  if (s === undefined) {
    s = ipv6ToString(b);
    if (textCache.size < 65536) textCache.set(k, s);
  }
  return s;
}

/**
 * The next header after the IPv6 header or an extension header: its dissector, "IPv6 no next
 * header" for 59, or tshark's "Unknown IP Protocol: NAME (N)" with the bytes as data.
 */
export function ipv6DispatchNext(nxt: number, payload: Tvb, p: Packet): void {
  p.ipProto = nxt;
  if (nxt === 59) {
    p.cols.setInfo('IPv6 no next header');
    if (payload.reportedLength > 0) {
      dissectData(payload, p);
    }
    return;
  }
  const next = ipProtoTable.get(nxt);
  if (next) {
    next(payload, p);
    return;
  }
  p.cols.setInfo(`Unknown IP Protocol: ${ipProtoName(nxt)} (${nxt})`);
  if (payload.reportedLength > 0) {
    dissectData(payload, p);
  }
}

/** The Jumbo Payload length of a hop-by-hop header at `off` (RFC 2675 §2), or -1. */
function jumboLength(tvb: Tvb, off: number): number {
  if (!tvb.has(off, 2)) return -1;
  const end = off + (tvb.u8(off + 1) + 1) * 8;
  let o = off + 2;
  while (o < end && tvb.has(o, 1)) {
    const type = tvb.u8(o);
    if (type === 0) {
      o++;
      continue;
    }
    if (!tvb.has(o, 2)) return -1;
    const len = tvb.u8(o + 1);
    if (type === 0xc2 && len === 4 && tvb.has(o + 2, 4)) return tvb.u32(o + 2);
    o += 2 + len;
  }
  return -1;
}

/**
 * Dissects an IPv6 header and what follows. Returns false (and dissects nothing) when the
 * version is not 6: the caller decides what that means (tshark's dissector rejects the packet).
 */
export function dissectIpv6Header(tvb: Tvb, p: Packet): boolean {
  const t = p.tree;
  const version = tvb.u8(0) >> 4;
  if (version !== 6) {
    p.cols.protocol = 'IPv6';
    p.cols.setInfo(`Bogus IPv6 version (${version}, must be 6)`);
    if (t) {
      t.open(F.proto, tvb, 0, 1, null);
      t.add(F['ipv6.version'], tvb, 0, 1, version);
      t.expert('error', 'Bogus IPv6 version', tvb, 0, 1, 'Malformed');
      t.close();
    }
    return false;
  }
  p.layers.push('ipv6');
  p.cols.protocol = 'IPv6';
  p.cols.clearInfo();
  if (!tvb.has(0, 40) && tvb.has(8, 16)) {
    // A cut header still shows what it has: tshark reads the fields, the source address (in the
    // Source column too) among them, until the bytes run out.
    p.src = ipv6Text(tvb, 8);
    if (t) {
      t.open(F.proto, tvb, 0, tvb.length, null);
      t.add(F['ipv6.src'], tvb, 8, 16, tvb.bytes(8, 16));
      t.close();
    }
  }
  if (tvb.reportedLength < 40) {
    p.cols.setInfo(`Invalid IPv6 header (${tvb.reportedLength} bytes, need exactly 40)`);
    throw new MalformedError('IPv6 header shorter than 40 bytes');
  }
  const w0 = tvb.u32(0);
  const plenField = tvb.u16(4);
  const nxt = tvb.u8(6);
  const hlim = tvb.u8(7);
  const srcText = ipv6Text(tvb, 8);
  const dstText = ipv6Text(tvb, 24);
  p.ipVersion = 6;
  p.ipTtl = hlim;
  p.ipProto = nxt;
  p.netSrc = p.src = srcText;
  p.netDst = p.dst = dstText;
  p.ipv6Src = tvb.bytes(8, 16);
  p.ipv6Dst = tvb.bytes(24, 16);
  let plen = plenField;
  let jumbo = false;
  if (plenField === 0 && nxt === 0) {
    const j = jumboLength(tvb, 40);
    if (j >= 0) {
      plen = j;
      jumbo = true;
    }
  }
  const avail = tvb.reportedLength - 40;
  if (plen > avail) plen = avail;
  if (t) {
    const tc = (w0 >>> 20) & 0xff;
    const bits = (n: number, w: number) => n.toString(2).padStart(w, '0').replace(/(.{4})(?=.)/g, '$1 ');
    t.open(F.proto, tvb, 0, 40, null, `Internet Protocol Version 6, Src: ${srcText}, Dst: ${dstText}`);
    t.add(F['ipv6.version'], tvb, 0, 1, 6, '0110 .... = Version: 6');
    t.open(F['ipv6.tclass'], tvb, 0, 4, tc,
      `.... ${bits(tc, 8)} .... .... .... .... .... = Traffic Class: 0x${tc.toString(16).padStart(2, '0')} (${dsSummary(tc)})`);
    t.add(F['ipv6.tclass.dscp'], tvb, 0, 4, tc >> 2);
    t.add(F['ipv6.tclass.ecn'], tvb, 0, 4, tc & 3);
    t.close();
    const flow = w0 & 0xfffff;
    t.add(F['ipv6.flow'], tvb, 1, 3, flow, `.... ${bits(flow, 20)} = Flow Label: 0x${flow.toString(16).padStart(5, '0')}`);
    t.add(F['ipv6.plen'], tvb, 4, 2, plenField, jumbo ? `Payload Length: ${plenField} (jumbo payload)` : undefined);
    if (plenField > avail && !jumbo) t.expert('error', `IPv6 payload length exceeds framing length (${avail} bytes)`, tvb, 4, 2, 'Protocol');
    t.add(F['ipv6.nxt'], tvb, 6, 1, nxt);
    t.add(F['ipv6.hlim'], tvb, 7, 1, hlim);
    // ipv6.addr, ipv6.host …: hidden in tshark, there for the display filter.
    const src = tvb.bytes(8, 16);
    const dst = tvb.bytes(24, 16);
    t.add(F['ipv6.src'], tvb, 8, 16, src);
    t.hidden(F['ipv6.addr'], src);
    t.hidden(F['ipv6.src_host'], ipv6ToString(src));
    t.hidden(F['ipv6.host'], ipv6ToString(src));
    t.add(F['ipv6.dst'], tvb, 24, 16, dst);
    t.hidden(F['ipv6.addr'], dst);
    t.hidden(F['ipv6.dst_host'], ipv6ToString(dst));
    t.hidden(F['ipv6.host'], ipv6ToString(dst));
    if (jumbo) t.add(F['ipv6.plen'], tvb, 4, GENERATED, plen, `[Payload Length: ${plen} (jumbogram)]`);
    // An interface identifier made from a MAC (EUI-64, RFC 4291 App. A: ff:fe in its middle, the
    // universal/local bit inverted) gives that MAC back, as tshark shows it.
    const srcMac = slaacMac(src);
    if (srcMac) t.add(F['ipv6.src_sa_mac'], tvb, 8, GENERATED, srcMac, `[Source SLAAC MAC: ${hexBytes(srcMac)}]`);
    const dstMac = slaacMac(dst);
    if (dstMac) t.add(F['ipv6.dst_sa_mac'], tvb, 24, GENERATED, dstMac, `[Destination SLAAC MAC: ${hexBytes(dstMac)}]`);
    p.ipv6Node = t.mark();
    t.close();
  }
  ipv6DispatchNext(nxt, tvb.sub(40, plen), p);
  return true;
}

const DSCP_SHORT: Record<number, string> = {
  0: 'CS0', 1: 'LE', 8: 'CS1', 10: 'AF11', 12: 'AF12', 14: 'AF13', 16: 'CS2', 18: 'AF21', 20: 'AF22', 22: 'AF23',
  24: 'CS3', 26: 'AF31', 28: 'AF32', 30: 'AF33', 32: 'CS4', 34: 'AF41', 36: 'AF42', 38: 'AF43', 40: 'CS5',
  44: 'VA', 46: 'EF', 48: 'CS6', 56: 'CS7',
};
const ECN_SHORT = ['Not-ECT', 'ECT(1)', 'ECT(0)', 'CE'];

/** "DSCP: CS0, ECN: Not-ECT": the summary of IPv4's DS field and IPv6's traffic class. */
export function dsSummary(ds: number): string {
  return `DSCP: ${DSCP_SHORT[ds >> 2] ?? 'Unknown'}, ECN: ${ECN_SHORT[ds & 3]}`;
}

/** The MAC address in an EUI-64 interface identifier (bytes 11–12 ff:fe), else null. */
function slaacMac(addr: Uint8Array): Uint8Array | null {
  if (addr[11] !== 0xff || addr[12] !== 0xfe) return null;
  return Uint8Array.of(addr[8]! ^ 0x02, addr[9]!, addr[10]!, addr[13]!, addr[14]!, addr[15]!);
}

function dissectIpv6Ethertype(tvb: Tvb, p: Packet): void {
  if (dissectIpv6Header(tvb, p)) return;
  // Rejected: tshark's EtherType table then shows the bytes as data named after the type.
  p.cols.protocol = '0x86dd';
  p.cols.setInfo('IPv6');
  dissectData(tvb, p);
}

function dissectIpv6Link(tvb: Tvb, p: Packet): void {
  if (!tvb.has(0, 1) && tvb.reportedLength === 0) {
    p.layers.push('ipv6');
    throw new MalformedError('empty packet');
  }
  dissectIpv6Header(tvb, p);
}

function dissectIpv6InIp(tvb: Tvb, p: Packet): void {
  if (!dissectIpv6Header(tvb, p)) {
    dissectData(tvb, p);
  }
}

etherTypeTable.add(0x86dd, dissectIpv6Ethertype);
ipProtoTable.add(41, dissectIpv6InIp); // IPv6 in IP (RFC 4213)
linkTypeTable.add(229, dissectIpv6Link); // LINKTYPE_IPV6
