// Bytes no dissector claims (Wireshark's "data" dissector, call_data_dissector): a "data" layer
// in frame.protocols and a "Data (N bytes)" node holding the bytes and their length, as tshark
// shows them. One place for what every protocol falls back to.

import type { Packet } from './packet.ts';
import { defineProtocol } from './registry.ts';
import { GENERATED } from './tree.ts';
import type { Tvb } from './tvb.ts';

export const F = defineProtocol('data', 'Data', {
  'data.data': { name: 'Data', type: 'bytes' },
  'data.len': { name: 'Length', type: 'uint' },
});

export function dissectData(tvb: Tvb, p: Packet): void {
  p.layers.push('data');
  const t = p.tree;
  if (!t) return;
  const n = tvb.length;
  t.open(F.proto, tvb, 0, n, null, `Data (${n} byte${n === 1 ? '' : 's'})`);
  t.add(F['data.data'], tvb, 0, n, tvb.bytes(0, n));
  t.add(F['data.len'], tvb, 0, GENERATED, n); // tshark counts the captured bytes
  t.close();
}
