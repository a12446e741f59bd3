// IPv6 extension headers (RFC 8200 §4): Hop-by-Hop Options (0), Routing (43: type 0, 2 of
// RFC 6275, 3 of RFC 6554, 4 = SRH of RFC 8754), Fragment (44, reassembled like IPv4),
// Destination Options (60); and AH (51, RFC 4302) / ESP (50, RFC 4303) enough to name them.
// Each registers in the ip.proto table, so they work after an IPv4 header too, as in tshark.

import { PacketFlag, stateSlot, type Packet } from './packet.ts';
import { defineProtocol } from './registry.ts';
import { ipProtoTable } from './tables.ts';
import { GENERATED, type TreeSink } from './tree.ts';
import { MalformedError, Tvb } from './tvb.ts';
import { ipProtoVals } from './ipproto-names.ts';
import { addFragmentTree, errorContext, FragmentTable, type FragmentPart } from './ip-reassembly.ts';
import { F as V6, ipv6DispatchNext, ipv6Text } from './ipv6.ts';
import { dissectData } from './data.ts';

const OPT_TYPES = {
  0: 'Pad1', 1: 'PadN', 4: 'Tunnel Encapsulation Limit', 5: 'Router Alert', 7: 'CALIPSO', 8: 'SMF_DPD',
  15: 'Performance and Diagnostic Metrics', 30: 'Experimental (0x1E)', 38: 'Quick-Start', 48: 'Path MTU Option',
  49: 'IOAM Option', 62: 'Experimental (0x3E)', 65: 'Tunnel Payload Forwarding (TPF) Information',
  94: 'Experimental (0x5E)', 99: 'RPL Option', 109: 'MPL Option', 126: 'Experimental (0x7E)',
  138: 'Endpoint Identification', 139: 'ILNP Nonce', 140: 'Line-Identification Option', 158: 'Experimental (0x9E)',
  190: 'Experimental (0xBE)', 194: 'Jumbo Payload', 201: 'Home Address', 222: 'Experimental (0xDE)', 238: 'IP_DFF',
  254: 'Experimental (0xFE)',
};
const OPT_ACTIONS = {
  0: 'Skip and continue', 1: 'Discard', 2: 'Discard and send ICMP Parameter Problem', 3: 'Discard and send ICMP if not multicast',
};

const ROUTING_TYPES = {
  0: 'Source Route', 1: 'Nimrod', 2: 'Type 2 Routing', 3: 'RPL Source Route', 4: 'Segment Routing',
  5: 'Compact Routing Header 16', 6: 'Compact Routing Header 32', 253: 'Experiment 1', 254: 'Experiment 2',
};
const RA_VALUES: Record<number, string> = { 0: 'MLD', 1: 'RSVP', 2: 'Active Networks' };

export const F = defineProtocol('ipv6.hopopts', 'IPv6 Hop-by-Hop Option', {
  'ipv6.hopopts.nxt': { name: 'Next Header', type: 'uint', vals: ipProtoVals },
  'ipv6.hopopts.len': { name: 'Length', type: 'uint' },
  'ipv6.hopopts.len_oct': { name: 'Length', type: 'uint', unit: ' bytes' },
});
export const D = defineProtocol('ipv6.dstopts', 'Destination Options for IPv6', {
  'ipv6.dstopts.nxt': { name: 'Next Header', type: 'uint', vals: ipProtoVals },
  'ipv6.dstopts.len': { name: 'Length', type: 'uint' },
  'ipv6.dstopts.len_oct': { name: 'Length', type: 'uint', unit: ' bytes' },
});
export const O = defineProtocol('ipv6.opt', 'IPv6 Option', {
  'ipv6.opt.type': { name: 'Type', type: 'uint', base: 'hex', bits: 8, vals: OPT_TYPES },
  'ipv6.opt.length': { name: 'Length', type: 'uint' },
  // RFC 8200 §4.2: the option type's two high bits say what to do with an unknown option, the next whether it may change en route.
  'ipv6.opt.type.action': { name: 'Action', type: 'uint', mask: 0xc0, bits: 8, vals: OPT_ACTIONS },
  'ipv6.opt.type.change': { name: 'May Change', type: 'bool', mask: 0x20, bits: 8, tfs: ['Yes', 'No'] },
  'ipv6.opt.type.rest': { name: 'Low-Order Bits', type: 'uint', base: 'hex', mask: 0x1f, bits: 8 },
  'ipv6.opt.pad1': { name: 'Pad1', type: 'none' },
  'ipv6.opt.padn': { name: 'PadN', type: 'bytes' },
  'ipv6.opt.jumbo': { name: 'Payload Length', type: 'uint' },
  'ipv6.opt.router_alert': { name: 'Router Alert', type: 'uint', vals: RA_VALUES },
  'ipv6.opt.mipv6.home_address': { name: 'Home Address', type: 'ipv6' },
  'ipv6.opt.unknown': { name: 'Unknown Option Payload', type: 'bytes' },
});
export const R = defineProtocol('ipv6.routing', 'Routing Header for IPv6', {
  'ipv6.routing.nxt': { name: 'Next Header', type: 'uint', vals: ipProtoVals },
  'ipv6.routing.len': { name: 'Length', type: 'uint' },
  'ipv6.routing.len_oct': { name: 'Length', type: 'uint', unit: ' bytes' },
  'ipv6.routing.src.reserved': { name: 'Reserved', type: 'bytes' },
  'ipv6.routing.type': { name: 'Type', type: 'uint', vals: ROUTING_TYPES },
  'ipv6.routing.segleft': { name: 'Segments Left', type: 'uint' },
  'ipv6.routing.src.addr': { name: 'Address', type: 'ipv6' },
  'ipv6.routing.mipv6.home_address': { name: 'Home Address', type: 'ipv6' },
  'ipv6.routing.srh.last_entry': { name: 'Last Entry', type: 'uint' },
  'ipv6.routing.srh.flags': { name: 'Flags', type: 'uint', base: 'hex', bits: 8 },
  'ipv6.routing.srh.tag': { name: 'Tag', type: 'uint', base: 'hex', bits: 16 },
  'ipv6.routing.srh.addr': { name: 'Address', type: 'ipv6' },
});
export const FR = defineProtocol('ipv6.fraghdr', 'Fragment Header for IPv6', {
  'ipv6.fraghdr.nxt': { name: 'Next header', type: 'uint', vals: ipProtoVals },
  'ipv6.fraghdr.reserved_octet': { name: 'Reserved octet', type: 'uint', base: 'hex', bits: 8 },
  'ipv6.fraghdr.offset': { name: 'Offset', type: 'uint', mask: 0xfff8, bits: 16 },
  'ipv6.fraghdr.reserved_bits': { name: 'Reserved bits', type: 'uint', mask: 0x0006, bits: 16 },
  'ipv6.fraghdr.more': { name: 'More Fragments', type: 'bool', mask: 0x0001, bits: 16, tfs: ['Yes', 'No'] },
  'ipv6.fraghdr.ident': { name: 'Identification', type: 'uint', base: 'hex', bits: 32 },
});
export const AH = defineProtocol('ah', 'Authentication Header', {
  'ah.next_header': { name: 'Next header', type: 'uint', vals: ipProtoVals },
  'ah.length': { name: 'Length', type: 'uint' },
  'ah.spi': { name: 'AH SPI', type: 'uint', base: 'hex', bits: 32 },
  'ah.sequence': { name: 'AH Sequence', type: 'uint' },
  'ah.icv': { name: 'AH ICV', type: 'bytes' },
});
export const ESP = defineProtocol('esp', 'Encapsulating Security Payload', {
  'esp.spi': { name: 'ESP SPI', type: 'uint', base: 'hex', bits: 32 },
  'esp.sequence': { name: 'ESP Sequence', type: 'uint' },
});

const FRAG_FIELDS = {
  fragments: V6['ipv6.fragments'],
  fragment: V6['ipv6.fragment'],
  count: V6['ipv6.fragment.count'],
  reassembledIn: V6['ipv6.reassembled_in'],
  reassembledLength: V6['ipv6.reassembled.length'],
  reassembledData: V6['ipv6.reassembled.data'],
};

const frags = stateSlot((state) => state.addDependencies(new FragmentTable()));

/**
 * TLV options of hop-by-hop / destination options (RFC 8200 §4.2), walked on every pass as
 * tshark does: an option running past its header is malformed (or cut short by the capture).
 * Never loops: each step advances.
 */
/** An option's type with its action, may-change and low-order bits under it, as tshark shows it. */
function optionType(t: TreeSink, tvb: Tvb, off: number, type: number, label: string): void {
  t.open(O['ipv6.opt.type'], tvb, off, 1, type, label);
  t.add(O['ipv6.opt.type.action'], tvb, off, 1, type >> 6);
  t.add(O['ipv6.opt.type.change'], tvb, off, 1, (type & 0x20) !== 0);
  t.add(O['ipv6.opt.type.rest'], tvb, off, 1, type & 0x1f);
  t.close();
}

function dissectOptions(tvb: Tvb, off: number, end: number, p: Packet): void {
  const t = p.tree;
  while (off < end) {
    const type = tvb.u8(off);
    const name = (OPT_TYPES as Record<number, string>)[type] ?? `Unknown IPv6 Option (${type})`;
    if (type === 0) {
      if (t) {
        t.text(tvb, off, 1, 'Pad1', true);
        optionType(t, tvb, off, 0, 'Type: Pad1 (0x00)');
        t.add(O['ipv6.opt.pad1'], tvb, off, 1, null);
        t.close();
      }
      off++;
      continue;
    }
    const len = tvb.u8(off + 1);
    if (t) {
      t.text(tvb, off, 2 + len, name, true);
      optionType(t, tvb, off, type, `Type: ${name.startsWith('Unknown') ? 'Unknown' : name} (0x${type.toString(16).padStart(2, '0')})`);
      t.add(O['ipv6.opt.length'], tvb, off + 1, 1, len);
    }
    if (type === 0xc9) {
      // Home Address (RFC 6275 §6.3): the packet really comes from the home address, so tshark
      // shows it as the Source. tshark reads its 16 bytes whatever the length byte says, and
      // goes on after them.
      if (len !== 16) t?.expert('error', `Home Address: Invalid length (${len} bytes)`, tvb, off + 1, 1, 'Malformed');
      t?.add(O['ipv6.opt.mipv6.home_address'], tvb, off + 2, 16, tvb.bytes(off + 2, 16));
      t?.close();
      if (off + 18 > end) throw new MalformedError('IPv6 option runs past its header');
      p.src = ipv6Text(tvb, off + 2);
      off += 18;
      continue;
    }
    try {
      tvb.check(off + 2, len);
      if (off + 2 + len > end) throw new MalformedError('IPv6 option runs past its header');
      if (t) {
        if (type === 1) t.add(O['ipv6.opt.padn'], tvb, off + 2, len, tvb.bytes(off + 2, len));
        else if (type === 0xc2 && len === 4) t.add(O['ipv6.opt.jumbo'], tvb, off + 2, 4, tvb.u32(off + 2));
        else if (type === 5 && len === 2) t.add(O['ipv6.opt.router_alert'], tvb, off + 2, 2, tvb.u16(off + 2));
        else if (len > 0) t.add(O['ipv6.opt.unknown'], tvb, off + 2, len, tvb.bytes(off + 2, len));
      }
    } finally {
      t?.close();
    }
    off += 2 + len;
  }
}

/** Hop-by-Hop (0) and Destination (60) Options: same layout, different names. */
/**
 * Runs `part` (an extension header's own work, its tree items included) with the latest IPv6
 * header's node open again: tshark shows the extension headers and the fragment reassembly
 * inside the IPv6 subtree, not beside it.
 */
function insideIpv6(p: Packet, part: () => void): void {
  const t = p.tree;
  const back = !!t && p.ipVersion === 6 && t.reenter(p.ipv6Node);
  try {
    part();
  } finally {
    if (back) t!.close();
  }
}

function optionsHeader(dst: boolean): (tvb: Tvb, p: Packet) => void {
  const P = dst ? D : F;
  const layer = dst ? 'ipv6.dstopts' : 'ipv6.hopopts';
  const infoName = dst ? 'IPv6 destination options' : 'IPv6 hop-by-hop options';
  const title = dst ? 'Destination Options for IPv6' : 'IPv6 Hop-by-Hop Option';
  return (tvb, p) => {
    p.layers.push(layer);
    p.cols.appendInfoSep(', ', infoName);
    const nxt = tvb.u8(0);
    const lenField = tvb.u8(1);
    const len = (lenField + 1) * 8;
    const t = p.tree;
    insideIpv6(p, () => {
      if (t) {
        t.open(P.proto, tvb, 0, len, null, title);
        t.add(dst ? D['ipv6.dstopts.nxt'] : F['ipv6.hopopts.nxt'], tvb, 0, 1, nxt);
        t.add(dst ? D['ipv6.dstopts.len'] : F['ipv6.hopopts.len'], tvb, 1, 1, lenField);
        t.add(dst ? D['ipv6.dstopts.len_oct'] : F['ipv6.hopopts.len_oct'], tvb, 1, GENERATED, len, `[Length: ${len} bytes]`);
      }
      try {
        dissectOptions(tvb, 2, len, p);
        // The whole header must be there (a length past the payload is malformed).
        tvb.check(0, len);
      } finally {
        t?.close();
      }
    });
    ipv6DispatchNext(nxt, tvb.sub(len), p);
  };
}

/** Routing header (RFC 8200 §4.4). The Destination column shows the final destination. */
function dissectRouting(tvb: Tvb, p: Packet): void {
  p.layers.push('ipv6.routing');
  p.cols.appendInfoSep(', ', 'IPv6 routing');
  const nxt = tvb.u8(0);
  const lenField = tvb.u8(1);
  const type = tvb.u8(2);
  const segLeft = tvb.u8(3);
  const len = (lenField + 1) * 8;
  const t = p.tree;
  const typeName = (ROUTING_TYPES as Record<number, string>)[type] ?? 'Unknown';
  insideIpv6(p, () => {
    if (t) {
      t.open(R.proto, tvb, 0, len, null, `Routing Header for IPv6 (${typeName})`);
      t.add(R['ipv6.routing.nxt'], tvb, 0, 1, nxt);
      t.add(R['ipv6.routing.len'], tvb, 1, 1, lenField);
      t.add(R['ipv6.routing.len_oct'], tvb, 1, GENERATED, len, `[Length: ${len} bytes]`);
      if (type === 0) {
        // RFC 5095 deprecates the type 0 routing header.
        t.open(R['ipv6.routing.type'], tvb, 2, 1, type);
        t.expert('note', 'Routing header type is deprecated', tvb, 2, 1, 'Deprecated');
        t.close();
      } else t.add(R['ipv6.routing.type'], tvb, 2, 1, type);
      t.add(R['ipv6.routing.segleft'], tvb, 3, 1, segLeft);
    }
    try {
      tvb.check(0, len);
      if (type === 0) {
        t?.add(R['ipv6.routing.src.reserved'], tvb, 4, 4, tvb.bytes(4, 4));
        let last = -1;
        for (let a = 8, i = 1; a + 16 <= len; a += 16, i++) {
          t?.add(R['ipv6.routing.src.addr'], tvb, a, 16, tvb.bytes(a, 16), `Address[${i}]: ${ipv6Text(tvb, a)}`);
          last = a;
        }
        if (last >= 0 && segLeft > 0) {
          p.dst = ipv6Text(tvb, last);
          p.ipv6Dst = tvb.bytes(last, 16);
        }
      } else if (type === 2 && len >= 24) {
        t?.add(R['ipv6.routing.mipv6.home_address'], tvb, 8, 16, tvb.bytes(8, 16));
        if (segLeft > 0) {
          p.dst = ipv6Text(tvb, 8);
          p.ipv6Dst = tvb.bytes(8, 16);
        }
      } else if (type === 4) {
        // RFC 8754 §2: segment list in reverse order, [0] is the final destination.
        const lastEntry = tvb.u8(4);
        if (t) {
          t.add(R['ipv6.routing.srh.last_entry'], tvb, 4, 1, lastEntry);
          t.add(R['ipv6.routing.srh.flags'], tvb, 5, 1, tvb.u8(5));
          t.add(R['ipv6.routing.srh.tag'], tvb, 6, 2, tvb.u16(6), `Tag: ${tvb.u16(6).toString(16).padStart(4, '0')}`);
        }
        for (let i = 0, a = 8; i <= lastEntry && a + 16 <= len; i++, a += 16) {
          t?.add(R['ipv6.routing.srh.addr'], tvb, a, 16, tvb.bytes(a, 16), `Address[${i}]: ${ipv6Text(tvb, a)}`);
        }
        if (segLeft > 0 && len >= 24) {
          p.dst = ipv6Text(tvb, 8);
          p.ipv6Dst = tvb.bytes(8, 16);
        }
      }
    } finally {
      t?.close();
    }
  });
  ipv6DispatchNext(nxt, tvb.sub(len), p);
}

/** Fragment header (RFC 8200 §4.5) with reassembly keyed by (source, destination, identification). */
function dissectFragment(tvb: Tvb, p: Packet): void {
  p.layers.push('ipv6.fraghdr');
  const nxt = tvb.u8(0);
  const reserved = tvb.u8(1);
  const offlg = tvb.u16(2);
  const ident = tvb.u32(4);
  const off = offlg & 0xfff8;
  const more = (offlg & 1) === 1;
  const t = p.tree;
  if (t) insideIpv6(p, () => {
    const o = (offlg >> 3).toString(2).padStart(13, '0').replace(/(.{4})/g, '$1 ');
    t.open(FR.proto, tvb, 0, 8, null);
    t.add(FR['ipv6.fraghdr.nxt'], tvb, 0, 1, nxt);
    t.add(FR['ipv6.fraghdr.reserved_octet'], tvb, 1, 1, reserved);
    t.add(FR['ipv6.fraghdr.offset'], tvb, 2, 2, off >> 3, `${o}... = Offset: ${off >> 3} (${off} bytes)`);
    t.add(FR['ipv6.fraghdr.reserved_bits'], tvb, 2, 2, (offlg >> 1) & 3);
    t.add(FR['ipv6.fraghdr.more'], tvb, 2, 2, more);
    t.add(FR['ipv6.fraghdr.ident'], tvb, 4, 4, ident, `Identification: 0x${ident.toString(16).padStart(8, '0')}`);
    t.close();
  });
  const payload = tvb.sub(8);
  // An atomic fragment (RFC 6946), or a fragment header without an IPv6 header around it
  // (after IPv4), carries its next header as is.
  if ((off === 0 && !more) || p.ipVersion !== 6) {
    ipv6DispatchNext(nxt, payload, p);
    return;
  }
  const table = frags.of(p.state);
  let datagram: Uint8Array | null = null;
  let parts: FragmentPart[] | null = null;
  if (!p.visited) {
    if (payload.length === payload.reportedLength && payload.reportedLength > 0 && errorContext.depth === 0) {
      datagram = table.add(`${p.netSrc}|${p.netDst}|${ident}`, p, payload, off, more);
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
    if (t) insideIpv6(p, () => addFragmentTree(t, payload, 'IPv6', parts!, datagram!, FRAG_FIELDS));
    p.flags |= PacketFlag.Reassembled;
    const srcIdx = p.addSource('Reassembled IPv6', datagram);
    ipv6DispatchNext(nxt, new Tvb(datagram, 0, datagram.length, datagram.length, srcIdx), p);
    return;
  }
  p.flags |= PacketFlag.Fragment;
  p.cols.setInfo(`IPv6 fragment (off=${off} more=${more ? 'y' : 'n'} ident=0x${ident.toString(16).padStart(8, '0')} nxt=${nxt})`);
  const inFrame = p.visited ? table.reassembledIn.get(p.num) : undefined;
  if (inFrame) {
    if (t) insideIpv6(p, () => t.add(V6['ipv6.reassembled_in'], tvb, 0, GENERATED, inFrame, `[Reassembled IPv6 in frame: ${inFrame}]`));
    p.cols.appendInfo(` [Reassembled in #${inFrame}]`);
  }
  if (payload.reportedLength > 0) {
    dissectData(payload, p);
  }
}

/** AH (RFC 4302 §2): named, then the protected payload follows in the clear. */
function dissectAh(tvb: Tvb, p: Packet): void {
  p.layers.push('ah');
  p.cols.protocol = 'AH';
  const nxt = tvb.u8(0);
  const lenField = tvb.u8(1);
  const spi = tvb.u32(4);
  const len = (lenField + 2) * 4;
  p.cols.setInfo(`AH (SPI=0x${spi.toString(16).padStart(8, '0')})`);
  const t = p.tree;
  if (t) {
    t.open(AH.proto, tvb, 0, len, null);
    t.add(AH['ah.next_header'], tvb, 0, 1, nxt);
    t.add(AH['ah.length'], tvb, 1, 1, lenField);
    t.add(AH['ah.spi'], tvb, 4, 4, spi);
    t.add(AH['ah.sequence'], tvb, 8, 4, tvb.u32(8));
    if (len > 12) t.add(AH['ah.icv'], tvb, 12, len - 12, tvb.bytes(12, len - 12));
    t.close();
  }
  ipv6DispatchNext(nxt, tvb.sub(len), p);
}

/** ESP (RFC 4303 §2): only the SPI and sequence number are in the clear. */
function dissectEsp(tvb: Tvb, p: Packet): void {
  p.layers.push('esp');
  p.cols.protocol = 'ESP';
  const spi = tvb.u32(0);
  p.cols.setInfo(`ESP (SPI=0x${spi.toString(16).padStart(8, '0')})`);
  const t = p.tree;
  if (t) {
    t.open(ESP.proto, tvb, 0, tvb.length, null);
    t.add(ESP['esp.spi'], tvb, 0, 4, spi);
    t.add(ESP['esp.sequence'], tvb, 4, 4, tvb.u32(4));
    t.close();
  }
}

ipProtoTable.add(0, optionsHeader(false));
ipProtoTable.add(43, dissectRouting);
ipProtoTable.add(44, dissectFragment);
ipProtoTable.add(60, optionsHeader(true));
ipProtoTable.add(50, dissectEsp);
ipProtoTable.add(51, dissectAh);
