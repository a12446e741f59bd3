import { describe, expect, it } from 'vitest';
import { bytes, decodeFrames, eth, ipv4, treeText, u16, u32, udp } from './testing/packets.ts';

// Expected texts are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`).

const tag = (type: number, value: Uint8Array | number[] = []) => bytes(u16(type), u16(value.length), value);
const discovery = (code: number, session: number, ...tags: Uint8Array[]) => {
  const body = bytes(...tags);
  return eth(bytes([0x11, code], u16(session), u16(body.length), body), { type: 0x8863 });
};
const session = (id: number, ppp: Uint8Array) => eth(bytes([0x11, 0], u16(id), u16(ppp.length), ppp), { type: 0x8864 });
const V4 = ipv4(udp({ sport: 40000, dport: 40001, payload: 'abcd' }), { proto: 17, src: '100.64.1.1', dst: '100.64.1.2' });

const FRAMES = [
  discovery(0x09, 0, tag(0x0101), tag(0x0103, [1, 2, 3, 4])), // PADI
  discovery(0x07, 0, tag(0x0101), tag(0x0102, bytes('BRAS-1')), tag(0x0104, new Uint8Array(8).fill(7))), // PADO
  discovery(0x65, 0x1234, tag(0x0101)), // PADS
  session(0x1234, bytes(u16(0xc021), [1, 1], u16(10), [5, 6], u32(0xabcd))), // LCP in the session
  session(0x1234, bytes(u16(0x0021), V4)),
  discovery(0xa7, 0x1234), // PADT
];

describe('PPPoE', () => {
  it('names the discovery stages and carries PPP in the session', () => {
    const cap = decodeFrames(FRAMES);
    expect(cap.rows.map((r) => [r.source, r.protocol, r.info])).toEqual([
      ['00:00:5e:00:53:01', 'PPPoED', 'Active Discovery Initiation (PADI)'],
      ['00:00:5e:00:53:01', 'PPPoED', "Active Discovery Offer (PADO) AC-Name='BRAS-1'"],
      ['00:00:5e:00:53:01', 'PPPoED', 'Active Discovery Session-confirmation (PADS)'],
      ['00:00:5e:00:53:01', 'PPP LCP', 'Configuration Request'],
      ['100.64.1.1', 'UDP', '40000 → 40001 Len=4'],
      ['00:00:5e:00:53:01', 'PPPoED', 'Active Discovery Terminate (PADT)'],
    ]);
    expect(cap.fields(2).get('pppoed.tags.ac_name')).toEqual(['BRAS-1']);
    expect(cap.fields(4).get('pppoe.session_id')).toEqual([0x1234]);
    expect(treeText(cap.tree(2).items)).toMatchSnapshot();
    expect(treeText(cap.tree(4).items)).toMatchSnapshot();
  });
});
