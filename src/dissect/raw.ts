// Raw IP link types: LINKTYPE_RAW (101) and the BSD DLT_RAW values 12 and 14 carry an IPv4 or
// IPv6 packet with no link header, told apart by the version nibble as tshark does; the
// LINKTYPE_IPV4 (228) and LINKTYPE_IPV6 (229) entries live in ip.ts and ipv6.ts.

import { dissectIpv4 } from './ip.ts';
import { dissectIpv6Header } from './ipv6.ts';
import type { Packet } from './packet.ts';
import { defineProtocol } from './registry.ts';
import { linkTypeTable } from './tables.ts';
import { MalformedError, type Tvb } from './tvb.ts';

export const F = defineProtocol('raw', 'Raw packet data', {});

export function dissectRaw(tvb: Tvb, p: Packet): void {
  p.layers.push('raw');
  p.cols.protocol = 'N/A';
  p.cols.setInfo('Raw packet data');
  p.tree?.text(tvb, 0, 0, 'Raw packet data');
  const version = tvb.u8(0) >> 4;
  if (version === 4) dissectIpv4(tvb, p);
  else if (version === 6) dissectIpv6Header(tvb, p);
  else throw new MalformedError(`raw packet of IP version ${version}`);
}

linkTypeTable.add(101, dissectRaw); // LINKTYPE_RAW
linkTypeTable.add(12, dissectRaw); // DLT_RAW on OpenBSD
linkTypeTable.add(14, dissectRaw); // DLT_RAW on BSD/OS
