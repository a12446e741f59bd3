import { describe, expect, it } from 'vitest';
import { bytes, decodeFrames, eth, ipv4, ipv4Addr, mac, treeText, u16, u32, udp } from './testing/packets.ts';

// Expected texts are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`).

const CLIENT_MAC = '02:00:5e:10:00:01';

/** A BOOTP message (RFC 951 / RFC 2131 §2): the fixed header, the magic cookie, then `options`. */
function bootp(op: number, xid: number, o: { yiaddr?: string; siaddr?: string; options?: number[]; cookie?: boolean } = {}): Uint8Array {
  return bytes([op, 1, 6, 0], u32(xid), u16(0), u16(0x8000), ipv4Addr('0.0.0.0'), ipv4Addr(o.yiaddr ?? '0.0.0.0'),
    ipv4Addr(o.siaddr ?? '0.0.0.0'), ipv4Addr('0.0.0.0'), mac(CLIENT_MAC), new Uint8Array(10), new Uint8Array(64), new Uint8Array(128),
    o.cookie === false ? [] : [99, 130, 83, 99], o.options ?? [255]);
}
const opt = (code: number, ...value: number[]) => [code, value.length, ...value];
const toServer = (msg: Uint8Array) =>
  eth(ipv4(udp({ sport: 68, dport: 67, payload: msg }), { proto: 17, src: '0.0.0.0', dst: '255.255.255.255' }), { src: CLIENT_MAC, dst: 'ff:ff:ff:ff:ff:ff' });
const toClient = (msg: Uint8Array) =>
  eth(ipv4(udp({ sport: 67, dport: 68, payload: msg }), { proto: 17, src: '192.0.2.1', dst: '192.0.2.50' }));

const DORA = [
  toServer(bootp(1, 0x3d1d, { options: [...opt(53, 1), ...opt(61, 1, 2, 0, 0x5e, 0x10, 0, 1), ...opt(55, 1, 3, 6, 42), ...opt(12, ...bytes('lab-pc')), 255, 0, 0, 0] })),
  toClient(bootp(2, 0x3d1d, { yiaddr: '192.0.2.50', siaddr: '192.0.2.1', options: [...opt(53, 2), ...opt(1, 255, 255, 255, 0), ...opt(3, 192, 0, 2, 1), ...opt(51, ...u32(3600)), ...opt(58, ...u32(1800)), ...opt(59, ...u32(3150)), ...opt(54, 192, 0, 2, 1), 255] })),
  toServer(bootp(1, 0x3d1d, { options: [...opt(53, 3), ...opt(50, 192, 0, 2, 50), ...opt(54, 192, 0, 2, 1), 255] })),
  toClient(bootp(2, 0x3d1d, { yiaddr: '192.0.2.50', options: [...opt(53, 5), ...opt(51, ...u32(0xffffffff)), 255] })),
  toServer(bootp(1, 0x77, { cookie: false, options: Array(64).fill(0) })), // plain BOOTP: a 64-byte vendor area (RFC 951)
  toServer(bootp(1, 0x79, { cookie: false, options: [] })), // … cut short
  toServer(bootp(1, 0x78, { options: [...opt(53, 42), 255] })),
];

describe('DHCP', () => {
  it('names the DORA exchange like tshark, and plain BOOTP too', () => {
    const cap = decodeFrames(DORA);
    expect(cap.rows.map((r) => [r.protocol, r.info])).toEqual([
      ['DHCP', 'DHCP Discover - Transaction ID 0x3d1d'],
      ['DHCP', 'DHCP Offer    - Transaction ID 0x3d1d'],
      ['DHCP', 'DHCP Request  - Transaction ID 0x3d1d'],
      ['DHCP', 'DHCP ACK      - Transaction ID 0x3d1d'],
      ['BOOTP', `Boot Request from ${CLIENT_MAC} (${CLIENT_MAC})`],
      ['BOOTP', `Boot Request from ${CLIENT_MAC} (${CLIENT_MAC})[Malformed Packet]`],
      ['DHCP', 'DHCP Unknown Message Type (0x2a) - Transaction ID 0x78'],
    ]);
    const offer = cap.fields(2);
    expect(offer.get('dhcp.option.dhcp')).toEqual([2]);
    expect(offer.get('dhcp.ip.your')).toEqual([0xc0000232]);
    expect(offer.get('dhcp.option.ip_address_lease_time')).toEqual([3600]);
    expect(cap.fields(1).get('dhcp.option.request_list_item')).toEqual([1, 3, 6, 42]);
    expect(cap.fields(1).get('dhcp.option.hostname')).toEqual(['lab-pc']);
    expect(treeText(cap.tree(1).items)).toMatchSnapshot();
    expect(treeText(cap.tree(2).items)).toMatchSnapshot();
  });

  it('keeps the header of a message cut by the capture and says so', () => {
    const cap = decodeFrames([{ data: DORA[0]!.subarray(0, 14 + 20 + 8 + 100), origLen: DORA[0]!.length }]);
    expect(cap.rows[0]!.protocol).toBe('BOOTP');
    expect(cap.rows[0]!.info).toBe(`Boot Request from ${CLIENT_MAC} (${CLIENT_MAC})[Packet size limited during capture]`);
  });
});
