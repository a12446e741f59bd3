import { describe, expect, it } from 'vitest';
import { bytes, decodeFrames, eth, ipv4, treeText, u16, udp } from './testing/packets.ts';

// Expected texts are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`).

const OUTER = { src: '198.51.100.1', dst: '198.51.100.2', proto: 17 };
const INNER = ipv4(udp({ sport: 40000, dport: 40001, payload: 'abcd' }), { proto: 17, src: '10.3.0.1', dst: '10.3.0.2' });
/** A Geneve packet (RFC 8926 §3.4) with `opts` 4-byte words of options. */
const geneve = (type: number, vni: number, payload: Uint8Array, opts: number[] = [], flags = 0) =>
  eth(ipv4(udp({ sport: 51000, dport: 6081, payload: bytes([opts.length / 4, flags], u16(type), [vni >> 16, (vni >> 8) & 255, vni & 255, 0], opts, payload) }), OUTER));

const FRAMES = [
  geneve(0x6558, 0x1234, eth(INNER, { src: '02:00:00:00:00:0c', dst: '02:00:00:00:00:0d' })),
  geneve(0x0800, 7, INNER, [0x01, 0x03, 0x80, 0x01, 0xde, 0xad, 0xbe, 0xef], 0x40), // an option, C flag
  geneve(0x1234, 9, bytes([1, 2, 3])),
];

describe('Geneve', () => {
  it('shows the carried packet, or what it would be', () => {
    const cap = decodeFrames(FRAMES);
    expect(cap.rows.map((r) => [r.source, r.protocol, r.info])).toEqual([
      ['10.3.0.1', 'UDP', '40000 → 40001 Len=4'],
      ['10.3.0.1', 'UDP', '40000 → 40001 Len=4'],
      ['198.51.100.1', 'Geneve', 'Encapsulated 0x1234 (unknown)'],
    ]);
    expect(cap.fields(1).get('geneve.vni')).toEqual([0x1234]);
    expect(treeText(cap.tree(2).items)).toMatchSnapshot();
  });
});
