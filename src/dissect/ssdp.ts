// SSDP (UPnP Device Architecture 2.0 §1.3), HTTP-formatted messages over UDP port 1900
// (M-SEARCH, NOTIFY and their answers) that every UPnP device and Windows host sends. Wireshark
// dissects them with its HTTP dissector under the name SSDP; so do we, without HTTP's
// connection tracking (there is no connection).

import { dissectHttpDatagram } from './http.ts';
import type { Packet } from './packet.ts';
import { defineProtocol } from './registry.ts';
import { udpPortTable } from './tables.ts';
import type { Tvb } from './tvb.ts';

export const F = defineProtocol('ssdp', 'Simple Service Discovery Protocol', {});

export function dissectSsdp(tvb: Tvb, p: Packet): boolean {
  return dissectHttpDatagram(tvb, p, 'ssdp', 'SSDP', F.proto);
}

udpPortTable.add(1900, dissectSsdp);
