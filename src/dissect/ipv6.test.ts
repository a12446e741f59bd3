import { describe, expect, it } from 'vitest';
import { bytes, decodeFrames, eth, ipv4, ipv6, ipv6Addr, treeText, u16, u32 } from './testing/packets.ts';

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

  it('details tree', () => {
    const cap = decodeFrames([e6(ipv6(bytes([17, 0, 1, 4, 0, 0, 0, 0], udp(4)), { next: 0 }))]);
    expect(treeText(cap.tree(1).items)).toMatchSnapshot();
  });
});
