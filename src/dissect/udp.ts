// UDP (RFC 768).

import type { Packet } from './packet.ts';
import { defineProtocol } from './registry.ts';
import { ipProtoTable, udpConversations, udpHeuristics, udpPortTable } from './tables.ts';
import type { Tvb } from './tvb.ts';
import { errorContext } from './ip-reassembly.ts';

export const F = defineProtocol('udp', 'User Datagram Protocol', {
  'udp.srcport': { name: 'Source Port', type: 'uint', bits: 16 },
  'udp.dstport': { name: 'Destination Port', type: 'uint', bits: 16 },
  'udp.port': { name: 'Source or Destination Port', type: 'uint', bits: 16 },
  'udp.length': { name: 'Length', type: 'uint' },
  'udp.checksum': { name: 'Checksum', type: 'uint', base: 'hex', bits: 16 },
  'udp.payload': { name: 'UDP payload', type: 'bytes' },
});

export function dissectUdp(tvb: Tvb, p: Packet): void {
  p.layers.push('udp');
  p.cols.protocol = 'UDP';
  const sport = tvb.u16(0);
  const dport = tvb.u16(2);
  p.srcPort = sport;
  p.dstPort = dport;
  p.cols.setInfo(`${sport} \u2192 ${dport}`);
  const udpLen = tvb.u16(4);
  const ipPayload = tvb.reportedLength;
  const t = p.tree;
  if (t) {
    t.open(F.proto, tvb, 0, 8, null, `User Datagram Protocol, Src Port: ${sport}, Dst Port: ${dport}`);
    t.add(F['udp.srcport'], tvb, 0, 2, sport);
    t.add(F['udp.dstport'], tvb, 2, 2, dport);
    t.add(F['udp.length'], tvb, 4, 2, udpLen);
  }
  let payloadLen: number;
  if (udpLen === 0 && p.ipVersion === 6) {
    // RFC 2675 §4: over IPv6 a zero length is a jumbogram's, whose length is the IP payload's.
    payloadLen = ipPayload - 8;
    p.cols.appendInfo(` Len=${payloadLen} [Jumbogram]`);
    if (ipPayload < 65536) t?.expert('warn', 'Length is zero but payload < 65536', tvb, 4, 2, 'Protocol');
  } else if (udpLen > ipPayload) {
    p.cols.appendInfo(` [BAD UDP LENGTH ${udpLen} > IP PAYLOAD LENGTH]`);
    t?.expert('error', `Bad length value ${udpLen} > IP payload length`, tvb, 4, 2, 'Malformed');
    // tshark still reports the length the header claims.
    payloadLen = udpLen - 8;
  } else if (udpLen < 8) {
    p.cols.appendInfo(` [BAD UDP LENGTH ${udpLen} < 8]`);
    t?.expert('error', `Bad length value ${udpLen} < 8`, tvb, 4, 2, 'Malformed');
    t?.close();
    return;
  } else {
    payloadLen = udpLen - 8;
  }
  if (udpLen !== 0) p.cols.appendInfo(` Len=${payloadLen}`);
  // Read after Info has its length, as tshark reads it: a header cut here still says Len=.
  const checksum = tvb.u16(6);
  // RFC 8200 §8.1: over IPv6 the checksum is mandatory, so zero is illegal (tshark lets it pass
  // in a packet quoted by an ICMP error).
  const illegalZero = checksum === 0 && p.ipVersion === 6 && errorContext.depth === 0;
  if (illegalZero) p.cols.appendInfo(' [ILLEGAL CHECKSUM (0)]');
  if (t) {
    const note = checksum !== 0 ? '[unverified]' : illegalZero ? '[zero-value illegal]' : '[zero-value ignored]';
    t.add(F['udp.checksum'], tvb, 6, 2, checksum, `Checksum: 0x${checksum.toString(16).padStart(4, '0')} ${note}`);
    if (illegalZero) t.expert('error', 'Illegal checksum value (0)', tvb, 6, 2, 'Checksum');
  }
  t?.close();
  if (payloadLen <= 0) return;
  // The payload never extends past the IP payload, whatever the UDP length claims.
  const payload = tvb.sub(8, Math.min(payloadLen, ipPayload - 8));
  for (const c of udpConversations) if (c(payload, p)) return;
  const low = sport < dport ? sport : dport;
  const high = sport < dport ? dport : sport;
  const a = udpPortTable.get(low);
  if (a && a(payload, p)) return;
  const b = low !== high ? udpPortTable.get(high) : undefined;
  if (b && b(payload, p)) return;
  for (const h of udpHeuristics) if (h.dissect(payload, p)) return;
  p.layers.push('data');
  t?.add(F['udp.payload'], payload, 0, payload.length, null, `Data (${payload.length} bytes)`);
}

ipProtoTable.add(17, dissectUdp);
