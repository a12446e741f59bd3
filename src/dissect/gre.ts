// GRE (RFC 2784 with RFC 2890's key and sequence number; RFC 1701's routing) on IP protocol 47,
// and PPTP's Enhanced GRE (RFC 2637 §4.1: version 1, a call ID in the key, an acknowledgment
// number) carrying PPP. Info says what is encapsulated ("Encapsulated PPP"), as tshark writes it;
// the carried packet then fills the columns when we dissect it.

import { dispatchEtherType } from './eth.ts';
import type { Packet } from './packet.ts';
import { dissectPppHdlc } from './ppp.ts';
import { bitPattern, defineProtocol } from './registry.ts';
import { ipProtoTable } from './tables.ts';
import type { Tvb } from './tvb.ts';
import { dissectData } from './data.ts';

const CHECKSUM = 0x8000;
const ROUTING = 0x4000;
const KEY = 0x2000;
const SEQUENCE = 0x1000;
const ACK = 0x0080; // Enhanced GRE only
const VERSION = 0x0007;

const ETHERTYPE_PPP = 0x880b;
/** EtherTypes GRE hands to the EtherType table (Wireshark's "gre.proto" entries we dissect). */
const CARRIED = new Set([0x0800, 0x86dd, 0x0806, 0x8847, 0x6558]);

// Protocol types as Wireshark names them in GRE (EtherTypes and GRE-specific values).
const TYPES: Record<number, string> = {
  0x0000: 'Possible GRE keepalive packet', 0x880b: 'PPP', 0x0800: 'IP', 0x0806: 'ARP', 0x00fe: 'OSI',
  0x883e: 'WCCP', 0x2000: 'CDP (Cisco)', 0x2001: 'NHRP', 0x88be: 'ERSPAN', 0x22eb: 'ERSPAN III',
  0x6400: 'MIKROTIK EoIP', 0x8137: 'IPX', 0x6558: 'Transparent Ethernet bridging', 0x6559: 'Frame Relay',
  0x86dd: 'IPv6', 0x8847: 'MPLS label switched packet', 0x894f: 'Network Service Header',
};

export const F = defineProtocol('gre', 'Generic Routing Encapsulation', {
  'gre.flags_and_version': { name: 'Flags and Version', type: 'uint', base: 'hex', bits: 16 },
  'gre.flags.checksum': { name: 'Checksum Bit', type: 'bool', mask: CHECKSUM, bits: 16, tfs: ['Yes', 'No'] },
  'gre.flags.routing': { name: 'Routing Bit', type: 'bool', mask: ROUTING, bits: 16, tfs: ['Yes', 'No'] },
  'gre.flags.key': { name: 'Key Bit', type: 'bool', mask: KEY, bits: 16, tfs: ['Yes', 'No'] },
  'gre.flags.sequence_number': { name: 'Sequence Number Bit', type: 'bool', mask: SEQUENCE, bits: 16, tfs: ['Yes', 'No'] },
  'gre.flags.strict_source_route': { name: 'Strict Source Route Bit', type: 'bool', mask: 0x0800, bits: 16, tfs: ['Yes', 'No'] },
  'gre.flags.recursion_control': { name: 'Recursion control', type: 'uint', mask: 0x0700, bits: 16 },
  'gre.flags.ack': { name: 'Acknowledgment', type: 'bool', mask: ACK, bits: 16, tfs: ['Yes', 'No'] },
  'gre.flags.reserved': { name: 'Flags (Reserved)', type: 'uint', mask: 0x00f8, bits: 16 },
  'gre.flags.version': { name: 'Version', type: 'uint', mask: VERSION, bits: 16, vals: { 0: 'GRE', 1: 'Enhanced GRE' } },
  'gre.proto': { name: 'Protocol Type', type: 'uint', base: 'hex', bits: 16, vals: TYPES },
  'gre.checksum': { name: 'Checksum', type: 'uint', base: 'hex', bits: 16 },
  'gre.offset': { name: 'Offset', type: 'uint' },
  'gre.key': { name: 'Key', type: 'uint', base: 'hex', bits: 32 },
  'gre.key.payload_length': { name: 'Payload Length', type: 'uint' },
  'gre.key.call_id': { name: 'Call ID', type: 'uint' },
  'gre.sequence_number': { name: 'Sequence Number', type: 'uint' },
  'gre.ack_number': { name: 'Acknowledgment Number', type: 'uint' },
  'gre.routing': { name: 'Routing', type: 'bytes' },
});

const typeText = (type: number) => TYPES[type] ?? `0x${type.toString(16).toUpperCase().padStart(4, '0')} (unknown)`;

export function dissectGre(tvb: Tvb, p: Packet): void {
  p.layers.push('gre');
  const flags = tvb.u16(0);
  const type = tvb.u16(2);
  p.cols.protocol = 'GRE';
  p.cols.setInfo(`Encapsulated ${typeText(type)}`);
  const isPpp = type === ETHERTYPE_PPP && (flags & VERSION) !== 0;
  const t = p.tree;
  if (t) {
    t.open(F.proto, tvb, 0, 4, null, `Generic Routing Encapsulation (${TYPES[type] ?? `0x${type.toString(16).toUpperCase().padStart(4, '0')} - unknown`})`);
    t.open(F['gre.flags_and_version'], tvb, 0, 2, flags);
    for (const name of ['checksum', 'routing', 'key', 'sequence_number', 'strict_source_route'] as const) {
      const f = F[`gre.flags.${name}`];
      t.add(f, tvb, 0, 2, (flags & f.mask) !== 0);
    }
    t.add(F['gre.flags.recursion_control'], tvb, 0, 2, (flags & 0x0700) >> 8);
    if (isPpp) t.add(F['gre.flags.ack'], tvb, 0, 2, (flags & ACK) !== 0);
    if (isPpp) {
      // Enhanced GRE takes one reserved bit for the A flag.
      const v = (flags & 0x0078) >> 3;
      t.add(F['gre.flags.reserved'], tvb, 0, 2, v, `${bitPattern(0x0078, 16, flags)}Flags (Reserved): ${v}`);
    } else t.add(F['gre.flags.reserved'], tvb, 0, 2, (flags & 0x00f8) >> 3);
    t.add(F['gre.flags.version'], tvb, 0, 2, flags & VERSION);
    t.close();
    t.add(F['gre.proto'], tvb, 2, 2, type);
  }
  let off = 4;
  try {
    if (flags & (CHECKSUM | ROUTING)) {
      t?.add(F['gre.checksum'], tvb, off, 2, tvb.u16(off));
      t?.add(F['gre.offset'], tvb, off + 2, 2, tvb.u16(off + 2));
      off += 4;
    }
    if (flags & KEY) {
      if (isPpp) {
        // RFC 2637 §4.1: the key holds the payload length and the call ID.
        t?.add(F['gre.key.payload_length'], tvb, off, 2, tvb.u16(off));
        t?.add(F['gre.key.call_id'], tvb, off + 2, 2, tvb.u16(off + 2));
      } else t?.add(F['gre.key'], tvb, off, 4, tvb.u32(off));
      tvb.check(off, 4);
      off += 4;
    }
    if (flags & SEQUENCE) {
      t?.add(F['gre.sequence_number'], tvb, off, 4, tvb.u32(off));
      tvb.check(off, 4);
      off += 4;
    }
    if (isPpp && flags & ACK) {
      t?.add(F['gre.ack_number'], tvb, off, 4, tvb.u32(off));
      tvb.check(off, 4);
      off += 4;
    }
    if (flags & ROUTING) {
      // RFC 1701 §2.2: source route entries until one with family 0 and length 0.
      for (;;) {
        const family = tvb.u16(off);
        const len = tvb.u8(off + 3);
        t?.add(F['gre.routing'], tvb, off, 4 + len, tvb.bytes(off, Math.min(4 + len, tvb.remaining(off))));
        off += 4;
        if (family === 0 && len === 0) break;
        tvb.check(off, len);
        off += len;
      }
    }
    t?.setLength(off);
  } finally {
    t?.close();
  }
  // Without a sequence number there may be no payload (a keepalive).
  if (!(flags & SEQUENCE) && tvb.reportedRemaining(off) <= 0) return;
  const payload = tvb.sub(off);
  if (type === ETHERTYPE_PPP) dissectPppHdlc(payload, p);
  else if (CARRIED.has(type)) dispatchEtherType(type, payload, p);
  else dissectData(payload, p);
}

ipProtoTable.add(47, dissectGre);
