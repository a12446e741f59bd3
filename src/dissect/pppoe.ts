// PPP over Ethernet (RFC 2516): Discovery (EtherType 0x8863: PADI, PADO, PADR, PADS, PADT with
// tags) and Session (0x8864: a PPP packet, starting with its protocol field). Info names the
// discovery stage, and the AC-Name when a concentrator gives it, as tshark writes them.

import type { Packet } from './packet.ts';
import { dissectPppPayload, F as PPP } from './ppp.ts';
import { defineProtocol } from './registry.ts';
import { etherTypeTable } from './tables.ts';
import type { TreeSink } from './tree.ts';
import type { Tvb } from './tvb.ts';

// RFC 2516 §5 codes (0x00 is session data), and the later PADG/PADC/PADQ (RFC 5578) and PADM/PADN.
const CODES: Record<number, string> = {
  0x00: 'Session Data', 0x07: 'Active Discovery Offer (PADO)', 0x09: 'Active Discovery Initiation (PADI)',
  0x0a: 'Active Discovery Session-Grant (PADG)', 0x0b: 'Active Discovery Session-Credit Resp.(PADC)',
  0x0c: 'Active Discovery Quality (PADQ)', 0x19: 'Active Discovery Request (PADR)',
  0x65: 'Active Discovery Session-confirmation (PADS)', 0xa7: 'Active Discovery Terminate (PADT)',
  0xd3: 'Active Discovery Message (PADM)', 0xd4: 'Active Discovery Network (PADN)',
};

// RFC 2516 Appendix A tag types we name.
const TAG_AC_NAME = 0x0102;
/** Tags whose value is text. */
const TEXT_TAGS = new Set([0x0101, 0x0102, 0x0111, 0x0112, 0x0201, 0x0202, 0x0203]);

export const F = defineProtocol('pppoe', 'PPP-over-Ethernet', {
  'pppoe.version': { name: 'Version', type: 'uint', mask: 0xf0, bits: 8 },
  'pppoe.type': { name: 'Type', type: 'uint', mask: 0x0f, bits: 8 },
  'pppoe.code': { name: 'Code', type: 'uint', base: 'hex', bits: 8, vals: CODES },
  'pppoe.session_id': { name: 'Session ID', type: 'uint', base: 'hex', bits: 16 },
  'pppoe.payload_length': { name: 'Payload Length', type: 'uint' },
});

export const D = defineProtocol('pppoed', 'PPP-over-Ethernet Discovery', {
  'pppoed.tags': { name: 'PPPoE Tags', type: 'bytes' },
  'pppoed.tags.service_name': { name: 'Service-Name', type: 'string' },
  'pppoed.tags.ac_name': { name: 'AC-Name', type: 'string' },
  'pppoed.tags.host_uniq': { name: 'Host-Uniq', type: 'bytes' },
  'pppoed.tags.ac_cookie': { name: 'AC-Cookie', type: 'bytes' },
  'pppoed.tag.unknown_data': { name: 'Unknown Data', type: 'bytes' },
});

export const S = defineProtocol('pppoes', 'PPP-over-Ethernet Session', {});

const TAG_FIELDS: Record<number, (typeof D)[keyof typeof D]> = {
  0x0101: D['pppoed.tags.service_name'], 0x0102: D['pppoed.tags.ac_name'], 0x0103: D['pppoed.tags.host_uniq'],
  0x0104: D['pppoed.tags.ac_cookie'],
};

/** The 6-byte header both share (RFC 2516 §4): version and type, code, session ID, length. */
function addHeader(t: TreeSink, tvb: Tvb): void {
  const vt = tvb.u8(0);
  t.add(F['pppoe.version'], tvb, 0, 1, vt >> 4);
  t.add(F['pppoe.type'], tvb, 0, 1, vt & 0x0f);
  t.add(F['pppoe.code'], tvb, 1, 1, tvb.u8(1));
  t.add(F['pppoe.session_id'], tvb, 2, 2, tvb.u16(2));
  t.add(F['pppoe.payload_length'], tvb, 4, 2, tvb.u16(4));
}

export function dissectPppoeDiscovery(tvb: Tvb, p: Packet): void {
  p.layers.push('pppoed');
  p.cols.protocol = 'PPPoED';
  p.cols.clearInfo();
  const code = tvb.u8(1);
  p.cols.appendInfo(CODES[code] ?? 'Unknown');
  const payloadLength = tvb.u16(4);
  const t = p.tree;
  t?.open(D.proto, tvb, 0, payloadLength + 6, null);
  try {
    if (t) addHeader(t, tvb);
    if (payloadLength === 0) return;
    const end = 6 + payloadLength;
    t?.open(D['pppoed.tags'], tvb, 6, payloadLength, null, 'PPPoE Tags');
    // RFC 2516 Appendix A: type, length, value, up to End-Of-List or the payload's end. Each tag
    // shows as its value, as tshark shows them by default (type and length only on request).
    let o = 6;
    while (o <= end - 2) {
      const tag = tvb.u16(o);
      const len = tvb.u16(o + 2);
      if (tag === TAG_AC_NAME) p.cols.appendInfo(` AC-Name='${tvb.latin1(o + 4, len)}'`);
      if (t && len > 0) {
        const field = TAG_FIELDS[tag] ?? D['pppoed.tag.unknown_data'];
        t.add(field, tvb, o + 4, len, TEXT_TAGS.has(tag) ? tvb.latin1(o + 4, len) : tvb.bytes(o + 4, len));
      }
      if (tag === 0) break;
      o += 4 + len;
    }
    t?.close();
  } finally {
    t?.close();
  }
}

export function dissectPppoeSession(tvb: Tvb, p: Packet): void {
  p.layers.push('pppoes');
  p.cols.protocol = 'PPPoES';
  const code = tvb.u8(1);
  p.cols.setInfo(CODES[code] ?? 'Unknown');
  const payloadLength = tvb.u16(4);
  const t = p.tree;
  if (t) {
    t.open(S.proto, tvb, 0, 6, null);
    addHeader(t, tvb);
    t.close();
  }
  // The PPP packet ends where the header's length says (Ethernet padding follows short ones).
  const ppp = tvb.sub(6, Math.min(payloadLength, tvb.reportedRemaining(6)));
  p.layers.push('ppp');
  t?.open(PPP.proto, ppp, 0, ppp.length, null);
  dissectPppPayload(ppp, p, 0);
}

etherTypeTable.add(0x8863, dissectPppoeDiscovery);
etherTypeTable.add(0x8864, dissectPppoeSession);
