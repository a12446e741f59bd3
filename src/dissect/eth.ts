// Ethernet II and IEEE 802.3 framing (IEEE 802.3 §3.2; EtherType values: IEEE registry).
// A type/length field ≤ 1500 is an 802.3 length followed by 802.2 LLC (llc.ts); ≥ 0x0600 is an
// EtherType; the values in between are invalid. Bytes after what the payload protocol claims
// are the trailer (padding to 60 bytes, or the FCS on frames of 64 bytes or more, as tshark
// guesses when the capture does not say whether FCS is present).

import type { Packet } from './packet.ts';
import { defineProtocol, hexBytes } from './registry.ts';
import { etherTypeTable, linkTypeTable, type Dissect } from './tables.ts';
import { GENERATED, type TreeSink } from './tree.ts';
import type { Tvb } from './tvb.ts';
import { U32Map } from './u32-map.ts';
import { dissectData } from './data.ts';

const lgTfs = ['Locally administered address (this is NOT the factory default)', 'Globally unique address (factory default)'] as const;
const igTfs = ['Group address (multicast/broadcast)', 'Individual address (unicast)'] as const;

export const F = defineProtocol('eth', 'Ethernet II', {
  'eth.dst': { name: 'Destination', type: 'ether' },
  'eth.src': { name: 'Source', type: 'ether' },
  'eth.addr': { name: 'Address', type: 'ether' },
  'eth.lg': { name: 'LG bit', type: 'bool', mask: 0x020000, bits: 24, tfs: lgTfs },
  'eth.ig': { name: 'IG bit', type: 'bool', mask: 0x010000, bits: 24, tfs: igTfs },
  'eth.type': { name: 'Type', type: 'uint', base: 'hex', bits: 16 },
  'eth.len': { name: 'Length', type: 'uint' },
  'eth.invalid_lentype': { name: 'Invalid length/type', type: 'uint', base: 'hex_dec', bits: 16 },
  'eth.padding': { name: 'Padding', type: 'bytes' },
  'eth.trailer': { name: 'Trailer', type: 'bytes' },
  'eth.fcs': { name: 'Frame check sequence', type: 'uint', base: 'hex', bits: 32 },
  'eth.fcs.status': { name: 'FCS Status', type: 'uint' },
});

/** Names Wireshark gives EtherTypes in the tree ("Type: IPv4 (0x0800)"). */
export const etherTypeNames = new Map<number, string>([
  [0x0800, 'IPv4'],
  [0x0806, 'ARP'],
  [0x0842, 'Wake on LAN'],
  [0x22f0, 'IEEE 1722 Audio Video Bridging Transport Protocol'],
  [0x6558, 'Transparent Ethernet bridging'],
  [0x8035, 'RARP'],
  [0x809b, 'AppleTalk'],
  [0x80f3, 'AARP'],
  [0x8100, '802.1Q Virtual LAN'],
  [0x8137, 'Netware IPX/SPX'],
  [0x86dd, 'IPv6'],
  [0x8808, 'MAC Control'],
  [0x8809, 'Slow Protocols'],
  [0x8847, 'MPLS label switched packet'],
  [0x8848, 'MPLS multicast label switched packet'],
  [0x8863, 'PPPoE Discovery'],
  [0x8864, 'PPPoE Session'],
  [0x886d, 'Intel ANS probe'],
  [0x888e, '802.1X Authentication'],
  [0x8892, 'PROFINET'],
  [0x88a2, 'ATA over Ethernet'],
  [0x88a4, 'EtherCAT frame'],
  [0x88a8, '802.1ad Provider Bridge (Q-in-Q)'],
  [0x88b5, 'Local Experimental Ethertype 1'],
  [0x88b6, 'Local Experimental Ethertype 2'],
  [0x88cc, '802.1 Link Layer Discovery Protocol (LLDP)'],
  [0x88e5, '802.1AE (MACsec)'],
  [0x88e7, '802.1ah Provider Backbone Bridge (mac-in-mac)'],
  [0x88f7, 'PTPv2 over Ethernet (IEEE1588)'],
  [0x8906, 'Fibre Channel over Ethernet'],
  [0x8914, 'FCoE Initialization Protocol'],
  [0x9000, 'Loopback'],
  [0x9100, 'VLAN-tagged frame (Q-in-Q)'],
]);

export function etherTypeText(type: number): string {
  return `${etherTypeNames.get(type) ?? 'Unknown'} (0x${type.toString(16).padStart(4, '0')})`;
}

const macCache = new U32Map<string>(256);
/** Cached text of the 6-byte MAC at `off` of `tvb` (the packet list formats the same few MACs). */
export function macAt(tvb: Tvb, off: number): string {
  // The 48-bit address, as two integer keys, finds the text: a hit builds no string, no view
  // and no boxed number (one 48-bit number key would be boxed at every lookup).
  const hi = tvb.u16(off);
  const lo = tvb.u32(off + 2);
  let s = macCache.get(hi, lo);
  if (s === undefined) {
    s = hexBytes(tvb.bytes(off, 6));
    if (macCache.size < 65536) macCache.set(hi, lo, s);
  }
  return s;
}

/** Key under which the 802.2 LLC dissector registers in the EtherType table (not a real EtherType). */
export const LLC_PSEUDO_TYPE = -1;

/**
 * Hands `tvb` to the dissector of `type`, or shows it as data. Shared by Ethernet, VLAN, SLL …
 * so that an unknown EtherType reads the same everywhere (Protocol "0x2573", like tshark).
 */
export function dispatchEtherType(type: number, tvb: Tvb, p: Packet): void {
  const next: Dissect | undefined = etherTypeTable.get(type);
  if (next) {
    next(tvb, p);
    return;
  }
  p.cols.protocol = '0x' + type.toString(16).padStart(4, '0');
  dissectData(tvb, p);
}

/**
 * How many bytes the protocol of `type` says its packet has, read from its own header, or -1:
 * what follows is the Ethernet trailer. Only used to label the trailer in the details tree.
 */
export function claimedLength(type: number, tvb: Tvb): number {
  if (type === 0x0800 && tvb.has(0, 4) && tvb.buf[tvb.start]! >> 4 === 4) {
    const len = tvb.u16(2);
    return len >= 20 ? len : -1;
  }
  if (type === 0x86dd && tvb.has(0, 6) && tvb.buf[tvb.start]! >> 4 === 6) {
    const plen = tvb.u16(4);
    return plen ? 40 + plen : -1;
  }
  if ((type === 0x0806 || type === 0x8035) && tvb.has(0, 6)) {
    return 8 + 2 * tvb.u8(4) + 2 * tvb.u8(5);
  }
  return -1;
}

/** The least an Ethernet frame carries without its FCS (IEEE 802.3 §4.2.3.3): shorter ones are padded. */
const MIN_FRAME = 60;

/**
 * Padding / trailer / FCS of a frame whose payload ends at `used` (view offset), as tshark 4.0
 * shows them (packet-eth.c, add_ethernet_trailer, padding preference "zeros"): the bytes that
 * bring a short frame to 60 are padding when they are zeros; a frame of 64 bytes or more whose
 * trailer keeps at least 4 bytes ends with an FCS (the capture does not say whether it has one);
 * what is left is a trailer, with a note when non-zero bytes stood where padding was expected.
 */
export function addTrailer(t: TreeSink, tvb: Tvb, used: number, frameLen: number): void {
  const total = tvb.reportedLength;
  if (used < 0 || used >= total) return;
  let reported = total - used;
  let captured = Math.max(0, Math.min(reported, tvb.remaining(used)));
  // tshark shows nothing of a trailer the capture kept no byte of.
  if (captured === 0) return;
  let at = used;
  const maybePadded = frameLen >= MIN_FRAME && frameLen - reported < MIN_FRAME;
  let padding = 0;
  if (maybePadded) {
    padding = Math.min(MIN_FRAME - (frameLen - reported), captured);
    for (let i = 0; i < padding; i++) {
      if (tvb.u8(at + i) !== 0) {
        padding = 0;
        break;
      }
    }
    if (padding > 0) {
      t.add(F['eth.padding'], tvb, at, padding, tvb.bytes(at, padding));
      at += padding;
      reported -= padding;
      captured -= padding;
    }
  }
  let hasFcs = false;
  if (frameLen >= 64 && reported >= 4) {
    hasFcs = true;
    reported -= 4;
    captured = Math.min(captured, reported);
  }
  if (captured > 0) {
    t.open(F['eth.trailer'], tvb, at, captured, tvb.bytes(at, captured));
    if (maybePadded && padding === 0) {
      t.expert('note', "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.", tvb, at, captured, 'Protocol');
    }
    t.close();
  }
  if (hasFcs && tvb.has(at + reported, 4)) {
    const fcs = tvb.u32(at + reported);
    t.add(F['eth.fcs'], tvb, at + reported, 4, fcs, `Frame check sequence: 0x${fcs.toString(16).padStart(8, '0')} [unverified]`);
    t.add(F['eth.fcs.status'], tvb, at + reported, GENERATED, 2, '[FCS Status: Unverified]');
  }
}

function addAddress(t: TreeSink, f: typeof F['eth.dst'], tvb: Tvb, off: number, text: string): void {
  const mac = tvb.bytes(off, 6);
  t.open(f, tvb, off, 6, mac);
  t.add(F['eth.addr'], tvb, off, 6, mac);
  t.add(F['eth.lg'], tvb, off, 3, (mac[0]! & 2) !== 0);
  t.add(F['eth.ig'], tvb, off, 3, (mac[0]! & 1) !== 0);
  t.close();
  void text;
}

export const dissectEth: Dissect = (tvb, p) => {
  // Named before the header is read: a frame too short for it is "[Malformed Packet]" of Ethernet.
  p.layers.push('eth');
  p.cols.protocol = 'Ethernet';
  // In the header's order, so that a frame cut short keeps the addresses it has (tshark: the
  // destination of an 8-byte frame in the Destination column).
  p.dst = macAt(tvb, 0);
  p.src = macAt(tvb, 6);
  const typeOrLen = tvb.u16(12);
  const t = p.tree;
  if (typeOrLen <= 1500) {
    // IEEE 802.3 length field, followed by 802.2 LLC (IEEE 802.3 §3.2.6).
    p.cols.setInfo('IEEE 802.3 Ethernet');
    const avail = tvb.reportedRemaining(14);
    const len = Math.min(typeOrLen, avail);
    if (t) {
      // tshark 4.0 names an 802.3 header without its addresses (and with a trailing space).
      t.open(F.proto, tvb, 0, 14, null, 'IEEE 802.3 Ethernet ');
      addAddress(t, F['eth.dst'], tvb, 0, p.dst);
      addAddress(t, F['eth.src'], tvb, 6, p.src);
      t.add(F['eth.len'], tvb, 12, 2, typeOrLen);
      if (typeOrLen > avail) t.expert('error', 'Length field value goes past the end of the payload', tvb, 12, 2, 'Malformed');
      addTrailer(t, tvb, 14 + len, p.frame.origLen);
      t.close();
    }
    const llc = etherTypeTable.get(LLC_PSEUDO_TYPE);
    const payload = tvb.sub(14, len);
    if (llc) llc(payload, p);
    return;
  }
  if (typeOrLen < 0x0600) {
    // Neither a valid length nor an EtherType (IEEE 802.3 §3.2.6).
    p.cols.setInfo(`Ethernet Unknown: Invalid length/type: 0x${typeOrLen.toString(16).padStart(4, '0')} (${typeOrLen})`);
    p.layers.push('data');
    if (t) {
      t.open(F.proto, tvb, 0, 14, null, `Ethernet II, Src: ${p.src}, Dst: ${p.dst}`);
      addAddress(t, F['eth.dst'], tvb, 0, p.dst);
      addAddress(t, F['eth.src'], tvb, 6, p.src);
      t.add(F['eth.invalid_lentype'], tvb, 12, 2, typeOrLen);
      t.expert('warn', 'Invalid length/type', tvb, 12, 2, 'Protocol');
      t.close();
      t.text(tvb, 14, tvb.remaining(14), `Data (${tvb.remaining(14)} bytes)`);
    }
    return;
  }
  p.cols.setInfo('Ethernet II');
  const payload = tvb.sub(14);
  if (t) {
    t.open(F.proto, tvb, 0, 14, null, `Ethernet II, Src: ${p.src}, Dst: ${p.dst}`);
    addAddress(t, F['eth.dst'], tvb, 0, p.dst);
    addAddress(t, F['eth.src'], tvb, 6, p.src);
    t.add(F['eth.type'], tvb, 12, 2, typeOrLen, `Type: ${etherTypeText(typeOrLen)}`);
    const used = claimedLength(typeOrLen, payload);
    if (used >= 0) addTrailer(t, payload, used, p.frame.origLen);
    t.close();
  }
  p.layers.push('ethertype');
  dispatchEtherType(typeOrLen, payload, p);
};

linkTypeTable.add(1, dissectEth); // LINKTYPE_ETHERNET
// Transparent Ethernet Bridging (RFC 1701): a whole frame inside a tunnel (GRE, Geneve).
etherTypeTable.add(0x6558, dissectEth);
