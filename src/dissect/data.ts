// Bytes no dissector claims (Wireshark's "data" dissector, call_data_dissector): a "data" layer
// in frame.protocols and a "Data (N bytes)" node. One place for what every protocol falls back to.

import type { Packet } from './packet.ts';
import type { Tvb } from './tvb.ts';

export function dissectData(tvb: Tvb, p: Packet): void {
  p.layers.push('data');
  p.tree?.text(tvb, 0, tvb.length, `Data (${tvb.length} byte${tvb.length === 1 ? '' : 's'})`);
}
