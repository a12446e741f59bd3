import { describe, expect, it } from 'vitest';
import { ACK, eth, FIN, ipv4, mss, PSH, RST, SYN, tcp, udp, wscale } from '../dissect/testing/packets.ts';
import { TcpConv } from '../dissect/testing/tls-builders.ts';
import { TLS_SCENARIOS } from '../dissect/testing/tls-scenarios.ts';
import { arrowLabel, collapseRuns, durationText } from './ladder.ts';
import { toMermaid } from './mermaid.ts';
import { engineOf } from './testing.ts';

const C = { src: '192.168.56.1', dst: '192.168.56.103' };
const S = { src: '192.168.56.103', dst: '192.168.56.1' };
const cli = (o: Parameters<typeof tcp>[0], t: number) => ({ data: eth(ipv4(tcp({ sport: 53574, dport: 7001, win: 502, ...o }), C)), t });
const srv = (o: Parameters<typeof tcp>[0], t: number) => ({ data: eth(ipv4(tcp({ sport: 7001, dport: 53574, win: 509, ...o }), S)), t });

const SYN_ = cli({ flags: SYN, seq: 1000, win: 64240, options: [...mss(1460), 1, ...wscale(7)] }, 0);
const SYNACK = srv({ flags: SYN | ACK, seq: 5000, ack: 1001, win: 65160, options: [...mss(1460), 1, ...wscale(7)] }, 0.00019);
const ACK3 = cli({ flags: ACK, seq: 1001, ack: 5001 }, 0.00025);

describe('ladder model', () => {
  it('finds a complete handshake with its round trip, data, and a FIN/ACK teardown', async () => {
    const e = await engineOf([
      SYN_, SYNACK, ACK3,
      cli({ flags: PSH | ACK, seq: 1001, ack: 5001, payload: 'hello' }, 0.01),
      srv({ flags: ACK, seq: 5001, ack: 1006 }, 0.011),
      srv({ flags: PSH | ACK, seq: 5001, ack: 1006, payload: 'world!' }, 0.02),
      cli({ flags: FIN | ACK, seq: 1006, ack: 5007 }, 0.03),
      srv({ flags: FIN | ACK, seq: 5007, ack: 1007 }, 0.031),
      cli({ flags: ACK, seq: 1007, ack: 5008 }, 0.032),
    ]);
    const [s] = e.sessions();
    expect(s).toMatchObject({
      client: { addr: '192.168.56.1', port: 53574 },
      server: { addr: '192.168.56.103', port: 7001 },
      clientBasis: 'syn',
      packets: [5, 4],
      payload: [5, 6],
      handshake: 'complete',
      close: 'fin-both',
    });
    const m = e.ladder(0)!;
    expect(m.endpoints.map((x) => x.label)).toEqual(['192.168.56.1:53574', '192.168.56.103:7001']);
    expect(m.arrows.map((a) => `${a.from}>${a.to} ${a.label}`).slice(0, 3)).toEqual([
      'client>server [SYN] Seq=0 Win=64240 Len=0 MSS=1460 WS=128',
      'server>client [SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460 WS=128',
      'client>server [ACK] Seq=1 Ack=1 Win=64256 Len=0',
    ]);
    expect(m.arrows[2]!.ariaLabel).toBe('#3 53574 → 7001 [ACK] Seq=1 Ack=1 Win=64256 Len=0');
    expect(m.arrows.map((a) => a.kind)).toEqual(['syn', 'syn-ack', 'ack', 'data', 'ack', 'data', 'fin', 'fin', 'ack']);
    const phases = m.phases.map((p) => [p.kind, p.label, p.first, p.last]);
    expect(phases).toEqual([
      ['handshake', 'Three-way handshake · 250 µs', 0, 2],
      ['data', 'Data transfer · 2 segments, 11 B', 3, 5],
      ['teardown', 'Teardown · client closed first', 6, 8],
    ]);
    const teardown = m.phases.find((p) => p.kind === 'teardown')!;
    expect(teardown.steps.map((x) => `${x.label}@${x.arrow}`)).toEqual([
      'FIN from client@6', "ACK of client's FIN@7", 'FIN from server@7', "ACK of server's FIN@8",
    ]);
    expect(m.arrows[1]!.timeText).toBe('0.000190');
    expect(m.arrows[2]!.deltaText).toBe('0.000060');
  });

  it('labels a data transfer of one segment in the singular', async () => {
    const e = await engineOf([SYN_, SYNACK, ACK3, cli({ flags: PSH | ACK, seq: 1001, ack: 5001, payload: 'GET' }, 0.01)]);
    const data = e.ladder(0)!.phases.find((p) => p.kind === 'data');
    expect(data?.label).toBe('Data transfer · 1 segment, 3 B');
  });

  it('understands a capture of one direction only: the SYN-ACK is a step not captured', async () => {
    const e = await engineOf([SYN_, ACK3, cli({ flags: PSH | ACK, seq: 1001, ack: 5001, payload: 'GET' }, 0.01)]);
    const [s] = e.sessions();
    expect(s!.handshake).toBe('partial');
    expect(s!.handshakeSeen).toEqual({ syn: true, synAck: false, ack: true });
    const m = e.ladder(0)!;
    expect(m.arrows.map((a) => [a.from, a.missing, a.label])).toEqual([
      ['client', false, '[SYN] Seq=0 Win=64240 Len=0 MSS=1460 WS=128'],
      ['server', true, '[SYN, ACK] (not captured)'],
      ['client', false, '[ACK] Seq=1 Ack=1 Win=64256 Len=0'],
      ['client', false, '[PSH, ACK] Seq=1 Ack=1 Win=64256 Len=3'],
    ]);
    const hs = m.phases[0]!;
    expect(hs.label).toBe('Three-way handshake · 250 µs (SYN-ACK not captured)');
    expect(hs.steps).toEqual([
      { label: 'SYN', arrow: 0 },
      { label: 'SYN-ACK', arrow: 1, missing: true },
      { label: 'ACK', arrow: 2 },
    ]);
  });

  it('reports who reset the connection', async () => {
    const e = await engineOf([SYN_, srv({ flags: RST | ACK, seq: 0, ack: 1001, win: 0 }, 0.0002)]);
    const [s] = e.sessions();
    expect(s!.close).toBe('rst-server');
    expect(s!.handshake).toBe('partial');
    const m = e.ladder(0)!;
    expect(m.phases.map((p) => p.label)).toEqual(['Three-way handshake (SYN-ACK, ACK not captured)', 'Reset by server']);
    expect(m.arrows[1]!.kind).toBe('rst');
  });

  it('recognises a simultaneous close', async () => {
    const e = await engineOf([
      SYN_, SYNACK, ACK3,
      cli({ flags: FIN | ACK, seq: 1001, ack: 5001 }, 0.01),
      srv({ flags: FIN | ACK, seq: 5001, ack: 1001 }, 0.0101),
      cli({ flags: ACK, seq: 1002, ack: 5002 }, 0.0102),
      srv({ flags: ACK, seq: 5002, ack: 1002 }, 0.0103),
    ]);
    const m = e.ladder(0)!;
    const t = m.phases.find((p) => p.kind === 'teardown')!;
    expect(t.label).toBe('Teardown · client closed first (simultaneous)');
    expect(t.details['Simultaneous close']).toBe('yes: both FINs crossed');
    expect(t.first).toBe(3);
    expect(t.last).toBe(6);
  });

  it('takes the client from the port when the capture starts mid-session', async () => {
    const e = await engineOf([
      srv({ flags: PSH | ACK, seq: 5000, ack: 1000, payload: 'data' }, 0),
      cli({ flags: ACK, seq: 1000, ack: 5004 }, 0.001),
    ]);
    const [s] = e.sessions();
    expect(s).toMatchObject({ clientBasis: 'port', client: { port: 53574 }, server: { port: 7001 }, handshake: 'none', close: 'open' });
  });

  it('collapses long runs of data segments into one labelled arrow that can be expanded', async () => {
    const frames = [SYN_, SYNACK, ACK3];
    for (let k = 0; k < 40; k++) frames.push(srv({ flags: ACK, seq: 5001 + k * 1000, ack: 1001, payload: new Uint8Array(1000) }, 0.01 + k * 0.001));
    frames.push(cli({ flags: FIN | ACK, seq: 1001, ack: 45001 }, 0.1));
    const e = await engineOf(frames);
    const m = e.ladder(0)!;
    const items = collapseRuns(m, 12);
    const runs = items.filter((x) => x.type === 'run');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ type: 'run', count: 40, from: 'server', to: 'client', label: '… 40 segments, 40.0 kB' });
    expect(collapseRuns(m, 12, new Set([(runs[0] as { first: number }).first])).every((x) => x.type === 'arrow')).toBe(true);
  });

  it('exports Mermaid text with participants, phases as notes and dashed missing steps', async () => {
    const e = await engineOf([SYN_, ACK3]);
    const text = toMermaid(e.ladder(0)!);
    expect(text).toContain('sequenceDiagram');
    expect(text).toContain('participant P0 as 192.168.56.1:53574');
    expect(text).toContain('Note over P0,P1: Three-way handshake');
    expect(text).toContain('P1-->>P0: [SYN, ACK] (not captured)');
    expect(text).toContain('P0->>P1: #1 0.000000 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 WS=128');
  });

  it('labels arrows without the port pair but keeps analysis prefixes', () => {
    expect(arrowLabel('53574 → 80 [SYN] Seq=0')).toBe('[SYN] Seq=0');
    expect(arrowLabel('[TCP Retransmission] 53574 → 80 [PSH, ACK] Seq=1')).toBe('[TCP Retransmission] [PSH, ACK] Seq=1');
    expect(arrowLabel('Client Hello (SNI=example.com)')).toBe('Client Hello (SNI=example.com)');
    expect(durationText(0.00019)).toBe('190 µs');
    expect(durationText(0.0123)).toBe('12.3 ms');
    expect(durationText(1.5)).toBe('1.50 s');
  });
});

describe('ladder model: TLS and HTTP phases', () => {
  it('finds a TLS 1.3 handshake with SNI, ALPN, offered and chosen versions, ending at the client Finished', async () => {
    const e = await engineOf(TLS_SCENARIOS.tls13!().frames);
    const m = e.ladder(0)!;
    const tls = m.phases.find((p) => p.kind === 'tls-handshake')!;
    expect(tls.label).toBe('TLS handshake (TLS 1.3) · 2.00 ms');
    expect(tls.details).toMatchObject({
      'Server name (SNI)': 'example.com',
      'ALPN offered': 'h2, http/1.1',
      'Versions offered': 'TLS 1.3, TLS 1.2',
      'Version chosen': 'TLS 1.3',
    });
    expect(tls.steps.map((s) => `${s.label}@${s.arrow}`)).toEqual(['Client Hello@0', 'Server Hello@1', 'Client Finished@2']);
    expect(m.arrows[0]!.kind).toBe('tls-hello');
    expect(m.arrows[0]!.label).toBe('Client Hello (SNI=example.com)');
    const [s] = e.sessions();
    expect(s).toMatchObject({ application: 'TLS', sni: 'example.com', handshake: 'none' });
  });

  it('finds a TLS 1.2 handshake ending at the later Finished', async () => {
    const e = await engineOf(TLS_SCENARIOS.tls12!().frames);
    const tls = e.ladder(0)!.phases.find((p) => p.kind === 'tls-handshake')!;
    expect(tls.label).toBe('TLS handshake (TLS 1.2) · 3.00 ms');
    expect(tls.details['Version chosen']).toBe('TLS 1.2');
    expect(tls.steps.map((s) => `${s.label}@${s.arrow}`)).toEqual([
      'Client Hello@0', 'Server Hello@1', 'Client Finished@2', 'Server Finished@3',
    ]);
  });

  it('pairs two requests of a keep-alive connection with their responses and times to first byte', async () => {
    const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: example.com\r\n\r\n`;
    const ok = (body: string) => `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const conv = new TcpConv(40000, 80).c(get('/a')).s(ok('aaaa')).c(get('/b')).s(ok('bbbbbb'));
    const e = await engineOf(conv.frames.map((data, i) => ({ data, t: [0, 0.004, 0.01, 0.0125][i]! })));
    const http = e.ladder(0)!.phases.filter((p) => p.kind === 'http');
    expect(http.map((p) => p.label)).toEqual(['HTTP GET /a → 200 OK · TTFB 4.00 ms', 'HTTP GET /b → 200 OK · TTFB 2.50 ms']);
    expect(http.map((p) => [p.first, p.last])).toEqual([[0, 1], [2, 3]]);
    expect(http[1]!.details).toMatchObject({ Request: 'GET /b', Response: '200 OK', 'Time to first byte': '2.50 ms' });
    expect(e.sessions()[0]!.application).toBe('HTTP');
  });
});

describe('ladder model: host names', () => {
  it('labels a lifeline with the name a DNS answer in the capture gave its address', async () => {
    const name = [7, ...new TextEncoder().encode('example'), 3, ...new TextEncoder().encode('com'), 0];
    const dns = Uint8Array.from([
      0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, // header: response, 1 question, 1 answer
      ...name, 0, 1, 0, 1, // example.com A IN
      0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 192, 168, 56, 103, // A 192.168.56.103
    ]);
    const e = await engineOf([
      eth(ipv4(udp({ sport: 53, dport: 40000, payload: dns }), { src: '192.168.56.2', dst: '192.168.56.1', proto: 17 })),
      { ...SYN_, t: 0.01 },
      { ...SYNACK, t: 0.0102 },
    ]);
    const m = e.ladder(0)!;
    expect(m.endpoints.map((x) => [x.label, x.host])).toEqual([
      ['192.168.56.1:53574', undefined],
      ['192.168.56.103:7001', 'example.com'],
    ]);
  });
});
