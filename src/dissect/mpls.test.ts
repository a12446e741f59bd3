import { describe, expect, it } from 'vitest';
import { bytes, decodeFrames, eth, ipv4, ipv6, treeText, u32, udp } from './testing/packets.ts';

// Expected texts are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`).

/** A label stack entry (RFC 3032 §2.1). */
const label = (value: number, exp: number, bottom: boolean, ttl: number) => u32(((value << 12) | (exp << 9) | (bottom ? 0x100 : 0) | ttl) >>> 0);
const V4 = ipv4(udp({ sport: 40000, dport: 40001, payload: 'abcd' }), { proto: 17, src: '10.2.0.1', dst: '10.2.0.2' });

const FRAMES = [
  eth(bytes(label(16, 0, true, 64), V4), { type: 0x8847 }),
  eth(bytes(label(1000, 5, false, 63), label(2, 0, true, 63), ipv6(udp({ sport: 40000, dport: 40001, payload: 'ab' }), { next: 17 })), { type: 0x8847 }),
  eth(bytes(label(16, 0, false, 64)), { type: 0x8847 }), // the stack never ends
];

describe('MPLS', () => {
  it('walks the label stack and dissects IPv4 and IPv6 behind it', () => {
    const cap = decodeFrames(FRAMES);
    expect(cap.rows.map((r) => [r.source, r.protocol, r.info])).toEqual([
      ['10.2.0.1', 'UDP', '40000 → 40001 Len=4'],
      ['2001:db8::1', 'UDP', '40000 → 40001 Len=2 [ILLEGAL CHECKSUM (0)]'],
      ['00:00:5e:00:53:01', 'MPLS', 'MPLS Label Switched Packet[Malformed Packet]'],
    ]);
    expect(cap.fields(2).get('mpls.label')).toEqual([1000, 2]);
    expect(cap.fields(2).get('mpls.exp')).toEqual([5, 0]);
    expect(treeText(cap.tree(2).items)).toMatchSnapshot();
  });
});
