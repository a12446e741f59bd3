import { describe, expect, it } from 'vitest';
import { bytes, decodeFrames, eth, ipv4, ipv6, treeText, udp } from './testing/packets.ts';

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

  it('reads a zero length over IPv6 as a jumbogram\'s (RFC 2675 §4), and over IPv4 as a bad length', () => {
    const zero = udp({ sport: 40000, dport: 40001, payload: 'abcdefghijkl', length: 0 });
    const cap = decodeFrames([
      eth(ipv6(zero, { next: 17 }), { type: 0x86dd }),
      eth(ipv6(bytes([17, 0, 1, 4, 0, 0, 0, 0], zero), { next: 0 }), { type: 0x86dd }),
      eth(ipv4(zero, { proto: 17 })),
    ]);
    expect(cap.rows.map((r) => r.info)).toEqual([
      '40000 → 40001 Len=12 [Jumbogram] [ILLEGAL CHECKSUM (0)]',
      '40000 → 40001 Len=12 [Jumbogram] [ILLEGAL CHECKSUM (0)]',
      '40000 → 40001 [BAD UDP LENGTH 0 < 8]',
    ]);
    expect(treeText(cap.tree(1).items)).toContain('[Length is zero but payload < 65536]');
  });
});
