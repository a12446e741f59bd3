// Ethernet Configuration Testing Protocol ("loopback", EtherType 0x9000), Ethernet v2.0 spec
// §8 (DEC/Intel/Xerox 1982). A skip count points at the function to perform; each function is
// Forward Data (1 + a 6-byte forwarding address) or Reply (1 + a receipt number). Integers are
// little-endian on this protocol.

import type { Packet } from './packet.ts';
import { defineProtocol } from './registry.ts';
import { etherTypeTable } from './tables.ts';
import { macAt } from './eth.ts';
import type { Tvb } from './tvb.ts';

const FUNCTIONS = { 1: 'Reply', 2: 'Forward Data' };

export const F = defineProtocol('loop', 'Configuration Test Protocol (loopback)', {
  'loop.skipcount': { name: 'skipCount', type: 'uint' },
  'loop.function': { name: 'Function', type: 'uint', vals: FUNCTIONS },
  'loop.relevant_function': { name: 'Relevant function', type: 'uint', vals: FUNCTIONS },
  'loop.receipt_number': { name: 'Receipt number', type: 'uint' },
  'loop.forwarding_address': { name: 'Forwarding address', type: 'ether' },
});

export function dissectLoop(tvb: Tvb, p: Packet): void {
  p.layers.push('loop');
  p.cols.protocol = 'LOOP';
  const skip = tvb.u16le(0);
  const t = p.tree;
  t?.open(F.proto, tvb, 0, tvb.length, null);
  t?.add(F['loop.skipcount'], tvb, 0, 2, skip);
  let off = 2;
  // The function the skip count points at names the packet.
  if (tvb.has(2 + skip, 2)) {
    const rel = tvb.u16le(2 + skip);
    p.cols.setInfo(FUNCTIONS[rel as 1 | 2] ?? `Unknown function (${rel})`);
    t?.add(F['loop.relevant_function'], tvb, 2 + skip, 2, rel);
  }
  // Walk the function list; it ends with the first Reply (the data follows it).
  for (;;) {
    const fn = tvb.u16le(off);
    t?.add(F['loop.function'], tvb, off, 2, fn);
    if (fn === 2) {
      if (t) t.add(F['loop.forwarding_address'], tvb, off + 2, 6, tvb.bytes(off + 2, 6), `Forwarding address: ${macAt(tvb, off + 2)}`);
      off += 8;
      continue;
    }
    if (fn === 1) {
      t?.add(F['loop.receipt_number'], tvb, off + 2, 2, tvb.u16le(off + 2));
      off += 4;
    } else off += 2;
    break;
  }
  if (t) {
    t.setLength(off);
    t.close();
  }
  if (tvb.reportedRemaining(off) > 0) {
    p.layers.push('data');
    t?.text(tvb, off, tvb.remaining(off), `Data (${tvb.remaining(off)} bytes)`);
  }
}

etherTypeTable.add(0x9000, dissectLoop);
