// IEEE 802.1Q VLAN tags (0x8100, and the pre-standard 0x9100 Q-in-Q tag) and IEEE 802.1ad
// service tags (0x88a8). Tags stack (QinQ): each one hands the inner EtherType on, through the
// same EtherType table, so any depth works; a tag's own type/length below 0x0600 means an
// 802.3 length followed by LLC, as on plain Ethernet (IEEE 802.1Q §9.5).

import { claimedLength, dispatchEtherType, etherTypeText, LLC_PSEUDO_TYPE } from './eth.ts';
import type { Packet } from './packet.ts';
import { defineProtocol } from './registry.ts';
import { etherTypeTable } from './tables.ts';
import type { Tvb } from './tvb.ts';

const PRIORITIES = {
  0: 'Best Effort (default)', 1: 'Background', 2: 'Spare', 3: 'Excellent Effort', 4: 'Controlled Load',
  5: 'Video, < 100ms latency and jitter', 6: 'Voice, < 10ms latency and jitter', 7: 'Network Control',
};

export const F = defineProtocol('vlan', '802.1Q Virtual LAN', {
  'vlan.priority': { name: 'Priority', type: 'uint', mask: 0xe000, bits: 16, vals: PRIORITIES },
  'vlan.dei': { name: 'DEI', type: 'bool', mask: 0x1000, bits: 16, tfs: ['Eligible', 'Ineligible'] },
  'vlan.id': { name: 'ID', type: 'uint', mask: 0x0fff, bits: 16 },
  'vlan.etype': { name: 'Type', type: 'uint', base: 'hex', bits: 16 },
  'vlan.len': { name: 'Length', type: 'uint' },
  'vlan.trailer': { name: 'Trailer', type: 'bytes' },
});

export const AD = defineProtocol('ieee8021ad', 'IEEE 802.1ad', {
  'ieee8021ad.priority': { name: 'Priority', type: 'uint', mask: 0xe000, bits: 16 },
  'ieee8021ad.dei': { name: 'DEI', type: 'uint', mask: 0x1000, bits: 16 },
  'ieee8021ad.id': { name: 'ID', type: 'uint', mask: 0x0fff, bits: 16 },
});

/** Hands the payload after a tag on: EtherType, or 802.3 length + LLC. */
function next(tvb: Tvb, p: Packet, type: number): void {
  if (type <= 1500) {
    const llc = etherTypeTable.get(LLC_PSEUDO_TYPE);
    const payload = tvb.sub(4, Math.min(type, tvb.reportedRemaining(4)));
    if (llc) llc(payload, p);
    return;
  }
  p.layers.push('ethertype');
  dispatchEtherType(type, tvb.sub(4), p);
}

function typeItem(tvb: Tvb, p: Packet, type: number): void {
  const t = p.tree!;
  if (type <= 1500) t.add(F['vlan.len'], tvb, 2, 2, type);
  else {
    t.add(F['vlan.etype'], tvb, 2, 2, type, `Type: ${etherTypeText(type)}`);
    const payload = tvb.sub(4);
    const used = claimedLength(type, payload);
    if (used >= 0 && used < payload.length) {
      const n = payload.length - used;
      t.add(F['vlan.trailer'], payload, used, n, payload.bytes(used, n));
    }
  }
}

/** 802.1Q C-tag (0x8100) and the 0x9100 tag. */
export function dissectVlan(tvb: Tvb, p: Packet): void {
  p.layers.push('vlan');
  p.cols.protocol = 'VLAN';
  const tci = tvb.u16(0);
  const pri = tci >> 13;
  const dei = (tci >> 12) & 1;
  const id = tci & 0x0fff;
  p.cols.setInfo(`PRI: ${pri}  DEI: ${dei}  ID: ${id}`);
  const type = tvb.u16(2);
  const t = p.tree;
  if (t) {
    t.open(F.proto, tvb, 0, 4, null, `802.1Q Virtual LAN, PRI: ${pri}, DEI: ${dei}, ID: ${id}`);
    t.add(F['vlan.priority'], tvb, 0, 2, pri);
    t.add(F['vlan.dei'], tvb, 0, 2, dei === 1);
    t.add(F['vlan.id'], tvb, 0, 2, id);
    typeItem(tvb, p, type);
    t.close();
  }
  next(tvb, p, type);
}

/** 802.1ad S-tag (0x88a8): tshark names the drop-eligible bit "DROP" in Info. */
export function dissectIeee8021ad(tvb: Tvb, p: Packet): void {
  p.layers.push('ieee8021ad');
  p.cols.protocol = '802.1ad';
  const tci = tvb.u16(0);
  const pri = tci >> 13;
  const dei = (tci >> 12) & 1;
  const id = tci & 0x0fff;
  p.cols.setInfo(`PRI: ${pri}  DROP: ${dei} ID: ${id}`);
  const type = tvb.u16(2);
  const t = p.tree;
  if (t) {
    t.open(AD.proto, tvb, 0, 4, null, `IEEE 802.1ad, ID: ${id}`);
    t.add(AD['ieee8021ad.priority'], tvb, 0, 2, pri, `${pri.toString(2).padStart(3, '0')}. .... .... .... = Priority: ${pri}`);
    t.add(AD['ieee8021ad.dei'], tvb, 0, 2, dei, `...${dei} .... .... .... = DEI: ${dei}`);
    t.add(AD['ieee8021ad.id'], tvb, 0, 2, id);
    typeItem(tvb, p, type);
    t.close();
  }
  next(tvb, p, type);
}

etherTypeTable.add(0x8100, dissectVlan);
etherTypeTable.add(0x9100, dissectVlan);
etherTypeTable.add(0x88a8, dissectIeee8021ad);
