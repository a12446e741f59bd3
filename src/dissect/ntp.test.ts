import { describe, expect, it } from 'vitest';
import { ntpTimeText } from './ntp.ts';
import { bytes, decodeFrames, eth, ipv4, ipv4Addr, treeText, u32, udp } from './testing/packets.ts';

// Expected texts are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`).

/** An NTP packet (RFC 5905 §7.3), timestamps as [seconds since 1900, fraction]. */
function ntp(flags: number, stratum: number, refid: number[], stamps: [number, number][], rest: number[] = []): Uint8Array {
  return bytes([flags, stratum, 10, 0xec], u32(0x0d0b), u32(0x0af6), refid, ...stamps.map(([s, f]) => bytes(u32(s), u32(f))), rest);
}
const T1 = 3648828926; // 2015-08-17 19:35:26 UTC
const at = (payload: Uint8Array, sport: number, dport: number) => eth(ipv4(udp({ sport, dport, payload }), { proto: 17 }));

describe('NTP', () => {
  it('names version and mode, and shows the header like tshark', () => {
    const cap = decodeFrames([
      at(ntp(0x23, 2, ipv4Addr('17.253.12.253'), [[T1 - 578, 0xbfe5a4ab], [T1 - 71, 0xad7f6a5a], [T1 - 71, 0xb6d18ab9], [T1, 0x296b1abc]]), 50000, 123),
      at(ntp(0x24, 1, [...bytes('GPS'), 0], [[T1 - 7, 0x91fc59e5], [T1, 0x296b1abc], [T1, 0x48bb3137], [T1, 0x48bcd2a2]]), 123, 50000),
      at(ntp(0x1b, 16, [0, 0, 0, 0], [[0, 0], [0, 0], [0, 0], [0, 0]]), 50001, 123),
      at(bytes([0x17, 0x00, 0x03, 0x2a], new Uint8Array(4)), 50002, 123), // ntpdc mode 7: MON_GETLIST_1
      at(bytes([0x16, 0x02, 0x00, 0x01], new Uint8Array(8)), 50003, 123), // ntpq mode 6
    ]);
    expect(cap.rows.map((r) => [r.protocol, r.info])).toEqual([
      ['NTP', 'NTP Version 4, client'],
      ['NTP', 'NTP Version 4, server'],
      ['NTP', 'NTP Version 3, client'],
      ['NTP', 'NTP Version 2, private, Request, MON_GETLIST_1'],
      ['NTP', 'NTP Version 2, control'],
    ]);
    expect(cap.fields(1).get('ntp.stratum')).toEqual([2]);
    expect(cap.fields(2).get('ntp.flags.mode')).toEqual([4]);
    expect(treeText(cap.tree(1).items)).toMatchSnapshot();
    expect(treeText(cap.tree(2).items)).toMatchSnapshot();
    expect(treeText(cap.tree(3).items)).toMatchSnapshot();
  });

  it('reads timestamps of both eras (RFC 4330 §3)', () => {
    expect(ntpTimeText(3648828926, 0x80000000)).toBe('Aug 17, 2015 19:35:26.500000000 UTC');
    expect(ntpTimeText(1, 0)).toBe('Feb  7, 2036 06:28:17.000000000 UTC');
    expect(ntpTimeText(0, 0)).toBe('NULL');
  });
});
