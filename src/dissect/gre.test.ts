import { describe, expect, it } from 'vitest';
import { bytes, decodeFrames, eth, ipv4, treeText, u16, u32, udp } from './testing/packets.ts';

// Expected texts are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`).

const OUTER = { src: '198.51.100.1', dst: '198.51.100.2', proto: 47 };
const INNER_UDP = ipv4(udp({ sport: 40000, dport: 40001, payload: 'abcd' }), { proto: 17, src: '10.1.0.1', dst: '10.1.0.2' });
const gre = (flags: number, type: number, ...rest: (Uint8Array | number[])[]) => eth(ipv4(bytes(u16(flags), u16(type), ...rest), OUTER));

const FRAMES = [
  gre(0x3000, 0x0800, u32(0x1234), u32(7), INNER_UDP), // key and sequence number (RFC 2890)
  gre(0x0000, 0x6558, eth(INNER_UDP, { src: '02:00:00:00:00:0a', dst: '02:00:00:00:00:0b' })), // Ethernet bridging
  // PPTP (RFC 2637 §4.1): Enhanced GRE, key = payload length + call ID, sequence and ack numbers
  gre(0x3081, 0x880b, u16(18), u16(0x4000), u32(1), u32(0), [0xff, 0x03], u16(0xc021), [1, 1], u16(14), [1, 4], u16(1400), [5, 6], u32(0xcafe)),
  gre(0x0000, 0x0000), // a keepalive: nothing carried
  gre(0x0000, 0x1234, [1, 2, 3, 4]),
];

describe('GRE', () => {
  it('says what it carries and dissects it, PPTP included', () => {
    const cap = decodeFrames(FRAMES);
    expect(cap.rows.map((r) => [r.source, r.destination, r.protocol, r.info])).toEqual([
      ['10.1.0.1', '10.1.0.2', 'UDP', '40000 → 40001 Len=4'],
      ['10.1.0.1', '10.1.0.2', 'UDP', '40000 → 40001 Len=4'],
      ['198.51.100.1', '198.51.100.2', 'PPP LCP', 'Configuration Request'],
      ['198.51.100.1', '198.51.100.2', 'GRE', 'Encapsulated Possible GRE keepalive packet'],
      ['198.51.100.1', '198.51.100.2', 'GRE', 'Encapsulated 0x1234 (unknown)'],
    ]);
    expect(cap.fields(1).get('gre.key')).toEqual([0x1234]);
    expect(cap.fields(3).get('gre.key.call_id')).toEqual([0x4000]);
    expect(treeText(cap.tree(1).items)).toMatchSnapshot();
    expect(treeText(cap.tree(3).items)).toMatchSnapshot();
  });
});
