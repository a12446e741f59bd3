import { describe, expect, it } from 'vitest';
import { writePcap } from '../../capture/testing/writer.ts';
import { CaptureEngine } from '../../worker/engine.ts';
import { TcpTalk } from '../ladder/testing/talk.ts';
import { addrKey, COLUMNS, compareEndpoints, hostsOf, matchesFilter, sortSessions, streamsOfHost } from './columns.ts';

async function sessionsOf(talks: TcpTalk[]) {
  const packets = talks.flatMap((t) => t.packets).sort((a, b) => a.tsSec! - b.tsSec! || a.tsNsec! - b.tsNsec!);
  const bytes = writePcap(packets);
  const e = new CaptureEngine();
  async function* one() {
    yield bytes;
  }
  await e.load({ name: 't.pcap', totalBytes: bytes.length, chunks: one() });
  return e.sessions();
}

const T0 = 1_700_000_000;

async function sample() {
  const a = new TcpTalk({ client: ['192.168.56.1', 50246], server: ['192.168.56.103', 80], t0: T0 });
  a.handshake().data(true, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n').data(false, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n').close();
  const b = new TcpTalk({ client: ['192.168.56.103', 39906], server: ['192.168.56.104', 8080], t0: T0 + 0.0021 });
  b.handshake().data(true, 'x'.repeat(500)).close(false);
  const c = new TcpTalk({ client: ['192.168.56.1', 50300], server: ['192.168.56.103', 81], t0: T0 + 0.5 });
  c.syn().rst(false);
  return sessionsOf([a, b, c]);
}

describe('sessions columns', () => {
  it('shows each column as text', async () => {
    const s = await sample();
    const text = (id: string, k: number) => COLUMNS.find((c) => c.id === id)!.text(s[k]!);
    expect(text('client', 0)).toBe('192.168.56.1:50246');
    expect(text('server', 1)).toBe('192.168.56.104:8080');
    expect(text('handshake', 0)).toBe('complete');
    expect(text('handshake', 2)).toBe('partial (SYN-ACK, ACK not captured)');
    expect(text('close', 0)).toBe('FIN both ways');
    expect(text('close', 2)).toBe('RST by server');
    expect(text('start', 0)).toBe('0.000000');
    expect(text('start', 2)).toBe('0.500000');
    expect(text('app', 0)).toBe('HTTP');
  });

  it('sorts by every column, ties in stream order', async () => {
    const s = await sample();
    for (const c of COLUMNS) {
      const asc = sortSessions(s, { column: c.id, desc: false });
      const desc = sortSessions(s, { column: c.id, desc: true });
      expect(asc).toHaveLength(3);
      for (let i = 1; i < asc.length; i++) expect(c.compare(asc[i - 1]!, asc[i]!)).toBeLessThanOrEqual(0);
      for (let i = 1; i < desc.length; i++) expect(c.compare(desc[i - 1]!, desc[i]!)).toBeGreaterThanOrEqual(0);
    }
    expect(sortSessions(s, { column: 'bytesIn', desc: true }).map((x) => x.stream)[0]).toBe(0);
    expect(sortSessions(s, null).map((x) => x.stream)).toEqual([0, 1, 2]);
  });

  it('orders addresses numerically', () => {
    expect(compareEndpoints({ addr: '10.0.0.9', port: 1 }, { addr: '10.0.0.10', port: 1 })).toBeLessThan(0);
    expect(compareEndpoints({ addr: '10.0.0.9', port: 80 }, { addr: '10.0.0.9', port: 443 })).toBeLessThan(0);
    expect(addrKey('2001:db8::1') < addrKey('2001:db8::2')).toBe(true);
    expect(addrKey('2001:db8::1')).toBe('6' + '20010db8000000000000000000000001');
    expect(addrKey('1.2.3.4') < addrKey('::1')).toBe(true);
  });

  it('selects the sessions of a host and filters by words', async () => {
    const s = await sample();
    expect(hostsOf(s)).toEqual([
      { addr: '192.168.56.1', sessions: 2 },
      { addr: '192.168.56.103', sessions: 3 },
      { addr: '192.168.56.104', sessions: 1 },
    ]);
    expect(streamsOfHost(s, '192.168.56.103')).toEqual([0, 1, 2]);
    expect(streamsOfHost(s, '192.168.56.104')).toEqual([1]);
    expect(s.filter((x) => matchesFilter(x, 'rst')).map((x) => x.stream)).toEqual([2]);
    expect(s.filter((x) => matchesFilter(x, '8080 complete')).map((x) => x.stream)).toEqual([1]);
    expect(s.filter((x) => matchesFilter(x, '#1')).map((x) => x.stream)).toEqual([1]);
    expect(s.filter((x) => matchesFilter(x, '')).length).toBe(3);
  });
});
