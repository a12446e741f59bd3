import { describe, expect, it } from 'vitest';
import { bytes, decodeFrames, eth, ipv6, ipv6Addr, treeText, u16, u32, udp } from './testing/packets.ts';

// Expected texts are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`).

const opt = (type: number, ...value: (Uint8Array | number[])[]) => {
  const v = bytes(...value);
  return bytes(u16(type), u16(v.length), v);
};
const DUID = [0, 1, 0, 1, 0x29, 0x10, 0x20, 0x30, 0x02, 0x00, 0x5e, 0x10, 0x00, 0x01]; // DUID-LLT
const IA = (...inner: Uint8Array[]) => opt(3, u32(0x0e000001), u32(3600), u32(5400), ...inner);
const IAADDR = opt(5, ipv6Addr('2001:db8:1::100'), u32(7200), u32(0xffffffff));
const msg = (type: number, xid: number, ...options: Uint8Array[]) => bytes([type, xid >> 16, (xid >> 8) & 255, xid & 255], ...options);
const toServer = (m: Uint8Array) => eth(ipv6(udp({ sport: 546, dport: 547, payload: m }), { next: 17, src: 'fe80::1', dst: 'ff02::1:2' }), { type: 0x86dd });
const toClient = (m: Uint8Array) => eth(ipv6(udp({ sport: 547, dport: 546, payload: m }), { next: 17, src: 'fe80::2', dst: 'fe80::1' }), { type: 0x86dd });

const SOLICIT = msg(1, 0x3a4267, opt(1, DUID), opt(6, u16(23), u16(24)), opt(8, u16(0)), IA());
const FRAMES = [
  toServer(SOLICIT),
  toClient(msg(2, 0x3a4267, opt(1, DUID), opt(2, DUID), IA(IAADDR))),
  toClient(msg(7, 0x3a4268, opt(1, DUID), IA(IAADDR))),
  // a relay agent forwards the Solicit (RFC 8415 §9)
  toServer(bytes([12, 0], ipv6Addr('2001:db8:1::1'), ipv6Addr('fe80::1'), opt(9, SOLICIT))),
];

describe('DHCPv6', () => {
  it('writes message, transaction, client ID and leased addresses in Info as tshark does', () => {
    const cap = decodeFrames(FRAMES);
    // tshark ends each part with a space, the last one too.
    expect(cap.rows.map((r) => [r.protocol, r.info])).toEqual([
      ['DHCPv6', 'Solicit XID: 0x3a4267 CID: 000100012910203002005e100001 '],
      ['DHCPv6', 'Advertise XID: 0x3a4267 CID: 000100012910203002005e100001 IAA: 2001:db8:1::100 '],
      ['DHCPv6', 'Reply XID: 0x3a4268 CID: 000100012910203002005e100001 IAA: 2001:db8:1::100 '],
      ['DHCPv6', 'Relay-forw L: 2001:db8:1::1 Solicit XID: 0x3a4267 CID: 000100012910203002005e100001 '],
    ]);
    expect(cap.fields(2).get('dhcpv6.iaaddr.ip')).toHaveLength(1);
    expect(treeText(cap.tree(2).items)).toMatchSnapshot();
  });
});
