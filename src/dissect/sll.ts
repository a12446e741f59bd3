// Linux "cooked" capture, v1 (LINKTYPE_LINUX_SLL 113): the 16-byte pseudo-header Linux's
// PF_PACKET/SOCK_DGRAM captures carry instead of a link header (packet type, ARPHRD_ type,
// link-layer address, protocol). See https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html.
// The v2 header (sll2.ts) shares these fields and helpers.

import { dispatchEtherType, etherTypeText, LLC_PSEUDO_TYPE, macAt } from './eth.ts';
import { ipv4Text } from './ip.ts';
import type { Packet } from './packet.ts';
import { defineProtocol } from './registry.ts';
import { etherTypeTable, linkTypeTable } from './tables.ts';
import type { Tvb } from './tvb.ts';
import { dissectData } from './data.ts';

export const PKTTYPES: Record<number, string> = {
  0: 'Unicast to us', 1: 'Broadcast', 2: 'Multicast', 3: 'Unicast to another host', 4: 'Sent by us',
};

/** ARPHRD_* values (Linux include/uapi/linux/if_arp.h) in Wireshark's words; the common ones. */
export const HATYPES: Record<number, string> = {
  0: 'NET/ROM pseudo', 1: 'Ethernet', 2: 'Experimental Ethernet', 3: 'AX.25', 4: 'ProNET', 5: 'Chaos',
  6: 'IEEE 802', 7: 'ARCNET', 8: 'Hyperchannel', 15: 'Frame Relay DLCI', 16: 'ATM', 17: 'HDLC',
  18: 'Fibre Channel', 19: 'ATM (RFC 2225)', 20: 'Serial Line', 24: 'IEEE 1394.1995', 27: 'EUI-64',
  32: 'InfiniBand', 256: 'SLIP', 512: 'PPP', 513: 'Cisco HDLC', 516: 'LAPB', 768: 'IPIP tunnel',
  769: 'IP6IP6 tunnel', 770: 'FRAD', 772: 'Loopback', 776: 'IPv6-in-IPv4', 778: 'GRE over IP',
  779: 'PIM Register', 801: 'IEEE 802.11', 802: 'IEEE 802.11 + Prism header', 803: 'IEEE 802.11 + radiotap header',
  820: 'IEEE 802.15.4', 823: 'IPv6 over LoWPAN', 824: 'Netlink', 825: 'IPv6 over LoWPAN', 827: 'Netlink',
  65534: 'None', 65535: 'Void',
};

/** Protocol values below 0x0600 (Linux ETH_P_*) that are not EtherTypes. */
const LTYPES: Record<number, string> = {
  1: 'Novell 802.3 frames without 802.2 LLC header', 3: 'All (ETH_P_ALL)', 4: '802.2 LLC frames',
  0x0c: 'CAN', 0x0d: 'CAN FD', 0x10: 'IRDA', 0x15: 'ISI', 0x16: 'LINKTYPE_IEEE802_15_4', 0x1a: 'IEEE 802.15.4',
};

export const F = defineProtocol('sll', 'Linux cooked capture v1', {
  'sll.pkttype': { name: 'Packet type', type: 'uint', vals: PKTTYPES },
  'sll.hatype': { name: 'Link-layer address type', type: 'uint', vals: HATYPES },
  'sll.halen': { name: 'Link-layer address length', type: 'uint' },
  'sll.src.eth': { name: 'Source', type: 'ether' },
  'sll.src.ipv4': { name: 'Source', type: 'ipv4' },
  'sll.src.other': { name: 'Source', type: 'bytes' },
  'sll.unused': { name: 'Unused', type: 'bytes' },
  'sll.ltype': { name: 'Protocol', type: 'uint', base: 'hex', bits: 16, vals: LTYPES },
  'sll.etype': { name: 'Protocol', type: 'uint', base: 'hex', bits: 16 },
  'sll.ifindex': { name: 'Interface index', type: 'uint' },
  'sll.trailer': { name: 'Trailer', type: 'bytes' },
});

/** Source address item and the Source column: an Ethernet MAC for 6 bytes, IPv4 for 4. */
export function sllAddress(tvb: Tvb, p: Packet, off: number, halen: number): void {
  const t = p.tree;
  const n = Math.min(halen, 8);
  if (halen === 6) {
    p.src = macAt(tvb, off);
    t?.add(F['sll.src.eth'], tvb, off, 6, tvb.bytes(off, 6));
  } else if (halen === 4) {
    const a = tvb.u32(off);
    p.src = ipv4Text(a);
    t?.add(F['sll.src.ipv4'], tvb, off, 4, a);
  } else if (n > 0) {
    t?.add(F['sll.src.other'], tvb, off, n, tvb.bytes(off, n));
  }
  if (t && n < 8) t.add(F['sll.unused'], tvb, off + n, 8 - n, tvb.bytes(off + n, 8 - n));
  p.dst = '';
}

/** The payload by protocol value: an EtherType, or one of Linux's small ETH_P_ values. */
export function sllPayload(tvb: Tvb, p: Packet, proto: number): void {
  if (proto >= 0x0600) {
    p.layers.push('ethertype');
    dispatchEtherType(proto, tvb, p);
    return;
  }
  if (proto === 4) {
    const llc = etherTypeTable.get(LLC_PSEUDO_TYPE);
    if (llc) {
      llc(tvb, p);
      return;
    }
  }
  if (tvb.reportedLength > 0) {
    dissectData(tvb, p);
  }
}

export function protoLabel(proto: number): string {
  return proto >= 0x0600 ? `Protocol: ${etherTypeText(proto)}` : `Protocol: ${LTYPES[proto] ?? 'Unknown'} (0x${proto.toString(16).padStart(4, '0')})`;
}

export function dissectSll(tvb: Tvb, p: Packet): void {
  p.layers.push('sll');
  p.cols.protocol = 'SLL';
  const pkttype = tvb.u16(0);
  p.cols.setInfo(PKTTYPES[pkttype] ?? `Unknown (${pkttype})`);
  const hatype = tvb.u16(2);
  const halen = tvb.u16(4);
  const t = p.tree;
  if (t) {
    t.open(F.proto, tvb, 0, 16, null, 'Linux cooked capture v1');
    t.add(F['sll.pkttype'], tvb, 0, 2, pkttype);
    t.add(F['sll.hatype'], tvb, 2, 2, hatype);
    t.add(F['sll.halen'], tvb, 4, 2, halen);
  }
  sllAddress(tvb, p, 6, halen);
  const proto = tvb.u16(14);
  if (t) {
    t.add(proto >= 0x0600 ? F['sll.etype'] : F['sll.ltype'], tvb, 14, 2, proto, protoLabel(proto));
    t.close();
  }
  sllPayload(tvb.sub(16), p, proto);
}

linkTypeTable.add(113, dissectSll); // LINKTYPE_LINUX_SLL

