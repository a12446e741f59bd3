// DHCP (RFC 2131) and the BOOTP message it rides in (RFC 951), UDP ports 67 and 68. The fixed
// 236-byte header, the magic cookie 99.130.83.99 (RFC 2131 §3), then options (RFC 2132): code,
// length, value; 0 is padding and 255 the end. Named "BOOTP" until a DHCP Message Type option
// (53) is found, then "DHCP <type> - Transaction ID 0x…", as tshark writes it.
//
// Like tshark, the options are walked twice: first, carefully (never past the captured bytes),
// only to find the message type; then for the tree, where bytes cut off by the capture end the
// packet with "[Packet size limited during capture]".

import { ipv4Text } from './ip.ts';
import { macAt } from './eth.ts';
import type { Packet } from './packet.ts';
import { defineProtocol } from './registry.ts';
import { udpPortTable } from './tables.ts';
import { durationText } from './text.ts';
import type { TreeSink } from './tree.ts';
import type { Tvb } from './tvb.ts';

const BOOTREQUEST = 1;
const BOOTREPLY = 2;
const MAGIC_COOKIE = 0x63825363;
const OPTIONS_AT = 236; // after the fixed header (RFC 2131 §2, Figure 1)
const HTYPE_ETHERNET = 1;
const HTYPE_IEEE802 = 6;

// RFC 2131 §3.1 message types (53), RFC 3203 (9), RFC 4388 (10–13).
const MESSAGE_TYPES: Record<number, string> = {
  1: 'Discover', 2: 'Offer', 3: 'Request', 4: 'Decline', 5: 'ACK', 6: 'NAK', 7: 'Release', 8: 'Inform',
  9: 'Force Renew', 10: 'Lease query', 11: 'Lease Unassigned', 12: 'Lease Unknown', 13: 'Lease Active',
};

// ARP hardware types (IANA), the ones DHCP clients use.
const HW_TYPES: Record<number, string> = { 1: 'Ethernet', 6: 'IEEE 802 Networks', 32: 'InfiniBand' };

type OptionKind = 'ipv4' | 'ipv4_list' | 'string' | 'secs' | 'u8' | 'u16' | 'bool' | 'type' | 'request_list' | 'client_id' | 'bytes';

/** RFC 2132 (and later RFCs) option names as Wireshark words them, and how their values read. */
const OPTIONS: Record<number, [string, OptionKind]> = {
  1: ['Subnet Mask', 'ipv4'], 2: ['Time Offset', 'bytes'], 3: ['Router', 'ipv4_list'], 4: ['Time Server', 'ipv4_list'],
  5: ['Name Server', 'ipv4_list'], 6: ['Domain Name Server', 'ipv4_list'], 7: ['Log Server', 'ipv4_list'],
  12: ['Host Name', 'string'], 13: ['Boot File Size', 'u16'], 15: ['Domain Name', 'string'], 16: ['Swap Server', 'ipv4'],
  17: ['Root Path', 'string'], 19: ['IP Forwarding', 'bool'], 23: ['Default IP Time-to-Live', 'u8'],
  26: ['Interface MTU', 'u16'], 28: ['Broadcast Address', 'ipv4'], 31: ['Perform Router Discover', 'bool'],
  33: ['Static Route', 'bytes'], 35: ['ARP Cache Timeout', 'secs'], 40: ['Network Information Service Domain', 'string'],
  42: ['Network Time Protocol Servers', 'ipv4_list'], 43: ['Vendor-Specific Information', 'bytes'],
  44: ['NetBIOS over TCP/IP Name Server', 'ipv4_list'], 46: ['NetBIOS over TCP/IP Node Type', 'u8'],
  47: ['NetBIOS over TCP/IP Scope', 'string'], 50: ['Requested IP Address', 'ipv4'],
  51: ['IP Address Lease Time', 'secs'], 52: ['Option Overload', 'u8'], 53: ['DHCP Message Type', 'type'],
  54: ['DHCP Server Identifier', 'ipv4'], 55: ['Parameter Request List', 'request_list'], 56: ['Message', 'string'],
  57: ['Maximum DHCP Message Size', 'u16'], 58: ['Renewal Time Value', 'secs'], 59: ['Rebinding Time Value', 'secs'],
  60: ['Vendor class identifier', 'string'], 61: ['Client identifier', 'client_id'], 66: ['TFTP Server Name', 'string'],
  67: ['Bootfile name', 'string'], 77: ['User Class Information', 'bytes'], 80: ['Rapid Commit', 'bytes'],
  81: ['Client Fully Qualified Domain Name', 'bytes'], 82: ['Agent Information Option', 'bytes'],
  116: ['DHCP Auto-Configuration', 'u8'], 119: ['Domain Search', 'bytes'], 121: ['Classless Static Route', 'bytes'],
  145: ['Forcerenew Nonce Capable', 'bytes'], 249: ['Private/Classless Static Route (Microsoft)', 'bytes'],
  252: ['Private/Proxy autodiscovery', 'string'],
};

export const F = defineProtocol('dhcp', 'Dynamic Host Configuration Protocol', {
  'dhcp.type': { name: 'Message type', type: 'uint', vals: { 1: 'Boot Request', 2: 'Boot Reply' } },
  'dhcp.hw.type': { name: 'Hardware type', type: 'uint', base: 'hex', bits: 8, vals: HW_TYPES },
  'dhcp.hw.len': { name: 'Hardware address length', type: 'uint' },
  'dhcp.hops': { name: 'Hops', type: 'uint' },
  'dhcp.id': { name: 'Transaction ID', type: 'uint', base: 'hex', bits: 32 },
  'dhcp.secs': { name: 'Seconds elapsed', type: 'uint' },
  'dhcp.flags': { name: 'Bootp flags', type: 'uint', base: 'hex', bits: 16 },
  'dhcp.flags.bc': { name: 'Broadcast flag', type: 'bool', mask: 0x8000, bits: 16, tfs: ['Broadcast', 'Unicast'] },
  'dhcp.flags.reserved': { name: 'Reserved flags', type: 'uint', base: 'hex', mask: 0x7fff, bits: 16 },
  'dhcp.ip.client': { name: 'Client IP address', type: 'ipv4' },
  'dhcp.ip.your': { name: 'Your (client) IP address', type: 'ipv4' },
  'dhcp.ip.server': { name: 'Next server IP address', type: 'ipv4' },
  'dhcp.ip.relay': { name: 'Relay agent IP address', type: 'ipv4' },
  'dhcp.hw.mac_addr': { name: 'Client MAC address', type: 'ether' },
  'dhcp.hw.addr': { name: 'Client hardware address', type: 'bytes' },
  'dhcp.hw.addr_padding': { name: 'Client hardware address padding', type: 'bytes' },
  'dhcp.server': { name: 'Server host name', type: 'string' },
  'dhcp.file': { name: 'Boot file name', type: 'string' },
  'dhcp.cookie': { name: 'Magic cookie', type: 'ipv4' },
  'dhcp.vendor_specific_options': { name: 'Bootp vendor specific options', type: 'bytes' },
  'dhcp.option.type': { name: 'Option', type: 'uint' },
  'dhcp.option.length': { name: 'Length', type: 'uint' },
  'dhcp.option.value': { name: 'Value', type: 'bytes' },
  'dhcp.option.padding': { name: 'Padding', type: 'bytes' },
  'dhcp.option.end': { name: 'Option End', type: 'uint' },
  'dhcp.option.dhcp': { name: 'DHCP', type: 'uint', vals: MESSAGE_TYPES },
  'dhcp.option.subnet_mask': { name: 'Subnet Mask', type: 'ipv4' },
  'dhcp.option.router': { name: 'Router', type: 'ipv4' },
  'dhcp.option.domain_name_server': { name: 'Domain Name Server', type: 'ipv4' },
  'dhcp.option.hostname': { name: 'Host Name', type: 'string' },
  'dhcp.option.domain_name': { name: 'Domain Name', type: 'string' },
  'dhcp.option.broadcast_address': { name: 'Broadcast Address', type: 'ipv4' },
  'dhcp.option.ntp_server': { name: 'Network Time Protocol Server', type: 'ipv4' },
  'dhcp.option.requested_ip_address': { name: 'Requested IP Address', type: 'ipv4' },
  'dhcp.option.ip_address_lease_time': { name: 'IP Address Lease Time', type: 'uint' },
  'dhcp.option.dhcp_server_id': { name: 'DHCP Server Identifier', type: 'ipv4' },
  'dhcp.option.request_list_item': { name: 'Parameter Request List Item', type: 'uint' },
  'dhcp.option.message': { name: 'Message', type: 'string' },
  'dhcp.option.dhcp_max_message_size': { name: 'Maximum DHCP Message Size', type: 'uint' },
  'dhcp.option.renewal_time_value': { name: 'Renewal Time Value', type: 'uint' },
  'dhcp.option.rebinding_time_value': { name: 'Rebinding Time Value', type: 'uint' },
  'dhcp.option.vendor_class_id': { name: 'Vendor class identifier', type: 'string' },
  'dhcp.client_id.hw_type': { name: 'Hardware type', type: 'uint', base: 'hex', bits: 8, vals: HW_TYPES },
  'dhcp.client_id.mac': { name: 'Client MAC address', type: 'ether' },
  'dhcp.client_id': { name: 'Client Identifier', type: 'bytes' },
});

type Field = (typeof F)[keyof typeof F];

/** Options whose values have a field of their own (the rest show as Value). */
const OPTION_FIELDS: Record<number, Field> = {
  1: F['dhcp.option.subnet_mask'], 3: F['dhcp.option.router'], 6: F['dhcp.option.domain_name_server'],
  12: F['dhcp.option.hostname'], 15: F['dhcp.option.domain_name'], 28: F['dhcp.option.broadcast_address'],
  42: F['dhcp.option.ntp_server'], 50: F['dhcp.option.requested_ip_address'],
  51: F['dhcp.option.ip_address_lease_time'], 54: F['dhcp.option.dhcp_server_id'], 56: F['dhcp.option.message'],
  57: F['dhcp.option.dhcp_max_message_size'], 58: F['dhcp.option.renewal_time_value'],
  59: F['dhcp.option.rebinding_time_value'], 60: F['dhcp.option.vendor_class_id'],
};

const messageTypeName = (t: number) => MESSAGE_TYPES[t] ?? `Unknown Message Type (0x${t.toString(16).padStart(2, '0')})`;

/**
 * The first walk: the DHCP message type, or null. Never reads past the captured bytes except
 * for an option's code byte, as tshark's first pass.
 */
function findMessageType(tvb: Tvb, voff: number, eoff: number): string | null {
  let type: string | null = null;
  while (voff < eoff) {
    const code = tvb.u8(voff);
    if (code === 0) {
      let i = voff + 1;
      while (i < eoff && tvb.u8(i) === 0) i++;
      voff = i;
      continue;
    }
    if (code === 255) break;
    if (!tvb.has(voff + 1, 1)) {
      voff++;
      continue;
    }
    const len = tvb.u8(voff + 1);
    if (code === 53 && tvb.has(voff + 2, len) && len > 0) type = messageTypeName(tvb.u8(voff + 2));
    voff += len + 2;
  }
  return type;
}

/** The tree items of one option's value (`v` = value offset, `len` bytes, all captured). */
function optionValue(t: TreeSink, tvb: Tvb, code: number, v: number, len: number): void {
  const [name, kind] = OPTIONS[code] ?? ['Unknown', 'bytes'];
  const field = OPTION_FIELDS[code];
  switch (kind) {
    case 'ipv4':
      if (len !== 4) break;
      t.appendLabel(` (${ipv4Text(tvb.u32(v))})`);
      t.add(field ?? F['dhcp.option.value'], tvb, v, 4, tvb.u32(v), `${name}: ${ipv4Text(tvb.u32(v))}`);
      return;
    case 'ipv4_list':
      for (let o = v; o + 4 <= v + len; o += 4) {
        t.add(field ?? F['dhcp.option.value'], tvb, o, 4, tvb.u32(o), `${name}: ${ipv4Text(tvb.u32(o))}`);
      }
      return;
    case 'string': {
      const s = tvb.latin1(v, len).replace(/\0+$/, '');
      t.add(field ?? F['dhcp.option.value'], tvb, v, len, s, `${name}: ${s}`);
      return;
    }
    case 'secs': {
      if (len !== 4) break;
      const s = tvb.u32(v);
      t.add(field ?? F['dhcp.option.value'], tvb, v, 4, s, `${name}: (${s}s) ${s === 0xffffffff ? 'infinity' : durationText(s)}`);
      return;
    }
    case 'u8':
      if (len !== 1) break;
      t.add(field ?? F['dhcp.option.value'], tvb, v, 1, tvb.u8(v), `${name}: ${tvb.u8(v)}`);
      return;
    case 'u16':
      if (len !== 2) break;
      t.add(field ?? F['dhcp.option.value'], tvb, v, 2, tvb.u16(v), `${name}: ${tvb.u16(v)}`);
      return;
    case 'bool':
      if (len !== 1) break;
      t.add(F['dhcp.option.value'], tvb, v, 1, tvb.u8(v), `${name}: ${tvb.u8(v) ? 'Enabled' : 'Disabled'}`);
      return;
    case 'type': {
      if (len !== 1) break;
      const type = tvb.u8(v);
      t.appendLabel(` (${messageTypeName(type)})`);
      t.add(F['dhcp.option.dhcp'], tvb, v, 1, type, `DHCP: ${messageTypeName(type)} (${type})`);
      return;
    }
    case 'request_list':
      for (let o = v; o < v + len; o++) {
        const item = tvb.u8(o);
        t.add(F['dhcp.option.request_list_item'], tvb, o, 1, item, `Parameter Request List Item: (${item}) ${OPTIONS[item]?.[0] ?? 'Unknown'}`);
      }
      return;
    case 'client_id':
      // RFC 2132 §9.14: a hardware type and address, most often Ethernet.
      if (len === 7 && tvb.u8(v) === HTYPE_ETHERNET) {
        t.add(F['dhcp.client_id.hw_type'], tvb, v, 1, HTYPE_ETHERNET);
        t.add(F['dhcp.client_id.mac'], tvb, v + 1, 6, tvb.bytes(v + 1, 6), `Client MAC address: ${macAt(tvb, v + 1)}`);
      } else if (len > 0) t.add(F['dhcp.client_id'], tvb, v, len, tvb.bytes(v, len));
      return;
    case 'bytes':
      break;
  }
  if (len > 0) t.add(F['dhcp.option.value'], tvb, v, len, tvb.bytes(v, len));
}

/**
 * The second walk: every option, then what follows the End option as padding. It checks the
 * bytes of every item tshark adds (tshark checks an item's bounds even when it builds no tree),
 * so a packet cut by the capture ends the same way with or without a tree.
 */
function walkOptions(t: TreeSink | null, tvb: Tvb, voff: number, eoff: number): void {
  while (voff < eoff) {
    const code = tvb.u8(voff);
    if (code === 0) {
      let i = voff + 1;
      while (i < eoff && tvb.u8(i) === 0) i++;
      t?.add(F['dhcp.option.padding'], tvb, voff, i - voff, tvb.bytes(voff, i - voff), 'Option: (0) Padding');
      voff = i;
      continue;
    }
    if (code === 255) {
      if (t) {
        t.open(F['dhcp.option.type'], tvb, voff, 1, 255, 'Option: (255) End');
        t.add(F['dhcp.option.end'], tvb, voff, 1, 255);
        t.close();
      }
      voff++;
      break;
    }
    const len = tvb.u8(voff + 1);
    tvb.check(voff + 2, len);
    if (t) {
      t.open(F['dhcp.option.type'], tvb, voff, len + 2, code, `Option: (${code}) ${OPTIONS[code]?.[0] ?? 'Unknown'}`);
      t.add(F['dhcp.option.length'], tvb, voff + 1, 1, len);
      optionValue(t, tvb, code, voff + 2, len);
      t.close();
    }
    voff += len + 2;
  }
  if (voff < eoff) {
    tvb.check(voff, eoff - voff);
    t?.add(F['dhcp.option.padding'], tvb, voff, eoff - voff, tvb.bytes(voff, eoff - voff));
  }
}

export function dissectDhcp(tvb: Tvb, p: Packet): boolean {
  p.layers.push('dhcp');
  p.cols.protocol = 'BOOTP';
  p.cols.clearInfo();
  const op = tvb.u8(0);
  const htype = tvb.u8(1);
  const hlen = tvb.u8(2);
  if (op === BOOTREQUEST) {
    const hw = tvb.bytes(28, Math.min(hlen, 16));
    const mac = (htype === HTYPE_ETHERNET || htype === HTYPE_IEEE802) && hlen === 6 ? macAt(tvb, 28) : null;
    // tshark adds the resolved name; with -n (and here) that is the address again.
    p.cols.setInfo(mac ? `Boot Request from ${mac} (${mac})` : `Boot Request from ${[...hw].map((b) => b.toString(16).padStart(2, '0')).join(':')}`);
  } else if (op === BOOTREPLY) p.cols.setInfo('Boot Reply');
  else p.cols.setInfo(`Unknown BOOTP message type (${op})`);

  const hasCookie = tvb.has(OPTIONS_AT, 4) && tvb.u32(OPTIONS_AT) === MAGIC_COOKIE;
  const voff = hasCookie ? OPTIONS_AT + 4 : OPTIONS_AT + 64;
  const eoff = tvb.reportedLength;
  const type = findMessageType(tvb, voff, eoff);
  const xid = tvb.u32(4);
  if (type) {
    p.cols.protocol = 'DHCP';
    p.cols.setInfo(`DHCP ${type.padEnd(8)} - Transaction ID 0x${xid.toString(16)}`);
  }

  // The fixed header, read whether or not a tree is built: a capture cut inside it ends here.
  const secs = tvb.u16(8);
  const flags = tvb.u16(10);
  const ips = [tvb.u32(12), tvb.u32(16), tvb.u32(20), tvb.u32(24)];
  tvb.check(28, OPTIONS_AT - 28);
  const t = p.tree;
  if (t) {
    t.open(F.proto, tvb, 0, tvb.length, null, `Dynamic Host Configuration Protocol${type ? ` (${type})` : ''}`);
    t.add(F['dhcp.type'], tvb, 0, 1, op);
    t.add(F['dhcp.hw.type'], tvb, 1, 1, htype);
    t.add(F['dhcp.hw.len'], tvb, 2, 1, hlen);
    t.add(F['dhcp.hops'], tvb, 3, 1, tvb.u8(3));
    t.add(F['dhcp.id'], tvb, 4, 4, xid);
    t.add(F['dhcp.secs'], tvb, 8, 2, secs);
    t.open(F['dhcp.flags'], tvb, 10, 2, flags, `Bootp flags: 0x${flags.toString(16).padStart(4, '0')}${flags & 0x8000 ? ', Broadcast flag' : ''} (${flags & 0x8000 ? 'Broadcast' : 'Unicast'})`);
    t.add(F['dhcp.flags.bc'], tvb, 10, 2, (flags & 0x8000) !== 0);
    t.add(F['dhcp.flags.reserved'], tvb, 10, 2, flags & 0x7fff);
    t.close();
    t.add(F['dhcp.ip.client'], tvb, 12, 4, ips[0]!);
    t.add(F['dhcp.ip.your'], tvb, 16, 4, ips[1]!);
    t.add(F['dhcp.ip.server'], tvb, 20, 4, ips[2]!);
    t.add(F['dhcp.ip.relay'], tvb, 24, 4, ips[3]!);
    if ((htype === HTYPE_ETHERNET || htype === HTYPE_IEEE802) && hlen === 6) {
      t.add(F['dhcp.hw.mac_addr'], tvb, 28, 6, tvb.bytes(28, 6), `Client MAC address: ${macAt(tvb, 28)}`);
      t.add(F['dhcp.hw.addr_padding'], tvb, 34, 10, tvb.bytes(34, 10));
    } else t.add(F['dhcp.hw.addr'], tvb, 28, 16, tvb.bytes(28, 16));
    for (const [off, field, what] of [[44, F['dhcp.server'], 'Server host name'], [108, F['dhcp.file'], 'Boot file name']] as const) {
      const size = off === 44 ? 64 : 128;
      const s = tvb.latin1(off, size).replace(/\0.*$/s, '');
      if (s) t.add(field, tvb, off, size, s);
      else t.text(tvb, off, size, `${what} not given`);
    }
    if (hasCookie) t.add(F['dhcp.cookie'], tvb, OPTIONS_AT, 4, MAGIC_COOKIE, 'Magic cookie: DHCP');
  }
  // RFC 951 §3: without the cookie the 64 bytes after the header are the vendor area.
  if (!hasCookie) {
    tvb.check(OPTIONS_AT, 64);
    t?.add(F['dhcp.vendor_specific_options'], tvb, OPTIONS_AT, 64, tvb.bytes(OPTIONS_AT, 64));
  }
  walkOptions(t, tvb, voff, eoff);
  t?.close();
  return true;
}

udpPortTable.add(67, dissectDhcp);
udpPortTable.add(68, dissectDhcp);
