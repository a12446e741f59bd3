// Test-only: IEEE 802.11 frames as a monitor-mode capture records them (link type 105, and 127
// with a radiotap header), for wlan.test.ts and radiotap.test.ts (tshark 4.0.17 was shown them).

import { bytes, ipv4, mac, u16, udp } from './packets.ts';

export const AP = '02:aa:00:00:00:01';
export const STA = '02:bb:00:00:00:02';
export const GW = '02:cc:00:00:00:03';
const BCAST = 'ff:ff:ff:ff:ff:ff';

/** Frame control (type, subtype, flags), duration, then addresses: a header of any length (IEEE 802.11-2020 §9.2.3). */
function header(type: number, subtype: number, flags: number, duration: number, ...addrs: string[]): number[] {
  return [(subtype << 4) | (type << 2), flags, ...u16le(duration), ...addrs.flatMap(mac)];
}
const u16le = (n: number) => [n & 0xff, n >> 8];
const seq = (sn: number, fn = 0) => u16le((sn << 4) | fn);
const tag = (id: number, data: number[] | string) => [id, data.length, ...(typeof data === 'string' ? Array.from(data, (c) => c.charCodeAt(0)) : data)];
const RATES = tag(1, [0x82, 0x84, 0x8b, 0x96, 0x0c, 0x12, 0x18, 0x24]);
/** LLC/SNAP carrying an EtherType (RFC 1042). */
const snap = (etherType: number) => [0xaa, 0xaa, 0x03, 0, 0, 0, ...u16(etherType)];

const mgmt = (subtype: number, da: string, sa: string, bssid: string, sn: number, body: number[], flags = 0) =>
  bytes(header(0, subtype, flags, 314, da, sa, bssid), seq(sn), body);

const DNS_QUERY = bytes(u16(0x2a2a), u16(0x0100), u16(1), u16(0), u16(0), u16(0), [4], 'wifi', [4], 'test', [0], u16(1), u16(1));

export function wlanFrames(): Uint8Array[] {
  const timestamp = [1, 2, 3, 4, 5, 6, 7, 0];
  return [
    mgmt(8, BCAST, AP, AP, 100, [...timestamp, ...u16le(100), ...u16le(0x0431), ...tag(0, 'TESTNET'), ...RATES, ...tag(3, [6])]),
    mgmt(4, BCAST, STA, BCAST, 7, [...tag(0, ''), ...RATES]),
    mgmt(5, STA, AP, AP, 101, [...timestamp, ...u16le(100), ...u16le(0x0431), ...tag(0, 'TESTNET'), ...RATES, ...tag(3, [6])]),
    mgmt(11, AP, STA, AP, 8, [...u16le(0), ...u16le(1), ...u16le(0)]),
    mgmt(11, STA, AP, AP, 102, [...u16le(0), ...u16le(2), ...u16le(0)]),
    mgmt(0, AP, STA, AP, 9, [...u16le(0x0431), ...u16le(10), ...tag(0, 'TESTNET'), ...RATES]),
    mgmt(1, STA, AP, AP, 103, [...u16le(0x0431), ...u16le(0), ...u16le(0xc001), ...RATES]),
    bytes(header(1, 11, 0, 200, AP, STA)), // RTS
    bytes(header(1, 12, 0, 100, STA)), // CTS
    // Data to the distribution system (To DS): BSSID, SA, DA; a DNS query inside.
    bytes(header(2, 0, 0x01, 44, AP, STA, GW), seq(10), snap(0x0800), ipv4(udp({ sport: 5353, dport: 53, payload: DNS_QUERY }), { src: '192.168.1.20', dst: '192.168.1.1', proto: 17 })),
    bytes(header(1, 13, 0, 0, STA)), // ACK
    // QoS Data from the distribution system (From DS): DA, BSSID, SA; an ARP reply.
    bytes(header(2, 8, 0x02, 44, STA, AP, GW), seq(104), u16le(0x0006), snap(0x0806),
      u16(1), u16(0x0800), [6, 4], u16(2), mac(GW), [192, 168, 1, 1], mac(STA), [192, 168, 1, 20]),
    bytes(header(2, 4, 0x11, 44, AP, STA, AP), seq(11)), // Null function, power management
    // Protected data (CCMP): the header, then 8 bytes of CCMP header and ciphertext.
    bytes(header(2, 0, 0x41, 44, AP, STA, GW), seq(12), [1, 0, 0, 0x20, 0, 0, 0, 0], new Array(40).fill(0x5a)),
    mgmt(12, STA, AP, AP, 105, u16le(3)), // Deauthentication
    mgmt(10, AP, STA, AP, 13, u16le(8), 0x08), // Disassociation, retry
  ];
}

/** A radiotap header (https://www.radiotap.org): TSFT, Flags, Rate, Channel, dBm signal and Antenna present. */
export function radiotapHeader(o: { fcs: boolean; mhz: number; rate: number; signal: number }): number[] {
  const present = 0x1 | 0x2 | 0x4 | 0x8 | 0x20 | 0x800;
  // 8 bytes of header, the TSFT aligned to 8 (no padding needed), then the byte and word fields.
  const fields = [...[0x0b, 0x0a, 0x09, 0x08, 0x07, 0x06, 0x05, 0x04], o.fcs ? 0x10 : 0, o.rate * 2, ...u16le(o.mhz), ...u16le(0x00c0), o.signal & 0xff, 1];
  const len = 8 + fields.length;
  return [0, 0, ...u16le(len), present & 0xff, (present >> 8) & 0xff, 0, 0, ...fields];
}

/** The same management frames seen through radiotap, the first two with their FCS. */
export function radiotapFrames(): Uint8Array[] {
  const [beacon, probe, , auth] = wlanFrames();
  const fcs = [0xde, 0xad, 0xbe, 0xef];
  return [
    bytes(radiotapHeader({ fcs: true, mhz: 2412, rate: 1, signal: -42 }), beacon!, fcs),
    bytes(radiotapHeader({ fcs: true, mhz: 5180, rate: 6, signal: -67 }), probe!, fcs),
    bytes(radiotapHeader({ fcs: false, mhz: 2437, rate: 24, signal: -70 }), auth!),
  ];
}
