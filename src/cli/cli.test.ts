import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writePcap } from '../capture/testing/writer.ts';
import { gzipSync } from 'node:zlib';
import { DecodedCapture } from '../analysis/decoded.ts';
import { readCaptureBuffer } from '../capture/reader.ts';
import { ACK, eth, ipv4, PSH, SYN, tcp } from '../dissect/testing/packets.ts';
import { HTTP_SCENARIOS, TLS_SCENARIOS } from '../dissect/testing/tls-scenarios.ts';
import { packetJson } from './json.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'pcap-ladder-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function file(name: string, bytes: Uint8Array | string): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

const C = { src: '192.0.2.1', dst: '192.0.2.2' };
const frames = [
  eth(ipv4(tcp({ sport: 53574, dport: 80, flags: SYN, seq: 1000, win: 64240 }), C)),
  eth(ipv4(tcp({ sport: 80, dport: 53574, flags: SYN | ACK, seq: 5000, ack: 1001, win: 65160 }), { src: C.dst, dst: C.src })),
  eth(ipv4(tcp({ sport: 53574, dport: 80, flags: ACK | PSH, seq: 1001, ack: 5001, win: 502, payload: 'GET / HTTP/1.1\r\nHost: a\r\n\r\n' }), C)),
];
const capture = writePcap(frames.map((data, i) => ({ data, tsSec: 1_700_000_000, tsNsec: i * 1_000_000 })));

describe('CLI', () => {
  it('prints one line per packet in tshark\'s layout', () => {
    const r = cli('summary', file('ok.pcap', capture));
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out.split('\n').filter(Boolean)).toEqual([
      '    1   0.000000    192.0.2.1 → 192.0.2.2    TCP 54 53574 → 80 [SYN] Seq=0 Win=64240 Len=0',
      '    2   0.001000    192.0.2.2 → 192.0.2.1    TCP 54 80 → 53574 [SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0',
      '    3   0.002000    192.0.2.1 → 192.0.2.2    HTTP 81 GET / HTTP/1.1 ',
    ]);
  });

  it('prints one JSON object per packet with the columns and the registry fields', () => {
    const r = cli('summary', file('ok.pcap', capture), '--json');
    expect(r.code).toBe(0);
    const rows = r.out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(3);
    expect(rows[2]).toMatchObject({
      number: 3, protocol: 'HTTP', info: 'GET / HTTP/1.1 ', source: '192.0.2.1', length: 81,
      'tcp.stream': 0, 'tcp.srcport': 53574, 'tcp.seq': 1, 'tcp.flags': '0x0018', 'http.request.method': 'GET', 'ip.src': '192.0.2.1',
    });
    const some = cli('summary', file('ok.pcap', capture), '--json', '--fields', 'tcp.stream,ip.dst');
    expect(JSON.parse(some.out.split('\n')[0]!)).toEqual({
      number: 1, time: '0.000000', source: '192.0.2.1', destination: '192.0.2.2', protocol: 'TCP', length: 54,
      info: '53574 → 80 [SYN] Seq=0 Win=64240 Len=0', 'ip.dst': '192.0.2.2', 'tcp.stream': 0,
    });
  });

  it('gives reassembled PDUs their fields with the capture read twice, not held in memory', () => {
    // Responses over several segments, pipelined messages, a TLS handshake split over segments:
    // their fields need the bytes of earlier frames, read again from the file.
    const pcaps = [HTTP_SCENARIOS.contentLengthSplit!(), HTTP_SCENARIOS.chunked!(), ...Object.values(TLS_SCENARIOS).slice(0, 2).map((f) => f())]
      .map((conv) => conv.pcap());
    let reassembled = 0;
    for (const [i, pcap] of pcaps.entries()) {
      // What a second look with every frame in memory gives.
      const cap = new DecodedCapture();
      readCaptureBuffer(pcap, (rec) => cap.add({ ...rec, data: rec.data.slice() }));
      const expected = cap.rows.map((row) => JSON.stringify(packetJson(row, cap.fields(row.num))));
      reassembled += expected.filter((l) => l.includes('"tcp.reassembled.length"')).length;
      const r = cli('summary', file(`pdu${i}.pcap`, pcap), '--json');
      expect(r.code).toBe(0);
      expect(r.out.split('\n').filter(Boolean)).toEqual(expected);
      // gzip: offsets are in the decompressed stream, so the records are kept instead
      const gz = cli('summary', file(`pdu${i}.pcap.gz`, gzipSync(pcap)), '--json');
      expect(gz.out.split('\n').filter(Boolean)).toEqual(expected);
    }
    expect(reassembled).toBeGreaterThanOrEqual(2);
  }, 30_000); // two CLI processes per capture

  it('says what it found and exits 2 on input that is not a capture', () => {
    const html = cli('summary', file('page.pcap', '<!DOCTYPE html><html></html>'));
    expect(html.code).toBe(2);
    expect(html.out).toBe('');
    expect(html.err).toMatch(/page\.pcap: not a pcap or pcapng file \(starts with 3c 21 44 4f\)/);
    const empty = cli('summary', file('empty.pcap', ''));
    expect(empty.code).toBe(2);
    expect(empty.err).toMatch(/empty file/);
    const garbage = cli('summary', file('garbage.bin', Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])));
    expect(garbage.code).toBe(2);
    expect(garbage.err).toMatch(/not a pcap or pcapng file \(starts with 01 02 03 04\)/);
  });

  it('prints every whole packet of a truncated file, warns on stderr and exits 0', () => {
    const r = cli('summary', file('cut.pcap', capture.subarray(0, capture.length - 10)));
    expect(r.code).toBe(0);
    expect(r.out.split('\n').filter(Boolean)).toHaveLength(2);
    expect(r.err).toMatch(/warning: .*cut short in the middle of a packet/);
  });

  it('reports a missing file with exit 1 and usage errors with exit 1', () => {
    expect(cli('summary', join(dir, 'nope.pcap')).code).toBe(1);
    const u = cli('frobnicate');
    expect(u.code).toBe(1);
    expect(u.err).toMatch(/usage: pcap-ladder summary FILE/);
  });
});

describe('npm run cli (the bundled CLI, scripts/cli.mjs)', () => {
  it('prints what the sources print, and exits 2 with the message for a non-capture', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'scripts/cli.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });
    const ok = file('bundled.pcap', capture);
    const r = run('summary', ok);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(cli('summary', ok).out);
    const bad = run('summary', file('bundled.html', '<!DOCTYPE html><html></html>'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('not a pcap or pcapng file (starts with 3c 21 44 4f)');
  });
});
