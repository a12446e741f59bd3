// Records a REAL loopback capture of connections that end badly, for the "handshake-rst" sample:
//
//   1. a normal HTTP request            curl → 127.0.0.20:8080 /          (handshake, 200, FIN)
//   2. a refused connection             curl → 127.0.0.20:8081            (SYN, RST/ACK: nothing listens)
//   3. a reset in the middle of a reply curl → 127.0.0.20:8080 /download  (headers + 4 KB of a
//                                       200 KB body, then the server aborts: RST)
//
// The server is a few lines of node:net here (it has to send a RST on purpose:
// socket.resetAndDestroy()); the client is curl; tcpdump records on lo.
//
//   npx tsx scripts/capture/resets.ts OUT.pcap
//
// Needs root (tcpdump). Listens on 127.0.0.20 only; everything is stopped before returning.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HOST = '127.0.0.20';
const PORT = 8080;
const CLOSED_PORT = 8081;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function log(msg: string): void {
  process.stderr.write(`[resets] ${msg}\n`);
}

function page(body: string): string {
  return (
    'HTTP/1.1 200 OK\r\nServer: lab-node\r\nContent-Type: text/html\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

function handle(sock: Socket): void {
  let head = '';
  sock.setEncoding('latin1');
  sock.on('data', (d: string) => {
    head += d;
    if (!head.includes('\r\n\r\n')) return;
    sock.removeAllListeners('data');
    const path = head.split(' ')[1] ?? '/';
    if (path === '/download') {
      const total = 200_000;
      sock.write(
        'HTTP/1.1 200 OK\r\nServer: lab-node\r\nContent-Type: application/octet-stream\r\n' +
          `Content-Length: ${total}\r\nConnection: close\r\n\r\n`,
      );
      sock.write('x'.repeat(4096));
      // The "application" fails half-way: abort the connection (SO_LINGER 0 → RST).
      setTimeout(() => sock.resetAndDestroy(), 30);
    } else {
      sock.end(page('<!DOCTYPE html>\n<html><body><h1>It works</h1></body></html>\n'));
    }
  });
  sock.on('error', () => {});
}

async function startTcpdump(out: string, filter: string, logFile: string): Promise<ChildProcess> {
  const { openSync } = await import('node:fs');
  const fd = openSync(logFile, 'w');
  const p = spawn('tcpdump', ['-i', 'lo', '--immediate-mode', '-w', out, '-s', '0', '-Z', 'root', filter], {
    stdio: ['ignore', 'ignore', fd],
  });
  for (let i = 0; i < 100; i++) {
    if (readFileSync(logFile, 'utf8').includes('listening on')) {
      await sleep(300);
      return p;
    }
    if (p.exitCode !== null) break;
    await sleep(100);
  }
  p.kill('SIGINT');
  throw new Error(`tcpdump did not start: ${readFileSync(logFile, 'utf8')}`);
}

async function stopTcpdump(p: ChildProcess, logFile: string): Promise<string> {
  const done = new Promise<void>((r) => p.once('exit', () => r()));
  p.kill('SIGINT');
  await done;
  return readFileSync(logFile, 'utf8');
}

/** curl as a child process (asynchronously: the server lives in this process). */
async function curl(url: string): Promise<number> {
  const p = spawn('curl', ['-sS', '-o', '/dev/null', '--max-time', '5', url], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  p.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const code: number = await new Promise((r) => p.once('close', (c) => r(c ?? -1)));
  log(`  curl ${url} → exit ${code}${err ? ` (${err.trim()})` : ''}`);
  return code;
}

/** Records the capture to `out` (classic pcap). Returns the packet count reported by tcpdump. */
export async function recordResets(out: string): Promise<number> {
  out = resolve(out);
  const dir = mkdtempSync(join(tmpdir(), 'pcap-ladder-resets-'));
  let server: Server | null = null;
  let tcpdump: ChildProcess | null = null;
  try {
    server = createServer(handle);
    await new Promise<void>((res, rej) => {
      server!.once('error', rej);
      server!.listen(PORT, HOST, () => res());
    });
    const raw = join(dir, 'raw.pcap');
    const tlog = join(dir, 'tcpdump.log');
    const filter = `host ${HOST} and (port ${PORT} or port ${CLOSED_PORT})`;
    log(`tcpdump -i lo -w ${raw} -s 0 '${filter}'`);
    tcpdump = await startTcpdump(raw, filter, tlog);

    await curl(`http://${HOST}:${PORT}/`);
    await sleep(300);
    await curl(`http://${HOST}:${CLOSED_PORT}/`);
    await sleep(300);
    await curl(`http://${HOST}:${PORT}/download`);
    // libpcap hands packets over in blocks (1 s timeout); SIGINT loses an unfinished block.
    await sleep(1500);

    const stats = await stopTcpdump(tcpdump, tlog);
    tcpdump = null;
    const captured = Number(/(\d+) packets captured/.exec(stats)?.[1] ?? NaN);
    const dropped = Number(/(\d+) packets dropped by kernel/.exec(stats)?.[1] ?? NaN);
    log(`tcpdump: ${captured} packets captured, ${dropped} dropped by kernel`);
    if (dropped !== 0) throw new Error(`tcpdump dropped ${dropped} packets`);
    renameSync(raw, out);
    log(`wrote ${out}`);
    return captured;
  } finally {
    if (tcpdump) tcpdump.kill('SIGINT');
    if (server) await new Promise<void>((r) => server!.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) {
    process.stderr.write('usage: npx tsx scripts/capture/resets.ts OUT.pcap\n');
    process.exit(1);
  }
  recordResets(out).catch((e: unknown) => {
    process.stderr.write(`resets: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
