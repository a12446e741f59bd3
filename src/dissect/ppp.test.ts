import { describe, expect, it } from 'vitest';
import { bytes, decodeFrames, ipv4, ipv6, treeText, u16, u32, udp } from './testing/packets.ts';

// Expected texts are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`).

const LINKTYPE_PPP = 9;
const LINKTYPE_PPP_HDLC = 50;
const IP = ipv4(udp({ sport: 40000, dport: 40001, payload: 'abcd' }), { proto: 17, src: '100.64.0.1', dst: '100.64.0.2' });

const pppFrames = (): Uint8Array[] => [
  bytes([0xff, 0x03], u16(0x0021), IP), // HDLC-like framing, IPv4
  bytes([0x21], IP), // address/control and protocol field compressed
  bytes([0xff, 0x03], u16(0x0057), ipv6(udp({ sport: 40000, dport: 40001, payload: 'ab', }), { next: 17 })),
  // LCP Configuration Request (RFC 1661 §5.1): MRU 1500 and a magic number
  bytes([0xff, 0x03], u16(0xc021), [1, 7], u16(14), [1, 4], u16(1500), [5, 6], u32(0x12345678)),
  bytes([0xff, 0x03], u16(0xc021), [9, 8], u16(8), u32(0x12345678)), // Echo Request
  bytes([0xff, 0x03], u16(0x8021), [2, 1], u16(10), [3, 6, 100, 64, 0, 1]), // IPCP Configuration Ack
  bytes([0xff, 0x03], u16(0xc223), [1, 1, 0, 4]), // CHAP Challenge
  bytes([0xff, 0x03], u16(0x7e08), [1, 2, 3]),
];

describe('PPP', () => {
  it('reads both framings, IP, and the control protocols by code', () => {
    for (const linkType of [LINKTYPE_PPP, LINKTYPE_PPP_HDLC]) {
      const cap = decodeFrames(pppFrames(), linkType);
      expect(cap.rows.map((r) => [r.source, r.destination, r.protocol, r.info])).toEqual([
        ['100.64.0.1', '100.64.0.2', 'UDP', '40000 → 40001 Len=4'],
        ['100.64.0.1', '100.64.0.2', 'UDP', '40000 → 40001 Len=4'],
        ['2001:db8::1', '2001:db8::2', 'UDP', '40000 → 40001 Len=2 [ILLEGAL CHECKSUM (0)]'],
        ['N/A', 'N/A', 'PPP LCP', 'Configuration Request'],
        ['N/A', 'N/A', 'PPP LCP', 'Echo Request'],
        ['N/A', 'N/A', 'PPP IPCP', 'Configuration Ack'],
        ['N/A', 'N/A', 'PPP CHAP', 'Challenge'],
        ['N/A', 'N/A', '0x7e08', 'PPP Unknown (0x7e08)'],
      ]);
      expect(cap.fields(4).get('ppp.code')).toEqual([1]);
      expect(cap.fields(4).get('ppp.identifier')).toEqual([7]);
      expect(cap.fields(2).get('ppp.protocol')).toEqual([0x21]);
    }
    expect(treeText(decodeFrames(pppFrames(), LINKTYPE_PPP).tree(4).items)).toMatchSnapshot();
  });
});
