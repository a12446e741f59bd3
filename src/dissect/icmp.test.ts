import { describe, expect, it } from 'vitest';
import { bytes, checksum, decodeFrames, eth, ipv4, treeText, tsharkText, u16, u32 } from './testing/packets.ts';

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

describe('ICMP echo details as tshark -V shows them', () => {
  // Crafted echo requests at 1700000000 s; each ICMP subtree is tshark 4.0.17 -V -2's for the same bytes.
  const T = 1_700_000_000;
  const le32 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24];
  const fill = (n: number) => Array.from({ length: n }, (_, i) => 0x10 + i);
  const ping = (seq: number, data: number[], bad = false) => {
    const b = icmp(8, 0, bytes(u16(7), u16(seq), data));
    if (bad) b[2] ^= 0x11, b[3] ^= 0x11;
    return eth(ipv4(b, { src: '10.0.0.1', dst: '10.0.0.2', proto: 1, ttl: 64 }));
  };
  const head = (cksum: string, seq: number) => [
    'Internet Control Message Protocol',
    '    Type: 8 (Echo (ping) request)',
    '    Code: 0',
    ...cksum.split('\n'),
    '    Identifier (BE): 7 (0x0007)',
    '    Identifier (LE): 1792 (0x0700)',
    `    Sequence Number (BE): ${seq} (0x${seq.toString(16).padStart(4, '0')})`,
    `    Sequence Number (LE): ${((seq & 255) << 8) | (seq >> 8)} (0x${(((seq & 255) << 8) | (seq >> 8)).toString(16).padStart(4, '0')})`,
    // No request here is answered: tshark -2 (what the details pane shows of a loaded file) says so.
    '    [No response seen]',
    '        [Expert Info (Warning/Sequence): No response seen to ICMP request]',
    '            [No response seen to ICMP request]',
    '            [Severity level: Warning]',
    '            [Group: Sequence]',
  ];
  const good = (c: string) => `    Checksum: ${c} [correct]\n    [Checksum Status: Good]`;
  const cases: [string, Uint8Array, number, string[]][] = [
    ['a big-endian timeval, then data', ping(0, [...u32(T - 5), ...u32(123456), ...fill(40)]), 0, [
      ...head(good('0x0095'), 0),
      '    Timestamp from icmp data: Nov 14, 2023 22:13:15.123456000 UTC',
      '    [Timestamp from icmp data (relative): 4.876544000 seconds]',
      '    Data (40 bytes)',
      '        Data: 101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f30313233\u2026',
      '        [Length: 40]',
    ]],
    ['a little-endian timeval ahead of the frame', ping(1, [...le32(T + 100), ...le32(999999), ...fill(10)]), 0.001, [
      ...head(good('0x8cf5'), 1),
      '    Timestamp from icmp data: Nov 14, 2023 22:15:00.999999000 UTC',
      '    [Timestamp from icmp data (relative): -100.998999000 seconds]',
      '    Data (10 bytes)',
      '        Data: 10111213141516171819',
      '        [Length: 10]',
    ]],
    ['no timestamp far from the frame time', ping(3, [...u32(1000), ...u32(5), ...fill(4)]), 0.003, [
      ...head(good('0xd1e4'), 3),
      '    Data (12 bytes)',
      '        Data: 000003e80000000510111213',
      '        [Length: 12]',
    ]],
    ['a timestamp and nothing after it', ping(4, [...u32(T), ...u32(5)]), 0.004, [
      ...head(good('0xa19b'), 4),
      '    Timestamp from icmp data: Nov 14, 2023 22:13:20.000005000 UTC',
      '    [Timestamp from icmp data (relative): 0.003995000 seconds]',
    ]],
    ['a bad checksum', ping(99, fill(30), true), 0.007, [
      ...head([
        '    Checksum: 0x22d2 incorrect, should be 0x33c3',
        '        [Expert Info (Warning/Checksum): Bad checksum [should be 0x33c3]]',
        '            [Bad checksum [should be 0x33c3]]',
        '            [Severity level: Warning]',
        '            [Group: Checksum]',
        '    [Checksum Status: Bad]',
      ].join('\n'), 99),
      '    Data (30 bytes)',
      '        Data: 101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d',
      '        [Length: 30]',
    ]],
  ];
  for (const [what, frame, t, expected] of cases) {
    it(`shows ${what}`, () => {
      const cap = decodeFrames([{ data: frame, t }]);
      const node = cap.tree(1).items.find((i) => i.label === 'Internet Control Message Protocol')!;
      expect(tsharkText(node)).toBe(expected.join('\n') + '\n');
      expect(cap.fields(1).get('frame.protocols')).toEqual(['eth:ethertype:ip:icmp' + (expected.some((l) => l.includes('Data (')) ? ':data' : '')]);
    });
  }

  it('does not verify a message cut by the snap length', () => {
    const whole = ping(100, fill(60));
    const cap = decodeFrames([{ data: whole.subarray(0, 60), origLen: whole.length }]);
    const text = tsharkText(cap.tree(1).items.find((i) => i.label === 'Internet Control Message Protocol')!);
    expect(text).toContain('    Checksum: 0xac2b [unverified] [fragmented datagram]\n    [Checksum Status: Unverified]\n');
    expect(text).toContain('    Data (18 bytes)\n        Data: 101112131415161718191a1b1c1d1e1f2021\n        [Length: 18]\n');
  });
});
