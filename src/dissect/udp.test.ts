import { describe, expect, it } from 'vitest';
import { decodeFrames, eth, ipv4, ipv6, udp } from './testing/packets.ts';

// Expected texts are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`).

const v4 = eth(ipv4(udp({ sport: 40000, dport: 40001, payload: 'abcd' }), { proto: 17 }));
const v6 = eth(ipv6(udp({ sport: 40000, dport: 40001, payload: 'abcd' }), { next: 17 }), { type: 0x86dd });

describe('UDP', () => {
  it('flags a zero checksum over IPv6 only (RFC 8200 §8.1), and keeps Len= for a header cut short', () => {
    const cap = decodeFrames([v4, v6, { data: v4.subarray(0, 14 + 20 + 7), origLen: v4.length }]);
    expect(cap.rows.map((r) => r.info)).toEqual([
      '40000 → 40001 Len=4',
      '40000 → 40001 Len=4 [ILLEGAL CHECKSUM (0)]',
      '40000 → 40001 Len=4[Packet size limited during capture]',
    ]);
  });
});
