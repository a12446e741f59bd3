// Linux "cooked" capture v2 (LINKTYPE_LINUX_SLL2 276): the 20-byte pseudo-header with the
// protocol first and the interface index added. https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html
// tshark 4.0 shows its fields under the sll.* names.

import type { Packet } from './packet.ts';
import { F, PKTTYPES, protoLabel, sllAddress, sllPayload } from './sll.ts';
import { defineProtocol } from './registry.ts';
import { linkTypeTable } from './tables.ts';
import type { Tvb } from './tvb.ts';

export const F2 = defineProtocol('sll2', 'Linux cooked capture v2', {});

export function dissectSll2(tvb: Tvb, p: Packet): void {
  p.layers.push('sll');
  p.cols.protocol = 'SLL';
  const proto = tvb.u16(0);
  const ifindex = tvb.u32(4);
  const hatype = tvb.u16(8);
  const pkttype = tvb.u8(10);
  const halen = tvb.u8(11);
  // tshark 4.0 names the packet type in Info from the byte after it (the address length):
  // matched on purpose so Info agrees.
  p.cols.setInfo(PKTTYPES[halen] ?? `Unknown (${halen})`);
  const t = p.tree;
  if (t) {
    t.open(F2.proto, tvb, 0, 20, null, 'Linux cooked capture v2');
    t.add(proto >= 0x0600 ? F['sll.etype'] : F['sll.ltype'], tvb, 0, 2, proto, protoLabel(proto));
    t.add(F['sll.ifindex'], tvb, 4, 4, ifindex);
    t.add(F['sll.hatype'], tvb, 8, 2, hatype);
    t.add(F['sll.pkttype'], tvb, 10, 1, pkttype);
    t.add(F['sll.halen'], tvb, 11, 1, halen);
  }
  sllAddress(tvb, p, 12, halen);
  t?.close();
  sllPayload(tvb.sub(20), p, proto);
}

linkTypeTable.add(276, dissectSll2); // LINKTYPE_LINUX_SLL2
