// RIP (UDP 520; v1 RFC 1058, v2 RFC 2453), the routing protocol of many a networking lab, as
// tshark 4.0 shows it: Protocol RIPv1/RIPv2, Info "Request"/"Response", one node per route
// ("IP Address: 10.0.0.0, Metric: 1") and RIPv2's authentication entry (RFC 2453 §4.1, RFC 2082).

import type { Packet } from './packet.ts';
import { defineProtocol, ipv4ToString } from './registry.ts';
import { udpPortTable } from './tables.ts';
import type { TreeSink } from './tree.ts';
import type { Tvb } from './tvb.ts';

const VERSIONS: Record<number, string> = { 1: 'RIPv1', 2: 'RIPv2' };
const COMMANDS: Record<number, string> = { 1: 'Request', 2: 'Response', 3: 'Traceon', 4: 'Traceoff', 5: 'Vendor specific (Sun)' };
const AUTH_TYPES: Record<number, string> = { 1: 'IP Route', 2: 'Simple Password', 3: 'Keyed Message Digest' };

const F = defineProtocol('rip', 'Routing Information Protocol', {
  'rip.command': { name: 'Command', type: 'uint', vals: COMMANDS },
  'rip.version': { name: 'Version', type: 'uint', vals: VERSIONS },
  'rip.family': { name: 'Address Family', type: 'uint', vals: { 0: 'Unspecified', 2: 'IP' } },
  'rip.route_tag': { name: 'Route Tag', type: 'uint' },
  'rip.ip': { name: 'IP Address', type: 'ipv4' },
  'rip.netmask': { name: 'Netmask', type: 'ipv4' },
  'rip.next_hop': { name: 'Next Hop', type: 'ipv4' },
  'rip.metric': { name: 'Metric', type: 'uint' },
  'rip.auth.type': { name: 'Authentication type', type: 'uint', vals: AUTH_TYPES },
  'rip.auth.passwd': { name: 'Password', type: 'string' },
});

const ENTRY = 20;

function dissectRip(tvb: Tvb, p: Packet): boolean {
  p.layers.push('rip');
  const command = tvb.u8(0);
  const version = tvb.u8(1);
  p.cols.protocol = VERSIONS[version] ?? 'RIP';
  p.cols.setInfo(COMMANDS[command] ?? `Unknown command (${command})`);
  const t = p.tree;
  if (!t) return true;
  t.open(F.proto, tvb, 0, tvb.reportedLength, null);
  try {
    t.add(F['rip.command'], tvb, 0, 1, command);
    t.add(F['rip.version'], tvb, 1, 1, version);
    let trailer = 0;
    for (let o = 4; tvb.reportedRemaining(o) > trailer; o += ENTRY) {
      const family = tvb.u16(o);
      if (family === 0 || family === 2) entry(tvb, o, version, family, t);
      else if (family === 0xffff && o === 4) trailer = authentication(tvb, o, t);
      else t.expert('warn', `Unknown address family ${family}`, tvb, o, ENTRY, 'Protocol');
    }
  } finally {
    t.close();
  }
  return true;
}

/** A route entry: family, (v2) tag, address, (v2) netmask and next hop, metric. */
function entry(tvb: Tvb, o: number, version: number, family: number, t: TreeSink): void {
  const metric = tvb.u32(o + 16);
  const addr = ipv4ToString(tvb.u32(o + 4));
  t.text(tvb, o, ENTRY, family === 2 ? `IP Address: ${addr}, Metric: ${metric}` : `Address not specified, Metric: ${metric}`, true);
  t.add(F['rip.family'], tvb, o, 2, family);
  if (version === 2) t.add(F['rip.route_tag'], tvb, o + 2, 2, tvb.u16(o + 2));
  if (family === 2) t.add(F['rip.ip'], tvb, o + 4, 4, tvb.u32(o + 4));
  if (version === 2) {
    t.add(F['rip.netmask'], tvb, o + 8, 4, tvb.u32(o + 8));
    t.add(F['rip.next_hop'], tvb, o + 12, 4, tvb.u32(o + 12));
  }
  t.add(F['rip.metric'], tvb, o + 16, 4, metric);
  t.close();
}

/** RIPv2's authentication entry (family 0xffff, first): its length of trailing digest data. */
function authentication(tvb: Tvb, o: number, t: TreeSink): number {
  const type = tvb.u16(o + 2);
  t.text(tvb, o, ENTRY, `Authentication: ${AUTH_TYPES[type] ?? `Unknown (${type})`}`, true);
  t.add(F['rip.auth.type'], tvb, o + 2, 2, type);
  let trailer = 0;
  if (type === 2) t.add(F['rip.auth.passwd'], tvb, o + 4, 16, tvb.latin1(o + 4, 16).replace(/\0+$/, ''));
  else if (type === 3) trailer = tvb.u8(o + 7);
  t.close();
  return trailer;
}

udpPortTable.add(520, dissectRip);
