// VXLAN (RFC 7348 §5): an 8-byte header on UDP port 4789 — flags, a 24-bit network identifier
// (VNI) — then a whole Ethernet frame. The Group Based Policy extension (draft-smith-vxlan-group-
// policy) uses the otherwise reserved bits after the flags, as Wireshark shows them. The columns
// end up describing the inner frame, as tshark's do.

import { dissectEth } from './eth.ts';
import type { Packet } from './packet.ts';
import { defineProtocol } from './registry.ts';
import { udpPortTable } from './tables.ts';
import type { Tvb } from './tvb.ts';

export const VXLAN_UDP_PORT = 4789;

export const F = defineProtocol('vxlan', 'Virtual eXtensible Local Area Network', {
  'vxlan.flags': { name: 'Flags', type: 'uint', base: 'hex', bits: 16 },
  'vxlan.flag_g': { name: 'GBP Extension', type: 'bool', mask: 0x8000, bits: 16, tfs: ['Defined', 'Not defined'] },
  'vxlan.flag_i': { name: 'VXLAN Network ID (VNI)', type: 'bool', mask: 0x0800, bits: 16 },
  'vxlan.flag_d': { name: "Don't Learn", type: 'bool', mask: 0x0040, bits: 16 },
  'vxlan.flag_a': { name: 'Policy Applied', type: 'bool', mask: 0x0008, bits: 16 },
  'vxlan.gbp': { name: 'Group Policy ID', type: 'uint' },
  'vxlan.vni': { name: 'VXLAN Network Identifier (VNI)', type: 'uint' },
  'vxlan.flags_reserved': { name: 'Reserved(R)', type: 'uint', base: 'hex', mask: 0x77b7, bits: 16 },
  'vxlan.reserved8': { name: 'Reserved', type: 'uint' },
});

const FLAG_NAMES: [number, string][] = [[0x8000, 'GBP Extension'], [0x0800, 'VXLAN Network ID (VNI)'], [0x0040, "Don't Learn"], [0x0008, 'Policy Applied']];

export function dissectVxlan(tvb: Tvb, p: Packet): boolean {
  p.layers.push('vxlan');
  p.cols.protocol = 'VxLAN';
  p.cols.clearInfo();
  const flags = tvb.u16(0);
  const gbp = tvb.u16(2);
  const vni = tvb.u24(4);
  const t = p.tree;
  if (t) {
    t.open(F.proto, tvb, 0, 8, null);
    const set = FLAG_NAMES.filter(([bit]) => flags & bit).map(([, name]) => name);
    t.open(F['vxlan.flags'], tvb, 0, 2, flags, `Flags: 0x${flags.toString(16).padStart(4, '0')}${set.map((n) => ', ' + n).join('')}`);
    t.add(F['vxlan.flag_g'], tvb, 0, 2, (flags & 0x8000) !== 0);
    t.add(F['vxlan.flag_i'], tvb, 0, 2, (flags & 0x0800) !== 0);
    t.add(F['vxlan.flag_d'], tvb, 0, 2, (flags & 0x0040) !== 0);
    t.add(F['vxlan.flag_a'], tvb, 0, 2, (flags & 0x0008) !== 0);
    t.add(F['vxlan.flags_reserved'], tvb, 0, 2, flags & 0x77b7);
    t.close();
    t.add(F['vxlan.gbp'], tvb, 2, 2, gbp);
    t.add(F['vxlan.vni'], tvb, 4, 3, vni);
    t.add(F['vxlan.reserved8'], tvb, 7, 1, tvb.u8(7));
    t.close();
  }
  dissectEth(tvb.sub(8), p);
  return true;
}

udpPortTable.add(VXLAN_UDP_PORT, dissectVxlan);
