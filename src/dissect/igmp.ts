// IGMP (IP protocol 2): v1 (RFC 1112), v2 (RFC 2236) and v3 (RFC 3376) queries, reports and
// leaves, as tshark 4.0 shows them: the version is told by the type and, for queries, by the
// length and the Max Resp Time byte; Info names the groups, v3's records as joins and leaves.

import { checksumTree, internetChecksum, wordSum } from './checksum.ts';
import type { Packet } from './packet.ts';
import { defineProtocol, ipv4ToString } from './registry.ts';
import { ipProtoTable } from './tables.ts';
import { GENERATED, type TreeSink } from './tree.ts';
import type { Tvb } from './tvb.ts';

const TYPES: Record<number, string> = {
  0x11: 'Membership Query', 0x12: 'Membership Report', 0x13: 'DVMRP Protocol', 0x14: 'PIM Routing Message',
  0x16: 'Membership Report', 0x17: 'Leave Group', 0x1e: 'Traceroute Response', 0x1f: 'Traceroute Query or Request',
  0x22: 'Membership Report',
};

const RECORD_TYPES: Record<number, string> = {
  1: 'Mode Is Include', 2: 'Mode Is Exclude', 3: 'Change To Include Mode', 4: 'Change To Exclude Mode',
  5: 'Allow New Sources', 6: 'Block Old Sources',
};

const F = defineProtocol('igmp', 'Internet Group Management Protocol', {
  'igmp.version': { name: 'IGMP Version', type: 'uint' },
  'igmp.type': { name: 'Type', type: 'uint', base: 'hex', bits: 8, vals: TYPES },
  'igmp.max_resp': { name: 'Max Resp Time', type: 'uint' },
  'igmp.checksum': { name: 'Checksum', type: 'uint', base: 'hex', bits: 16 },
  'igmp.maddr': { name: 'Multicast Address', type: 'ipv4' },
  'igmp.reserved': { name: 'Reserved', type: 'bytes' },
  'igmp.s': { name: 'S', type: 'bool', mask: 0x08, bits: 8, tfs: ['SUPPRESS router side processing', 'Do not suppress router side processing'] },
  'igmp.qrv': { name: 'QRV', type: 'uint', mask: 0x07, bits: 8 },
  'igmp.qqic': { name: 'QQIC', type: 'uint' },
  'igmp.num_src': { name: 'Num Src', type: 'uint' },
  'igmp.saddr': { name: 'Source Address', type: 'ipv4' },
  'igmp.num_grp_recs': { name: 'Num Group Records', type: 'uint' },
  'igmp.record_type': { name: 'Record Type', type: 'uint', vals: RECORD_TYPES },
  'igmp.aux_data_len': { name: 'Aux Data Len', type: 'uint' },
  'igmp.aux_data': { name: 'Aux Data', type: 'bytes' },
  'igmp.data': { name: 'Data', type: 'bytes' },
});

const ip = (tvb: Tvb, off: number) => ipv4ToString(tvb.u32(off));

export function dissectIgmp(tvb: Tvb, p: Packet): void {
  p.layers.push('igmp');
  const type = tvb.u8(0);
  const len = tvb.reportedLength;
  let version = 0;
  if (type === 0x11) version = len >= 12 ? 3 : tvb.u8(1) ? 2 : 1;
  else if (type === 0x12) version = 1;
  else if (type === 0x16 || type === 0x17) version = 2;
  else if (type === 0x22) version = 3;
  const t = p.tree;
  p.cols.clearInfo();
  if (!version) {
    p.cols.protocol = 'IGMP';
    p.cols.setInfo(`Unknown Type:0x${type.toString(16).padStart(2, '0')}`);
    if (t) {
      t.open(F.proto, tvb, 0, len, null);
      t.add(F['igmp.type'], tvb, 0, 1, type, `Type: Unknown (0x${type.toString(16).padStart(2, '0')})`);
      if (tvb.remaining(1) > 0) t.add(F['igmp.data'], tvb, 1, tvb.remaining(1), tvb.bytes(1, tvb.remaining(1)));
      t.close();
    }
    return;
  }
  p.cols.protocol = `IGMPv${version}`;
  p.cols.setInfo(TYPES[type]!);
  if (t) {
    t.open(F.proto, tvb, 0, len, null);
    t.add(F['igmp.version'], tvb, 0, GENERATED, version, `[IGMP Version: ${version}]`);
    t.add(F['igmp.type'], tvb, 0, 1, type);
  }
  try {
    if (version === 3 && type === 0x11) v3Query(tvb, p, t);
    else if (version === 3) v3Report(tvb, p, t);
    else v1v2(tvb, p, t, type, version);
  } finally {
    t?.close();
  }
}

/** RFC 2236 §2 (v2) and RFC 1112 App. I (v1): type, max resp time (unused in v1), checksum, group. */
function v1v2(tvb: Tvb, p: Packet, t: TreeSink | null, type: number, version: number): void {
  if (t) {
    if (version === 2) {
      const tsecs = tvb.u8(1);
      t.add(F['igmp.max_resp'], tvb, 1, 1, tsecs, `Max Resp Time: ${(tsecs / 10).toFixed(1)} sec (0x${tsecs.toString(16).padStart(2, '0')})`);
    } else t.add(F['igmp.reserved'], tvb, 1, 1, tvb.bytes(1, 1));
    checksumItem(tvb, t, 8);
  }
  const group = tvb.u32(4);
  t?.add(F['igmp.maddr'], tvb, 4, 4, group);
  if (version === 1) return;
  if (group === 0) p.cols.appendInfo(', general');
  else if (type === 0x17) p.cols.appendInfo(` ${ip(tvb, 4)}`);
  else if (type === 0x11) p.cols.appendInfo(`, specific for group ${ip(tvb, 4)}`);
  else p.cols.appendInfo(` group ${ip(tvb, 4)}`);
}

/** RFC 3376 §4.1.1: codes from 128 on are a 3-bit exponent and a 4-bit mantissa. */
function maxRespText(code: number): string {
  const tenths = code < 128 ? code : ((code & 0x0f) | 0x10) << (((code & 0x70) >> 4) + 3);
  return `${(tenths / 10).toFixed(1)} sec (0x${code.toString(16).padStart(2, '0')})`;
}

function v3Query(tvb: Tvb, p: Packet, t: TreeSink | null): void {
  const num = tvb.u16(10);
  const group = tvb.u32(4);
  if (t) {
    t.add(F['igmp.max_resp'], tvb, 1, 1, tvb.u8(1), `Max Resp Time: ${maxRespText(tvb.u8(1))}`);
    checksumItem(tvb, t, 0);
    t.add(F['igmp.maddr'], tvb, 4, 4, group);
  }
  p.cols.appendInfo(group === 0 ? ', general' : `, specific for group ${ip(tvb, 4)}`);
  if (t) {
    const sq = tvb.u8(8);
    t.add(F['igmp.s'], tvb, 8, 1, (sq & 0x08) !== 0);
    t.add(F['igmp.qrv'], tvb, 8, 1, sq & 0x07);
    t.add(F['igmp.qqic'], tvb, 9, 1, tvb.u8(9));
    t.add(F['igmp.num_src'], tvb, 10, 2, num);
  }
  if (num) p.cols.appendInfo(`, source${num > 1 ? 's' : ''} {`);
  for (let i = 0, o = 12; i < num; i++, o += 4) {
    p.cols.appendInfo(`${ip(tvb, o)}${i < num - 1 ? ', ' : '}'}`);
    t?.add(F['igmp.saddr'], tvb, o, 4, tvb.u32(o));
  }
}

function v3Report(tvb: Tvb, p: Packet, t: TreeSink | null): void {
  if (t) {
    t.add(F['igmp.reserved'], tvb, 1, 1, tvb.bytes(1, 1));
    checksumItem(tvb, t, 0);
    t.add(F['igmp.reserved'], tvb, 4, 2, tvb.bytes(4, 2));
  }
  const num = tvb.u16(6);
  if (!num) p.cols.appendInfo(' - General query');
  t?.add(F['igmp.num_grp_recs'], tvb, 6, 2, num);
  let o = 8;
  for (let r = 0; r < num; r++) o = groupRecord(tvb, o, p, t);
}

/** A v3 group record (RFC 3376 §4.2.4) and the join/leave tshark reads into it. */
function groupRecord(tvb: Tvb, start: number, p: Packet, t: TreeSink | null): number {
  const type = tvb.u8(start);
  const auxLen = tvb.u8(start + 1);
  const num = tvb.u16(start + 2);
  const group = ip(tvb, start + 4);
  const recordLen = 8 + 4 * num + 4 * auxLen;
  if (t) {
    t.text(tvb, start, Math.min(recordLen, tvb.reportedRemaining(start)), `Group Record : ${group}  ${RECORD_TYPES[type] ?? ''}`, true);
    t.add(F['igmp.record_type'], tvb, start, 1, type);
    t.add(F['igmp.aux_data_len'], tvb, start + 1, 1, auxLen);
    t.add(F['igmp.num_src'], tvb, start + 2, 2, num);
    t.add(F['igmp.maddr'], tvb, start + 4, 4, tvb.u32(start + 4));
  }
  const include = type === 1 || type === 3;
  const exclude = type === 2 || type === 4;
  if (num === 0) {
    if (include) p.cols.appendInfo(` / Leave group ${group}`);
    else if (exclude) p.cols.appendInfo(` / Join group ${group} for any sources`);
    else if (type === 5) p.cols.appendInfo(` / Group ${group}, ALLOW_NEW_SOURCES but no source specified (?)`);
    else if (type === 6) p.cols.appendInfo(` / Group ${group}, BLOCK_OLD_SOURCES but no source specified (?)`);
    else p.cols.appendInfo(` / Group ${group}, unknown record type (?)`);
  } else if (include) p.cols.appendInfo(` / Join group ${group} for source${num > 1 ? 's in' : ''} {`);
  else if (exclude) p.cols.appendInfo(` / Join group ${group}, for source${num > 1 ? 's not in' : ' not'} {`);
  else if (type === 5) p.cols.appendInfo(` / Group ${group}, new source${num > 1 ? 's' : ''} {`);
  else if (type === 6) p.cols.appendInfo(` / Group ${group}, block source${num > 1 ? 's' : ''} {`);
  else p.cols.appendInfo(` / Group ${group}, unknown record type (?), sources {`);
  let o = start + 8;
  for (let i = 0; i < num; i++, o += 4) {
    p.cols.appendInfo(`${ip(tvb, o)}${i < num - 1 ? ', ' : '}'}`);
    t?.add(F['igmp.saddr'], tvb, o, 4, tvb.u32(o));
  }
  if (auxLen) {
    t?.add(F['igmp.aux_data'], tvb, o, 4 * auxLen, tvb.bytes(o, 4 * auxLen));
    o += 4 * auxLen;
  }
  t?.close();
  return o;
}

/**
 * The checksum, checked as tshark checks it (RFC 1071 over the message) when the whole message
 * was captured and is at least `minLength` bytes.
 */
function checksumItem(tvb: Tvb, t: TreeSink, minLength: number): void {
  const len = tvb.reportedLength;
  const verify = len >= minLength && tvb.length >= len;
  checksumTree(t, F['igmp.checksum'], tvb, 2, verify ? internetChecksum(wordSum(tvb, len, (i) => i === 2)) : null);
}

ipProtoTable.add(2, dissectIgmp);
