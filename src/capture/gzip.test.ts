import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzip } from './gzip.ts';
import { readCapture, readCaptureBuffer } from './reader.ts';
import { asyncChunks, plain } from './testing/feed.ts';
import { concatBytes, fakePacket, writePcap, writeSimplePcapng } from './testing/writer.ts';
import type { TestPacket } from './testing/writer.ts';
import { CaptureFormatError } from './types.ts';
import type { PacketRecord } from './types.ts';

const PACKETS: TestPacket[] = Array.from({ length: 300 }, (_, i) => ({
  data: fakePacket(40 + ((i * 37) % 1400), i + 1),
  tsSec: 1700000000 + i,
  tsNsec: i * 1000,
}));

async function compress(buf: Uint8Array): Promise<Uint8Array> {
  // The standard CompressionStream, as a browser would have it.
  const stream = new Blob([buf as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function readGz(gz: Uint8Array, chunk = 1000) {
  const recs: PacketRecord[] = [];
  const meta = await readCapture(asyncChunks(gz, chunk), (r) => recs.push(r));
  return { recs, meta };
}

describe('gzip-compressed captures', () => {
  for (const [name, make] of [
    ['pcap', () => writePcap(PACKETS)],
    ['pcap ns big-endian', () => writePcap(PACKETS, { nanos: true, bigEndian: true })],
    ['pcapng', () => writeSimplePcapng(PACKETS, { tsresol: 9 })],
  ] as const) {
    it(`reads a gzipped ${name} (CompressionStream and zlib) like the plain file`, async () => {
      const raw = make();
      const expected = (() => {
        const recs: PacketRecord[] = [];
        const meta = readCaptureBuffer(raw, (r) => recs.push(r));
        return { recs: recs.map(plain), meta };
      })();
      for (const gz of [await compress(raw), gzipSync(raw)]) {
        for (const chunk of [1, 333, 1 << 20]) {
          if (chunk === 1 && gz.length > 50000) continue;
          const { recs, meta } = await readGz(gz, chunk);
          expect(recs.map(plain)).toEqual(expected.recs);
          expect(meta.compressed).toBe(true);
          expect(meta.format).toBe(expected.meta.format);
          expect(meta.bytesRead).toBe(raw.length);
          expect(meta.error).toBeUndefined();
          expect(meta.warnings).toEqual([]);
        }
      }
    });
  }

  it('reads multi-member gzip files', async () => {
    const raw = writePcap(PACKETS);
    const cut = 5000;
    const gz = concatBytes([gzipSync(raw.subarray(0, cut)), gzipSync(raw.subarray(cut))]);
    const { recs, meta } = await readGz(gz, 777);
    expect(recs).toHaveLength(PACKETS.length);
    expect(meta.error).toBeUndefined();
  });

  it('keeps the packets before a truncated gzip stream and reports it', async () => {
    const raw = writePcap(PACKETS);
    const gz = gzipSync(raw);
    const { recs, meta } = await readGz(gz.subarray(0, Math.floor(gz.length * 0.6)), 500);
    expect(recs.length).toBeGreaterThan(50);
    expect(recs.length).toBeLessThan(PACKETS.length);
    recs.forEach((r, i) => expect(r.data).toEqual(PACKETS[i]!.data));
    expect(meta.compressed).toBe(true);
    expect(meta.error?.message).toMatch(/^the gzip data is truncated or corrupt \(.+\); reading stopped after \d+ decompressed bytes$/);
    expect(meta.error?.offset).toBe(meta.bytesRead);
  });

  it('keeps the packets before corrupt gzip data and reports it', async () => {
    const raw = writePcap(PACKETS);
    const gz = gzipSync(raw);
    const bad = gz.slice();
    for (let i = Math.floor(gz.length / 2); i < gz.length / 2 + 64; i++) bad[i] ^= 0x5a;
    const { recs, meta } = await readGz(bad);
    // Deflate may turn the damage into garbage bytes before zlib notices (at the latest at the
    // CRC check), so only the packets well before the damaged region are guaranteed intact.
    expect(recs.length).toBeGreaterThan(20);
    recs.slice(0, 20).forEach((r, i) => expect(r.data).toEqual(PACKETS[i]!.data));
    expect(meta.error ?? meta.warnings[0]).toBeDefined();
  });

  it('throws CaptureFormatError for gzip data that is not a capture or cannot be decompressed', async () => {
    const html = gzipSync(new TextEncoder().encode('<!DOCTYPE html><html><body>nope</body></html>'));
    await expect(readGz(html)).rejects.toThrow(
      new CaptureFormatError('gzip-compressed file, but inside it: not a pcap or pcapng file (starts with 3c 21 44 4f) — looks like HTML'),
    );
    await expect(readGz(Uint8Array.of(0x1f, 0x8b))).rejects.toThrow(/^gzip-compressed file that cannot be decompressed \(/);
    await expect(readGz(gzipSync(new Uint8Array(0)))).rejects.toThrow(new CaptureFormatError('gzip-compressed file, but inside it: empty file (0 bytes)'));
  });

  it('is refused by the synchronous reader with a pointer to readCapture', () => {
    expect(() => readCaptureBuffer(gzipSync(writePcap(PACKETS)), () => {})).toThrow(
      new CaptureFormatError('gzip-compressed data: CaptureReader takes uncompressed input; use readCapture() to decompress it'),
    );
  });

  it('stops pulling input once the capture inside is known to be broken', async () => {
    const raw = concatBytes([writePcap(PACKETS.slice(0, 3)), Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0), fakePacket(2_000_000, 99)]);
    const gz = gzipSync(raw);
    let pulled = 0;
    let closed = false;
    async function* source() {
      try {
        for (let i = 0; i < gz.length; i += 100) {
          pulled++;
          yield gz.slice(i, i + 100);
        }
      } finally {
        closed = true;
      }
    }
    const recs: PacketRecord[] = [];
    const meta = await readCapture(source(), (r) => recs.push(r));
    expect(recs).toHaveLength(3);
    expect(meta.error?.message).toMatch(/claims 4294967295 bytes/);
    expect(pulled).toBeLessThan(Math.ceil(gz.length / 100));
    expect(closed).toBe(true);
  });

  it('passes input errors through', async () => {
    async function* failing() {
      yield gzipSync(writePcap(PACKETS)).subarray(0, 2000);
      throw new Error('disk on fire');
    }
    await expect(readCapture(failing(), () => {})).rejects.toThrow('disk on fire');
    const out: Uint8Array[] = [];
    await expect(gunzip(failing(), (c) => (out.push(c), true))).rejects.toThrow('disk on fire');
  });
});
