import { describe, expect, it } from 'vitest';
import { bytes, decodeFrames, eth, ipv4, ipv6, treeText, tsharkText, u16, u32 } from './testing/packets.ts';

// Expected texts are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`).
// Covers Ethernet (trailer/FCS, 802.3 + LLC/SNAP), VLAN tags, LOOP, and the cooked/null/raw links.

const U = bytes(u16(40000), u16(40001), u16(12), [0, 0], 'abcd');

describe('Ethernet and link layers', () => {
  it('trailer and FCS as tshark guesses them', () => {
    const big = bytes(u16(40000), u16(40001), u16(48), [0, 0], new Uint8Array(40));
    const cap = decodeFrames([
      bytes(eth(ipv4(U, { proto: 17 })), new Uint8Array(8)),
      bytes(eth(ipv4(big, { proto: 17 })), [0x11, 0x22, 0x33, 0x44]),
      bytes(eth(ipv4(big, { proto: 17 })), [0x11, 0x22, 0x33, 0x44, 0x55, 0x66]),
    ]);
    expect(cap.fields(1).get('eth.trailer')).toEqual([new Uint8Array(8)]);
    expect(cap.fields(2).get('eth.fcs')).toEqual([0x11223344]);
    expect(cap.fields(3).get('eth.trailer')).toEqual([Uint8Array.from([0x11, 0x22])]);
    expect(cap.fields(3).get('eth.fcs')).toEqual([0x33445566]);
  });

  it('pads a short frame with zeros to 60 bytes, and names other bytes there a trailer, as tshark 4.0 does', () => {
    // A 42-byte frame: 18 bytes bring it to 60. Zeros are padding; anything else is a trailer
    // with tshark's note; what follows the padding is a trailer of its own.
    const short = eth(ipv4(bytes(u16(40000), u16(40001), u16(8), [0, 0]), { proto: 17 }));
    const cap = decodeFrames([
      bytes(short, new Uint8Array(18)),
      bytes(short, [1], new Uint8Array(17)),
      bytes(short, new Uint8Array(18), [0xaa, 0xbb]),
    ]);
    expect(cap.fields(1).get('eth.padding')).toEqual([new Uint8Array(18)]);
    expect(cap.fields(1).has('eth.trailer')).toBe(false);
    const second = tsharkText(cap.tree(2).items[1]!);
    expect(second).toContain([
      '    Trailer: 010000000000000000000000000000000000',
      '        [Expert Info (Note/Protocol): Didn\'t find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.]',
    ].join('\n'));
    expect(cap.fields(3).get('eth.padding')).toEqual([new Uint8Array(18)]);
    expect(cap.fields(3).get('eth.trailer')).toEqual([Uint8Array.from([0xaa, 0xbb])]);
    // A frame of 64 bytes or more ends with an FCS, not verified.
    const big = bytes(u16(40000), u16(40001), u16(48), [0, 0], new Uint8Array(40));
    const fcs = tsharkText(decodeFrames([bytes(eth(ipv4(big, { proto: 17 })), [0x11, 0x22, 0x33, 0x44])]).tree(1).items[1]!);
    expect(fcs).toContain('    Frame check sequence: 0x11223344 [unverified]\n    [FCS Status: Unverified]\n');
  });

  it('a frame cut before the source address keeps its destination, as tshark shows it', () => {
    const frame = eth(ipv4(U, { proto: 17 }));
    const cap = decodeFrames([{ data: frame.subarray(0, 8), origLen: frame.length }, frame.subarray(0, 10)]);
    expect(cap.rows.map((r) => [r.source, r.destination, r.protocol, r.info])).toEqual([
      ['', '00:00:5e:00:53:02', 'Ethernet', '[Packet size limited during capture]'],
      ['', '00:00:5e:00:53:02', 'Ethernet', '[Malformed Packet]'],
    ]);
  });

  it('802.3 frames go to LLC; SNAP with OUI 0 carries an EtherType', () => {
    const ip = ipv4(U, { proto: 17 });
    const cap = decodeFrames([
      eth(bytes([0x10, 0x10, 0x01, 0x05], new Uint8Array(40)), { type: 44 }),
      eth(bytes([0xaa, 0xaa, 0x03, 0, 0, 0x0c, 0x99, 0x99], new Uint8Array(40)), { type: 48 }),
      eth(bytes([0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00], ip), { type: 8 + ip.length }),
      eth(new Uint8Array(20), { type: 0x05ff }),
    ]);
    expect(cap.rows.map((r) => [r.protocol, r.info])).toEqual([
      ['LLC', 'S P, func=RR, N(R)=2; DSAP NetWare (unofficial?) Individual, SSAP NetWare (unofficial?) Command'],
      ['LLC', 'U, func=UI; SNAP, OUI 0x00000C (Cisco Systems, Inc), PID 0x9999'],
      ['UDP', '40000 → 40001 Len=4'],
      ['Ethernet', 'Ethernet Unknown: Invalid length/type: 0x05ff (1535)'],
    ]);
  });

  it('VLAN tags, stacked, and unknown inner types', () => {
    const cap = decodeFrames([
      eth(bytes(u16(0x2064), u16(0x0800), ipv4(U, { proto: 17 })), { type: 0x8100 }),
      eth(bytes(u16(0x3064), u16(0x1234), new Uint8Array(50)), { type: 0x8100 }),
      eth(bytes(u16(0x3064), u16(0x8100), u16(0x0005), u16(0x0800), ipv4(U, { proto: 17 })), { type: 0x88a8 }),
      eth(bytes(u16(0x3064), u16(0x1234), new Uint8Array(50)), { type: 0x88a8 }),
      eth(Uint8Array.from(u16(0x3064)), { type: 0x8100 }),
    ]);
    expect(cap.rows.map((r) => [r.protocol, r.info])).toEqual([
      ['UDP', '40000 → 40001 Len=4'],
      ['0x1234', 'PRI: 1  DEI: 1  ID: 100'],
      ['UDP', '40000 → 40001 Len=4'],
      ['0x1234', 'PRI: 1  DROP: 1 ID: 100'],
      ['VLAN', 'PRI: 1  DEI: 1  ID: 100[Malformed Packet]'],
    ]);
    const f = cap.fields(3);
    expect(f.get('ieee8021ad.id')).toEqual([100]);
    expect(f.get('vlan.id')).toEqual([5]);
    expect(cap.fields(1).get('vlan.priority')).toEqual([1]);
    expect(treeText(cap.tree(1).items)).toMatchSnapshot();
  });

  it('Ethernet loopback (0x9000)', () => {
    const le = (n: number) => [n & 255, n >> 8];
    const cap = decodeFrames([
      eth(bytes(le(0), le(2), [0xaa, 0, 4, 0, 0x1d, 4], le(1), le(1), new Uint8Array(40).fill(0x55)), { type: 0x9000 }),
      eth(bytes(le(8), le(2), [0xaa, 0, 4, 0, 0x1d, 4], le(1), le(1), new Uint8Array(40).fill(0x55)), { type: 0x9000 }),
    ]);
    expect(cap.rows.map((r) => [r.protocol, r.info])).toEqual([['LOOP', 'Forward Data'], ['LOOP', 'Reply']]);
  });

  it('Linux cooked v1 and v2', () => {
    const sll = (payload: Uint8Array, proto: number, pkttype = 0) =>
      bytes(u16(pkttype), u16(1), u16(6), [0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0], u16(proto), payload);
    const c1 = decodeFrames([sll(ipv4(U, { proto: 17 }), 0x0800), sll(bytes('xxxx'), 0x1234)], 113);
    expect(c1.rows.map((r) => [r.protocol, r.info, r.source])).toEqual([
      ['UDP', '40000 → 40001 Len=4', '192.0.2.1'],
      ['0x1234', 'Unicast to us', '00:11:22:33:44:55'],
    ]);
    const sll2 = (payload: Uint8Array, proto: number) =>
      bytes(u16(proto), u16(0), u32(3), u16(1), [0, 6], [0, 0x11, 0x22, 0x33, 0x44, 0x55, 0, 0], payload);
    const c2 = decodeFrames([sll2(ipv4(U, { proto: 17 }), 0x0800), sll2(bytes('xxxx'), 0x1234)], 276);
    // tshark 4.0 names the v2 packet type from the address-length byte (6 → "Unknown (6)").
    expect(c2.rows.map((r) => [r.protocol, r.info])).toEqual([['UDP', '40000 → 40001 Len=4'], ['0x1234', 'Unknown (6)']]);
    expect(c2.fields(1).get('sll.ifindex')).toEqual([3]);
  });

  it('NULL / LOOP families and raw IP link types', () => {
    const le32 = (n: number) => [n & 255, (n >> 8) & 255, (n >> 16) & 255, n >>> 24];
    const v4 = ipv4(U, { proto: 17 });
    const v6 = ipv6(U, { next: 17 });
    const n = decodeFrames([bytes(le32(2), v4), bytes(u32(2), v4), bytes(le32(30), v6), bytes(le32(99), 'xxxx'), bytes(u32(0x0800), v4)], 0);
    expect(n.rows.map((r) => r.protocol)).toEqual(['UDP', 'UDP', 'UDP', 'N/A', 'UDP']);
    expect(n.rows[3]!.info).toBe('Null/Loopback');
    const l = decodeFrames([bytes(u32(2), v4), bytes(le32(2), v4), bytes(u32(28), v6)], 108);
    expect(l.rows.map((r) => r.protocol)).toEqual(['UDP', 'N/A', 'UDP']);
    for (const lt of [101, 12, 14]) {
      const r = decodeFrames([v4, v6, bytes([0x55], 'xxxxx')], lt);
      expect(r.rows.map((x) => [x.protocol, x.info.replace(/ \[ILLEGAL.*\]/, '')])).toEqual([
        ['UDP', '40000 → 40001 Len=4'], ['UDP', '40000 → 40001 Len=4'], ['N/A', 'Raw packet data[Malformed Packet]'],
      ]);
    }
    const r228 = decodeFrames([v4, v6, bytes([0x55], 'xxxxx')], 228);
    expect(r228.rows.map((x) => [x.protocol, x.info.replace(/ \[ILLEGAL.*\]/, '')])).toEqual([
      ['UDP', '40000 → 40001 Len=4'], ['UDP', '40000 → 40001 Len=4'], ['IP', 'Bogus IP version (5)'],
    ]);
    expect(r228.packets[1]!.layers.join(':')).toBe('frame:ip:ipv6:udp:data');
  });
});
