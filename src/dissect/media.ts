// Wireshark's "Media Type" dissector (filter name media): where a typed body goes when no
// dissector is registered for its media type and no heuristic takes it. It only names the type
// and the size; Info gets " (type)" from the caller, which already knows it (see http.ts bodyInfo).

import { defineProtocol } from './registry.ts';
import type { TreeSink } from './tree.ts';
import type { Tvb } from './tvb.ts';

const F = defineProtocol('media', 'Media Type', {
  'media.type': { name: 'Media type', type: 'bytes' },
});

/**
 * "Media Type" and "Media type: application/javascript; charset=UTF-8 (709 bytes)" under it
 * (`contentType`: the type and its parameters, as the carrier read them).
 */
export function mediaTree(t: TreeSink, tvb: Tvb, contentType: string): void {
  const n = tvb.reportedLength;
  t.open(F.proto, tvb, 0, tvb.length, null, 'Media Type');
  t.add(F['media.type'], tvb, 0, tvb.length, tvb.bytes(0, tvb.length), `Media type: ${contentType} (${n} byte${n === 1 ? '' : 's'})`);
  t.close();
}
