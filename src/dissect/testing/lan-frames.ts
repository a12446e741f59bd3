// Test-only: what a switched LAN carries besides unicast traffic — IGMP (RFC 1112, 2236, 3376)
// and spanning tree BPDUs (IEEE 802.1D/802.1Q) — for igmp.test.ts and stp.test.ts
// (tshark 4.0.17 was shown them).

import { bytes, checksum, eth, ipv4, ipv4Addr, mac, u16, u32, udp } from './packets.ts';
import { TcpConv } from './tls-builders.ts';

const HOST = '192.168.1.20';
const ROUTER = '192.168.1.1';

/** An IGMP message with its checksum filled in, in an IPv4 packet with TTL 1 and Router Alert. */
function igmp(body: number[], dst: string, src = HOST): Uint8Array {
  const b = Uint8Array.from(body);
  const c = checksum(b);
  b[2] = c >> 8;
  b[3] = c & 0xff;
  return eth(ipv4(b, { src, dst, proto: 2, ttl: 1, options: [0x94, 0x04, 0x00, 0x00] }));
}

export function igmpFrames(): Uint8Array[] {
  return [
    igmp([0x11, 100, 0, 0, ...ipv4Addr('0.0.0.0')], '224.0.0.1', ROUTER), // v2 general query
    igmp([0x11, 10, 0, 0, ...ipv4Addr('239.1.2.3')], '239.1.2.3', ROUTER), // v2 group-specific query
    igmp([0x16, 0, 0, 0, ...ipv4Addr('239.1.2.3')], '239.1.2.3'), // v2 report
    igmp([0x17, 0, 0, 0, ...ipv4Addr('239.1.2.3')], '224.0.0.2'), // v2 leave
    igmp([0x12, 0, 0, 0, ...ipv4Addr('239.9.9.9')], '239.9.9.9'), // v1 report
    igmp([0x11, 0, 0, 0, ...ipv4Addr('0.0.0.0')], '224.0.0.1', ROUTER), // v1 query
    // v3 general query (RFC 3376 §4.1): max resp 10 s, S=0, QRV 2, QQIC 125, no sources.
    igmp([0x11, 100, 0, 0, ...ipv4Addr('0.0.0.0'), 0x02, 125, 0, 0], '224.0.0.1', ROUTER),
    // v3 group-and-source-specific query.
    igmp([0x11, 100, 0, 0, ...ipv4Addr('232.1.1.1'), 0x0a, 125, 0, 2, ...ipv4Addr('10.0.0.1'), ...ipv4Addr('10.0.0.2')], '232.1.1.1', ROUTER),
    // v3 report (RFC 3376 §4.2): join 239.255.255.250 for any source, leave 239.1.2.3, include one source.
    igmp([0x22, 0, 0, 0, 0, 0, 0, 3,
      4, 0, 0, 0, ...ipv4Addr('239.255.255.250'),
      3, 0, 0, 0, ...ipv4Addr('239.1.2.3'),
      1, 0, 0, 1, ...ipv4Addr('232.1.1.1'), ...ipv4Addr('10.0.0.1')], '224.0.0.22'),
    igmp([0x22, 0, 0, 0, 0, 0, 0, 0], '224.0.0.22'), // v3 report without records
    igmp([0x30, 0, 0, 0, ...ipv4Addr('0.0.0.0')], '224.0.0.1'), // unknown type
  ];
}

const BRIDGE = '00:1c:0e:87:78:00';
const STP_DST = '01:80:c2:00:00:00';

/** An 802.3 frame (a length, not a type) carrying LLC with the spanning tree SAP (0x42). */
function bpdu(payload: number[]): Uint8Array {
  const llc = [0x42, 0x42, 0x03];
  return bytes(mac(STP_DST), mac('00:1c:0e:87:78:04'), u16(llc.length + payload.length), llc, payload);
}

function bridgeId(priority: number, vlan: number, m: string): number[] {
  return [...u16(priority | vlan), ...mac(m)];
}

const times = [...u16(0), ...u16(20 * 256), ...u16(2 * 256), ...u16(15 * 256)]; // age, max age, hello, forward delay

export function stpFrames(): Uint8Array[] {
  return [
    // Configuration BPDU (IEEE 802.1D-1998 §9.3.1).
    bpdu([...u16(0), 0, 0x00, 0x00, ...bridgeId(32768, 0, BRIDGE), ...u32(4), ...bridgeId(32768, 0, '00:1c:0e:87:78:00'), ...u16(0x8004), ...times]),
    // The same with Topology Change set.
    bpdu([...u16(0), 0, 0x00, 0x01, ...bridgeId(32768, 0, BRIDGE), ...u32(4), ...bridgeId(32768, 0, BRIDGE), ...u16(0x8004), ...times]),
    // Topology Change Notification.
    bpdu([...u16(0), 0, 0x80]),
    // Rapid spanning tree BPDU (802.1D-2004 §9.3.3): designated port, forwarding, learning, agreement.
    bpdu([...u16(0), 2, 0x02, 0x7c, ...bridgeId(24576, 100, BRIDGE), ...u32(20000), ...bridgeId(32768, 100, '00:1c:0e:87:78:80'), ...u16(0x8001), ...times, 0]),
  ];
}

/** An LLDP TLV (IEEE 802.1AB-2016 §8.4): 7 bits of type, 9 bits of length. */
function tlv(type: number, value: number[]): number[] {
  return [(type << 1) | (value.length >> 8), value.length & 0xff, ...value];
}
const text = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/** LLDPDUs as a switch and a host send them to 01:80:c2:00:00:0e. */
export function lldpFrames(): Uint8Array[] {
  const lldp = (src: string, tlvs: number[][]) => eth(Uint8Array.from([...tlvs.flat(), 0, 0]), { src, dst: '01:80:c2:00:00:0e', type: 0x88cc });
  return [
    lldp('00:1c:0e:87:78:04', [
      tlv(1, [4, ...mac('00:1c:0e:87:78:00')]), // chassis: MAC address
      tlv(2, [5, ...text('Gi1/0/4')]), // port: interface name
      tlv(3, [0, 120]),
      tlv(4, text('GigabitEthernet1/0/4')),
      tlv(5, text('sw-lab-1')),
      tlv(6, text('Cisco IOS Software, C2960X')),
      tlv(7, [0x00, 0x14, 0x00, 0x04]), // capabilities: bridge, router; enabled: bridge
      tlv(8, [5, 1, ...ipv4Addr('10.0.0.2'), 2, 0, 0, 0, 1, 0]), // management address: IPv4, ifIndex 1
      tlv(127, [0x00, 0x12, 0x0f, 0x01, 0x03, 0x6c, 0x00, 0x00, 0x10]), // IEEE 802.3: MAC/PHY configuration
    ]),
    lldp('02:bb:00:00:00:02', [
      tlv(1, [7, ...text('host-22')]), // chassis: locally assigned
      tlv(2, [3, ...mac('02:bb:00:00:00:02')]), // port: MAC address
      tlv(3, [0, 0]), // TTL 0: shutdown
    ]),
  ];
}

/** A CDP TLV (type, length including the 4-byte header, value). */
function cdpTlv(type: number, value: number[]): number[] {
  return [...u16(type), ...u16(4 + value.length), ...value];
}

/**
 * CDP's checksum: RFC 1071, except that an odd last byte is summed as the low byte of a word
 * (with Cisco's off-by-one when it is ≥ 0x80), as Cisco devices compute it.
 */
function cdpChecksum(b: number[]): number {
  const words = b.slice();
  if (words.length % 2) {
    const last = words.pop()!;
    words.push(0, last);
    if (last & 0x80) {
      words[words.length - 1]!--;
      words[words.length - 2]!--;
    }
  }
  return checksum(Uint8Array.from(words.map((x) => x & 0xff)));
}

/** CDP announcements (SNAP OUI 00:00:0c, PID 0x2000) to 01:00:0c:cc:cc:cc. */
export function cdpFrames(): Uint8Array[] {
  const cdp = (tlvs: number[][]) => {
    const body = [2, 180, 0, 0, ...tlvs.flat()];
    const c = cdpChecksum(body);
    body[2] = c >> 8;
    body[3] = c & 0xff;
    const snap = [0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x20, 0x00];
    return bytes(mac('01:00:0c:cc:cc:cc'), mac('00:1c:0e:87:78:04'), u16(snap.length + body.length), snap, body);
  };
  return [
    cdp([
      cdpTlv(1, text('sw-lab-1.example')),
      cdpTlv(5, text('Cisco IOS Software, C2960X Software\nVersion 15.2(7)E3\nCopyright (c) 1986-2020 by Cisco Systems, Inc.')),
      cdpTlv(6, text('cisco WS-C2960X-24PS-L')),
      cdpTlv(2, [0, 0, 0, 1, 1, 1, 0xcc, 0, 4, ...ipv4Addr('10.0.0.2')]), // one IPv4 address (NLPID 0xcc)
      cdpTlv(3, text('GigabitEthernet1/0/4')),
      cdpTlv(4, [0, 0, 0, 0x28]), // capabilities: switch, IGMP
      cdpTlv(9, text('LAB')),
      cdpTlv(10, u16(10)),
      cdpTlv(11, [1]),
    ]),
    cdp([cdpTlv(1, text('phone-7')), cdpTlv(3, text('Port 1'))]),
  ];
}

/** A Telnet login (RFC 854): option negotiation, the prompts, a password typed in clear. */
export function telnetConversation(): TcpConv {
  const IAC = 0xff;
  return new TcpConv(40100, 23)
    .s(Uint8Array.from([IAC, 253, 24, IAC, 253, 32, IAC, 253, 31, IAC, 251, 1, IAC, 251, 3]))
    .c(Uint8Array.from([IAC, 251, 24, IAC, 251, 31, IAC, 250, 31, 0, 80, 0, 24, IAC, 240, IAC, 253, 1]))
    .s(Uint8Array.from([IAC, 250, 24, 1, IAC, 240]))
    .c(Uint8Array.from([IAC, 250, 24, 0, ...text('XTERM-256COLOR'), IAC, 240]))
    .s('Ubuntu 22.04 LTS\r\nlab login: ')
    .c('alice\r\n')
    .s('Password: ')
    .c('s3cr3t\r\n')
    .s(Uint8Array.from([...text('Last login: today\r\n\r\r\n$ '), IAC, IAC, ...text(' literal 0xff')]));
}

/** RIP messages between routers on 224.0.0.9 (v2) and broadcast (v1). */
export function ripFrames(): Uint8Array[] {
  const rip = (src: string, dst: string, body: number[]) => eth(ipv4(udp({ sport: 520, dport: 520, payload: Uint8Array.from(body) }), { src, dst, proto: 17 }));
  const route = (tag: number, addr: string, mask: string, hop: string, metric: number) => [...u16(2), ...u16(tag), ...ipv4Addr(addr), ...ipv4Addr(mask), ...ipv4Addr(hop), ...u32(metric)];
  return [
    rip('10.0.0.1', '224.0.0.9', [1, 2, 0, 0, ...u16(0), ...u16(0), ...new Array(12).fill(0), ...u32(16)]), // request for the whole table
    rip('10.0.0.2', '224.0.0.9', [2, 2, 0, 0, ...route(0, '192.168.10.0', '255.255.255.0', '0.0.0.0', 1), ...route(7, '172.16.0.0', '255.240.0.0', '10.0.0.3', 3)]),
    rip('10.0.0.2', '224.0.0.9', [2, 2, 0, 0, 0xff, 0xff, ...u16(2), ...text('secret'), ...new Array(10).fill(0), ...route(0, '192.168.10.0', '255.255.255.0', '0.0.0.0', 16)]),
    rip('10.0.0.4', '10.255.255.255', [2, 1, 0, 0, ...u16(2), 0, 0, ...ipv4Addr('192.168.20.0'), ...new Array(8).fill(0), ...u32(2)]), // RIPv1
  ];
}

/** OSPFv2 packets (RFC 2328 App. A) with their checksum filled in, to 224.0.0.5. */
export function ospfFrames(): Uint8Array[] {
  const ospf = (src: string, type: number, body: number[], dst = '224.0.0.5') => {
    const pkt = [2, type, ...u16(24 + body.length), ...ipv4Addr(src), ...ipv4Addr('0.0.0.0'), 0, 0, 0, 0, ...new Array(8).fill(0), ...body];
    // RFC 2328 §D.4.3: the checksum covers the packet but the 64-bit authentication field.
    const c = checksum(Uint8Array.from([...pkt.slice(0, 16), ...pkt.slice(24)]));
    pkt[12] = c >> 8;
    pkt[13] = c & 0xff;
    return eth(ipv4(Uint8Array.from(pkt), { src, dst, proto: 89, ttl: 1 }));
  };
  const hello = (neighbors: string[]) => [
    ...ipv4Addr('255.255.255.0'), ...u16(10), 0x02, 1, ...u32(40), ...ipv4Addr('10.0.0.1'), ...ipv4Addr('0.0.0.0'),
    ...neighbors.flatMap(ipv4Addr),
  ];
  const lsaHeader = [0, 1, 0x22, 1, ...ipv4Addr('10.0.0.1'), ...ipv4Addr('10.0.0.1'), ...u32(0x80000001), 0x12, 0x34, ...u16(36)];
  return [
    ospf('10.0.0.1', 1, hello([])),
    ospf('10.0.0.2', 1, hello(['10.0.0.1'])),
    ospf('10.0.0.2', 2, [...u16(1500), 0x02, 0x07, ...u32(4242)], '10.0.0.1'),
    ospf('10.0.0.1', 3, [...u32(1), ...ipv4Addr('10.0.0.1'), ...ipv4Addr('10.0.0.1')], '10.0.0.2'),
    // LS Update with one router-LSA: flags, one stub link to 10.0.0.0/24 with cost 10.
    ospf('10.0.0.1', 4, [...u32(1), ...lsaHeader.slice(0, 18), ...u16(36), 0, 0, ...u16(1), ...ipv4Addr('10.0.0.0'), ...ipv4Addr('255.255.255.0'), 3, 0, ...u16(10)]),
    ospf('10.0.0.1', 5, lsaHeader),
  ];
}

/** A Modbus/TCP PDU: the MBAP header (transaction, protocol 0, length, unit) and the Modbus PDU. */
function mbap(trans: number, unit: number, pdu: number[], protocol = 0): number[] {
  return [...u16(trans), ...u16(protocol), ...u16(pdu.length + 1), unit, ...pdu];
}

/**
 * A Modbus/TCP client (port 50200) polling a server (502): the read and write functions, an
 * exception, two PDUs in one segment, a response split over two segments, device
 * identification, diagnostics, and broken PDUs.
 */
export function modbusConversation(): TcpConv {
  const split = mbap(12, 1, [3, 20, ...Array.from({ length: 20 }, (_, i) => (i * 37) & 0xff)]);
  return new TcpConv(50200, 502, '192.168.1.10', '192.168.1.20')
    .c(Uint8Array.from(mbap(1, 1, [1, ...u16(19), ...u16(19)]))) // read coils 19–37
    .s(Uint8Array.from(mbap(1, 1, [1, 3, 0xcd, 0x6b, 0x05])))
    .c(Uint8Array.from(mbap(2, 1, [2, ...u16(196), ...u16(22)]))) // read discrete inputs
    .s(Uint8Array.from(mbap(2, 1, [2, 3, 0xac, 0xdb, 0x35])))
    .c(Uint8Array.from(mbap(3, 1, [3, ...u16(107), ...u16(3)]))) // read holding registers
    .s(Uint8Array.from(mbap(3, 1, [3, 6, 0x02, 0x2b, 0x00, 0x00, 0x00, 0x64])))
    .c(Uint8Array.from(mbap(4, 1, [4, ...u16(8), ...u16(1)]))) // read input registers
    .s(Uint8Array.from(mbap(4, 1, [4, 2, 0x00, 0x0a])))
    .c(Uint8Array.from(mbap(5, 1, [5, ...u16(172), 0xff, 0x00]))) // write single coil (on)
    .s(Uint8Array.from(mbap(5, 1, [5, ...u16(172), 0xff, 0x00])))
    .c(Uint8Array.from(mbap(6, 1, [6, ...u16(1), ...u16(3)]))) // write single register
    .s(Uint8Array.from(mbap(6, 1, [6, ...u16(1), ...u16(3)])))
    .c(Uint8Array.from(mbap(7, 1, [15, ...u16(19), ...u16(10), 2, 0xcd, 0x01]))) // write multiple coils
    .s(Uint8Array.from(mbap(7, 1, [15, ...u16(19), ...u16(10)])))
    .c(Uint8Array.from(mbap(8, 1, [16, ...u16(1), ...u16(2), 4, 0x00, 0x0a, 0x01, 0x02]))) // write multiple registers
    .s(Uint8Array.from(mbap(8, 1, [16, ...u16(1), ...u16(2)])))
    .c(Uint8Array.from(mbap(9, 1, [3, ...u16(0xfff0), ...u16(100)])))
    .s(Uint8Array.from(mbap(9, 1, [0x83, 0x02]))) // exception: illegal data address
    .c(Uint8Array.from([...mbap(10, 1, [3, ...u16(0), ...u16(2)]), ...mbap(11, 2, [4, ...u16(0), ...u16(1)])])) // two PDUs
    .s(Uint8Array.from([...mbap(10, 1, [3, 4, 0x00, 0x01, 0x00, 0x02]), ...mbap(11, 2, [4, 2, 0xff, 0xff])]))
    .c(Uint8Array.from(mbap(12, 1, [3, ...u16(100), ...u16(10)])))
    .s(Uint8Array.from(split.slice(0, 11))) // the response over two segments
    .s(Uint8Array.from(split.slice(11)))
    .c(Uint8Array.from(mbap(13, 1, [43, 14, 1, 0]))) // read device identification
    .s(Uint8Array.from(mbap(13, 1, [43, 14, 1, 0x01, 0, 0, 3, 0, 4, 0x41, 0x63, 0x6d, 0x65, 1, 3, 0x58, 0x2d, 0x31, 2, 4, 0x76, 0x31, 0x2e, 0x30])))
    .c(Uint8Array.from(mbap(14, 1, [8, 0, 0, 0x12, 0x34]))) // diagnostics: return query data
    .s(Uint8Array.from(mbap(14, 1, [8, 0, 0, 0x12, 0x34])))
    .s(Uint8Array.from(mbap(15, 1, [3, 3, 0x00, 0x01, 0x02]))) // registers cut mid-way: malformed
    .c(Uint8Array.from(mbap(16, 1, [16, ...u16(0), ...u16(2), 4, 0x00, 0x01]))) // byte count beyond the PDU
    .s(Uint8Array.from(mbap(17, 1, [0xc1, 0x0c]))) // unknown function and exception code
    .c(Uint8Array.from(mbap(18, 1, [0x81]))) // exception bit without an exception code: malformed
    .c(Uint8Array.from(mbap(19, 1, [7]))) // read exception status
    .s(Uint8Array.from(mbap(19, 1, [7, 0x6d])))
    .c(Uint8Array.from(mbap(20, 1, [3], 1))); // protocol 1: not Modbus
}

/**
 * Modbus/TCP oddities: both ends on port 502 (neither query nor response), a response cut by the
 * snapshot length, and a snapped segment whose first PDU contradicts itself (tshark calls that
 * an unreassembled fragment, as TCP could not reassemble the segment).
 */
export function modbusEdgeFrames(): { data: Uint8Array; origLen?: number }[] {
  const both = new TcpConv(502, 502, '192.168.1.30', '192.168.1.31')
    .c(Uint8Array.from(mbap(1, 1, [3, ...u16(0), ...u16(1)])))
    .s(Uint8Array.from(mbap(1, 1, [3, 2, 0x00, 0x2a])));
  const cut = new TcpConv(50201, 502, '192.168.1.10', '192.168.1.20')
    .s(Uint8Array.from(mbap(1, 1, [3, 4, 0x00, 0x01, 0x00, 0x02])))
    .s(Uint8Array.from([...mbap(2, 1, [5, 0, 1, 0xff]), ...mbap(3, 1, [3, 2, 0x00, 0x07]), ...mbap(4, 1, [3, 2, 0x00, 0x08])]));
  const snap = (frame: Uint8Array, drop: number) => ({ data: frame.subarray(0, frame.length - drop), origLen: frame.length });
  return [...both.frames.map((data) => ({ data })), snap(cut.frames[0]!, 4), snap(cut.frames[1]!, 3)];
}
