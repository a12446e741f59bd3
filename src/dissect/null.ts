// BSD loopback encapsulation: LINKTYPE_NULL (0), a 4-byte address family in the capturing
// host's byte order, and LINKTYPE_LOOP (108), the same in network byte order (OpenBSD).
// https://www.tcpdump.org/linktypes/LINKTYPE_NULL.html. AF_INET is 2 everywhere; AF_INET6 is
// 24 (NetBSD/OpenBSD/BSD/OS), 28 (FreeBSD/DragonFly), 30 (macOS/iOS).

import { dispatchEtherType, etherTypeText } from './eth.ts';
import { dissectIpv4 } from './ip.ts';
import { dissectIpv6Header } from './ipv6.ts';
import type { Packet } from './packet.ts';
import { defineProtocol } from './registry.ts';
import { linkTypeTable } from './tables.ts';
import type { Tvb } from './tvb.ts';
import { dissectData } from './data.ts';

const FAMILIES = { 2: 'IP', 7: 'OSI', 16: 'Appletalk', 23: 'Netware IPX/SPX', 24: 'IPv6', 28: 'IPv6', 30: 'IPv6' };

export const F = defineProtocol('null', 'Null/Loopback', {
  'null.family': { name: 'Family', type: 'uint', vals: FAMILIES },
  'null.type': { name: 'Type', type: 'uint', base: 'hex', bits: 16 },
});

function byFamily(family: number, tvb: Tvb, p: Packet): void {
  const payload = tvb.sub(4);
  if (family === 2) dissectIpv4(payload, p);
  else if (family === 24 || family === 28 || family === 30) {
    if (!dissectIpv6Header(payload, p)) data(payload, p);
  } else data(payload, p);
}

function data(tvb: Tvb, p: Packet): void {
  if (tvb.reportedLength === 0) return;
  dissectData(tvb, p);
}

function start(p: Packet): void {
  p.layers.push('null');
  p.cols.protocol = 'N/A';
  p.cols.setInfo('Null/Loopback');
}

export function dissectNull(tvb: Tvb, p: Packet): void {
  start(p);
  // The family is in the capturing host's byte order: a value with the upper half set was
  // written by a host of the other order (the families are all small numbers).
  let v = tvb.u32le(0);
  if (v & 0xffff0000) v = ((v & 0xff) << 24 | (v & 0xff00) << 8 | (v >>> 8) & 0xff00 | v >>> 24) >>> 0;
  const t = p.tree;
  if (v > 1500) {
    // Some systems put an EtherType there instead (tshark accepts it).
    const type = v & 0xffff;
    if (t) {
      t.open(F.proto, tvb, 0, 4, null);
      t.add(F['null.type'], tvb, 0, 4, type, `Type: ${etherTypeText(type)}`);
      t.close();
    }
    p.layers.push('ethertype');
    dispatchEtherType(type, tvb.sub(4), p);
    return;
  }
  if (t) {
    t.open(F.proto, tvb, 0, 4, null);
    t.add(F['null.family'], tvb, 0, 4, v);
    t.close();
  }
  byFamily(v, tvb, p);
}

export function dissectLoopNet(tvb: Tvb, p: Packet): void {
  start(p);
  const v = tvb.u32(0);
  if (p.tree) {
    p.tree.open(F.proto, tvb, 0, 4, null);
    p.tree.add(F['null.family'], tvb, 0, 4, v);
    p.tree.close();
  }
  byFamily(v, tvb, p);
}

linkTypeTable.add(0, dissectNull); // LINKTYPE_NULL
linkTypeTable.add(108, dissectLoopNet); // LINKTYPE_LOOP
