import { describe, expect, it } from 'vitest';
import { bytes, decodeFrames, eth, ipv4Addr, mac, treeText, u16 } from './testing/packets.ts';
import { tsharkText } from './testing/packets.ts';

// Expected texts are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`).

function arp(op: number, sha: string, spa: string, tha: string, tpa: string): Uint8Array {
  return bytes(u16(1), u16(0x0800), [6, 4], u16(op), mac(sha), ipv4Addr(spa), mac(tha), ipv4Addr(tpa));
}
const Z = '00:00:00:00:00:00';
const ea = (b: Uint8Array, type = 0x0806) => eth(b, { type, dst: 'ff:ff:ff:ff:ff:ff', src: '00:11:22:33:44:55' });

describe('ARP', () => {
  it('request, reply, announcement, gratuitous, probe', () => {
    const cap = decodeFrames([
      ea(arp(1, '00:11:22:33:44:55', '192.168.1.104', Z, '192.168.1.1')),
      ea(arp(2, '00:13:46:0b:22:ba', '192.168.0.1', '00:11:22:33:44:55', '192.168.0.2')),
      ea(arp(1, '00:11:22:33:44:55', '192.168.22.81', Z, '192.168.22.81')),
      ea(arp(1, '00:11:22:33:44:55', '170.170.170.170', 'ff:ff:ff:ff:ff:ff', '170.170.170.170')),
      ea(arp(2, '00:11:22:33:44:55', '10.0.0.9', 'ff:ff:ff:ff:ff:ff', '10.0.0.9')),
      ea(arp(3, '00:1f:29:da:2d:79', '0.0.0.0', Z, '0.0.0.0'), 0x8035),
      ea(arp(9, '00:1f:29:da:2d:79', '192.168.1.104', Z, '0.0.0.0')),
      ea(arp(0x21, '00:1f:29:da:2d:79', '192.168.1.104', Z, '0.0.0.0')),
      ea(arp(0, '00:1f:29:da:2d:79', '192.168.1.104', Z, '0.0.0.0')),
    ]);
    expect(cap.rows.map((r) => [r.protocol, r.info])).toEqual([
      ['ARP', 'Who has 192.168.1.1? Tell 192.168.1.104'],
      ['ARP', '192.168.0.1 is at 00:13:46:0b:22:ba'],
      ['ARP', 'ARP Announcement for 192.168.22.81'],
      ['ARP', 'Gratuitous ARP for 170.170.170.170 (Request)'],
      ['ARP', 'Gratuitous ARP for 10.0.0.9 (Reply)'],
      ['RARP', 'Who is 00:00:00:00:00:00? Tell 00:1f:29:da:2d:79'],
      ['Inverse ARP', '00:1f:29:da:2d:79 is at 192.168.1.104'],
      ['ARP', 'Unknown ARP opcode 0x0021'],
      ['ARP', 'Reserved opcode 0'],
    ]);
    const f = cap.fields(1);
    expect(f.get('arp.opcode')).toEqual([1]);
    expect(f.get('arp.src.proto_ipv4')).toEqual([0xc0a80168]);
  });

  it('detects an IPv4 address claimed by a second MAC', () => {
    const cap = decodeFrames([
      ea(arp(2, '00:30:4b:bd:34:56', '192.168.1.1', '00:e0:ed:01:6e:bd', '192.168.1.2')),
      ea(arp(2, '00:e0:ed:01:6e:3f', '192.168.1.2', '00:30:4b:bd:34:99', '192.168.1.1')),
    ]);
    expect(cap.rows[1]!.info).toBe('192.168.1.2 is at 00:e0:ed:01:6e:3f (duplicate use of 192.168.1.1 detected!)');
    // tshark 4.0's layout: beside the ARP layer, the expert item on the link to the earlier frame.
    expect(tsharkText(cap.tree(2).items.at(-1)!)).toBe([
      '[Duplicate IP address detected for 192.168.1.1 (00:30:4b:bd:34:99) - also in use by 00:30:4b:bd:34:56 (frame 1)]',
      '    [Frame showing earlier use of IP address: 1]',
      '        [Expert Info (Warning/Sequence): Duplicate IP address configured (192.168.1.1)]',
      '            [Duplicate IP address configured (192.168.1.1)]',
      '            [Severity level: Warning]',
      '            [Group: Sequence]',
      '    [Seconds since earlier frame seen: 0]',
      '',
    ].join('\n'));
    // Replay reads what the first pass found.
    expect(cap.tree(2).packet.cols.info).toBe(cap.rows[1]!.info);
    expect(cap.tree(1).packet.cols.info).toBe('192.168.1.1 is at 00:30:4b:bd:34:56');
  });

  it('lets the target check of a reply overrule its sender check, as tshark 4.0 does', () => {
    const cap = decodeFrames([
      ea(arp(2, '00:00:5e:00:53:0a', '10.0.0.1', '00:00:5e:00:53:0b', '10.0.0.2')),
      // the sender claims 10.0.0.1 with another MAC, but the target pair is known and fine
      ea(arp(2, '00:00:5e:00:53:0c', '10.0.0.1', '00:00:5e:00:53:0b', '10.0.0.2')),
      // a request has no target check: the same claim is reported
      ea(arp(1, '00:00:5e:00:53:0c', '10.0.0.1', Z, '10.0.0.2')),
    ]);
    expect(cap.rows.map((r) => r.info)).toEqual([
      '10.0.0.1 is at 00:00:5e:00:53:0a',
      '10.0.0.1 is at 00:00:5e:00:53:0c',
      'Who has 10.0.0.2? Tell 10.0.0.1 (duplicate use of 10.0.0.1 detected!)',
    ]);
  });

  it('prints other address types as hex', () => {
    const b = bytes(u16(6), u16(0x0800), [6, 4], u16(2), mac('00:e0:ed:01:6e:bd'), ipv4Addr('192.168.1.2'), mac(Z), ipv4Addr('192.168.1.1'));
    const c = bytes(u16(1), u16(0x0801), [6, 4], u16(1), mac(Z), ipv4Addr('192.168.1.104'), mac(Z), ipv4Addr('192.168.1.1'));
    const d = bytes(u16(0x1234), u16(0x0800), [6, 4], u16(2), mac('00:e0:ed:01:6e:bd'), ipv4Addr('192.168.1.2'), mac(Z), ipv4Addr('192.168.1.1'));
    const cap = decodeFrames([ea(b), ea(c), ea(d)]);
    expect(cap.rows.map((r) => r.info)).toEqual([
      '192.168.1.2 is at 00:e0:ed:01:6e:bd',
      'Who has c0a80101? Tell c0a80168',
      '192.168.1.2 is at 00e0ed016ebd',
    ]);
  });

  it('truncated and lying lengths', () => {
    const full = ea(arp(1, '00:11:22:33:44:55', '192.168.1.104', Z, '192.168.1.1'));
    const big = bytes(u16(1), u16(0x0800), [200, 200], u16(1), new Uint8Array(20));
    const cap = decodeFrames([{ data: full.subarray(0, 30), origLen: full.length }, ea(big)]);
    expect(cap.rows[0]!.info).toBe('[Packet size limited during capture]');
    expect(cap.rows[1]!.info).toBe('[Malformed Packet]');
  });

  it('details tree', () => {
    const cap = decodeFrames([ea(arp(1, '00:11:22:33:44:55', '192.168.1.104', Z, '192.168.1.1'))]);
    expect(treeText(cap.tree(1).items)).toMatchSnapshot();
  });
});
