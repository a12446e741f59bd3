// Packet colouring rules, after Wireshark's defaults (View › Coloring Rules), plus rules for the
// protocols this product is about (TLS, DNS) and for malformed packets. Plain data: the worker
// picks a rule per packet, the list paints it and the legend lists it.

import { isTcpProblem } from '../dissect/tcp-analysis.ts';
import { PacketFlag, type Packet } from '../dissect/packet.ts';

export interface ColorRule {
  id: number;
  name: string;
  /** The condition, in display-filter words, shown in the legend. */
  filter: string;
  /** Light theme background/foreground, dark theme background/foreground. */
  bg: string;
  fg: string;
  darkBg: string;
  darkFg: string;
}

export const COLOR_RULES: readonly ColorRule[] = [
  { id: 0, name: 'None', filter: '', bg: '', fg: '', darkBg: '', darkFg: '' },
  { id: 1, name: 'Malformed', filter: '_ws.malformed || _ws.short', bg: '#ff5f5f', fg: '#000000', darkBg: '#7a1f1f', darkFg: '#ffd7d7' },
  { id: 2, name: 'Bad TCP', filter: 'tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive', bg: '#12272e', fg: '#f78787', darkBg: '#12272e', darkFg: '#f78787' },
  { id: 3, name: 'TCP RST', filter: 'tcp.flags.reset == 1', bg: '#a40000', fg: '#fffc9c', darkBg: '#8a1010', darkFg: '#fffc9c' },
  { id: 4, name: 'TCP SYN/FIN', filter: 'tcp.flags & 0x03', bg: '#a0a0a0', fg: '#12272e', darkBg: '#5c5c5c', darkFg: '#f0f0f0' },
  { id: 5, name: 'ICMP errors', filter: 'icmp.type in {3 4 5 11} || icmpv6.type in {1..4}', bg: '#12272e', fg: '#b7f774', darkBg: '#12272e', darkFg: '#b7f774' },
  { id: 6, name: 'TLS', filter: 'tls', bg: '#dcd3f5', fg: '#12272e', darkBg: '#3b3060', darkFg: '#ece6ff' },
  { id: 7, name: 'HTTP', filter: 'http', bg: '#e4ffc7', fg: '#12272e', darkBg: '#2f4a1c', darkFg: '#e4ffc7' },
  { id: 8, name: 'DNS', filter: 'dns || mdns || llmnr', bg: '#c8e8ff', fg: '#12272e', darkBg: '#1d3d57', darkFg: '#d8efff' },
  { id: 9, name: 'ARP', filter: 'arp', bg: '#faf0d7', fg: '#12272e', darkBg: '#4d4326', darkFg: '#faf0d7' },
  { id: 10, name: 'ICMP', filter: 'icmp || icmpv6', bg: '#fce0ff', fg: '#12272e', darkBg: '#4f2e55', darkFg: '#fce0ff' },
  { id: 11, name: 'TCP', filter: 'tcp', bg: '#e7e6ff', fg: '#12272e', darkBg: '#2b2a4d', darkFg: '#e7e6ff' },
  { id: 12, name: 'UDP', filter: 'udp', bg: '#daeeff', fg: '#12272e', darkBg: '#1f3345', darkFg: '#daeeff' },
  // Wireshark's rules for what switches and routers say to each other, and for the rest of a LAN's multicast.
  { id: 13, name: 'Spanning Tree Topology Change', filter: 'stp.type == 0x80 || stp.flags.tc == 1', bg: '#12272e', fg: '#fffc9c', darkBg: '#12272e', darkFg: '#fffc9c' },
  { id: 14, name: 'Routing', filter: 'hsrp || eigrp || ospf || bgp || cdp || vrrp || carp || gvrp || igmp || ismp', bg: '#fff3d6', fg: '#12272e', darkBg: '#4a4030', darkFg: '#fff3d6' },
  { id: 15, name: 'Broadcast', filter: 'eth[0] & 1', bg: '#ffffff', fg: '#babdb6', darkBg: '#1c1f22', darkFg: '#8a8d86' },
];

const COLOR_BAD_TCP = 2;
const COLOR_SYN_FIN = 4;
const COLOR_TCP = 11;

/** colorOf() of a bare TCP SYN, ACK or FIN (no payload, no RST) with these flags and analysis flags. */
/**
 * The colour of a TCP segment taken by the first pass's short lane (dissect/tcp-lane.ts): a bare
 * SYN, ACK or FIN, or a data segment whose payload protocol is `layer` (null: none). The rules of
 * colorOf for what such a segment can be.
 */
export function colorOfLaneSegment(flags: number, analysis: number, layer: string | null): number {
  if (isTcpProblem(analysis)) return COLOR_BAD_TCP;
  if (flags & 0x03) return COLOR_SYN_FIN;
  return (layer !== null ? colorOfLayer(layer) : undefined) ?? COLOR_TCP;
}

/** The colour of the rule for protocol layer `name`, or undefined when no rule names it. */
function colorOfLayer(name: string): number | undefined {
  switch (name) {
    case 'tls':
    case 'ssl':
      return 6;
    case 'http':
      return 7;
    case 'dns':
    case 'mdns':
    case 'llmnr':
      return 8;
    case 'arp':
      return 9;
    case 'icmp':
    case 'icmpv6':
      return 10;
    case 'cdp':
    case 'igmp':
    case 'ospf':
      return 14;
  }
  return undefined;
}

/** A spanning tree BPDU that reports a topology change: a TCN, or the TC flag (IEEE 802.1D §9.3). */
function isTopologyChange(p: Packet): boolean {
  if (!p.layers.includes('stp')) return false;
  // The BPDU follows Ethernet's 14 bytes and LLC's 3: type at 3, flags at 4.
  const d = p.frame.data;
  const type = d[14 + 3 + 3];
  return type === 0x80 || ((type === 0x00 || type === 0x02) && ((d[14 + 3 + 4] ?? 0) & 1) === 1);
}

/** The first rule that matches, in the order above (like Wireshark's ordered rules). */
export function colorOf(p: Packet): number {
  if (p.flags & (PacketFlag.Malformed | PacketFlag.Truncated)) return 1;
  const t = p.tcp;
  if (t && isTcpProblem(t.analysis)) return COLOR_BAD_TCP;
  if (t && t.flags & 0x04) return 3;
  if (t && t.flags & 0x03) return COLOR_SYN_FIN;
  if (p.flags & PacketFlag.IcmpError) return 5;
  if (isTopologyChange(p)) return 13;
  const layers = p.layers;
  // Scan from the top protocol down: the most specific rule wins.
  for (let i = layers.length - 1; i >= 0; i--) {
    const c = colorOfLayer(layers[i]!);
    if (c !== undefined) return c;
  }
  if (t) return COLOR_TCP;
  if (layers.includes('udp')) return 12;
  // eth[0] & 1: a group (multicast or broadcast) destination, IEEE 802-2014 §8.2.
  if (layers[1] === 'eth' && ((p.frame.data[0] ?? 0) & 1) === 1) return 15;
  return 0;
}
