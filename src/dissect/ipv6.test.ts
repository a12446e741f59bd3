import { describe, expect, it } from 'vitest';
import { bytes, decodeFrames, eth, ipv4, ipv6, ipv6Addr, treeText, tsharkText, u16, u32, udp as udpPacket } from './testing/packets.ts';

// Expected texts are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`).

const udp = (n: number) => bytes(u16(40000), u16(40001), u16(8 + n), [0x12, 0x34], new Uint8Array(n).fill(0x61));
const e6 = (b: Uint8Array) => eth(b, { type: 0x86dd });
const frag = (nxt: number, off: number, more: boolean, ident: number) => bytes([nxt, 0], u16(off | (more ? 1 : 0)), u32(ident));

describe('IPv6', () => {
  it('shows the header fields and uses RFC 5952 addresses in the columns', () => {
    const cap = decodeFrames([e6(ipv6(udp(4), { next: 17, src: '2001:db8:0:0:0:0:0:1', dst: 'fe80::1', hopLimit: 9 }))]);
    expect(cap.rows[0]!.source).toBe('2001:db8::1');
    expect(cap.rows[0]!.destination).toBe('fe80::1');
    const f = cap.fields(1);
    expect(f.get('ipv6.nxt')).toEqual([17]);
    expect(f.get('ipv6.plen')).toEqual([12]);
    expect(f.get('ipv6.hlim')).toEqual([9]);
    expect(f.get('ipv6.addr')?.length).toBe(2);
  });

  it('names unknown next headers and "no next header" like tshark', () => {
    const cap = decodeFrames([
      e6(ipv6(bytes('xxxx'), { next: 127 })),
      e6(ipv6(bytes('xxxx'), { next: 240 })),
      e6(ipv6(new Uint8Array(0), { next: 59 })),
      e6(ipv6(bytes([127, 0, 1, 4, 0, 0, 0, 0], 'xxxx'), { next: 0 })),
      e6(ipv6(bytes([127, 0, 1, 4, 0, 0, 0, 0], 'xxxx'), { next: 60 })),
    ]);
    expect(cap.rows.map((r) => r.info)).toEqual([
      'Unknown IP Protocol: CRUDP (127)',
      'Unknown IP Protocol: Unknown (240)',
      'IPv6 no next header',
      'Unknown IP Protocol: CRUDP (127)',
      'Unknown IP Protocol: CRUDP (127)',
    ]);
  });

  it('rejects a wrong version behind EtherType 0x86dd, and on LINKTYPE_IPV6 says why', () => {
    const bad = ipv6(udp(4), { next: 17 });
    bad[0] = 0x50;
    const cap = decodeFrames([e6(bad)]);
    expect([cap.rows[0]!.protocol, cap.rows[0]!.info]).toEqual(['0x86dd', 'IPv6']);
    const v4 = ipv4(udp(4), { proto: 17 });
    const raw = decodeFrames([v4], 229);
    expect([raw.rows[0]!.protocol, raw.rows[0]!.info]).toEqual(['IPv6', 'Bogus IPv6 version (4, must be 6)']);
  });

  it('reports a header shorter than 40 bytes, with its source address when that much is there', () => {
    const full = ipv6(udp(4), { next: 17, src: '2001:db8::1', dst: '2001:db8::2' });
    const cap = decodeFrames([e6(full.subarray(0, 30)), e6(full.subarray(0, 20))]);
    expect(cap.rows.map((r) => [r.source, r.destination, r.info])).toEqual([
      ['2001:db8::1', '00:00:5e:00:53:02', 'Invalid IPv6 header (30 bytes, need exactly 40)[Malformed Packet]'],
      ['00:00:5e:00:53:01', '00:00:5e:00:53:02', 'Invalid IPv6 header (20 bytes, need exactly 40)[Malformed Packet]'],
    ]);
  });

  it('walks extension headers to the transport', () => {
    const hbh = bytes([17, 0, 1, 4, 0, 0, 0, 0]);
    const rt0 = bytes([17, 2, 0, 1, 0, 0, 0, 0], ipv6Addr('2001:db8::99'));
    const cap = decodeFrames([
      e6(ipv6(bytes(hbh, udp(4)), { next: 0 })),
      e6(ipv6(bytes(rt0, udp(4)), { next: 43 })),
      e6(ipv6(bytes(frag(17, 0, false, 9), udp(4)), { next: 44 })),
    ]);
    expect(cap.rows.map((r) => r.protocol)).toEqual(['UDP', 'UDP', 'UDP']);
    // A type 0 routing header: the Destination column is the final destination.
    expect(cap.rows[1]!.destination).toBe('2001:db8::99');
    expect(cap.packets[0]!.layers.join(':')).toBe('frame:eth:ethertype:ipv6:ipv6.hopopts:udp:data');
  });

  it('shows the Home Address option as the Source, even with a wrong length byte, like tshark', () => {
    // RFC 6275 §6.3: destination options with PadN(0) and a Home Address option (type 201).
    const hao = (lenByte: number) => bytes([17, 2, 1, 0, 0xc9, lenByte], ipv6Addr('2001:db8:ff::7'), [1, 0]);
    const cap = decodeFrames([e6(ipv6(bytes(hao(16), udp(4)), { next: 60 })), e6(ipv6(bytes(hao(1), udp(4)), { next: 60 }))]);
    expect(cap.rows.map((r) => [r.source, r.destination, r.protocol])).toEqual([
      ['2001:db8:ff::7', '2001:db8::2', 'UDP'],
      ['2001:db8:ff::7', '2001:db8::2', 'UDP'],
    ]);
    expect(cap.fields(1).get('ipv6.opt.mipv6.home_address')).toHaveLength(1);
  });

  it('reassembles fragments keyed by addresses and identification', () => {
    const d = udp(40);
    const cap = decodeFrames([
      e6(ipv6(bytes(frag(17, 0, true, 2), d.subarray(0, 24)), { next: 44 })),
      e6(ipv6(bytes(frag(17, 24, false, 2), d.subarray(24)), { next: 44 })),
    ]);
    expect(cap.rows[0]!.info).toBe('IPv6 fragment (off=0 more=y ident=0x00000002 nxt=17)');
    expect(cap.rows[1]!.protocol).toBe('UDP');
    expect(cap.fields(2).get('ipv6.fragment')).toEqual([1, 2]);
    expect(cap.fields(1).get('ipv6.reassembled_in')).toEqual([2]);
    expect(cap.tree(2).packet.sources[1]!.name).toBe('Reassembled IPv6');
  });

  it('treats malformed options and loops as errors, never hangs', () => {
    const cap = decodeFrames([
      // Option length past the header end.
      e6(ipv6(bytes([17, 0, 0xca, 144, 0, 0, 0, 0], udp(4)), { next: 0 })),
      // Extension header length past the payload.
      e6(ipv6(bytes([17, 9, 1, 4, 0, 0, 0, 0], udp(4)), { next: 60 })),
      // A chain of 200 hop-by-hop headers: each advances.
      e6(ipv6(bytes(...Array.from({ length: 200 }, () => [0, 0, 1, 4, 0, 0, 0, 0]), [59, 0, 1, 4, 0, 0, 0, 0]), { next: 0 })),
    ]);
    expect(cap.rows[0]!.info).toBe('IPv6 hop-by-hop options[Malformed Packet]');
    expect(cap.rows[1]!.info).toBe('IPv6 destination options[Malformed Packet]');
    expect(cap.rows[2]!.info).toBe('IPv6 no next header');
    expect(cap.decoder.state.dissectorBugs).toBe(0);
  });

  it('uses the jumbo payload length (RFC 2675)', () => {
    const body = bytes([128, 0, 0, 0], u16(0x11e0), u16(1), new Uint8Array(16));
    const hbh = bytes([58, 0, 0xc2, 4], u32(8 + body.length));
    const pkt = ipv6(bytes(hbh, body), { next: 0 });
    pkt[4] = 0;
    pkt[5] = 0;
    const cap = decodeFrames([e6(pkt)]);
    expect(cap.rows[0]!.info).toBe('Echo (ping) request id=0x11e0, seq=1, hop limit=64');
  });

  it('nests the extension headers in the IPv6 subtree and shows an EUI-64 source\'s MAC, as tshark -V does', () => {
    // Hop-by-hop (PadN) → routing type 0 with two addresses → UDP. Expected: tshark 4.0.17 -n -V.
    const hbh = bytes([43, 0, 1, 4, 0, 0, 0, 0]);
    const rt = bytes([17, 4, 0, 2, 0, 0, 0, 0], ipv6Addr('2001:db8:1::1'), ipv6Addr('2001:db8:1::2'));
    const frame = eth(ipv6(bytes(hbh, rt, udpPacket({ sport: 5000, dport: 5001, payload: 'x' })), { next: 0, src: '2001:db8:0:0:20c:29ff:fe7c:a4cb', dst: '2001:db8::2' }), { type: 0x86dd });
    const cap = decodeFrames([frame]);
    expect(cap.rows[0]!.destination).toBe('2001:db8:1::2');
    expect(tsharkText(cap.tree(1).items[2]!)).toBe([
      'Internet Protocol Version 6, Src: 2001:db8::20c:29ff:fe7c:a4cb, Dst: 2001:db8::2',
      '    0110 .... = Version: 6',
      '    .... 0000 0000 .... .... .... .... .... = Traffic Class: 0x00 (DSCP: CS0, ECN: Not-ECT)',
      '        .... 0000 00.. .... .... .... .... .... = Differentiated Services Codepoint: Default (0)',
      '        .... .... ..00 .... .... .... .... .... = Explicit Congestion Notification: Not ECN-Capable Transport (0)',
      '    .... 0000 0000 0000 0000 0000 = Flow Label: 0x00000',
      '    Payload Length: 57',
      '    Next Header: IPv6 Hop-by-Hop Option (0)',
      '    Hop Limit: 64',
      '    Source Address: 2001:db8::20c:29ff:fe7c:a4cb',
      '    Destination Address: 2001:db8::2',
      '    [Source SLAAC MAC: 00:0c:29:7c:a4:cb]',
      '    IPv6 Hop-by-Hop Option',
      '        Next Header: Routing Header for IPv6 (43)',
      '        Length: 0',
      '        [Length: 8 bytes]',
      '        PadN',
      '            Type: PadN (0x01)',
      '                00.. .... = Action: Skip and continue (0)',
      '                ..0. .... = May Change: No',
      '                ...0 0001 = Low-Order Bits: 0x01',
      '            Length: 4',
      '            PadN: 00000000',
      '    Routing Header for IPv6 (Source Route)',
      '        Next Header: UDP (17)',
      '        Length: 4',
      '        [Length: 40 bytes]',
      '        Type: Source Route (0)',
      '            [Expert Info (Note/Deprecated): Routing header type is deprecated]',
      '                [Routing header type is deprecated]',
      '                [Severity level: Note]',
      '                [Group: Deprecated]',
      '        Segments Left: 2',
      '        Reserved: 00000000',
      '        Address[1]: 2001:db8:1::1',
      '        Address[2]: 2001:db8:1::2',
      '',
    ].join('\n'));
  });

  it('details tree', () => {
    const cap = decodeFrames([e6(ipv6(bytes([17, 0, 1, 4, 0, 0, 0, 0], udp(4)), { next: 0 }))]);
    expect(treeText(cap.tree(1).items)).toMatchSnapshot();
  });
});
