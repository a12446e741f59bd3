// Geneve (RFC 8926 §3.4) on UDP port 6081: version and options length, O and C flags, the
// EtherType of what it carries (mostly 0x6558, an Ethernet frame), a 24-bit VNI, then
// variable-length options (kept as bytes; tshark names their classes). Info says what is
// encapsulated until the carried packet, when we dissect it, fills the columns, as tshark shows it.

import { etherTypeNames } from './eth.ts';
import type { Packet } from './packet.ts';
import { defineProtocol } from './registry.ts';
import { etherTypeTable, udpPortTable } from './tables.ts';
import type { Tvb } from './tvb.ts';
import { dissectData } from './data.ts';

export const GENEVE_UDP_PORT = 6081;
const OAM = 0x80;
const CRITICAL = 0x40;

export const F = defineProtocol('geneve', 'Generic Network Virtualization Encapsulation', {
  'geneve.version': { name: 'Version', type: 'uint' },
  'geneve.option_length': { name: 'Length', type: 'uint', unit: ' bytes' },
  'geneve.flags': { name: 'Flags', type: 'uint', base: 'hex', bits: 8 },
  'geneve.flags.oam': { name: 'Operations, Administration and Management Frame', type: 'bool', mask: OAM, bits: 8 },
  'geneve.flags.critical': { name: 'Critical Options Present', type: 'bool', mask: CRITICAL, bits: 8 },
  'geneve.flags.reserved': { name: 'Reserved', type: 'bool', mask: 0x3f, bits: 8 },
  'geneve.proto_type': { name: 'Protocol Type', type: 'uint', base: 'hex', bits: 16, vals: etherTypeNames },
  'geneve.vni': { name: 'Virtual Network Identifier (VNI)', type: 'uint', base: 'hex_dec', bits: 24 },
  'geneve.reserved': { name: 'Reserved', type: 'uint', base: 'hex', bits: 8 },
  'geneve.options': { name: 'Geneve Options', type: 'bytes' },
});

export function dissectGeneve(tvb: Tvb, p: Packet): boolean {
  p.layers.push('geneve');
  p.cols.protocol = 'Geneve';
  p.cols.clearInfo();
  const verOpt = tvb.u8(0);
  const version = verOpt >> 6;
  if (version !== 0) p.cols.setInfo(`Unknown Geneve version ${version}`);
  const optsLen = (verOpt & 0x3f) * 4;
  const flags = tvb.u8(1);
  const type = tvb.u16(2);
  p.cols.setInfo(`Encapsulated ${etherTypeNames.get(type) ?? `0x${type.toString(16).padStart(4, '0')} (unknown)`}`);
  const vni = tvb.u24(4);
  const reserved = tvb.u8(7);
  const t = p.tree;
  if (t) {
    t.open(F.proto, tvb, 0, 8 + optsLen, null,
      `Generic Network Virtualization Encapsulation, VNI: 0x${vni.toString(16).padStart(6, '0')}${flags & OAM ? ', OAM' : ''}`);
    t.add(F['geneve.version'], tvb, 0, 1, version);
    t.add(F['geneve.option_length'], tvb, 0, 1, optsLen);
    const set = [[OAM, 'Operations, Administration and Management Frame'], [CRITICAL, 'Critical Options Present']] as const;
    const names = set.filter(([bit]) => flags & bit).map(([, n]) => `, ${n}`).join('');
    t.open(F['geneve.flags'], tvb, 1, 1, flags, `Flags: 0x${flags.toString(16).padStart(2, '0')}${names}`);
    t.add(F['geneve.flags.oam'], tvb, 1, 1, (flags & OAM) !== 0);
    t.add(F['geneve.flags.critical'], tvb, 1, 1, (flags & CRITICAL) !== 0);
    t.add(F['geneve.flags.reserved'], tvb, 1, 1, (flags & 0x3f) !== 0);
    t.close();
    t.add(F['geneve.proto_type'], tvb, 2, 2, type);
    t.add(F['geneve.vni'], tvb, 4, 3, vni);
    // tshark hides a zero reserved byte.
    if (reserved) t.add(F['geneve.reserved'], tvb, 7, 1, reserved);
    if (optsLen) t.add(F['geneve.options'], tvb, 8, optsLen, tvb.bytes(8, Math.min(optsLen, tvb.remaining(8))));
    t.close();
  }
  const payload = tvb.sub(8 + optsLen);
  const next = etherTypeTable.get(type);
  if (next) next(payload, p);
  else if (payload.reportedLength > 0) dissectData(payload, p);
  return true;
}

udpPortTable.add(GENEVE_UDP_PORT, dissectGeneve);
