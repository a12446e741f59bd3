// Capture reader benchmark: our reader vs the npm pcap-parser over the same classic pcap.
//
//   npx tsx bench/reader.ts            two synthetic 1M-packet pcaps built in memory
//                                      (mixed frame sizes, and small 60-byte frames)
//   npx tsx bench/reader.ts FILE       any capture (pcap-parser only runs on classic µs pcap)
//
// Prints records/s and MB/s (MB = 10^6 bytes of capture file) for
//   - ours over the whole buffer (readCaptureBuffer, sync),
//   - ours and pcap-parser fed the same 4 MiB chunks from memory,
//   - ours (readCapture + fileChunks) and pcap-parser (its own fs stream) reading the file
//     from disk (page cache),
//   - ours on the same packets as pcapng (EPBs), and gzip-compressed.
// Best of several runs after a warm-up. Note: with large frames the in-memory loop is bound by
// memory latency (each record's length must be read before the next header can be found), not
// by CPU; freshly read file chunks are still in the CPU cache, which is why the file path can
// beat the in-memory one.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { fileChunks } from '../src/capture/node-file.ts';
import { CaptureReader, readCapture, readCaptureBuffer } from '../src/capture/reader.ts';
import { fakePacket, writePcap, writeSimplePcapng } from '../src/capture/testing/writer.ts';
import type { TestPacket } from '../src/capture/testing/writer.ts';
import type { PacketRecord } from '../src/capture/types.ts';

const CHUNK = 4 << 20;
const RUNS = 5;

function syntheticPackets(count: number, sizes: number[]): TestPacket[] {
  const bodies = sizes.map((n, i) => fakePacket(n, i + 1));
  const packets: TestPacket[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const k = (i * 7 + (i >>> 3)) % sizes.length;
    packets[i] = { data: bodies[k]!, tsSec: 1700000000 + Math.floor(i / 1000), tsNsec: (i % 1000) * 1000000 };
  }
  return packets;
}

interface Sample {
  ms: number;
  records: number;
}

async function best(name: string, bytes: number, run: () => Promise<Sample> | Sample): Promise<void> {
  await run(); // warm-up (JIT)
  let bestMs = Infinity;
  let records = 0;
  for (let i = 0; i < RUNS; i++) {
    const s = await run();
    if (s.ms < bestMs) bestMs = s.ms;
    records = s.records;
  }
  const secs = bestMs / 1000;
  console.log(
    `  ${name.padEnd(40)} ${(records / secs / 1e6).toFixed(2).padStart(7)} M records/s ${(bytes / secs / 1e6).toFixed(0).padStart(6)} MB/s  (${bestMs.toFixed(0)} ms)`,
  );
}

function chunksOf(buf: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < buf.length; i += CHUNK) out.push(buf.subarray(i, i + CHUNK));
  return out;
}

const require = createRequire(import.meta.url);
const pcapParser = require('pcap-parser') as {
  parse(input: Readable | string): { on(ev: string, f: (...a: any[]) => void): void };
};

function runPcapParser(input: () => Readable | string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    let records = 0;
    let sum = 0;
    const t0 = performance.now();
    const parser = pcapParser.parse(input());
    parser.on('packet', (p: { data: Buffer; header: { originalLength: number } }) => {
      records++;
      sum += p.data.length + p.header.originalLength;
    });
    parser.on('error', reject);
    parser.on('end', () => {
      if (sum < 0) console.log(sum);
      resolve({ ms: performance.now() - t0, records });
    });
  });
}

function consumer() {
  let records = 0;
  let sum = 0;
  const cb = (r: PacketRecord) => {
    records++;
    sum += r.data.length + r.origLen + r.tsNsec;
  };
  return { cb, done: () => (sum < 0 ? -1 : records) };
}

async function benchFile(label: string, buf: Uint8Array, tmp: string, withPcapng?: TestPacket[]): Promise<void> {
  console.log(`\n${label}: ${(buf.length / 1e6).toFixed(1)} MB`);
  await best('ours: whole buffer (sync)', buf.length, () => {
    const c = consumer();
    const t0 = performance.now();
    readCaptureBuffer(buf, c.cb);
    return { ms: performance.now() - t0, records: c.done() };
  });

  const chunks = chunksOf(buf);
  await best('ours: 4 MiB chunks from memory', buf.length, () => {
    const c = consumer();
    const t0 = performance.now();
    const reader = new CaptureReader(c.cb);
    for (const ch of chunks) reader.push(ch);
    reader.end();
    return { ms: performance.now() - t0, records: c.done() };
  });

  const magic = Buffer.from(buf.subarray(0, 4)).toString('hex');
  const classic = magic === 'd4c3b2a1' || magic === 'a1b2c3d4';
  if (classic) {
    const bufs = chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength));
    await best('pcap-parser: 4 MiB chunks from memory', buf.length, () => runPcapParser(() => Readable.from(bufs)));
  }

  const file = path.join(tmp, 'bench.cap');
  writeFileSync(file, buf);
  await best('ours: from file (fileChunks, 4 MiB)', buf.length, async () => {
    const c = consumer();
    const t0 = performance.now();
    await readCapture(fileChunks(file), c.cb);
    return { ms: performance.now() - t0, records: c.done() };
  });
  if (classic) await best('pcap-parser: from file (its fs stream)', buf.length, () => runPcapParser(() => file));
  else console.log('  pcap-parser: skipped (it reads classic µs pcap only)');

  if (withPcapng) {
    const ng = writeSimplePcapng(withPcapng);
    await best(`ours: same packets as pcapng (${(ng.length / 1e6).toFixed(0)} MB)`, ng.length, () => {
      const c = consumer();
      const t0 = performance.now();
      readCaptureBuffer(ng, c.cb);
      return { ms: performance.now() - t0, records: c.done() };
    });
  }

  const gz = gzipSync(buf, { level: 6 });
  const gzChunks = chunksOf(gz);
  await best(`ours: gzip (${(gz.length / 1e6).toFixed(1)} MB compressed), memory`, buf.length, async () => {
    const c = consumer();
    const t0 = performance.now();
    async function* src() {
      yield* gzChunks;
    }
    await readCapture(src(), c.cb);
    return { ms: performance.now() - t0, records: c.done() };
  });
}

async function main(): Promise<void> {
  console.log(`node ${process.version}; ${RUNS} runs after a warm-up, best shown`);
  const tmp = mkdtempSync(path.join(tmpdir(), 'pcap-bench-'));
  try {
    const file = process.argv[2];
    if (file) {
      await benchFile(file, new Uint8Array(readFileSync(file)), tmp);
      return;
    }
    const mixed = syntheticPackets(1_000_000, [54, 60, 66, 74, 98, 154, 590, 1514]);
    await benchFile('synthetic pcap, 1M packets of mixed size (54–1514 B, avg 326 B)', writePcap(mixed), tmp, mixed);
    const small = syntheticPackets(1_000_000, [60]);
    await benchFile('synthetic pcap, 1M packets of 60 B', writePcap(small), tmp, small);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
