// IPv4 (RFC 791; DSCP/ECN RFC 2474/3168; options RFC 791 §3.1, RFC 2113 router alert) with
// fragment reassembly as tshark does it by default (ip-reassembly.ts), the Info texts tshark
// gives bogus headers, and the hand-off to the transport through ipProtoTable.

import { etherTypeTable, ipProtoTable, linkTypeTable } from './tables.ts';
import { PacketFlag, type Packet } from './packet.ts';
import { defineProtocol, ipv4ToString } from './registry.ts';
import { GENERATED, type TreeSink } from './tree.ts';
import { Tvb } from './tvb.ts';
import { U32Map } from './u32-map.ts';
import { ipProtoName, ipProtoVals } from './ipproto-names.ts';
import { addFragmentTree, FragmentTable, errorContext, type FragmentPart } from './ip-reassembly.ts';
import { stateSlot } from './packet.ts';
import { dissectIpv6Header, dsSummary } from './ipv6.ts';
import { dissectData } from './data.ts';

import { DSCP, ECN } from './ipv6.ts';

export const DSCP_VALS = DSCP;

const OPT_NUMBERS = {
  0: 'End of Option List (EOL)', 1: 'No-Operation (NOP)', 2: 'Security', 3: 'Loose source route', 4: 'Time stamp',
  5: 'Extended security', 6: 'Commercial IP security option', 7: 'Record route', 8: 'Stream identifier',
  9: 'Strict source route', 10: 'Experimental Measurement', 11: 'MTU probe', 12: 'MTU Reply',
  13: 'Experimental Flow Control', 14: 'Experimental Access Control', 15: 'Ask Estrin', 16: 'IMI Traffic Descriptor',
  17: 'Extended Internet Protocol', 18: 'Traceroute', 19: 'Address Extension', 20: 'Router Alert',
  21: 'Selective Directed Broadcast', 22: 'Unassigned', 23: 'Dynamic Packet State', 24: 'Upstream Multicast Packet',
  25: 'Quick-Start', 30: 'RFC 3692-style experiment',
};

/** Option names as the tree titles them (by full type byte), with the fixed lengths RFC 791 gives. */
const OPTIONS: Record<number, { name: string; fixed?: number; min?: number }> = {
  0x00: { name: 'End of Options List (EOL)' },
  0x01: { name: 'No-Operation (NOP)' },
  0x82: { name: 'Security', fixed: 11 },
  0x83: { name: 'Loose Source Route', min: 3 },
  0x44: { name: 'Time Stamp', min: 4 },
  0x85: { name: 'Extended Security', min: 3 },
  0x86: { name: 'Commercial Security', min: 10 },
  0x07: { name: 'Record Route', min: 3 },
  0x88: { name: 'Stream ID', fixed: 4 },
  0x89: { name: 'Strict Source Route', min: 3 },
  0x0b: { name: 'MTU Probe', fixed: 4 },
  0x0c: { name: 'MTU Reply', fixed: 4 },
  0x52: { name: 'Traceroute', fixed: 12 },
  0x94: { name: 'Router Alert', fixed: 4 },
  0x19: { name: 'Quick-Start', fixed: 8 },
};

export const F = defineProtocol('ip', 'Internet Protocol Version 4', {
  'ip.version': { name: 'Version', type: 'uint', mask: 0xf0, bits: 8 },
  'ip.hdr_len': { name: 'Header Length', type: 'uint', mask: 0x0f, bits: 8, unit: ' bytes' },
  'ip.dsfield': { name: 'Differentiated Services Field', type: 'uint', base: 'hex', bits: 8 },
  'ip.dsfield.dscp': { name: 'Differentiated Services Codepoint', type: 'uint', mask: 0xfc, bits: 8, vals: DSCP },
  'ip.dsfield.ecn': { name: 'Explicit Congestion Notification', type: 'uint', mask: 0x03, bits: 8, vals: ECN },
  'ip.len': { name: 'Total Length', type: 'uint' },
  'ip.id': { name: 'Identification', type: 'uint', base: 'hex_dec', bits: 16 },
  'ip.flags': { name: 'Flags', type: 'uint', base: 'hex', bits: 8 },
  'ip.flags.rb': { name: 'Reserved bit', type: 'bool', mask: 0x80, bits: 8, tfs: ['Set', 'Not set'] },
  'ip.flags.df': { name: "Don't fragment", type: 'bool', mask: 0x40, bits: 8, tfs: ['Set', 'Not set'] },
  'ip.flags.mf': { name: 'More fragments', type: 'bool', mask: 0x20, bits: 8, tfs: ['Set', 'Not set'] },
  'ip.frag_offset': { name: 'Fragment Offset', type: 'uint' },
  'ip.ttl': { name: 'Time to Live', type: 'uint' },
  'ip.proto': { name: 'Protocol', type: 'uint', vals: ipProtoVals },
  'ip.checksum': { name: 'Header Checksum', type: 'uint', base: 'hex', bits: 16 },
  'ip.src': { name: 'Source Address', type: 'ipv4' },
  'ip.dst': { name: 'Destination Address', type: 'ipv4' },
  'ip.addr': { name: 'Source or Destination Address', type: 'ipv4' },
  'ip.src_host': { name: 'Source Host', type: 'string' },
  'ip.dst_host': { name: 'Destination Host', type: 'string' },
  'ip.host': { name: 'Source or Destination Host', type: 'string' },
  'ip.checksum.status': { name: 'Header checksum status', type: 'uint', vals: { 0: 'Bad', 1: 'Good', 2: 'Unverified' } },
  'ip.options': { name: 'Options', type: 'bytes' },
  'ip.opt.type': { name: 'Type', type: 'uint' },
  'ip.opt.type.copy': { name: 'Copy on fragmentation', type: 'bool', mask: 0x80, bits: 8, tfs: ['Yes', 'No'] },
  'ip.opt.type.class': { name: 'Class', type: 'uint', mask: 0x60, bits: 8, vals: { 0: 'Control', 1: 'Reserved for future use', 2: 'Debugging and measurement', 3: 'Reserved for future use' } },
  'ip.opt.type.number': { name: 'Number', type: 'uint', mask: 0x1f, bits: 8, vals: OPT_NUMBERS },
  'ip.opt.len': { name: 'Length', type: 'uint' },
  'ip.opt.ptr': { name: 'Pointer', type: 'uint' },
  'ip.opt.ra': { name: 'Router Alert', type: 'uint', vals: { 0: 'Router shall examine packet' } },
  'ip.opt.addr': { name: 'IP Address', type: 'ipv4' },
  'ip.rec_rt': { name: 'Recorded Route', type: 'ipv4' },
  'ip.src_rt': { name: 'Source Route', type: 'ipv4' },
  'ip.empty_rt': { name: 'Empty Route', type: 'ipv4' },
  'ip.opt.time_stamp': { name: 'Time stamp', type: 'uint' },
  'ip.opt.len.invalid': { name: 'Invalid length for option', type: 'none' },
  'ip.fragments': { name: 'IPv4 Fragments', type: 'bytes' },
  'ip.fragment': { name: 'IPv4 Fragment', type: 'framenum' },
  'ip.fragment.count': { name: 'Fragment count', type: 'uint' },
  'ip.reassembled_in': { name: 'Reassembled IPv4 in frame', type: 'framenum' },
  'ip.reassembled.length': { name: 'Reassembled IPv4 length', type: 'uint' },
  'ip.reassembled.data': { name: 'Reassembled IPv4 data', type: 'bytes' },
});

const FRAG_FIELDS = {
  fragments: F['ip.fragments'],
  fragment: F['ip.fragment'],
  count: F['ip.fragment.count'],
  reassembledIn: F['ip.reassembled_in'],
  reassembledLength: F['ip.reassembled.length'],
  reassembledData: F['ip.reassembled.data'],
};

/** Cache of printable addresses: formatting dominates otherwise on large captures. */
const textCache = new U32Map<string>(1024);
export function ipv4Text(a: number): string {
  let s = textCache.get(a);
  if (s === undefined) {
    s = ipv4ToString(a);
    if (textCache.size < 65536) textCache.set(a, 0, s);
  }
  return s;
}

/** TTL of the IPv4 header just dissected (ICMP echo Info shows it). */

const frags = stateSlot((state) => state.addDependencies(new FragmentTable()));

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

/**
 * Hands an IP payload to the dissector of `proto`, or labels it with the protocol's name as
 * tshark does for payloads nobody dissects ("CRUDP (127)").
 */
export function dispatchIpProto(proto: number, payload: Tvb, p: Packet): void {
  const next = ipProtoTable.get(proto);
  if (next) {
    next(payload, p);
    return;
  }
  p.cols.setInfo(`${ipProtoName(proto)} (${proto})`);
  if (payload.reportedLength > 0) {
    dissectData(payload, p);
  }
}

/** RFC 791 §3.1 options. A length below 2 or past the header ends the walk (never a loop). */
function dissectOptions(tvb: Tvb, t: TreeSink, end: number): void {
  const len = end - 20;
  t.open(F['ip.options'], tvb, 20, len, tvb.bytes(20, len), `Options: (${len} bytes)`);
  let off = 20;
  while (off < end) {
    const type = tvb.u8(off);
    const def = OPTIONS[type];
    const name = def?.name ?? `Unknown (0x${type.toString(16).padStart(2, '0')})`;
    const typeItems = () => {
      t.open(F['ip.opt.type'], tvb, off, 1, type);
      t.add(F['ip.opt.type.copy'], tvb, off, 1, (type & 0x80) !== 0);
      t.add(F['ip.opt.type.class'], tvb, off, 1, (type >> 5) & 3);
      t.add(F['ip.opt.type.number'], tvb, off, 1, type & 0x1f);
      t.close();
    };
    if (type === 0 || type === 1) {
      t.text(tvb, off, 1, `IP Option - ${name}`, true);
      typeItems();
      t.close();
      off++;
      if (type === 0) break;
      continue;
    }
    if (off + 1 >= end) {
      t.expert('warn', `${name} (length byte past end of options)`, tvb, off, 1, 'Protocol');
      break;
    }
    const olen = tvb.u8(off + 1);
    if (olen < 2 || (def?.min !== undefined && olen < def.min) || (def?.fixed !== undefined && olen < def.fixed)) {
      t.text(tvb, off, 2, `${name} (with too-short option length = ${olen} byte${olen === 1 ? '' : 's'})`, true);
      t.expert('warn', `${name} (with too-short option length = ${olen} byte${olen === 1 ? '' : 's'})`, tvb, off, 2, 'Protocol');
      t.close();
      break;
    }
    if (off + olen > end) {
      t.text(tvb, off, end - off, `${name} (option length = ${olen} bytes says option goes past end of options)`, true);
      t.expert('warn', `${name} (option length = ${olen} bytes says option goes past end of options)`, tvb, off, end - off, 'Protocol');
      t.close();
      break;
    }
    if (type === 0x94 && olen === 4) {
      const ra = tvb.u16(off + 2);
      const raText = ra === 0 ? 'Router shall examine packet' : 'Reserved';
      t.text(tvb, off, olen, `IP Option - ${name} (${olen} bytes): ${raText} (${ra})`, true);
      typeItems();
      t.add(F['ip.opt.len'], tvb, off + 1, 1, olen);
      t.add(F['ip.opt.ra'], tvb, off + 2, 2, ra);
      t.close();
      t.appendLabel(`, ${name}`);
    } else {
      t.text(tvb, off, olen, `IP Option - ${name} (${olen} bytes)`, true);
      typeItems();
      t.add(F['ip.opt.len'], tvb, off + 1, 1, olen);
      if ((type & 0x1f) === 3 || (type & 0x1f) === 7 || (type & 0x1f) === 9) {
        // Route options (RFC 791 §3.1): pointer, then addresses.
        const ptr = tvb.u8(off + 2);
        t.add(F['ip.opt.ptr'], tvb, off + 2, 1, ptr, `Pointer: ${ptr}`);
        for (let a = off + 3; a + 4 <= off + olen; a += 4) {
          const f = (type & 0x1f) === 7 ? (a - off + 1 < ptr ? F['ip.rec_rt'] : F['ip.empty_rt']) : F['ip.src_rt'];
          t.add(f, tvb, a, 4, tvb.u32(a));
        }
      }
      t.close();
    }
    off += olen;
  }
  t.close();
}

/** Bogus-version hand-off: the EtherType 0x0800 path accepts an IPv6 header as tshark does. */
export function dissectIpv4(tvb: Tvb, p: Packet): void {
  p.layers.push('ip');
  p.cols.protocol = 'IPv4';
  p.cols.clearInfo();
  const vhl = tvb.u8(0);
  const version = vhl >> 4;
  const t = p.tree;
  if (version !== 4) {
    if (version === 6) {
      dissectIpv6Header(tvb, p);
      return;
    }
    p.cols.setInfo(`Bogus IPv4 version (${version}, must be 4)`);
    if (t) {
      t.open(F.proto, tvb, 0, 1, null);
      t.add(F['ip.version'], tvb, 0, 1, version);
      t.expert('error', `Bogus IPv4 version (${version}, must be 4)`, tvb, 0, 1, 'Protocol');
      t.close();
    }
    return;
  }
  dissectIpv4Header(tvb, p, vhl);
}

/** The "ip" dissector of LINKTYPE_IPV4 and raw captures: picks the header by version. */
export function dissectIp(tvb: Tvb, p: Packet): void {
  p.layers.push('ip');
  const version = tvb.u8(0) >> 4;
  if (version === 4) {
    p.cols.protocol = 'IPv4';
    p.cols.clearInfo();
    dissectIpv4Header(tvb, p, tvb.u8(0));
  } else if (version === 6) {
    dissectIpv6Header(tvb, p);
  } else {
    p.cols.protocol = 'IP';
    p.cols.setInfo(`Bogus IP version (${version})`);
    if (p.tree) {
      p.tree.open(F.proto, tvb, 0, 1, null, 'Internet Protocol, bogus version');
      p.tree.add(F['ip.version'], tvb, 0, 1, version);
      p.tree.close();
    }
  }
}

function dissectIpv4Header(tvb: Tvb, p: Packet, vhl: number): void {
  const t = p.tree;
  const hlen = (vhl & 0x0f) * 4;
  const hlText = t ? `.... ${(vhl & 15).toString(2).padStart(4, '0')} = Header Length: ${hlen} bytes (${vhl & 15})` : '';
  if (hlen < 20) {
    p.cols.setInfo(`Bogus IP header length (${hlen}, must be at least 20)`);
    if (t) {
      t.open(F.proto, tvb, 0, 1, null);
      t.add(F['ip.version'], tvb, 0, 1, 4);
      t.add(F['ip.hdr_len'], tvb, 0, 1, hlen, hlText);
      t.expert('error', `Bogus IP header length (${hlen}, must be at least 20)`, tvb, 0, 1, 'Protocol');
      t.close();
    }
    return;
  }
  const ds = tvb.u8(1);
  const lenField = tvb.u16(2);
  const reported = tvb.reportedLength;
  // A zero total length is what TCP segmentation offload leaves: the frame's length counts.
  let totalLen = lenField === 0 ? reported : lenField;
  if (totalLen < hlen) {
    p.cols.setInfo(`Bogus IP length (${totalLen}, less than header length ${hlen})`);
    if (t) {
      t.open(F.proto, tvb, 0, hlen, null);
      t.add(F['ip.version'], tvb, 0, 1, 4);
      t.add(F['ip.hdr_len'], tvb, 0, 1, hlen, hlText);
      t.add(F['ip.len'], tvb, 2, 2, totalLen);
      t.expert('error', `Bogus IP length (${totalLen}, less than header length ${hlen})`, tvb, 2, 2, 'Protocol');
      t.close();
    }
    return;
  }
  const tooLong = totalLen > reported;
  if (tooLong) totalLen = reported;
  const id = tvb.u16(4);
  const flagsFrag = tvb.u16(6);
  const ttl = tvb.u8(8);
  const proto = tvb.u8(9);
  const cksum = tvb.u16(10);
  const src = tvb.u32(12);
  const dst = tvb.u32(16);
  if (hlen > 20) tvb.check(20, hlen - 20);
  const fragOff = (flagsFrag & 0x1fff) * 8;
  const mf = (flagsFrag & 0x2000) !== 0;
  p.ipVersion = 4;
  p.ipTtl = ttl;
  p.ipProto = proto;
  p.netSrc = p.src = ipv4Text(src);
  p.netDst = p.dst = ipv4Text(dst);
  if (t) {
    t.open(F.proto, tvb, 0, hlen, null, `Internet Protocol Version 4, Src: ${p.src}, Dst: ${p.dst}`);
    t.add(F['ip.version'], tvb, 0, 1, 4);
    t.add(F['ip.hdr_len'], tvb, 0, 1, hlen, hlText);
    t.open(F['ip.dsfield'], tvb, 1, 1, ds, `Differentiated Services Field: 0x${ds.toString(16).padStart(2, '0')} (${dsSummary(ds)})`);
    t.add(F['ip.dsfield.dscp'], tvb, 1, 1, ds >> 2);
    t.add(F['ip.dsfield.ecn'], tvb, 1, 1, ds & 3);
    t.close();
    if (lenField === 0) {
      t.add(F['ip.len'], tvb, 2, 2, totalLen,
        `[Total Length: ${totalLen} bytes (reported as 0, presumed to be because of "TCP segmentation offload" (TSO))]`);
    } else {
      t.add(F['ip.len'], tvb, 2, 2, lenField);
      if (tooLong) t.expert('error', `IPv4 total length exceeds packet length (${reported} bytes)`, tvb, 2, 2, 'Protocol');
    }
    t.add(F['ip.id'], tvb, 4, 2, id);
    const fl = flagsFrag >> 13;
    const flagNames = [fl & 4 ? 'Reserved bit' : '', fl & 2 ? "Don't fragment" : '', fl & 1 ? 'More fragments' : ''].filter(Boolean);
    t.open(F['ip.flags'], tvb, 6, 1, fl,
      `${fl.toString(2).padStart(3, '0')}. .... = Flags: 0x${fl.toString(16)}${flagNames.length ? ', ' + flagNames.join(', ') : ''}`);
    t.add(F['ip.flags.rb'], tvb, 6, 1, (fl & 4) !== 0);
    t.add(F['ip.flags.df'], tvb, 6, 1, (fl & 2) !== 0);
    t.add(F['ip.flags.mf'], tvb, 6, 1, mf);
    t.close();
    const fo = (flagsFrag & 0x1fff).toString(2).padStart(13, '0');
    t.add(F['ip.frag_offset'], tvb, 6, 2, fragOff,
      `...${fo.slice(0, 1)} ${fo.slice(1, 5)} ${fo.slice(5, 9)} ${fo.slice(9)} = Fragment Offset: ${fragOff}`);
    t.add(F['ip.ttl'], tvb, 8, 1, ttl);
    t.add(F['ip.proto'], tvb, 9, 1, proto);
    t.add(F['ip.checksum'], tvb, 10, 2, cksum, `Header Checksum: 0x${hex4(cksum)} [validation disabled]`);
    t.add(F['ip.checksum.status'], tvb, 10, GENERATED, 2, 'Header checksum status: Unverified');
    // ip.addr, ip.host …: hidden in tshark, there for the display filter.
    t.add(F['ip.src'], tvb, 12, 4, src);
    t.hidden(F['ip.addr'], src);
    t.hidden(F['ip.src_host'], ipv4ToString(src));
    t.hidden(F['ip.host'], ipv4ToString(src));
    t.add(F['ip.dst'], tvb, 16, 4, dst);
    t.hidden(F['ip.addr'], dst);
    t.hidden(F['ip.dst_host'], ipv4ToString(dst));
    t.hidden(F['ip.host'], ipv4ToString(dst));
    if (hlen > 20) dissectOptions(tvb, t, hlen);
  }

  const payload = tvb.sub(hlen, totalLen - hlen);
  if (!mf && fragOff === 0) {
    t?.close();
    // tshark hands nothing on when the datagram has no payload at all.
    if (payload.reportedLength > 0) dispatchIpProto(proto, payload, p);
    return;
  }

  // A fragment (RFC 791 §2.3). Reassembled when the whole fragment was captured.
  const table = frags.of(p.state);
  const key = `${src}|${dst}|${id}|${proto}`;
  let datagram: Uint8Array | null = null;
  let parts: FragmentPart[] | null = null;
  const canReassemble = payload.length === payload.reportedLength && payload.reportedLength > 0 && errorContext.depth === 0;
  if (!p.visited) {
    if (canReassemble) {
      datagram = table.add(key, p, payload, fragOff, mf);
      if (datagram) parts = table.completedIn.get(p.num)!;
    }
  } else {
    const r = table.rebuild(p);
    if (r) {
      datagram = r.data;
      parts = r.parts;
    }
  }
  if (datagram && parts) {
    if (t) {
      addFragmentTree(t, payload, 'IPv4', parts, datagram, FRAG_FIELDS);
      t.close();
    }
    p.flags |= PacketFlag.Reassembled;
    const src2 = p.addSource('Reassembled IPv4', datagram);
    dispatchIpProto(proto, new Tvb(datagram, 0, datagram.length, datagram.length, src2), p);
    return;
  }
  p.flags |= PacketFlag.Fragment;
  const inFrame = p.visited ? table.reassembledIn.get(p.num) : undefined;
  if (t) {
    if (inFrame) t.add(F['ip.reassembled_in'], tvb, 0, GENERATED, inFrame, `[Reassembled IPv4 in frame: ${inFrame}]`);
    t.close();
  }
  p.cols.setInfo(`Fragmented IP protocol (proto=${ipProtoName(proto)} ${proto}, off=${fragOff}, ID=${hex4(id)})`);
  if (inFrame) p.cols.appendInfo(` [Reassembled in #${inFrame}]`);
  if (payload.reportedLength > 0) {
    dissectData(payload, p);
  }
}

etherTypeTable.add(0x0800, dissectIpv4);
ipProtoTable.add(4, dissectIpv4); // IPv4 in IPv4 (RFC 2003)
linkTypeTable.add(228, dissectIp); // LINKTYPE_IPV4
