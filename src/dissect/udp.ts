// UDP (RFC 768).

import type { Packet } from './packet.ts';
import { defineProtocol } from './registry.ts';
import { ipProtoTable, udpConversations, udpHeuristics, udpPortTable } from './tables.ts';
import type { Tvb } from './tvb.ts';
import { errorContext } from './ip-reassembly.ts';
import { dissectData } from './data.ts';
import { GENERATED } from './tree.ts';
import { udpStreams } from './udp-streams.ts';

export const F = defineProtocol('udp', 'User Datagram Protocol', {
  'udp.srcport': { name: 'Source Port', type: 'uint', bits: 16 },
  'udp.dstport': { name: 'Destination Port', type: 'uint', bits: 16 },
  'udp.port': { name: 'Source or Destination Port', type: 'uint', bits: 16 },
  'udp.length': { name: 'Length', type: 'uint' },
  'udp.checksum': { name: 'Checksum', type: 'uint', base: 'hex', bits: 16 },
  'udp.payload': { name: 'UDP payload', type: 'bytes' },
  'udp.stream': { name: 'Stream index', type: 'uint' },
  'udp.time_relative': { name: 'Time since first frame', type: 'reltime' },
  'udp.time_delta': { name: 'Time since previous frame', type: 'reltime' },
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
  // The conversation (udp.stream) is counted on the first pass, in the order datagrams come;
  // a datagram quoted by an ICMP error belongs to its conversation but does not move its clock.
  const streams = udpStreams.of(p.state);
  if (!p.visited) streams.record(p, sport, dport, errorContext.depth > 0);
  if (t) {
    const note = checksum !== 0 ? '[unverified]' : illegalZero ? '[zero-value illegal]' : '[zero-value ignored]';
    const label = `Checksum: 0x${checksum.toString(16).padStart(4, '0')} ${note}`;
    if (illegalZero) {
      t.add(F['udp.checksum'], tvb, 6, 2, checksum, label);
      t.expert('error', 'Illegal checksum value (0)', tvb, 6, 2, 'Checksum');
    } else if (checksum === 0) {
      // A zero checksum is "not present" (RFC 768): tshark says so under the item.
      t.open(F['udp.checksum'], tvb, 6, 2, checksum, label);
      t.text(tvb, 6, 0, '[Checksum Status: Not present]');
      t.close();
    } else {
      t.add(F['udp.checksum'], tvb, 6, 2, checksum, label);
      t.text(tvb, 6, 0, '[Checksum Status: Unverified]');
    }
    const facts = streams.facts(p.num);
    if (facts) t.add(F['udp.stream'], tvb, 0, GENERATED, facts.stream);
    if (facts && !Number.isNaN(facts.sinceFirst)) {
      t.text(tvb, 0, 0, '[Timestamps]', true);
      t.add(F['udp.time_relative'], tvb, 0, GENERATED, facts.sinceFirst);
      t.add(F['udp.time_delta'], tvb, 0, GENERATED, facts.sincePrev);
      t.close();
    }
  }
  // The payload never extends past the IP payload, whatever the UDP length claims.
  const payload = payloadLen > 0 ? tvb.sub(8, Math.min(payloadLen, ipPayload - 8)) : null;
  if (t && payload) t.add(F['udp.payload'], payload, 0, payload.length, null, `UDP payload (${payload.length} byte${payload.length === 1 ? '' : 's'})`);
  t?.close();
  if (!payload) return;
  for (const c of udpConversations) if (c(payload, p)) return;
  const low = sport < dport ? sport : dport;
  const high = sport < dport ? dport : sport;
  const a = udpPortTable.get(low);
  if (a && a(payload, p)) return;
  const b = low !== high ? udpPortTable.get(high) : undefined;
  if (b && b(payload, p)) return;
  for (const h of udpHeuristics) if (h.dissect(payload, p)) return;
  dissectData(payload, p);
}

ipProtoTable.add(17, dissectUdp);
