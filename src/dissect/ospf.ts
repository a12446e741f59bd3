// OSPFv2 (IP protocol 89, RFC 2328), the routing protocol of most networking courses, as
// tshark 4.0 shows it: Info "Hello Packet", "DB Description", "LS Request", "LS Update",
// "LS Acknowledge"; the header (checksum checked, RFC 2328 §D.4.3), the Hello's timers, DR/BDR
// and neighbours, the DB Description's flags, and LSA headers (§A.4.1). LSA bodies stay bytes.

import { internetChecksum, wordSum } from './checksum.ts';
import type { Packet } from './packet.ts';
import { bitPattern, defineProtocol, ipv4ToString } from './registry.ts';
import { ipProtoTable } from './tables.ts';
import type { TreeSink } from './tree.ts';
import type { Tvb } from './tvb.ts';

const TYPES: Record<number, string> = { 1: 'Hello Packet', 2: 'DB Description', 3: 'LS Request', 4: 'LS Update', 5: 'LS Acknowledge' };
const AUTH_TYPES: Record<number, string> = { 0: 'Null', 1: 'Simple password', 2: 'Cryptographic' };
const LSA_TYPES: Record<number, string> = {
  1: 'Router-LSA', 2: 'Network-LSA', 3: 'Summary-LSA (IP network)', 4: 'Summary-LSA (ASBR)', 5: 'AS-External-LSA (ASBR)',
  6: 'Group Membership LSA', 7: 'NSSA AS-External-LSA', 9: 'Opaque LSA, Link-local scope', 10: 'Opaque LSA, Area-local scope',
  11: 'Opaque LSA, AS-local scope',
};

const F = defineProtocol('ospf', 'Open Shortest Path First', {
  'ospf.version': { name: 'Version', type: 'uint' },
  'ospf.msg': { name: 'Message Type', type: 'uint', vals: TYPES },
  'ospf.packet_length': { name: 'Packet Length', type: 'uint' },
  'ospf.srcrouter': { name: 'Source OSPF Router', type: 'ipv4' },
  'ospf.area_id': { name: 'Area ID', type: 'ipv4' },
  'ospf.checksum': { name: 'Checksum', type: 'uint', base: 'hex', bits: 16 },
  'ospf.auth.type': { name: 'Auth Type', type: 'uint', vals: AUTH_TYPES },
  'ospf.auth.none': { name: 'Auth Data (none)', type: 'bytes' },
  'ospf.auth.simple': { name: 'Auth Data (Simple)', type: 'string' },
  'ospf.hello.network_mask': { name: 'Network Mask', type: 'ipv4' },
  'ospf.hello.hello_interval': { name: 'Hello Interval [sec]', type: 'uint' },
  'ospf.v2.options': { name: 'Options', type: 'uint', base: 'hex', bits: 8 },
  'ospf.hello.router_priority': { name: 'Router Priority', type: 'uint' },
  'ospf.hello.router_dead_interval': { name: 'Router Dead Interval [sec]', type: 'uint' },
  'ospf.hello.designated_router': { name: 'Designated Router', type: 'ipv4' },
  'ospf.hello.backup_designated_router': { name: 'Backup Designated Router', type: 'ipv4' },
  'ospf.hello.active_neighbor': { name: 'Active Neighbor', type: 'ipv4' },
  'ospf.db.interface_mtu': { name: 'Interface MTU', type: 'uint' },
  'ospf.db.dd': { name: 'DB Description', type: 'uint', base: 'hex', bits: 8 },
  'ospf.db.dd_sequence': { name: 'DD Sequence', type: 'uint' },
  'ospf.lsa.age': { name: 'LS Age (seconds)', type: 'uint', mask: 0x7fff, bits: 16 },
  'ospf.lsa.donotage': { name: 'Do Not Age Flag', type: 'uint', mask: 0x8000, bits: 16 },
  'ospf.lsa': { name: 'LS Type', type: 'uint', vals: LSA_TYPES },
  'ospf.lsa.id': { name: 'Link State ID', type: 'ipv4' },
  'ospf.advrouter': { name: 'Advertising Router', type: 'ipv4' },
  'ospf.lsa.seqnum': { name: 'Sequence Number', type: 'uint', base: 'hex', bits: 32 },
  'ospf.lsa.chksum': { name: 'Checksum', type: 'uint', base: 'hex', bits: 16 },
  'ospf.lsa.length': { name: 'Length', type: 'uint' },
  'ospf.ls_number_of_lsas': { name: 'Number of LSAs', type: 'uint' },
  'ospf.lsa.data': { name: 'LSA data', type: 'bytes' },
  'ospf.v2.router.lsa.flags': { name: 'Flags', type: 'uint', base: 'hex', bits: 8 },
  'ospf.lsa.number_of_links': { name: 'Number of Links', type: 'uint' },
  'ospf.lsa.router.linkid': { name: 'Link ID', type: 'ipv4' },
  'ospf.lsa.router.linkdata': { name: 'Link Data', type: 'ipv4' },
  'ospf.lsa.router.linktype': { name: 'Link Type', type: 'uint' },
  'ospf.lsa.router.nummetrics': { name: 'Number of Metrics', type: 'uint' },
  'ospf.lsa.router.metric0': { name: '0 Metric', type: 'uint' },
});

// The Options field (RFC 2328 §A.2, RFC 5250, RFC 4915), highest bit first, as tshark lists it.
const OPTIONS: [mask: number, name: string, set: string, clear: string, flag: string | null][] = [
  [0x80, 'DN', 'Set', 'Not set', 'DN'], [0x40, 'O', 'Set', 'Not set', 'O'],
  [0x20, '(DC) Demand Circuits', 'Supported', 'Not supported', '(DC) Demand Circuits'],
  [0x10, '(L) LLS Data block', 'Present', 'Not Present', '(L) LLS Data block'],
  [0x08, '(N) NSSA', 'Supported', 'Not supported', '(N) NSSA'],
  [0x04, '(MC) Multicast', 'Capable', 'Not capable', '(MC) Multicast'],
  [0x02, '(E) External Routing', 'Capable', 'Not capable', '(E) External Routing'],
  [0x01, '(MT) Multi-Topology Routing', 'Yes', 'No', '(MT) Multi-Topology Routing'],
];
const DD_FLAGS: [mask: number, name: string, set: string, clear: string][] = [
  [0x08, '(R) OOBResync', 'Set', 'Not set'], [0x04, '(I) Init', 'Set', 'Not set'],
  [0x02, '(M) More', 'Set', 'Not set'], [0x01, '(MS) Master', 'Yes', 'No'],
];

const ip = (tvb: Tvb, o: number) => ipv4ToString(tvb.u32(o));

export function dissectOspf(tvb: Tvb, p: Packet): void {
  p.layers.push('ospf');
  p.cols.protocol = 'OSPF';
  const type = tvb.u8(1);
  p.cols.setInfo(TYPES[type] ?? `Unknown (${type})`);
  const t = p.tree;
  if (!t) return;
  const version = tvb.u8(0);
  const len = tvb.u16(2);
  t.open(F.proto, tvb, 0, tvb.reportedLength, null);
  try {
    if (version === 3) {
      ospfV3(tvb, p, type, len, t);
      return;
    }
    t.text(tvb, 0, 24, 'OSPF Header', true);
    t.add(F['ospf.version'], tvb, 0, 1, version);
    t.add(F['ospf.msg'], tvb, 1, 1, type);
    t.add(F['ospf.packet_length'], tvb, 2, 2, len);
    t.add(F['ospf.srcrouter'], tvb, 4, 4, tvb.u32(4));
    const area = tvb.u32(8);
    t.add(F['ospf.area_id'], tvb, 8, 4, area, `Area ID: ${ip(tvb, 8)}${area === 0 ? ' (Backbone)' : ''}`);
    checksumItem(tvb, len, t);
    const auth = tvb.u16(14);
    t.add(F['ospf.auth.type'], tvb, 14, 2, auth);
    if (auth === 0) t.add(F['ospf.auth.none'], tvb, 16, 8, tvb.bytes(16, 8));
    else if (auth === 1) t.add(F['ospf.auth.simple'], tvb, 16, 8, tvb.latin1(16, 8).replace(/\0+$/, ''));
    t.close();
    if (version !== 2) return;
    const end = Math.min(len, tvb.reportedLength);
    switch (type) {
      case 1:
        hello(tvb, end, t);
        break;
      case 2:
        dbDescription(tvb, end, t);
        break;
      case 3:
        t.text(tvb, 24, end - 24, 'Link State Request', true);
        for (let o = 24; o + 12 <= end; o += 12) {
          t.text(tvb, o, 12, `LS Type: ${LSA_TYPES[tvb.u32(o)] ?? 'Unknown'} (${tvb.u32(o)})`);
          t.add(F['ospf.lsa.id'], tvb, o + 4, 4, tvb.u32(o + 4));
          t.add(F['ospf.advrouter'], tvb, o + 8, 4, tvb.u32(o + 8));
        }
        t.close();
        break;
      case 4: {
        t.text(tvb, 24, end - 24, 'LS Update Packet', true);
        const n = tvb.u32(24);
        t.add(F['ospf.ls_number_of_lsas'], tvb, 24, 4, n);
        for (let i = 0, o = 28; i < n && o + 20 <= end; i++) o += lsa(tvb, o, t, true);
        t.close();
        break;
      }
      case 5:
        for (let o = 24; o + 20 <= end; o += 20) lsa(tvb, o, t, false);
        break;
    }
  } finally {
    t.close();
  }
}

/** RFC 2328 §D.4.3: the Internet checksum of the packet without its 8 bytes of authentication. */
function checksumItem(tvb: Tvb, len: number, t: TreeSink): void {
  const c = tvb.u16(12);
  const hex = (v: number) => `0x${v.toString(16).padStart(4, '0')}`;
  if (tvb.length < len || len < 24) {
    t.add(F['ospf.checksum'], tvb, 12, 2, c);
    return;
  }
  const want = internetChecksum(wordSum(tvb, len, (i) => i === 12 || (i >= 16 && i < 24)));
  if (want === c) t.add(F['ospf.checksum'], tvb, 12, 2, c, `Checksum: ${hex(c)} [correct]`);
  else {
    t.open(F['ospf.checksum'], tvb, 12, 2, c, `Checksum: ${hex(c)} [incorrect, should be ${hex(want)}]`);
    t.expert('error', 'Bad checksum', tvb, 12, 2, 'Checksum');
    t.close();
  }
}

function options(tvb: Tvb, o: number, t: TreeSink): void {
  const v = tvb.u8(o);
  const set = OPTIONS.filter(([m, , , , flag]) => v & m && flag).map(([, , , , flag]) => flag);
  t.open(F['ospf.v2.options'], tvb, o, 1, v, `Options: 0x${v.toString(16).padStart(2, '0')}${set.map((s) => ', ' + s).join('')}`);
  for (const [mask, name, yes, no] of OPTIONS) t.text(tvb, o, 1, `${bitPattern(mask, 8, v)}${name}: ${v & mask ? yes : no}`);
  t.close();
}

function hello(tvb: Tvb, end: number, t: TreeSink): void {
  t.text(tvb, 24, end - 24, 'OSPF Hello Packet', true);
  t.add(F['ospf.hello.network_mask'], tvb, 24, 4, tvb.u32(24));
  t.add(F['ospf.hello.hello_interval'], tvb, 28, 2, tvb.u16(28));
  options(tvb, 30, t);
  t.add(F['ospf.hello.router_priority'], tvb, 31, 1, tvb.u8(31));
  t.add(F['ospf.hello.router_dead_interval'], tvb, 32, 4, tvb.u32(32));
  t.add(F['ospf.hello.designated_router'], tvb, 36, 4, tvb.u32(36));
  t.add(F['ospf.hello.backup_designated_router'], tvb, 40, 4, tvb.u32(40));
  for (let o = 44; o + 4 <= end; o += 4) t.add(F['ospf.hello.active_neighbor'], tvb, o, 4, tvb.u32(o));
  t.close();
}

function dbDescription(tvb: Tvb, end: number, t: TreeSink): void {
  t.text(tvb, 24, 8, 'OSPF DB Description', true);
  t.add(F['ospf.db.interface_mtu'], tvb, 24, 2, tvb.u16(24));
  options(tvb, 26, t);
  const dd = tvb.u8(27);
  const set = DD_FLAGS.filter(([m]) => dd & m).map(([, n]) => n);
  t.open(F['ospf.db.dd'], tvb, 27, 1, dd, `DB Description: 0x${dd.toString(16).padStart(2, '0')}${set.map((s) => ', ' + s).join('')}`);
  for (const [mask, name, yes, no] of DD_FLAGS) t.text(tvb, 27, 1, `${bitPattern(mask, 8, dd)}${name}: ${dd & mask ? yes : no}`);
  t.close();
  t.add(F['ospf.db.dd_sequence'], tvb, 28, 4, tvb.u32(28));
  t.close();
  for (let o = 32; o + 20 <= end; o += 20) lsa(tvb, o, t, false);
}

/** An LSA header (RFC 2328 §A.4.1), and with `body` the rest of the LSA as bytes; returns its length. */
function lsa(tvb: Tvb, o: number, t: TreeSink, body: boolean): number {
  const type = tvb.u8(o + 3);
  const len = tvb.u16(o + 18);
  const age = tvb.u16(o);
  t.text(tvb, o, body ? len : 20, `LSA-type ${type} (${LSA_TYPES[type] ?? 'Unknown'}), len ${len}`, true);
  t.add(F['ospf.lsa.age'], tvb, o, 2, age & 0x7fff);
  t.add(F['ospf.lsa.donotage'], tvb, o, 2, age >> 15);
  options(tvb, o + 2, t);
  t.add(F['ospf.lsa'], tvb, o + 3, 1, type);
  t.add(F['ospf.lsa.id'], tvb, o + 4, 4, tvb.u32(o + 4));
  t.add(F['ospf.advrouter'], tvb, o + 8, 4, tvb.u32(o + 8));
  t.add(F['ospf.lsa.seqnum'], tvb, o + 12, 4, tvb.u32(o + 12));
  t.add(F['ospf.lsa.chksum'], tvb, o + 16, 2, tvb.u16(o + 16));
  t.add(F['ospf.lsa.length'], tvb, o + 18, 2, len);
  if (body && len > 20) {
    if (type === 1) routerLsa(tvb, o + 20, o + len, t);
    else t.add(F['ospf.lsa.data'], tvb, o + 20, len - 20, tvb.bytes(o + 20, Math.min(len - 20, tvb.remaining(o + 20))));
  }
  t.close();
  return Math.max(len, 20);
}

const ROUTER_FLAGS: [mask: number, name: string][] = [
  [0x80, '(H) flag'], [0x10, '(N) flag'], [0x08, '(W) Wild-card multicast receiver'], [0x04, '(V) Virtual link endpoint'],
  [0x02, '(E) AS boundary router'], [0x01, '(B) Area border router'],
];
const LINK_SHORT: Record<number, string> = { 1: 'PTP', 2: 'Transit', 3: 'Stub', 4: 'Virtual' };
const LINK_TYPES: Record<number, string> = {
  1: 'Point-to-point connection to another router', 2: 'Connection to a transit network', 3: 'Connection to a stub network', 4: 'Virtual link',
};
const LINK_IDS: Record<number, string> = {
  1: "Neighboring router's Router ID", 2: 'IP address of Designated Router', 3: 'IP network/subnet number', 4: "Neighboring router's Router ID",
};

/** A router-LSA's body (RFC 2328 §A.4.2): flags, then its links with their metrics. */
function routerLsa(tvb: Tvb, o: number, end: number, t: TreeSink): void {
  const flags = tvb.u8(o);
  const set = ROUTER_FLAGS.filter(([m]) => flags & m).map(([, n]) => n);
  t.open(F['ospf.v2.router.lsa.flags'], tvb, o, 1, flags, `Flags: 0x${flags.toString(16).padStart(2, '0')}${set.map((n) => ', ' + n).join('')}`);
  for (const [mask, name] of ROUTER_FLAGS) t.text(tvb, o, 1, `${bitPattern(mask, 8, flags)}${name}: ${flags & mask ? 'Yes' : 'No'}`);
  t.close();
  const links = tvb.u16(o + 2);
  t.add(F['ospf.lsa.number_of_links'], tvb, o + 2, 2, links);
  let l = o + 4;
  for (let i = 0; i < links && l + 12 <= end; i++) {
    const type = tvb.u8(l + 8);
    const metrics = tvb.u8(l + 9);
    const metric = tvb.u16(l + 10);
    t.text(tvb, l, 12 + 4 * metrics, `Type: ${(LINK_SHORT[type] ?? 'Unknown').padEnd(8)} ID: ${ip(tvb, l).padEnd(15)} Data: ${ip(tvb, l + 4).padEnd(15)} Metric: ${metric}`, true);
    t.add(F['ospf.lsa.router.linkid'], tvb, l, 4, tvb.u32(l), `Link ID: ${ip(tvb, l)} - ${LINK_IDS[type] ?? 'Unknown link ID'}`);
    t.add(F['ospf.lsa.router.linkdata'], tvb, l + 4, 4, tvb.u32(l + 4));
    t.add(F['ospf.lsa.router.linktype'], tvb, l + 8, 1, type, `Link Type: ${type} - ${LINK_TYPES[type] ?? 'Unknown link type'}`);
    t.add(F['ospf.lsa.router.nummetrics'], tvb, l + 9, 1, metrics, `Number of Metrics: ${metrics} - TOS`);
    t.add(F['ospf.lsa.router.metric0'], tvb, l + 10, 2, metric);
    l += 12;
    for (let m = 0; m < metrics && l + 4 <= end; m++, l += 4) t.text(tvb, l, 4, `TOS: ${tvb.u8(l)}, Metric: ${tvb.u16(l + 2)}`);
    t.close();
  }
}

// OSPFv3 (RFC 5340 §A.3): a 16-byte header whose checksum covers an IPv6 pseudo-header, and a
// Hello with an interface ID and 24-bit options. Other packet bodies stay bytes.
const V3_OPTIONS: [mask: number, name: string][] = [
  [0x0400, 'AT'], [0x0200, 'L'], [0x0100, 'AF'], [0x20, 'DC'], [0x10, 'R'], [0x08, 'N'], [0x04, 'MC'], [0x02, 'E'], [0x01, 'V6'],
];
const INSTANCE_IDS: [max: number, name: string][] = [[31, 'IPv6 unicast AF'], [63, 'IPv6 multicast AF'], [95, 'IPv4 unicast AF'], [127, 'IPv4 multicast AF']];

function ospfV3(tvb: Tvb, p: Packet, type: number, len: number, t: TreeSink): void {
  t.text(tvb, 0, 16, 'OSPF Header', true);
  t.add(F['ospf.version'], tvb, 0, 1, 3);
  t.add(F['ospf.msg'], tvb, 1, 1, type);
  t.add(F['ospf.packet_length'], tvb, 2, 2, len);
  t.add(F['ospf.srcrouter'], tvb, 4, 4, tvb.u32(4));
  const area = tvb.u32(8);
  t.add(F['ospf.area_id'], tvb, 8, 4, area, `Area ID: ${ip(tvb, 8)}${area === 0 ? ' (Backbone)' : ''}`);
  const c = tvb.u16(12);
  const hex = (v: number) => `0x${v.toString(16).padStart(4, '0')}`;
  const want = v3Checksum(tvb, p, len);
  if (want === null) t.add(F['ospf.checksum'], tvb, 12, 2, c);
  else if (want === c) t.add(F['ospf.checksum'], tvb, 12, 2, c, `Checksum: ${hex(c)} [correct]`);
  else t.add(F['ospf.checksum'], tvb, 12, 2, c, `Checksum: ${hex(c)} [incorrect, should be ${hex(want)}]`);
  const instance = tvb.u8(14);
  const af = INSTANCE_IDS.find(([max]) => instance <= max)?.[1] ?? 'Reserved';
  t.text(tvb, 14, 1, `Instance ID: ${af} (${instance})`);
  t.text(tvb, 15, 1, `Reserved: ${tvb.u8(15).toString(16).padStart(2, '0')}`);
  t.close();
  const end = Math.min(len, tvb.reportedLength);
  if (type !== 1) {
    if (end > 16) t.add(F['ospf.lsa.data'], tvb, 16, end - 16, tvb.bytes(16, Math.min(end - 16, tvb.remaining(16))));
    return;
  }
  t.text(tvb, 16, end - 16, 'OSPF Hello Packet', true);
  t.text(tvb, 16, 4, `Interface ID: ${tvb.u32(16)}`);
  t.add(F['ospf.hello.router_priority'], tvb, 20, 1, tvb.u8(20));
  const opts = tvb.u24(21);
  const set = V3_OPTIONS.filter(([m]) => opts & m).map(([, n]) => n);
  t.text(tvb, 21, 3, `Options: 0x${opts.toString(16).padStart(6, '0')}${set.map((n) => ', ' + n).join('')}`, true);
  for (const [mask, name] of V3_OPTIONS) t.text(tvb, 21, 3, `${bitPattern(mask, 24, opts)}${name}: ${opts & mask ? 'Set' : 'Not set'}`);
  t.close();
  t.add(F['ospf.hello.hello_interval'], tvb, 24, 2, tvb.u16(24));
  t.add(F['ospf.hello.router_dead_interval'], tvb, 26, 2, tvb.u16(26));
  t.add(F['ospf.hello.designated_router'], tvb, 28, 4, tvb.u32(28));
  t.add(F['ospf.hello.backup_designated_router'], tvb, 32, 4, tvb.u32(32));
  for (let o = 36; o + 4 <= end; o += 4) t.add(F['ospf.hello.active_neighbor'], tvb, o, 4, tvb.u32(o));
  t.close();
}

/** RFC 5340 §A.3.1 / RFC 8200 §8.1: the checksum over the IPv6 pseudo-header and the packet; null when unknown. */
function v3Checksum(tvb: Tvb, p: Packet, len: number): number | null {
  const src = ipv6Bytes(p.netSrc);
  const dst = ipv6Bytes(p.netDst);
  if (!src || !dst || tvb.length < len) return null;
  let sum = len + 89; // the pseudo-header's upper-layer length and next header (OSPF is 89)
  for (const a of [src, dst]) for (let i = 0; i < 16; i += 2) sum += (a[i]! << 8) | a[i + 1]!;
  return internetChecksum(sum + wordSum(tvb, len, (i) => i === 12));
}

/** The 16 bytes of an IPv6 address in text form (RFC 5952), or null. */
function ipv6Bytes(text: string): Uint8Array | null {
  if (!text.includes(':') || text.includes('.')) return null;
  const [head, tail] = text.split('::');
  const groups = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = groups(head);
  const tl = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? h : [...h, ...new Array(8 - h.length - tl.length).fill(0), ...tl];
  if (all.length !== 8 || all.some((g) => !(g >= 0 && g <= 0xffff))) return null;
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

ipProtoTable.add(89, dissectOspf);
