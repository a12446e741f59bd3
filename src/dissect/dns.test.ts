import { describe, expect, it } from 'vitest';
import { PacketFlag } from './packet.ts';
import { formatText } from './text.ts';
import {
  ACK, bytes, decodeFrames, eth, ipv4, ipv6Addr, lines, PSH, SYN, tcp, type TcpOpts, treeText, u16, u32, udp,
} from './testing/packets.ts';

// Every expected Protocol/Info text below is what tshark 4.0.17 shows for the same bytes
// (`tshark -r x.pcap -n -T fields -e _ws.col.Protocol -e _ws.col.Info`, i.e. with a protocol
// tree, like the corpus references). The fixtures are built here byte by byte.

/** A DNS name in wire form without compression; labels may be raw bytes. '' is the root. */
function dname(n: string | (string | number[])[]): Uint8Array {
  const labels = typeof n === 'string' ? (n === '' ? [] : n.split('.')) : n;
  return bytes(...labels.flatMap((l) => {
    const b = typeof l === 'string' ? new TextEncoder().encode(l) : Uint8Array.from(l);
    return [[b.length], b];
  }), [0]);
}
/** Labels without the terminating root label (to end in a pointer). */
const labels = (n: string) => dname(n).subarray(0, -1);
/** A compression pointer to `off` (RFC 1035 §4.1.4). */
const ptr = (off: number) => [0xc0 | (off >> 8), off & 255];
const question = (n: Uint8Array | number[], type: number, cls = 1) => bytes(n, u16(type), u16(cls));
function rr(n: Uint8Array | number[], type: number, rdata: Uint8Array | number[], cls = 1, ttl = 300): Uint8Array {
  const rd = rdata instanceof Uint8Array ? rdata : Uint8Array.from(rdata);
  return bytes(n, u16(type), u16(cls), u32(ttl), u16(rd.length), rd);
}
interface Msg {
  id: number;
  flags: number;
  qd?: Uint8Array[];
  an?: Uint8Array[];
  ns?: Uint8Array[];
  ar?: Uint8Array[];
  /** Header counts when they should lie. */
  counts?: [number, number, number, number];
}
function msg(m: Msg): Uint8Array {
  const c = m.counts ?? [m.qd?.length ?? 0, m.an?.length ?? 0, m.ns?.length ?? 0, m.ar?.length ?? 0];
  return bytes(u16(m.id), u16(m.flags), ...c.map(u16), ...(m.qd ?? []), ...(m.an ?? []), ...(m.ns ?? []), ...(m.ar ?? []));
}
const txt = (...s: string[]) => bytes(...s.flatMap((x) => [[x.length], new TextEncoder().encode(x)]));
const ip6 = (s: string) => ipv6Addr(s);
const OWNER = [0xc0, 12]; // the first question's name
const QUERY = 0x0100;
const RESPONSE = 0x8180;
const CLIENT = { src: '192.0.2.1', dst: '192.0.2.53' };
const SERVER = { src: '192.0.2.53', dst: '192.0.2.1' };
/** A UDP datagram client→server (query) or server→client (response). */
function dnsUdp(m: Uint8Array, o: { sport?: number; dport?: number; response?: boolean } = {}): Uint8Array {
  const resp = o.response ?? false;
  return eth(ipv4(udp({ sport: o.sport ?? (resp ? 53 : 40000), dport: o.dport ?? (resp ? 40000 : 53), payload: m }),
    { proto: 17, ...(resp ? SERVER : CLIENT) }));
}

const Q_A = msg({ id: 0x1a2b, flags: QUERY, qd: [question(dname('example.com'), 1)] });
// RFC 1035 §4.1.4: every name after the question points back into it.
const R_APPLE = msg({
  id: 0x4fe8, flags: RESPONSE, qd: [question(dname('www.apple.com'), 1)],
  an: [
    // www.apple.com is at 12, so "com" at 22; the CNAME's RDATA starts at 12 + 19 + 12 = 43.
    rr(OWNER, 5, bytes(labels('www-apple-com.v.aaplimg'), ptr(22))),
    rr(ptr(43), 1, [23, 194, 101, 24], 1, 20),
  ],
  ar: [rr([0], 41, [], 4096, 0)],
});
const R_TYPES = msg({
  id: 0x2b2b, flags: RESPONSE, qd: [question(dname('example.com'), 255)],
  an: [
    rr(OWNER, 2, dname('ns1.example.com'), 1, 86400),
    rr(OWNER, 6, bytes(dname('ns1.example.com'), dname('hostmaster.example.com'), u32(2024010101), u32(7200), u32(3600), u32(1209600), u32(300))),
    rr(OWNER, 12, dname('host.example.com')),
    rr(OWNER, 15, bytes(u16(10), dname('mail.example.com'))),
    rr(OWNER, 16, txt('v=spf1 -all', 'second')),
    rr(OWNER, 28, ip6('2001:db8::1')),
    rr(bytes(labels('_sip._udp'), ptr(12)), 33, bytes(u16(1), u16(5), u16(5060), dname('sip.example.com'))),
    rr(OWNER, 257, bytes([0, 5], new TextEncoder().encode('issueletsencrypt.org'))),
    rr(OWNER, 65, bytes(u16(1), [0], u16(1), u16(3), [2, 104, 50], u16(4), u16(4), [192, 0, 2, 7])),
    rr(OWNER, 43, bytes(u16(60485), [5, 1], Array(20).fill(0xab))),
    rr(OWNER, 48, bytes(u16(257), [3, 8], Array(16).fill(0x22))),
    rr(OWNER, 46, bytes(u16(1), [8, 2], u32(3600), u32(1700000000), u32(1690000000), u16(12345), ptr(12), Array(8).fill(0x11))),
    rr(OWNER, 47, bytes(dname('a.example.com'), [0, 6, 0x40, 0x01, 0, 0, 0, 0x03])),
    rr(OWNER, 50, bytes([1, 1], u16(10), [4, 1, 2, 3, 4], [20], Array(20).fill(0x33), [0, 6, 0x40, 0x01, 0, 0, 0, 0x03])),
    rr(OWNER, 65280, [1, 2, 3, 4]),
  ],
});
const R_NXDOMAIN = msg({
  id: 0x1234, flags: 0x8183, qd: [question(dname('foo.example'), 1)],
  ns: [rr(dname('example'), 6, bytes(dname('ns.example'), dname('h.example'), u32(1), u32(7200), u32(900), u32(604800), u32(86400)))],
});
const OPT_ECS = rr([0], 41, bytes(u16(8), u16(7), u16(1), [24, 0], [192, 0, 2], u16(10), u16(8), [1, 2, 3, 4, 5, 6, 7, 8]), 4096, 0x8000);
const Q_ECS = msg({ id: 0x5934, flags: 0x0120, qd: [question(dname('www.tcpdump.org'), 1)], ar: [OPT_ECS] });
const OPCODES = [
  msg({ id: 0x8905, flags: 0xa80a, qd: [question(dname('example.com'), 6)] }), // update response, NOTZONE
  msg({ id: 0x8906, flags: 0x2800, qd: [question(dname('example.com'), 6)], ns: [rr(dname('a.example.com'), 1, [192, 0, 2, 9], 255, 0)] }),
  msg({ id: 0x8907, flags: 0x0800, qd: [question(dname('example.com'), 1)] }), // inverse query
  msg({ id: 0x8908, flags: 0x1000 }), // server status request
  msg({ id: 0x8909, flags: 0x2000, qd: [question(dname('example.com'), 6)] }), // NOTIFY
  msg({ id: 0x890a, flags: 0x1800, qd: [question(dname('example.com'), 1)] }), // opcode 3, unassigned
  msg({ id: 0x890b, flags: 0x800c, qd: [question(dname('example.com'), 1)] }), // rcode 12, unassigned
];

const MDNS_Q = msg({ id: 0, flags: 0, qd: [question(dname('_ipp._tcp.local'), 12, 0x8001), question(dname('printer.local'), 28)] });
const MDNS_R = msg({
  id: 0, flags: 0x8400,
  an: [
    rr(dname('_ipp._tcp.local'), 12, bytes(labels('Printer'), ptr(12)), 1, 4500),
    rr(dname('printer.local'), 1, [169, 254, 1, 2], 0x8001, 120), // owner at 12 + 17 + 10 + 10 = 49
    rr(ptr(49), 47, bytes(ptr(49), [0, 4, 0x40, 0, 0, 8]), 0x8001, 120),
  ],
});
const LLMNR_Q = msg({ id: 0x7777, flags: 0, qd: [question(dname('wpad'), 1)] });
const LLMNR_R = msg({ id: 0x7777, flags: 0x8000, qd: [question(dname('wpad'), 1)], an: [rr(OWNER, 1, [192, 0, 2, 5], 1, 30)] });

/** Malformed and hostile messages (RFC 1035 §4.1.4 pointers, §2.3.4 limits). */
const BAD = {
  selfPointer: msg({ id: 0x5311, flags: QUERY, qd: [question(ptr(12), 1)] }),
  labelPointerLoop: msg({ id: 0x5312, flags: QUERY, qd: [question(bytes([3, 97, 98, 99], ptr(12)), 1)] }),
  pointerPastEnd: msg({ id: 0x5313, flags: QUERY, qd: [question(bytes([3, 97, 98, 99], ptr(0x3ff)), 1)] }),
  forwardChain: msg({ id: 0x5314, flags: QUERY, qd: [question(bytes(ptr(18), [0, 1, 0, 1], [1, 98], ptr(22), [3, 99, 111, 109, 0]), 1)] }),
  labelType80: msg({ id: 0x5315, flags: QUERY, qd: [question([0x80, 1, 2], 1)] }),
  // A label longer than 63 (0x42 = 66): its top bits 01 make it an RFC 6891 extended label.
  labelTooLong: msg({ id: 0x5316, flags: RESPONSE, qd: [question([1, 97, 0x42], 1)], counts: [1, 1, 0, 0] }),
  nameTooLong: msg({ id: 0x5317, flags: QUERY, qd: [question(dname(['a'.repeat(63), 'b'.repeat(63), 'c'.repeat(63), 'd'.repeat(62)].join('.')), 1)] }),
  countsTooLarge: msg({ id: 0x5318, flags: QUERY, qd: [question(dname('example.com'), 1)], counts: [3, 0, 0, 0] }),
  rdlengthPastEnd: msg({ id: 0x5319, flags: RESPONSE, qd: [question(dname('example.com'), 12)], an: [bytes(OWNER, u16(12), u16(1), u32(60), u16(200), dname('localhost'))] }),
  shortHeader: Uint8Array.from([0x53, 0x1a, 0x01]),
  weirdLabel: msg({ id: 0x531b, flags: QUERY, qd: [question(dname([[0x61, 0, 7, 0x1a, 0x20, 0x5c, 0x7f], [0xc3, 0xa9, 0x80], 'x']), 1)] }),
};
/** A response cut by the capture's snap length in its second answer. */
const TRUNCATED = msg({
  id: 0xf8d3, flags: RESPONSE, qd: [question(dname('api.example.com'), 1)],
  an: [rr(OWNER, 1, [198, 51, 100, 1]), rr(OWNER, 1, [198, 51, 100, 2]), rr(OWNER, 1, [198, 51, 100, 3])],
});

// DNS over TCP (RFC 1035 §4.2.2): a 2-byte length before each message.
const framed = (m: Uint8Array) => bytes(u16(m.length), m);
const Q_TCP1 = msg({ id: 0x1111, flags: QUERY, qd: [question(dname('example.com'), 1)] });
const Q_TCP2 = msg({ id: 0x2222, flags: QUERY, qd: [question(dname('example.org'), 28)] });
const R_TCP1 = msg({ id: 0x1111, flags: RESPONSE, qd: [question(dname('example.com'), 1)], an: [rr(OWNER, 1, [93, 184, 216, 34])] });
function tcpFrames(): Uint8Array[] {
  const c = (o: TcpOpts) => eth(ipv4(tcp({ sport: 40001, dport: 53, ...o }), { proto: 6, ...CLIENT }));
  const s = (o: TcpOpts) => eth(ipv4(tcp({ sport: 53, dport: 40001, ...o }), { proto: 6, ...SERVER }));
  const both = bytes(framed(Q_TCP1), framed(Q_TCP2));
  const resp = framed(R_TCP1);
  const q1 = framed(Q_TCP1);
  const q2 = framed(Q_TCP2);
  let cs = 1001;
  let ss = 5001;
  const out = [
    c({ flags: SYN, seq: 1000 }),
    s({ flags: SYN | ACK, seq: 5000, ack: 1001 }),
    c({ flags: ACK, seq: 1001, ack: 5001 }),
  ];
  out.push(c({ flags: ACK | PSH, seq: cs, ack: ss, payload: both })); // two messages in one segment
  cs += both.length;
  out.push(s({ flags: ACK | PSH, seq: ss, ack: cs, payload: resp.subarray(0, 10) })); // a message split in two
  ss += 10;
  out.push(s({ flags: ACK | PSH, seq: ss, ack: cs, payload: resp.subarray(10) }));
  ss += resp.length - 10;
  out.push(c({ flags: ACK | PSH, seq: cs, ack: ss, payload: q1.subarray(0, 1) })); // the length itself split
  cs += 1;
  out.push(c({ flags: ACK | PSH, seq: cs, ack: ss, payload: bytes(q1.subarray(1), q2.subarray(0, 5)) }));
  cs += q1.length - 1 + 5;
  out.push(c({ flags: ACK | PSH, seq: cs, ack: ss, payload: q2.subarray(5) }));
  cs += q2.length - 5;
  out.push(c({ flags: ACK | PSH, seq: cs, ack: ss, payload: bytes(framed(BAD.labelType80), q1) })); // a broken one first
  return out;
}

function decode(frames: (Uint8Array | { data: Uint8Array; origLen?: number })[]) {
  return decodeFrames(frames);
}

/** [Protocol, Info] of every frame. */
function columns(cap: ReturnType<typeof decode>): [string, string][] {
  return cap.rows.map((r) => [r.protocol, r.info]);
}

describe('DNS over UDP', () => {
  it('summarises queries and responses like tshark, following compression pointers', () => {
    const cap = decode([dnsUdp(Q_A), dnsUdp(R_APPLE, { response: true }), dnsUdp(R_TYPES, { response: true }), dnsUdp(R_NXDOMAIN, { response: true }), dnsUdp(Q_ECS)]);
    expect(columns(cap)).toEqual([
      ['DNS', 'Standard query 0x1a2b A example.com'],
      ['DNS', 'Standard query response 0x4fe8 A www.apple.com CNAME www-apple-com.v.aaplimg.com A 23.194.101.24 OPT'],
      ['DNS', 'Standard query response 0x2b2b ANY example.com NS ns1.example.com SOA ns1.example.com PTR host.example.com MX 10 mail.example.com TXT AAAA 2001:db8::1 SRV 1 5 5060 sip.example.com CAA HTTPS DS DNSKEY RRSIG NSEC a.example.com NSEC3 Unknown (65280)'],
      ['DNS', 'Standard query response 0x1234 No such name A foo.example SOA ns.example'],
      ['DNS', 'Standard query 0x5934 A www.tcpdump.org OPT'],
    ]);
    expect(lines(cap)[0]).toBe('    1   0.000000    192.0.2.1 → 192.0.2.53   DNS 71 Standard query 0x1a2b A example.com');
    expect(cap.packets[0]!.layers.join(':')).toBe('frame:eth:ethertype:ip:udp:dns');
    expect(cap.decoder.state.dissectorBugs).toBe(0);
  });

  it('exposes Wireshark field names and values', () => {
    const cap = decode([dnsUdp(Q_A), dnsUdp(R_APPLE, { response: true }), dnsUdp(R_TYPES, { response: true }), dnsUdp(R_NXDOMAIN, { response: true }), dnsUdp(Q_ECS)]);
    const q = cap.fields(1);
    expect(q.get('dns.id')).toEqual([0x1a2b]);
    expect(q.get('dns.flags')).toEqual([0x0100]);
    expect(q.get('dns.flags.response')).toEqual([false]);
    expect(q.get('dns.flags.opcode')).toEqual([0]);
    expect(q.get('dns.count.queries')).toEqual([1]);
    expect(q.get('dns.qry.name')).toEqual(['example.com']);
    expect(q.get('dns.qry.type')).toEqual([1]);
    expect(q.get('dns.qry.class')).toEqual([1]);
    const r = cap.fields(2);
    expect(r.get('dns.flags.rcode')).toEqual([0]);
    expect(r.get('dns.count.answers')).toEqual([2]);
    expect(r.get('dns.count.add_rr')).toEqual([1]);
    expect(r.get('dns.resp.name')).toEqual(['www.apple.com', 'www-apple-com.v.aaplimg.com', '<Root>']);
    expect(r.get('dns.resp.type')).toEqual([5, 1, 41]);
    expect(r.get('dns.resp.ttl')).toEqual([300, 20]);
    expect(r.get('dns.resp.len')).toEqual([26, 4, 0]);
    expect(r.get('dns.cname')).toEqual(['www-apple-com.v.aaplimg.com']);
    expect(r.get('dns.a')).toEqual([(23 << 24 | 194 << 16 | 101 << 8 | 24) >>> 0]);
    const t = cap.fields(3);
    expect(t.get('dns.ns')).toEqual(['ns1.example.com']);
    expect(t.get('dns.soa.mname')).toEqual(['ns1.example.com']);
    expect(t.get('dns.soa.rname')).toEqual(['hostmaster.example.com']);
    expect(t.get('dns.soa.serial_number')).toEqual([2024010101]);
    expect(t.get('dns.ptr.domain_name')).toEqual(['host.example.com']);
    expect(t.get('dns.mx.preference')).toEqual([10]);
    expect(t.get('dns.mx.mail_exchange')).toEqual(['mail.example.com']);
    expect(t.get('dns.txt')).toEqual(['v=spf1 -all', 'second']);
    expect(t.get('dns.aaaa')).toEqual([Uint8Array.from(ip6('2001:db8::1'))]);
    expect(t.get('dns.srv.service')).toEqual(['_sip']);
    expect(t.get('dns.srv.proto')).toEqual(['_udp']);
    expect(t.get('dns.srv.name')).toEqual(['example.com']);
    expect(t.get('dns.srv.port')).toEqual([5060]);
    expect(t.get('dns.srv.target')).toEqual(['sip.example.com']);
    expect(t.get('dns.caa.issue')).toEqual(['letsencrypt.org']);
    expect(t.get('dns.svcb.svcparam.alpn')).toEqual(['h2']);
    expect(t.get('dns.ds.key_id')).toEqual([60485]);
    expect(t.get('dns.dnskey.key_id')).toEqual([5402]);
    expect(t.get('dns.rrsig.signers_name')).toEqual(['example.com']);
    expect(t.get('dns.nsec.next_domain_name')).toEqual(['a.example.com']);
    expect(t.get('dns.nsec3.hash_value')).toEqual(['6cpj6cpj6cpj6cpj6cpj6cpj6cpj6cpj']);
    const e = cap.fields(5);
    expect(e.get('dns.opt.client.family')).toEqual([1]);
    expect(e.get('dns.opt.client.netmask')).toEqual([24]);
    expect(e.get('dns.opt.client.addr4')).toEqual([(192 << 24 | 2 << 8) >>> 0]);
    expect(e.get('dns.opt.cookie.client')).toEqual([Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8])]);
    expect(e.get('dns.resp.z.do')).toEqual([true]);
  });

  it('names opcodes and reply codes, known or not', () => {
    const cap = decode(OPCODES.map((m) => dnsUdp(m, { response: (m[2]! & 0x80) !== 0 })));
    expect(cap.rows.map((r) => r.info)).toEqual([
      'Dynamic update response 0x8905 Name out of zone SOA example.com',
      'Dynamic update 0x8906 SOA example.com A 192.0.2.9',
      'Inverse query 0x8907 A example.com',
      'Server status request 0x8908',
      'Zone change notification 0x8909 SOA example.com',
      'Unknown operation (3) 0x890a A example.com',
      'Standard query response 0x890b Unknown error (12) A example.com',
    ]);
    expect(cap.fields(2).get('dns.count.updates')).toEqual([1]);
  });

  it('matches responses to requests in the tree (dns.response_in, dns.response_to, dns.time)', () => {
    const cap = decode([
      dnsUdp(LLMNR_Q, { sport: 51000, dport: 5355 }),
      dnsUdp(LLMNR_R, { sport: 5355, dport: 51000, response: true }),
      dnsUdp(R_APPLE, { response: true }),
    ]);
    expect(cap.fields(1).get('dns.response_in')).toEqual([2]);
    expect(cap.fields(2).get('dns.response_to')).toEqual([1]);
    expect(cap.fields(2).get('dns.time')?.[0]).toBeCloseTo(0.001, 9);
    expect(cap.fields(3).get('dns.unsolicited')).toEqual([true]);
  });

  it('shows the details tree like Wireshark', () => {
    const cap = decode([dnsUdp(Q_A), dnsUdp(R_APPLE, { response: true }), dnsUdp(R_TYPES, { response: true })]);
    const dnsOnly = (n: number) => cap.tree(n).items.filter((i) => i.label.startsWith('Domain Name System'));
    expect(treeText(dnsOnly(2))).toMatchSnapshot();
    expect(treeText(dnsOnly(3))).toMatchSnapshot();
  });
});

describe('MDNS and LLMNR', () => {
  it('labels them by port and shows the QU and cache-flush bits', () => {
    const cap = decode([
      dnsUdp(MDNS_Q, { sport: 5353, dport: 5353 }),
      dnsUdp(MDNS_R, { sport: 5353, dport: 5353 }),
      dnsUdp(LLMNR_Q, { sport: 51000, dport: 5355 }),
      dnsUdp(LLMNR_R, { sport: 5355, dport: 51000, response: true }),
    ]);
    expect(columns(cap)).toEqual([
      ['MDNS', 'Standard query 0x0000 PTR _ipp._tcp.local, "QU" question AAAA printer.local, "QM" question'],
      ['MDNS', 'Standard query response 0x0000 PTR Printer._ipp._tcp.local A, cache flush 169.254.1.2 NSEC, cache flush printer.local'],
      ['LLMNR', 'Standard query 0x7777 A wpad'],
      ['LLMNR', 'Standard query response 0x7777 A wpad A 192.0.2.5'],
    ]);
    expect(cap.packets[0]!.layers.at(-1)).toBe('mdns');
    expect(cap.packets[2]!.layers.at(-1)).toBe('llmnr');
    expect(cap.fields(1).get('dns.qry.qu')).toEqual([true, false]);
    expect(cap.fields(2).get('dns.resp.cache_flush')).toEqual([false, true, true]);
    expect(treeText(cap.tree(2).items.filter((i) => i.label.startsWith('Multicast')))).toMatchSnapshot();
  });
});

describe('the DNS heuristic on other UDP ports', () => {
  it('takes DNS-looking datagrams, but not on ports tshark gives to other protocols', () => {
    const cap = decode([
      dnsUdp(Q_A, { sport: 40000, dport: 12345 }),
      dnsUdp(Q_A, { sport: 137, dport: 137 }), // NBNS in tshark
      dnsUdp(R_APPLE, { sport: 12345, dport: 40000, response: true }),
    ]);
    expect(columns(cap)[0]).toEqual(['DNS', 'Standard query 0x1a2b A example.com']);
    expect(cap.rows[1]!.protocol).not.toBe('DNS');
    expect(columns(cap)[2]).toEqual(['DNS', 'Standard query response 0x4fe8 A www.apple.com CNAME www-apple-com.v.aaplimg.com A 23.194.101.24 OPT']);
  });
});

describe('malformed DNS', () => {
  const frames = () => [
    ...Object.values(BAD).map((m) => dnsUdp(m)),
    (() => {
      const f = dnsUdp(TRUNCATED, { response: true });
      return { data: f.subarray(0, f.length - 20), origLen: f.length };
    })(),
  ];

  it('stops where tshark stops and keeps the Info it had', () => {
    const cap = decode(frames());
    expect(columns(cap)).toEqual([
      ['DNS', 'Standard query 0x5311 A <Name contains a pointer that loops>'],
      ['DNS', 'Standard query 0x5312 A <Name contains a pointer that loops>'],
      ['DNS', 'Standard query 0x5313[Malformed Packet]'],
      ['DNS', 'Standard query 0x5314 A b.com'],
      ['DNS', 'Standard query 0x5315[Malformed Packet]'],
      ['DNS', 'Standard query response 0x5316 A <Unknown extended label>[Malformed Packet]'],
      ['DNS', 'Standard query 0x5317 A <Name too long>'],
      ['DNS', 'Standard query 0x5318 A example.com[Malformed Packet]'],
      ['DNS', 'Standard query response 0x5319 PTR example.com PTR[Malformed Packet]'],
      ['DNS', '[Malformed Packet]'],
      ['DNS', 'Standard query 0x531b A a\\000\\a\\032 \\\\177.é\ufffd.x'],
      ['DNS', 'Standard query response 0xf8d3 A api.example.com A 198.51.100.1 A[Packet size limited during capture]'],
    ]);
    expect(cap.packets[2]!.flags & PacketFlag.Malformed).toBeTruthy();
    expect(cap.packets[11]!.flags & PacketFlag.Truncated).toBeTruthy();
    expect(cap.decoder.state.dissectorBugs).toBe(0);
    // The tree of a broken message ends with the malformed marker, like tshark's.
    const t = treeText(cap.tree(8).items);
    expect(t).toContain('Queries');
    expect(t.trimEnd().split('\n').some((l) => l.startsWith('[Malformed Packet'))).toBe(true);
    expect(cap.fields(1).get('dns.qry.name')).toEqual(['<Name contains a pointer that loops>']);
  });

  it('never hangs or throws its own errors on mutated messages', () => {
    // Deterministic fuzzing: flip bytes of real messages, including the pointers.
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const seeds = [Q_A, R_APPLE, R_TYPES, R_NXDOMAIN, Q_ECS, MDNS_R, ...OPCODES];
    const out: Uint8Array[] = [];
    for (let i = 0; i < 1500; i++) {
      const m = seeds[rnd(seeds.length)]!.slice();
      for (let k = 1 + rnd(4); k > 0; k--) m[rnd(m.length)] = rnd(4) === 0 ? 0xc0 | rnd(4) : rnd(256);
      out.push(dnsUdp(m.subarray(0, m.length - rnd(3)), { response: true }));
    }
    const start = Date.now();
    const cap = decode(out);
    for (let n = 1; n <= 200; n++) cap.tree(n);
    expect(cap.decoder.state.dissectorBugs).toBe(0);
    expect(Date.now() - start).toBeLessThan(10_000);
  });
});

describe('DNS over TCP', () => {
  it('dissects several messages per segment, reassembles split ones, and goes on after a broken one', () => {
    const cap = decode(tcpFrames());
    expect(columns(cap).slice(3)).toEqual([
      ['DNS', 'Standard query 0x2222 AAAA example.org'],
      ['TCP', '53 → 40001 [PSH, ACK] Seq=1 Ack=63 Win=64240 Len=10 [TCP segment of a reassembled PDU]'],
      ['DNS', 'Standard query response 0x1111 A example.com A 93.184.216.34'],
      ['TCP', '40001 → 53 [PSH, ACK] Seq=63 Ack=48 Win=64240 Len=1 [TCP segment of a reassembled PDU]'],
      ['DNS', 'Standard query 0x1111 A example.com'],
      ['DNS', 'Standard query 0x2222 AAAA example.org'],
      ['DNS', 'Standard query 0x1111 A example.com'],
    ]);
    expect(cap.fields(4).get('dns.id')).toEqual([0x1111, 0x2222]);
    expect(cap.fields(4).get('dns.length')).toEqual([29, 29]);
    expect(cap.fields(4).get('dns.response_in')).toEqual([6]);
    expect(cap.fields(6).get('dns.response_to')).toEqual([4]);
    expect(cap.fields(6).get('dns.a')).toEqual([(93 << 24 | 184 << 16 | 216 << 8 | 34) >>> 0]);
    expect(cap.fields(10).get('dns.id')).toEqual([0x5315, 0x1111]);
    expect(cap.packets[9]!.flags & PacketFlag.Malformed).toBeTruthy();
    expect(cap.decoder.state.dissectorBugs).toBe(0);
    expect(treeText(cap.tree(6).items.filter((i) => i.label.startsWith('Domain')))).toMatchSnapshot();
  });
});

describe('formatText', () => {
  it('escapes like tshark 4.0', () => {
    expect(formatText('plain.example')).toBe('plain.example');
    expect(formatText('a\0\x07\x08\t\n\x0b\x0c\r\x1b \\\x7f')).toBe('a\\000\\a\\b\\t\\n\\v\\f\\r\\033 \\\\177');
    // UTF-8 decoded; malformed sequences and surrogates become U+FFFD; invisible ones \\uXXXX.
    expect(formatText('\xc3\xa9\x80\xe2\x82\x41\xed\xa0\x80\xc2\x85\xe2\x80\x8b')).toBe('é\ufffd\ufffdA\ufffd\\u0085\\u200B');
  });
});
