// Spanning tree BPDUs (IEEE 802.1D-2004 §9, 802.1Q-2018 §14) on LLC SAP 0x42: Configuration,
// Topology Change Notification and Rapid/Multiple spanning tree BPDUs, as tshark 4.0 shows them
// (Info "Conf. Root = 32768/0/00:1c:0e:87:78:00  Cost = 4  Port = 0x8004"; bridge identifiers
// split into priority, system ID extension — the VLAN — and MAC). MSTI records stay bytes.

import { macAt } from './eth.ts';
import { llcSapTable } from './llc.ts';
import type { Packet } from './packet.ts';
import { defineProtocol } from './registry.ts';
import type { TreeSink } from './tree.ts';
import type { Tvb } from './tvb.ts';

const F = defineProtocol('stp', 'Spanning Tree Protocol', {
  'stp.protocol': { name: 'Protocol Identifier', type: 'uint', base: 'hex', bits: 16, vals: { 0: 'Spanning Tree Protocol' } },
  'stp.version': { name: 'Protocol Version Identifier', type: 'uint', vals: { 0: 'Spanning Tree', 2: 'Rapid Spanning Tree', 3: 'Multiple Spanning Tree', 4: 'Shortest Path Tree' } },
  'stp.type': { name: 'BPDU Type', type: 'uint', base: 'hex', bits: 8, vals: { 0x00: 'Configuration', 0x80: 'Topology Change Notification', 0x02: 'Rapid/Multiple Spanning Tree' } },
  'stp.flags': { name: 'BPDU flags', type: 'uint', base: 'hex', bits: 8 },
  'stp.flags.tcack': { name: 'Topology Change Acknowledgment', type: 'bool', mask: 0x80, bits: 8, tfs: ['Yes', 'No'] },
  'stp.flags.agreement': { name: 'Agreement', type: 'bool', mask: 0x40, bits: 8, tfs: ['Yes', 'No'] },
  'stp.flags.forwarding': { name: 'Forwarding', type: 'bool', mask: 0x20, bits: 8, tfs: ['Yes', 'No'] },
  'stp.flags.learning': { name: 'Learning', type: 'bool', mask: 0x10, bits: 8, tfs: ['Yes', 'No'] },
  'stp.flags.port_role': { name: 'Port Role', type: 'uint', mask: 0x0c, bits: 8, vals: { 0: 'Unknown', 1: 'Alternate or Backup', 2: 'Root', 3: 'Designated' } },
  'stp.flags.proposal': { name: 'Proposal', type: 'bool', mask: 0x02, bits: 8, tfs: ['Yes', 'No'] },
  'stp.flags.tc': { name: 'Topology Change', type: 'bool', mask: 0x01, bits: 8, tfs: ['Yes', 'No'] },
  'stp.root.prio': { name: 'Root Bridge Priority', type: 'uint' },
  'stp.root.ext': { name: 'Root Bridge System ID Extension', type: 'uint' },
  'stp.root.hw': { name: 'Root Bridge System ID', type: 'ether' },
  'stp.root.cost': { name: 'Root Path Cost', type: 'uint' },
  'stp.bridge.prio': { name: 'Bridge Priority', type: 'uint' },
  'stp.bridge.ext': { name: 'Bridge System ID Extension', type: 'uint' },
  'stp.bridge.hw': { name: 'Bridge System ID', type: 'ether' },
  'stp.port': { name: 'Port identifier', type: 'uint', base: 'hex', bits: 16 },
  'stp.msg_age': { name: 'Message Age', type: 'float' },
  'stp.max_age': { name: 'Max Age', type: 'float' },
  'stp.hello': { name: 'Hello Time', type: 'float' },
  'stp.forward': { name: 'Forward Delay', type: 'float' },
  'stp.version_1_length': { name: 'Version 1 Length', type: 'uint' },
  'stp.data': { name: 'Data', type: 'bytes' },
});

const CONF = 0x00;
const TCN = 0x80;
const RST = 0x02;

const CONF_FLAGS = ['stp.flags.tcack', 'stp.flags.tc'] as const;
const RST_FLAGS = ['stp.flags.tcack', 'stp.flags.agreement', 'stp.flags.forwarding', 'stp.flags.learning', 'stp.flags.port_role', 'stp.flags.proposal', 'stp.flags.tc'] as const;
const PORT_ROLES = ['Unknown', 'Alternate or Backup', 'Root', 'Designated'];

export function dissectStp(tvb: Tvb, p: Packet): void {
  p.layers.push('stp');
  p.cols.protocol = 'STP';
  p.cols.clearInfo();
  const version = tvb.u8(2);
  const type = tvb.u8(3);
  const t = p.tree;
  if (type === CONF || type === RST) {
    const flags = tvb.u8(4);
    const rootPrio = tvb.u16(5);
    const cost = tvb.u32(13);
    const port = tvb.u16(25);
    const kind = type === CONF ? 'Conf' : version === 3 ? 'MST' : version === 4 ? 'SPT' : 'RST';
    p.cols.setInfo(`${kind}. ${flags & 1 ? 'TC + ' : ''}Root = ${rootPrio & 0xf000}/${rootPrio & 0x0fff}/${macAt(tvb, 7)}  Cost = ${cost}  Port = 0x${port.toString(16).padStart(4, '0')}`);
  } else if (type === TCN) p.cols.setInfo('Topology Change Notification');
  else p.cols.setInfo(`Unknown BPDU type (${type})`);
  if (!t) return;
  t.open(F.proto, tvb, 0, tvb.reportedLength, null);
  try {
    t.add(F['stp.protocol'], tvb, 0, 2, tvb.u16(0));
    t.add(F['stp.version'], tvb, 2, 1, version);
    t.add(F['stp.type'], tvb, 3, 1, type);
    if (type !== CONF && type !== RST) return;
    const flags = tvb.u8(4);
    flagsTree(t, tvb, flags, type === RST ? RST_FLAGS : CONF_FLAGS);
    bridgeId(t, tvb, 5, 'Root Identifier', 'stp.root');
    t.add(F['stp.root.cost'], tvb, 13, 4, tvb.u32(13));
    bridgeId(t, tvb, 17, 'Bridge Identifier', 'stp.bridge');
    t.add(F['stp.port'], tvb, 25, 2, tvb.u16(25));
    // The four timers are in 1/256 s (802.1D-2004 §9.2.8).
    const timers = [['stp.msg_age', 27], ['stp.max_age', 29], ['stp.hello', 31], ['stp.forward', 33]] as const;
    for (const [f, o] of timers) t.add(F[f], tvb, o, 2, tvb.u16(o) / 256, `${F[f].name}: ${tvb.u16(o) / 256}`);
    if (type === RST && tvb.reportedLength > 35) t.add(F['stp.version_1_length'], tvb, 35, 1, tvb.u8(35));
    if (type === RST && tvb.reportedLength > 36) t.add(F['stp.data'], tvb, 36, tvb.reportedLength - 36, tvb.bytes(36, tvb.remaining(36)));
  } finally {
    t.close();
  }
}

/** The flags byte; its label lists the flags that are set, as tshark's does. */
function flagsTree(t: TreeSink, tvb: Tvb, flags: number, fields: readonly (keyof typeof F)[]): void {
  const set: string[] = [];
  for (const f of fields) {
    const def = F[f];
    if (!(flags & def.mask)) continue;
    set.push(f === 'stp.flags.port_role' ? `Port Role: ${PORT_ROLES[(flags & 0x0c) >> 2]}` : def.name);
  }
  t.open(F['stp.flags'], tvb, 4, 1, flags, `BPDU flags: 0x${flags.toString(16).padStart(2, '0')}${set.map((s) => ', ' + s).join('')}`);
  for (const f of fields) {
    const def = F[f];
    t.add(def, tvb, 4, 1, def.type === 'bool' ? (flags & def.mask) !== 0 : (flags & def.mask) >> 2);
  }
  t.close();
}

/** A bridge identifier: 4 bits of priority, 12 of system ID extension (the VLAN), then a MAC. */
function bridgeId(t: TreeSink, tvb: Tvb, o: number, label: string, prefix: 'stp.root' | 'stp.bridge'): void {
  const v = tvb.u16(o);
  const prio = v & 0xf000;
  const ext = v & 0x0fff;
  t.text(tvb, o, 8, `${label}: ${prio} / ${ext} / ${macAt(tvb, o + 2)}`, true);
  t.add(F[`${prefix}.prio`], tvb, o, 1, prio);
  t.add(F[`${prefix}.ext`], tvb, o, 2, ext);
  t.add(F[`${prefix}.hw`], tvb, o + 2, 6, tvb.bytes(o + 2, 6));
  t.close();
}

llcSapTable.set(0x42, dissectStp);
