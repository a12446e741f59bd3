// DHCPv6 (RFC 8415) on UDP ports 546 (client) and 547 (server): a message type and transaction
// ID (or, for relays, hop count and link/peer addresses) followed by options, some of which
// nest options (IA_NA/IA_TA/IA_PD) or a whole relayed message. Info is tshark's: the message type,
// "XID: 0x…", then the client ID ("CID: …") and leased addresses ("IAA: …") as they come.

import { ipv6Text } from './ipv6.ts';
import type { Packet } from './packet.ts';
import { defineProtocol } from './registry.ts';
import { udpPortTable } from './tables.ts';
import type { TreeSink } from './tree.ts';
import type { Tvb } from './tvb.ts';

const RELAY_FORW = 12;
const RELAY_REPLY = 13;
const OPTION_CLIENTID = 1;
const OPTION_IA_NA = 3;
const OPTION_IA_TA = 4;
const OPTION_IAADDR = 5;
const OPTION_RELAY_MSG = 9;
const OPTION_IA_PD = 25;
/** tshark writes at most this many bytes of an identifier, then an ellipsis. */
const MAX_BYTES_SHOWN = 36;
/** Relays nest messages in options; a hostile packet could nest them without end. */
const MAX_DEPTH = 32;

// RFC 8415 §7.3 message types, as Wireshark names them.
const MESSAGE_TYPES: Record<number, string> = {
  1: 'Solicit', 2: 'Advertise', 3: 'Request', 4: 'Confirm', 5: 'Renew', 6: 'Rebind', 7: 'Reply', 8: 'Release',
  9: 'Decline', 10: 'Reconfigure', 11: 'Information-request', 12: 'Relay-forw', 13: 'Relay-reply', 14: 'Leasequery',
  15: 'Leasequery-reply', 16: 'Leasequery-done', 17: 'Leasequery-data', 18: 'Reconfigure-request', 19: 'Reconfigure-reply',
};

// IANA DHCPv6 option codes, as Wireshark names them.
const OPTIONS: Record<number, string> = {
  1: 'Client Identifier', 2: 'Server Identifier', 3: 'Identity Association for Non-temporary Address',
  4: 'Identity Association for Temporary Address', 5: 'IA Address', 6: 'Option Request', 7: 'Preference',
  8: 'Elapsed time', 9: 'Relay Message', 11: 'Authentication', 12: 'Server unicast', 13: 'Status code',
  14: 'Rapid Commit', 15: 'User Class', 16: 'Vendor Class', 17: 'Vendor-specific Information', 18: 'Interface-Id',
  19: 'Reconfigure Message', 20: 'Reconfigure Accept', 21: 'SIP Server Domain Name List', 22: 'SIP Servers IPv6 Address List',
  23: 'DNS recursive name server', 24: 'Domain Search List', 25: 'Identity Association for Prefix Delegation',
  26: 'IA Prefix', 27: 'Network Information Server', 28: 'Network Information Server V2',
  29: 'Network Information Server Domain Name', 30: 'Network Information Server V2 Domain Name',
  31: 'Simple Network Time Protocol Server', 32: 'Lifetime', 37: 'Remote Identifier', 38: 'Subscriber Identifier',
  39: 'Client Fully Qualified Domain Name', 41: 'Time Zone', 42: 'Time Zone Database', 43: 'Echo Request Option',
};

export const F = defineProtocol('dhcpv6', 'DHCPv6', {
  'dhcpv6.msgtype': { name: 'Message type', type: 'uint', vals: MESSAGE_TYPES },
  'dhcpv6.xid': { name: 'Transaction ID', type: 'uint', base: 'hex', bits: 24 },
  'dhcpv6.hopcount': { name: 'Hopcount', type: 'uint' },
  'dhcpv6.linkaddr': { name: 'Link address', type: 'ipv6' },
  'dhcpv6.peeraddr': { name: 'Peer address', type: 'ipv6' },
  'dhcpv6.option.type_str': { name: 'Option', type: 'string' },
  'dhcpv6.option.type': { name: 'Option', type: 'uint', vals: OPTIONS },
  'dhcpv6.option.length': { name: 'Length', type: 'uint' },
  'dhcpv6.option.value': { name: 'Value', type: 'bytes' },
  'dhcpv6.duid.bytes': { name: 'DUID', type: 'bytes' },
  'dhcpv6.iaid': { name: 'IAID', type: 'bytes' },
  'dhcpv6.iaid.t1': { name: 'T1', type: 'uint' },
  'dhcpv6.iaid.t2': { name: 'T2', type: 'uint' },
  'dhcpv6.iaaddr.ip': { name: 'IPv6 address', type: 'ipv6' },
  'dhcpv6.iaaddr.pref_lifetime': { name: 'Preferred lifetime', type: 'uint' },
  'dhcpv6.iaaddr.valid_lifetime': { name: 'Valid lifetime', type: 'uint' },
});

const hexBytes = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

/** tshark's bytes_to_str: hex, cut after 36 bytes with an ellipsis. */
function bytesText(tvb: Tvb, off: number, len: number): string {
  const shown = Math.min(len, MAX_BYTES_SHOWN);
  return hexBytes(tvb.bytes(off, shown)) + (len > shown ? '…' : '');
}

const lifetime = (v: number) => (v === 0xffffffff ? 'infinity' : String(v));

/** One option at `off` (before `eoff`); its length, or 0 when it does not fit (the walk ends). */
function option(tvb: Tvb, off: number, eoff: number, p: Packet, depth: number): number {
  if (eoff - off < 4) return 0;
  const type = tvb.u16(off);
  const len = tvb.u16(off + 2);
  if (eoff - off < 4 + len) return 0;
  const t = p.tree;
  const name = OPTIONS[type] ?? `DHCP option ${type}`;
  t?.text(tvb, off, 4 + len, name, true);
  try {
    t?.add(F['dhcpv6.option.type'], tvb, off, 2, type);
    t?.add(F['dhcpv6.option.length'], tvb, off + 2, 2, len);
    const v = off + 4;
    switch (type) {
      case OPTION_CLIENTID:
        if (len > 0) p.cols.appendInfo(`CID: ${bytesText(tvb, v, len)} `);
        t?.add(F['dhcpv6.duid.bytes'], tvb, v, len, tvb.bytes(v, len));
        break;
      case OPTION_IA_NA:
      case OPTION_IA_PD:
      case OPTION_IA_TA: {
        // RFC 8415 §21.4: IAID (and T1, T2 but in IA_TA), then options.
        const fixed = type === OPTION_IA_TA ? 4 : 12;
        if (len < fixed) break;
        t?.add(F['dhcpv6.iaid'], tvb, v, 4, tvb.bytes(v, 4));
        if (fixed === 12) {
          const t1 = tvb.u32(v + 4);
          const t2 = tvb.u32(v + 8);
          t?.add(F['dhcpv6.iaid.t1'], tvb, v + 4, 4, t1, `T1: ${lifetime(t1)}`);
          t?.add(F['dhcpv6.iaid.t2'], tvb, v + 8, 4, t2, `T2: ${lifetime(t2)}`);
        }
        options(tvb, v + fixed, v + len, p, depth);
        break;
      }
      case OPTION_IAADDR: {
        if (len < 24) break;
        p.cols.appendInfo(`IAA: ${ipv6Text(tvb, v)} `);
        const pref = tvb.u32(v + 16);
        const valid = tvb.u32(v + 20);
        if (t) {
          t.add(F['dhcpv6.iaaddr.ip'], tvb, v, 16, tvb.bytes(v, 16), `IPv6 address: ${ipv6Text(tvb, v)}`);
          t.add(F['dhcpv6.iaaddr.pref_lifetime'], tvb, v + 16, 4, pref, `Preferred lifetime: ${lifetime(pref)}`);
          t.add(F['dhcpv6.iaaddr.valid_lifetime'], tvb, v + 20, 4, valid, `Valid lifetime: ${lifetime(valid)}`);
        }
        options(tvb, v + 24, v + len, p, depth);
        break;
      }
      case OPTION_RELAY_MSG:
        if (len > 0) message(tvb, v, v + len, p, depth + 1);
        break;
      default:
        if (len > 0) t?.add(F['dhcpv6.option.value'], tvb, v, len, tvb.bytes(v, Math.min(len, tvb.remaining(v))));
    }
  } finally {
    t?.close();
  }
  return 4 + len;
}

function options(tvb: Tvb, off: number, eoff: number, p: Packet, depth: number): void {
  while (off < eoff) {
    const used = option(tvb, off, eoff, p, depth);
    if (used === 0) break;
    off += used;
  }
}

/** A message (or a relayed one inside a Relay Message option). */
function message(tvb: Tvb, off: number, eoff: number, p: Packet, depth: number): void {
  if (depth > MAX_DEPTH) return;
  const type = tvb.u8(off);
  p.cols.appendInfo(`${MESSAGE_TYPES[type] ?? `Message Type ${type}`} `);
  const t: TreeSink | null = p.tree;
  t?.open(F.proto, tvb, off, eoff - off, null);
  try {
    t?.add(F['dhcpv6.msgtype'], tvb, off, 1, type);
    if (type === RELAY_FORW || type === RELAY_REPLY) {
      // RFC 8415 §9: hop count, link address, peer address.
      t?.add(F['dhcpv6.hopcount'], tvb, off + 1, 1, tvb.u8(off + 1));
      t?.add(F['dhcpv6.linkaddr'], tvb, off + 2, 16, tvb.bytes(off + 2, 16), `Link address: ${ipv6Text(tvb, off + 2)}`);
      t?.add(F['dhcpv6.peeraddr'], tvb, off + 18, 16, tvb.bytes(off + 18, 16), `Peer address: ${ipv6Text(tvb, off + 18)}`);
      p.cols.appendInfo(`L: ${ipv6Text(tvb, off + 2)} `);
      off += 34;
    } else {
      const xid = tvb.u24(off + 1);
      t?.add(F['dhcpv6.xid'], tvb, off + 1, 3, xid);
      p.cols.appendInfo(`XID: 0x${xid.toString(16).padStart(6, '0')} `);
      off += 4;
    }
    options(tvb, off, eoff, p, depth);
  } finally {
    t?.close();
  }
}

export function dissectDhcpv6(tvb: Tvb, p: Packet): boolean {
  p.layers.push('dhcpv6');
  p.cols.protocol = 'DHCPv6';
  p.cols.clearInfo();
  message(tvb, 0, tvb.reportedLength, p, 0);
  return true;
}

udpPortTable.add(546, dissectDhcpv6);
udpPortTable.add(547, dissectDhcpv6);
