import { describe, expect, it } from 'vitest';
import { bytes, decodeFrames, eth, ipv4, ipv6, treeText, tsharkText, udp } from './testing/packets.ts';

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

describe('UDP conversations (udp.stream) and their timestamps', () => {
  const A = { src: '10.0.0.1', dst: '10.0.0.2', proto: 17 };
  const B = { src: '10.0.0.2', dst: '10.0.0.1', proto: 17 };
  const C = { src: '10.0.0.3', dst: '10.0.0.4', proto: 17 };
  const frames = [
    { data: eth(ipv4(udp({ sport: 5000, dport: 6000, payload: 'ping' }), A)), t: 0 },
    { data: eth(ipv4(udp({ sport: 7000, dport: 8000, payload: 'x' }), C)), t: 0.001 },
    { data: eth(ipv4(udp({ sport: 6000, dport: 5000, payload: 'pong' }), B)), t: 0.0025 },
    { data: eth(ipv4(udp({ sport: 5000, dport: 6000, payload: 'again' }), A)), t: 0.0055 },
  ];

  it('numbers conversations in order of appearance, both directions one, as tshark -T fields does', () => {
    // tshark -T fields -e udp.stream -e udp.time_relative -e udp.time_delta on the same bytes.
    const cap = decodeFrames(frames);
    const f = (n: number, k: string) => cap.fields(n).get(k)?.[0];
    expect([1, 2, 3, 4].map((n) => [f(n, 'udp.stream'), f(n, 'udp.time_relative'), f(n, 'udp.time_delta')])).toEqual([
      [0, 0, 0], [1, 0, 0], [0, 0.0025, 0.0025], [0, 0.0055, 0.003],
    ].map(([s, r, d]) => [s, expect.closeTo(r!, 9), expect.closeTo(d!, 9)]));
  });

  it('shows the UDP subtree and the data as tshark -V does', () => {
    const cap = decodeFrames(frames);
    const items = cap.tree(4).items;
    const udpNode = items.find((i) => i.label.startsWith('User Datagram Protocol'))!;
    const dataNode = items.find((i) => i.label.startsWith('Data ('))!;
    expect(tsharkText(udpNode) + tsharkText(dataNode)).toBe([
      'User Datagram Protocol, Src Port: 5000, Dst Port: 6000',
      '    Source Port: 5000',
      '    Destination Port: 6000',
      '    Length: 13',
      '    Checksum: 0x0000 [zero-value ignored]',
      '        [Checksum Status: Not present]',
      '    [Stream index: 0]',
      '    [Timestamps]',
      '        [Time since first frame: 0.005500000 seconds]',
      '        [Time since previous frame: 0.003000000 seconds]',
      '    UDP payload (5 bytes)',
      'Data (5 bytes)',
      '    Data: 616761696e',
      '    [Length: 5]',
    ].join('\n') + '\n');
  });
});
