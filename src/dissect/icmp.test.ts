import { describe, expect, it } from 'vitest';
import { bytes, checksum, decodeFrames, eth, ipv4, treeText, u16 } from './testing/packets.ts';

// Expected texts are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`).

function icmp(type: number, code: number, rest: Uint8Array | number[]): Uint8Array {
  const b = bytes([type, code, 0, 0], rest);
  const c = checksum(b);
  b[2] = c >> 8;
  b[3] = c & 255;
  return b;
}
const echo = (type: number, id: number, seq: number) => icmp(type, 0, bytes(u16(id), u16(seq), new Uint8Array(32)));
const A = { src: '10.0.0.1', dst: '10.0.0.2', proto: 1, ttl: 128 };
const B = { src: '10.0.0.2', dst: '10.0.0.1', proto: 1, ttl: 255 };

describe('ICMP', () => {
  it('matches echo request and reply like tshark single pass', () => {
    const cap = decodeFrames([eth(ipv4(echo(8, 0x0500, 13312), A)), eth(ipv4(echo(0, 0x0500, 13312), B))]);
    expect(cap.rows.map((r) => r.info)).toEqual([
      'Echo (ping) request  id=0x0500, seq=13312/52, ttl=128',
      'Echo (ping) reply    id=0x0500, seq=13312/52, ttl=255 (request in 1)',
    ]);
    const f = cap.fields(2);
    expect(f.get('icmp.type')).toEqual([0]);
    expect(f.get('icmp.resp_to')).toEqual([1]);
    expect(cap.fields(1).get('icmp.resp_in')).toEqual([2]);
    // Re-dissection (two-pass view) knows the reply.
    expect(cap.tree(1).packet.cols.info).toBe('Echo (ping) request  id=0x0500, seq=13312/52, ttl=128 (reply in 2)');
  });

  it('names types and codes in tshark words', () => {
    const cases: [number, number, string][] = [
      [3, 3, 'Destination unreachable (Port unreachable)'],
      [3, 16, 'Destination unreachable (Unknown code: 16)'],
      [4, 0, 'Source quench (flow control)'],
      [5, 1, 'Redirect             (Redirect for host)'],
      [11, 0, 'Time-to-live exceeded (Time to live exceeded in transit)'],
      [12, 2, 'Parameter problem    (Bad length)'],
      [10, 0, 'Router solicitation '],
      [1, 0, 'Reserved            '],
      [44, 0, 'Unknown ICMP (obsolete or malformed?)'],
      [43, 4, 'Extended Echo reply  (Multiple Interfaces Satisfy Query)'],
    ];
    const cap = decodeFrames(cases.map(([t, c]) => eth(ipv4(icmp(t, c, bytes([1, 2, 3, 4], new Uint8Array(8))), A))));
    expect(cap.rows.map((r) => r.info)).toEqual(cases.map((c) => c[2]));
  });

  it('dissects the quoted datagram of an error but keeps the outer columns', () => {
    const inner = ipv4(bytes(u16(53), u16(59207), u16(143), [0, 0], new Uint8Array(8)), { src: '192.168.1.1', dst: '192.168.1.102', proto: 17, totalLength: 163 });
    const cap = decodeFrames([eth(ipv4(icmp(3, 3, bytes([0, 0, 0, 0], inner)), { src: '192.168.1.102', dst: '192.168.1.1', proto: 1 }))]);
    const r = cap.rows[0]!;
    expect([r.protocol, r.info, r.source, r.destination]).toEqual(['ICMP', 'Destination unreachable (Port unreachable)', '192.168.1.102', '192.168.1.1']);
    const f = cap.fields(1);
    expect(f.get('ip.src')).toEqual([0xc0a80166, 0xc0a80101]);
    expect(f.get('udp.srcport')).toEqual([53]);
    expect(treeText(cap.tree(1).items)).toMatchSnapshot();
  });

  it('handles truncated messages', () => {
    const cap = decodeFrames([eth(ipv4(bytes([8, 0, 0]), A)), eth(ipv4(icmp(13, 0, bytes(u16(1), u16(2))), A))]);
    expect(cap.rows[0]!.info).toBe('[Malformed Packet]');
    expect(cap.rows[1]!.info).toBe('Timestamp request    id=0x0001, seq=2/512, ttl=128[Malformed Packet]');
  });
});
