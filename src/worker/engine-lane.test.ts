import { describe, expect, it } from 'vitest';
import { writePcap, type TestPacket } from '../capture/testing/writer.ts';
import { ACK, bytes, eth, FIN, ipv4, nop, PSH, sack, SYN, tcp, timestamps, wscale } from '../dissect/testing/packets.ts';
import { TcpTalk } from '../ui/ladder/testing/talk.ts';
import { SummaryDecoder, type SummaryRow } from '../analysis/summary.ts';
import { readCapture } from '../capture/reader.ts';
import { CaptureEngine } from './engine.ts';
import { firstPassOutcome } from './testing/outcome.ts';
import { ALERT, APPDATA, filler, record, TcpConv } from '../dissect/testing/tls-builders.ts';
import { CLIENT_HELLO, SERVER_HELLO_12, SERVER_HELLO_13, TLS_SCENARIOS } from '../dissect/testing/tls-scenarios.ts';
import { framesPcap } from '../dissect/testing/packets.ts';
import { seqAckScenario } from '../dissect/testing/tcp-seqack-scenario.ts';

const T0 = 1_700_000_000;
const C = '192.0.2.10';
const S = '198.51.100.80';

/** One raw TCP segment from the client (C:port → S:80) or the server, in Ethernet + IPv4. */
function seg(fromClient: boolean, port: number, flags: number, seq: number, ack: number, extra: { options?: number[]; win?: number; payload?: string; server?: number } = {}): Uint8Array {
  const server = extra.server ?? 80;
  const t = tcp({ sport: fromClient ? port : server, dport: fromClient ? server : port, flags, seq, ack, win: extra.win ?? 1000, options: extra.options, payload: extra.payload });
  return eth(ipv4(t, { src: fromClient ? C : S, dst: fromClient ? S : C }));
}

/** Captures of bare ACKs and FINs of every kind the short lane takes, and of those it must leave. */
function capture(): Uint8Array {
  const frames: Uint8Array[] = [];
  const at = (d: Uint8Array) => frames.push(d);
  // Window scaling negotiated (ACK windows are scaled), timestamps on every segment.
  at(seg(true, 40001, SYN, 100, 0, { options: [...wscale(7), ...nop(), ...timestamps(1, 0)] }));
  at(seg(false, 40001, SYN | ACK, 900, 101, { options: [...wscale(2), ...nop(), ...timestamps(9, 1)] }));
  at(seg(true, 40001, ACK, 101, 901, { options: [...nop(), ...nop(), ...timestamps(2, 9)] }));
  at(seg(true, 40001, PSH | ACK, 101, 901, { payload: 'GET / HTTP/1.0\r\n\r\n' }));
  // The response has no length: its body lasts until the server's FIN (RFC 9112 §6.3).
  at(seg(false, 40001, PSH | ACK, 901, 119, { payload: 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello' }));
  at(seg(true, 40001, ACK, 119, 951));
  // Duplicate ACKs, a window update, a zero window, SACK blocks.
  at(seg(true, 40001, ACK, 119, 951));
  at(seg(true, 40001, ACK, 119, 951));
  at(seg(true, 40001, ACK, 119, 951, { win: 2000 }));
  at(seg(true, 40001, ACK, 119, 951, { win: 0 }));
  at(seg(true, 40001, ACK, 119, 951, { options: [...nop(), ...nop(), ...sack([960, 970])] }));
  // Options the Info text reads without the full walk, and near misses it leaves to it: MSS and
  // window scale (shift above 14) on an ACK, EOL then non-zero padding, SACK permitted and
  // timestamps with lengths of other options.
  at(seg(true, 40001, ACK, 119, 951, { options: [2, 4, 5, 0xb4, 4, 2, 3, 3, 15, 0, 0, 0] }));
  at(seg(true, 40001, ACK, 119, 951, { options: [1, 0, 1, 1] }));
  at(seg(true, 40001, ACK, 119, 951, { options: [4, 3, 0, 1] }));
  at(seg(true, 40001, ACK, 119, 951, { options: [8, 8, 0, 0, 0, 1, 0, 2] }));
  // An option kind without its length byte: malformed, left to the full path.
  at(seg(true, 40001, ACK, 119, 951, { options: [1, 1, 1, 5] }));
  // An option whose length runs past the header: the full path stops there without an error.
  at(seg(true, 40001, ACK, 119, 951, { options: [8, 40, 0, 0] }));
  // Ethernet padding after the datagram (a 60-byte minimum frame).
  at(bytes(seg(true, 40001, ACK, 119, 951), new Uint8Array(6)));
  // An ACK with the IPv4 total length 0 (TCP segmentation offload).
  at(eth(ipv4(tcp({ sport: 40001, dport: 80, flags: ACK, seq: 119, ack: 951 }), { src: C, dst: S, totalLength: 0 })));
  // IPv4 options, a VLAN tag, a fragment: not bare, full path.
  at(eth(ipv4(tcp({ sport: 40001, dport: 80, flags: ACK, seq: 119, ack: 951 }), { src: C, dst: S, options: [1, 1, 1, 0] })));
  at(eth(bytes([0, 5, 0x08, 0x00], ipv4(tcp({ sport: 40001, dport: 80, flags: ACK, seq: 119, ack: 951 }), { src: C, dst: S })), { type: 0x8100 }));
  at(eth(ipv4(tcp({ sport: 40001, dport: 80, flags: ACK, seq: 119, ack: 951 }), { src: C, dst: S, mf: true, id: 9 })));
  at(eth(ipv4(tcp({ sport: 40001, dport: 80, flags: ACK, seq: 119, ack: 951 }), { src: C, dst: S, df: true })));
  // The server's FIN ends the body (full path: the payload protocol gets the PDU), then the client's FIN and last ACK.
  at(seg(false, 40001, FIN | ACK, 951, 119));
  at(seg(true, 40001, FIN | ACK, 119, 952));
  at(seg(false, 40001, ACK, 952, 120));
  // A second connection on the same ports (port reuse): its ACKs belong to the new stream.
  at(seg(true, 40001, SYN, 5000, 0));
  at(seg(false, 40001, SYN | ACK, 7000, 5001));
  at(seg(true, 40001, ACK, 5001, 7001));
  // A retransmitted SYN; a SYN with a shift above 14 answered without the option (no scaling).
  at(seg(true, 40003, SYN, 700, 0, { options: [...wscale(15)] }));
  at(seg(true, 40003, SYN, 700, 0, { options: [...wscale(15)] }));
  at(seg(false, 40003, SYN | ACK, 800, 701));
  at(seg(true, 40003, ACK, 701, 801, { win: 3 }));
  // A connection first seen mid-way (no SYN): relative numbers start at 1 in both directions.
  at(seg(false, 40002, ACK, 3000, 4000));
  at(seg(true, 40002, ACK, 4000, 3000));
  at(seg(true, 40002, ACK, 4000, 3000));
  at(seg(false, 40002, FIN | ACK, 3000, 4000));
  const packets: TestPacket[] = frames.map((data, i) => ({ data, tsSec: T0, tsNsec: i * 1_000_000 }));
  // A truncated ACK (snap length) and more ordinary traffic.
  packets.push({ data: seg(true, 40002, ACK, 4000, 3001).subarray(0, 50), origLen: 54, tsSec: T0 + 1 });
  const talk = new TcpTalk({ client: ['192.0.2.20', 50000], server: [S, 9000], t0: T0 + 2 });
  talk.handshake();
  for (let i = 0; i < 6; i++) talk.data(false, 'x'.repeat(100)).ack(true);
  talk.close(false);
  return writePcap([...packets, ...talk.packets]);
}

/** The command line's summary rows of `file`, with or without the short lane. */
async function summaryLines(file: Uint8Array, lane: boolean): Promise<SummaryRow[]> {
  const dec = new SummaryDecoder(lane);
  const rows: SummaryRow[] = [];
  await readCapture((async function* () { yield file; })(), (rec) => {
    rows.push(dec.row(rec));
  });
  return rows;
}

/** The command line's Info texts by the lane, once checked equal (every column) to the full path's. */
async function laneSummaryInfos(file: Uint8Array): Promise<string[]> {
  const lane = await summaryLines(file, true);
  expect(lane).toEqual(await summaryLines(file, false));
  return lane.map((r) => r.info);
}

async function load(file: Uint8Array, lane: boolean): Promise<CaptureEngine> {
  const engine = new CaptureEngine(lane);
  await engine.load({ name: 'lane.pcap', totalBytes: file.length, chunks: (async function* () { yield file; })() });
  return engine;
}

describe('the first pass short lane for bare TCP SYNs, ACKs and FINs', () => {
  it('leaves exactly what the full dissection leaves: columns, TCP state, rows, details, sessions, ladders', async () => {
    const file = capture();
    const full = await load(file, false);
    const lane = await load(file, true);
    expect(full.laneTaken).toBe(0);
    // It took the plain ACKs and FINs, and left the rest to the full path.
    expect(lane.laneTaken).toBeGreaterThanOrEqual(20);
    expect(lane.laneTaken).toBeLessThan(lane.store.count - 12);
    expect(firstPassOutcome(lane)).toEqual(firstPassOutcome(full));
    const infos = lane.rows(0, lane.store.count).map((r) => r.info);
    // The rows it took still read as tshark writes them (made by re-dissection when shown).
    expect(infos).toContain('40001 → 80 [ACK] Seq=19 Ack=51 Win=128000 Len=0');
    expect(infos.some((i) => i.startsWith('[TCP Dup ACK 6#1] 40001 → 80 [ACK]'))).toBe(true);
    expect(infos.some((i) => i.startsWith('[TCP Window Update] 40001 → 80 [ACK]'))).toBe(true);
    expect(infos.some((i) => i.startsWith('[TCP ZeroWindow] 40001 → 80 [ACK]'))).toBe(true);
    expect(infos).toContain('HTTP/1.0 200 OK  (text/plain)');
    expect(infos).toContain('40001 → 80 [SYN] Seq=0 Win=1000 Len=0 WS=128 TSval=1 TSecr=0');
    expect(infos).toContain('[TCP Port numbers reused] 40001 → 80 [SYN] Seq=0 Win=1000 Len=0');
    expect(infos).toContain('[TCP Retransmission] 40003 → 80 [SYN] Seq=0 Win=1000 Len=0 WS=16384');
    expect(infos).toContain('40003 → 80 [ACK] Seq=1 Ack=1 Win=3 Len=0');
  });

  it('keeps the SEQ/ACK analysis the full dissection keeps (SACK blocks of the ACKs it takes included)', async () => {
    const file = framesPcap(seqAckScenario());
    const full = await load(file, false);
    const lane = await load(file, true);
    expect(lane.laneTaken).toBeGreaterThanOrEqual(10);
    expect(firstPassOutcome(lane)).toEqual(firstPassOutcome(full));
    // The fast retransmission's bytes in flight discount the SACK block of a duplicate ACK the lane took.
    expect(lane.tcpFrames().inFlight[13]).toBe(100);
  });

  it('writes the summary lines of the full dissection (the command line)', async () => {
    const info = await laneSummaryInfos(capture());
    expect(info).toContain('40001 → 80 [ACK] Seq=1 Ack=1 Win=128000 Len=0 TSval=2 TSecr=9');
    expect(info).toContain('[TCP Window Update] 40001 → 80 [ACK] Seq=19 Ack=51 Win=256000 Len=0');
    expect(info.some((i) => / SLE=\d+ SRE=\d+$/.test(i))).toBe(true);
    expect(info.some((i) => i.endsWith('Len=0 MSS=1460 SACK_PERM WS=16384'))).toBe(true);
  });

  it('takes them over Linux cooked v1 and v2, BSD null and raw IPv4 too, with the same outcome', async () => {
    const talk = new TcpTalk({ client: ['192.0.2.20', 50000], server: [S, 9000], t0: T0 });
    talk.handshake();
    for (let i = 0; i < 4; i++) talk.data(false, 'y'.repeat(50)).ack(true);
    talk.close();
    const ip = talk.packets.map((p) => ({ ...p, data: p.data.subarray(14) })); // IPv4 datagrams
    const links: [number, (d: Uint8Array) => Uint8Array][] = [
      [113, (d) => bytes([0, 4, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00], d)],
      [276, (d) => bytes([0x08, 0x00, 0, 0, 0, 0, 0, 1, 0, 1, 4, 6, 2, 0, 0, 0, 0, 1, 0, 0], d)],
      [0, (d) => bytes([2, 0, 0, 0], d)],
      [0, (d) => bytes([0, 0, 0, 2], d)],
      [228, (d) => d],
      [101, (d) => d],
    ];
    for (const [linkType, wrap] of links) {
      const file = writePcap(ip.map((p) => ({ ...p, data: wrap(p.data) })), { linkType });
      const full = await load(file, false);
      const lane = await load(file, true);
      expect(lane.laneTaken, `link type ${linkType}`).toBe(10); // SYN, SYN-ACK, ACK, 4 ACKs, FIN, FIN, ACK
      expect(firstPassOutcome(lane)).toEqual(firstPassOutcome(full));
    }
  });
});


describe('the first pass short lane for HTTP messages in one segment', () => {
  /** One connection to port 80 per exchange; `talk` lists [from client, payload] after the handshake. */
  function http(port: number, talk: [boolean, string][], seqBase = 1000, server = 80): Uint8Array[] {
    const out: Uint8Array[] = [];
    let c = seqBase;
    let s = seqBase * 3;
    out.push(seg(true, port, SYN, c++, 0, { server }), seg(false, port, SYN | ACK, s++, c, { server }), seg(true, port, ACK, c, s, { server }));
    for (const [fromClient, payload] of talk) {
      out.push(fromClient ? seg(true, port, PSH | ACK, c, s, { payload, server }) : seg(false, port, PSH | ACK, s, c, { payload, server }));
      if (fromClient) c += payload.length;
      else s += payload.length;
    }
    out.push(seg(true, port, FIN | ACK, c, s, { server }), seg(false, port, FIN | ACK, s, c + 1, { server }), seg(true, port, ACK, c + 1, s + 1, { server }));
    return out;
  }
  const ok = (body: string, extra = '') => `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`;

  function capture(): Uint8Array {
    const frames: Uint8Array[] = [
      // Taken: requests and responses whose bodies are whole (by Content-Length, or none).
      ...http(41001, [[true, 'GET /a HTTP/1.1\r\nHost: example.org\r\n\r\n'], [false, ok('hello')]]),
      ...http(41002, [[true, 'HEAD /b HTTP/1.1\r\nHost: example.org\r\n\r\n'], [false, 'HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n']]),
      ...http(41003, [[true, 'POST /c HTTP/1.1\r\nHost: example.org\r\nContent-Length: 3\r\n\r\nx=1'], [false, 'HTTP/1.1 204 No Content\r\n\r\n']]),
      ...http(41004, [[true, 'GET /d HTTP/1.1\r\n\r\n'], [false, 'HTTP/1.1 100 Continue\r\n\r\n'], [false, ok('done')], [true, 'GET /e HTTP/1.1\r\n\r\n'], [false, 'HTTP/1.1 304 Not Modified\r\n\r\n']]),
      // Left to the full path: chunked, two messages in one segment, a body to come, a body
      // until the connection ends, a first line cut short, not HTTP.
      ...http(41005, [[true, 'GET /f HTTP/1.1\r\n\r\n'], [false, 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n']]),
      ...http(41006, [[true, 'GET /g HTTP/1.1\r\n\r\nGET /h HTTP/1.1\r\n\r\n'], [false, ok('1') + ok('2')]]),
      ...http(41007, [[true, 'GET /i HTTP/1.1\r\n\r\n'], [false, 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345'], [false, '67890']]),
      ...http(41008, [[true, 'GET /j HTTP/1.0\r\n\r\n'], [false, 'HTTP/1.0 200 OK\r\n\r\nuntil the end']]),
      ...http(41009, [[true, 'GET /k HTTP/1.1\r\nHo'], [true, 'st: example.org\r\n\r\n'], [false, ok('')]]),
      ...http(41010, [[true, '\x01\x02binary'], [false, ok('x')]]),
    ];
    // A retransmitted request: the copy is old data, a TCP row, and changes no HTTP state.
    const again = http(41011, [[true, 'GET /l HTTP/1.1\r\n\r\n'], [false, ok('l')]]);
    again.splice(4, 0, again[3]!);
    frames.push(...again);
    return writePcap(frames.map((data, i) => ({ data, tsSec: T0, tsNsec: i * 1_000_000 })));
  }

  it('leaves exactly what the full dissection leaves, and its rows read as tshark writes them', async () => {
    const file = capture();
    const full = await load(file, false);
    const lane = await load(file, true);
    expect(firstPassOutcome(lane)).toEqual(firstPassOutcome(full));
    const rows = lane.rows(0, lane.store.count);
    const taken = (text: string) => rows.find((r) => r.info === text);
    expect(taken('GET /a HTTP/1.1 ')?.protocol).toBe('HTTP');
    expect(taken('HTTP/1.1 200 OK  (text/plain)')?.protocol).toBe('HTTP');
    expect(taken('POST /c HTTP/1.1 ')?.protocol).toBe('HTTP');
    expect(rows.filter((r) => r.info === 'GET /l HTTP/1.1 ')).toHaveLength(1);
    expect(rows.some((r) => r.info.startsWith('[TCP Retransmission] 41011 → 80 [PSH, ACK]'))).toBe(true);
    // The handshake and closing segments of the 11 connections but the server's FIN that ends
    // 41008's body (65), and 19 messages: 2 + 2 + 2 + 5 (41001–41004), the requests of 41005,
    // 41007 and 41008, the responses of 41009 and 41010, and 41011's request, its copy (a TCP
    // row) and response.
    expect(lane.laneTaken).toBe(65 + 19);
  });

  it('names a typed body in the Protocol column (HTTP/JSON, HTTP/XML) as the full dissection does', async () => {
    const typed = (type: string, body: string) => `HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const xmlDoc = '<?xml version="1.0" encoding="UTF-8"?><a>hello</a>';
    const frames = http(44001, [
      [true, 'GET /a HTTP/1.1\r\n\r\n'], [false, typed('application/json', '{"a":1}')],
      [true, 'GET /b HTTP/1.1\r\n\r\n'], [false, typed('text/html', xmlDoc)],
      [true, 'GET /c HTTP/1.1\r\n\r\n'], [false, typed('text/html', '<?xml v="1"?>')],
      [true, 'GET /d HTTP/1.1\r\n\r\n'], [false, typed('application/json', xmlDoc)],
    ]);
    const file = writePcap(frames.map((data, i) => ({ data, tsSec: T0, tsNsec: i * 1_000_000 })));
    const full = await load(file, false);
    const lane = await load(file, true);
    expect(firstPassOutcome(lane)).toEqual(firstPassOutcome(full));
    expect(lane.laneTaken).toBe(6 + 8);
    const responses = lane.rows(0, lane.store.count).filter((r) => r.info.startsWith('HTTP/1.1'));
    expect(responses.map((r) => `${r.protocol} ${r.info}`)).toEqual([
      'HTTP/JSON HTTP/1.1 200 OK , JavaScript Object Notation (application/json)',
      'HTTP/XML HTTP/1.1 200 OK ',
      'HTTP HTTP/1.1 200 OK  (text/html)',
      'HTTP/JSON/XML HTTP/1.1 200 OK , JavaScript Object Notation',
    ]);
  });

  it('takes HTTP that the heuristic finds on a port of no protocol, as the full dissection does', async () => {
    const frames = [
      // Found by the heuristic on the request, which binds the connection: all taken.
      ...http(43001, [[true, 'GET /m HTTP/1.1\r\n\r\n'], [false, ok('m')]], 1000, 8081),
      // A first message the heuristic would not take (no "HTTP/1." on the first line): the
      // connection stays unbound and its data stays TCP.
      ...http(43002, [[true, 'HELLO there\r\n'], [false, ok('n')]], 1000, 8082),
      // A first byte the TLS heuristic could take: left to the full path, which finds no TLS.
      ...http(43003, [[true, '\x16\x03\x01 not really'], [false, ok('o')]], 1000, 8083),
      // A request cut short: the heuristic matches, reassembly follows, all on the full path.
      ...http(43004, [[true, 'GET /p HTTP/1.1\r\nHo'], [true, 'st: x\r\n\r\n'], [false, ok('p')]], 1000, 8084),
    ];
    const file = writePcap(frames.map((data, i) => ({ data, tsSec: T0, tsNsec: i * 1_000_000 })));
    const full = await load(file, false);
    const lane = await load(file, true);
    expect(firstPassOutcome(lane)).toEqual(firstPassOutcome(full));
    expect(await summaryLines(file, true)).toEqual(await summaryLines(file, false));
    const rows = lane.rows(0, lane.store.count);
    expect(rows.find((r) => r.info === 'GET /m HTTP/1.1 ')?.protocol).toBe('HTTP');
    expect(rows.find((r) => r.info.startsWith('43002 → 8082 [PSH, ACK]'))?.protocol).toBe('TCP');
    // The 6 handshake and closing segments of each connection; 43001's two messages; the
    // responses of 43002 (the heuristic's, on a connection still unbound) and 43004 (bound).
    expect(lane.laneTaken).toBe(4 * 6 + 2 + 1 + 1);
  });

  it('writes the summary lines of the full dissection (the command line)', async () => {
    const info = await laneSummaryInfos(capture());
    expect(info).toContain('HTTP/1.1 200 OK  (text/plain)');
    expect(info).toContain('HTTP/1.1 304 Not Modified ');
    expect(info.some((i) => i.startsWith('[TCP Retransmission] 41011 → 80 [PSH, ACK] Seq=1 Ack=1 Win=1000 Len=19'))).toBe(true);
  });
});

describe('the first pass short lane for TLS Application Data records', () => {
  const app = (n: number) => record(APPDATA, 0x0303, filler(n));
  /** Every TLS scenario of the dissector's tests, and the lane's own cases: one capture each. */
  function captures(): [string, Uint8Array][] {
    const convs: [string, TcpConv][] = Object.entries(TLS_SCENARIOS).map(([name, make]) => [name, make()]);
    convs.push(
      ['lane cases', new TcpConv()
        .c(CLIENT_HELLO).s(SERVER_HELLO_13)
        // Taken: one record, three records.
        .c(app(40)).s(bytes(app(100), app(20), app(7)))
        // Left: an empty record; a record and an alert; a record and the start of the next.
        .c(bytes(app(10), record(APPDATA, 0x0303, [])))
        .s(bytes(app(10), record(ALERT, 0x0303, filler(19))))
        .s(bytes(app(10), app(40).subarray(0, 12))).s(app(40).subarray(12))
        // Taken after lost bytes: TCP's analysis stays in front of the records' names.
        .c(app(33), 77)],
      // No hellos seen: the first record gives the session its version, then the lane takes the rest.
      ['no hellos', new TcpConv().c(app(20)).s(app(20)).c(app(20))],
      ['TLS 1.2', new TcpConv().c(CLIENT_HELLO).s(SERVER_HELLO_12).c(app(64)).s(bytes(app(64), app(64)))],
    );
    return convs.map(([name, conv]) => [name, conv.pcap()]);
  }

  it('leaves exactly what the full dissection leaves, and its rows read as tshark writes them', async () => {
    const infos: string[] = [];
    let taken = 0;
    for (const [name, file] of captures()) {
      const full = await load(file, false);
      const lane = await load(file, true);
      expect(firstPassOutcome(lane), name).toEqual(firstPassOutcome(full));
      taken += lane.laneTaken;
      infos.push(...lane.rows(0, lane.store.count).map((r) => `${r.protocol} ${r.info}`));
    }
    expect(infos).toContain('TLSv1.3 Application Data, Application Data, Application Data');
    expect(infos).toContain('TLSv1.2 Application Data, Application Data');
    expect(infos).toContain('TLSv1.3 [TCP Previous segment not captured] , Application Data');
    // tls13 2, tls12 2, lostSegment 1, heuristicPort 1, the lane cases 3, no hellos 2, TLS 1.2 2.
    expect(taken).toBe(13);
  });

  it('writes the summary lines of the full dissection (the command line)', async () => {
    for (const [name, file] of captures()) expect(await summaryLines(file, true), name).toEqual(await summaryLines(file, false));
  });
});
