import { describe, expect, it } from 'vitest';
import { bytes, decodeFrames, eth, ipv6, mac, treeText, u16, u32, ipv6Addr } from './testing/packets.ts';

// Expected texts are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`).

const e6 = (b: Uint8Array) => eth(b, { type: 0x86dd });
const icmp6 = (type: number, code: number, rest: Uint8Array | number[]) => bytes([type, code, 0, 0], rest);
const sll = (m: string) => [1, 1, ...mac(m)];
const tll = (m: string) => [2, 1, ...mac(m)];

describe('ICMPv6', () => {
  it('neighbor discovery Info like tshark', () => {
    const cap = decodeFrames([
      e6(ipv6(icmp6(135, 0, bytes(u32(0), ipv6Addr('fe80::1'), sll('00:11:22:33:44:55'))), { next: 58, hopLimit: 255 })),
      e6(ipv6(icmp6(136, 0, bytes(u32(0xe0000000), ipv6Addr('2001:db8:0:1:c000:54ff:fef5:0'), tll('c2:00:54:f5:00:00'))), { next: 58 })),
      e6(ipv6(icmp6(136, 0, bytes(u32(0xc0000000), ipv6Addr('fe80::6600:6aff:fe5b:8eb3'))), { next: 58 })),
      e6(ipv6(icmp6(133, 0, u32(0)), { next: 58 })),
      e6(ipv6(icmp6(134, 0, bytes([64, 0], u16(1800), u32(0), u32(0), sll('c2:00:54:f5:00:00'))), { next: 58 })),
    ]);
    expect(cap.rows.map((r) => r.info)).toEqual([
      'Neighbor Solicitation for fe80::1 from 00:11:22:33:44:55',
      'Neighbor Advertisement 2001:db8:0:1:c000:54ff:fef5:0 (rtr, sol, ovr) is at c2:00:54:f5:00:00',
      'Neighbor Advertisement fe80::6600:6aff:fe5b:8eb3 (rtr, sol)',
      'Router Solicitation',
      'Router Advertisement from c2:00:54:f5:00:00',
    ]);
    expect(cap.fields(1).get('icmpv6.nd.ns.target_address')?.length).toBe(1);
  });

  it('echo with hop limit and request matching', () => {
    const cap = decodeFrames([
      e6(ipv6(icmp6(128, 0, bytes(u16(9), u16(1), 'ping')), { next: 58, src: 'fe80::1', dst: 'fe80::2' })),
      e6(ipv6(icmp6(129, 0, bytes(u16(9), u16(1), 'ping')), { next: 58, src: 'fe80::2', dst: 'fe80::1' })),
    ]);
    expect(cap.rows.map((r) => r.info)).toEqual([
      'Echo (ping) request id=0x0009, seq=1, hop limit=64',
      'Echo (ping) reply id=0x0009, seq=1, hop limit=64 (request in 1)',
    ]);
  });

  it('links a request to its reply with the response time, and says when a request got none (tshark -2)', () => {
    const cap = decodeFrames([
      { data: e6(ipv6(icmp6(128, 0, bytes(u16(9), u16(1), 'ping')), { next: 58, src: 'fe80::1', dst: 'fe80::2' })), t: 0 },
      { data: e6(ipv6(icmp6(129, 0, bytes(u16(9), u16(1), 'ping')), { next: 58, src: 'fe80::2', dst: 'fe80::1' })), t: 0.000371 },
      { data: e6(ipv6(icmp6(128, 0, bytes(u16(9), u16(2), 'ping')), { next: 58, src: 'fe80::1', dst: 'fe80::2' })), t: 1 },
    ]);
    expect(treeText(cap.tree(1).items)).toContain('[Response In: 2]  {icmpv6.resp_in}');
    expect(treeText(cap.tree(2).items)).toMatch(/\[Response To: 1\]  \{icmpv6.resp_to\}\n {2}\[Response Time: 0.371 ms\]  \{icmpv6.resptime\}/);
    const lone = treeText(cap.tree(3).items);
    expect(lone).toContain('[No response seen]  {icmpv6.no_resp}');
    expect(lone).toContain('[Expert Info (Warning/Sequence): No response seen to ICMPv6 request in frame 3]');
    expect(treeText(cap.tree(1).items)).not.toContain('No response seen');
  });

  it('types and codes in tshark words, unknown ones too', () => {
    const cases: [number, number, string][] = [
      [1, 4, 'Destination Unreachable (Port unreachable)'],
      [1, 9, 'Destination Unreachable (Unknown)'],
      [3, 7, 'Time Exceeded (Unknown (7))'],
      [2, 0, 'Packet Too Big'],
      [44, 0, 'Unknown (44)'],
      [200, 0, 'Private experimentation'],
      [131, 0, 'Multicast Listener Report'],
      [155, 1, 'RPL Control (DODAG Information Object)'],
    ];
    const cap = decodeFrames(cases.map(([t, c]) => e6(ipv6(icmp6(t, c, new Uint8Array(44)), { next: 58 }))));
    expect(cap.rows.map((r) => r.info)).toEqual(cases.map((c) => c[2]));
  });

  it('quotes the offending packet of an error without changing the columns', () => {
    const inner = ipv6(bytes(u16(123), u16(123), u16(56), [0, 0]), { next: 17, src: '2001:db8::9', dst: '2001:db8::1' });
    const cap = decodeFrames([e6(ipv6(icmp6(1, 0, bytes(u32(0), inner)), { next: 58, src: '2001:db8::3', dst: '2001:db8::9' }))]);
    expect([cap.rows[0]!.info, cap.rows[0]!.source]).toEqual(['Destination Unreachable (no route to destination)', '2001:db8::3']);
    expect(cap.fields(1).get('udp.srcport')).toEqual([123]);
  });

  it('stops at a zero-length option and survives truncation', () => {
    const cap = decodeFrames([
      e6(ipv6(icmp6(135, 0, bytes(u32(0), ipv6Addr('fe80::1'), [1, 0, 0, 0, 0, 0, 0, 0])), { next: 58 })),
      e6(ipv6(icmp6(135, 0, bytes(u32(0), ipv6Addr('fe80::1').slice(0, 6))), { next: 58 })),
    ]);
    expect(cap.rows[0]!.info).toBe('Neighbor Solicitation for fe80::1');
    expect(cap.rows[1]!.info).toBe('Neighbor Solicitation[Malformed Packet]');
  });

  it('details tree', () => {
    const cap = decodeFrames([e6(ipv6(icmp6(135, 0, bytes(u32(0), ipv6Addr('fe80::1'), sll('00:11:22:33:44:55'))), { next: 58 }))]);
    expect(treeText(cap.tree(1).items)).toMatchSnapshot();
  });
});
