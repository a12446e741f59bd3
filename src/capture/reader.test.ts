import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { blobChunks } from './blob-chunks.ts';
import { linkTypeName, LINKTYPE } from './linktypes.ts';
import { fileChunks } from './node-file.ts';
import { CaptureReader, readCapture, readCaptureBuffer } from './reader.ts';
import { asyncChunks, plain } from './testing/feed.ts';
import { concatBytes, fakePacket, writePcap, writePcapng } from './testing/writer.ts';
import type { TestPacket } from './testing/writer.ts';
import { timestampPrecision, tshark40Precision, tsharkEpoch } from './time.ts';
import { CaptureFormatError } from './types.ts';
import type { PacketRecord } from './types.ts';

const PACKETS: TestPacket[] = Array.from({ length: 50 }, (_, i) => ({
  data: fakePacket(20 + i * 13, i),
  tsSec: 1600000000 + i,
  tsNsec: i * 7000,
}));
const PCAP = writePcap(PACKETS);
const PCAPNG = writePcapng([
  { type: 'shb' },
  { type: 'idb', tsresol: 9 },
  ...PACKETS.map((p) => ({ type: 'epb' as const, data: p.data, tsSec: p.tsSec, tsNsec: p.tsNsec, comment: `#${p.tsSec}` })),
]);

function expected(buf: Uint8Array) {
  const recs: PacketRecord[] = [];
  const meta = readCaptureBuffer(buf, (r) => recs.push(r));
  return { recs: recs.map(plain), meta };
}

const tmp = mkdtempSync(path.join(tmpdir(), 'capture-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('CaptureReader', () => {
  it('delivers one record object of a stable shape per packet', () => {
    const recs: PacketRecord[] = [];
    readCaptureBuffer(PCAP, (r) => recs.push(r));
    const keys = Object.keys(recs[0]!);
    expect(keys).toEqual(['data', 'origLen', 'tsSec', 'tsNsec', 'hasTs', 'tsPrecision', 'linkType', 'interfaceId', 'fileOffset', 'comments', 'epbFlags', 'dropCount']);
    const ng: PacketRecord[] = [];
    readCaptureBuffer(PCAPNG, (r) => ng.push(r));
    expect(Object.keys(ng[0]!)).toEqual(keys);
  });

  it('ignores empty chunks, counts bytes, and is finished by end()', () => {
    const recs: PacketRecord[] = [];
    const reader = new CaptureReader((r) => recs.push(r));
    reader.push(new Uint8Array(0));
    reader.push(PCAP.slice(0, 3));
    reader.push(new Uint8Array(0));
    reader.push(PCAP.slice(3));
    const meta = reader.end();
    expect(meta.bytesRead).toBe(PCAP.length);
    expect(recs).toHaveLength(50);
    expect(reader.end()).toBe(meta); // idempotent
    expect(() => reader.push(PCAP)).toThrow('CaptureReader.push() after end()');
  });

  it('lets exceptions from the callback through', () => {
    const reader = new CaptureReader(() => {
      throw new Error('consumer failed');
    });
    expect(() => reader.push(PCAP)).toThrow('consumer failed');
  });

  it('ignores the rest of the input after a fatal error', () => {
    const bad = concatBytes([writePcap(PACKETS.slice(0, 2)), Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0)]);
    const recs: PacketRecord[] = [];
    const reader = new CaptureReader((r) => recs.push(r));
    reader.push(bad);
    expect(reader.stopped).toBe(true);
    reader.push(PCAP);
    expect(reader.end().error?.offset).toBe(bad.length - 16);
    expect(recs).toHaveLength(2);
  });

  it('throws CaptureFormatError on garbage from push(), not later', () => {
    const reader = new CaptureReader(() => {});
    expect(() => reader.push(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n'))).toThrow(CaptureFormatError);
  });
});

describe('readCapture', () => {
  it('reads plain pcap and pcapng from any chunking', async () => {
    for (const buf of [PCAP, PCAPNG]) {
      const want = expected(buf);
      for (const size of [1, 2, 3, 64, 1000, 1 << 22]) {
        const recs: PacketRecord[] = [];
        const meta = await readCapture(asyncChunks(buf, size), (r) => recs.push(r));
        expect(recs.map(plain), `chunk ${size}`).toEqual(want.recs);
        expect(meta).toEqual(want.meta);
      }
    }
  });

  it('reads files with fileChunks, plain and gzipped', async () => {
    const file = path.join(tmp, 'x.pcapng');
    writeFileSync(file, PCAPNG);
    writeFileSync(`${file}.gz`, gzipSync(PCAPNG));
    writeFileSync(path.join(tmp, 'empty.pcap'), new Uint8Array(0));
    const want = expected(PCAPNG).recs;
    for (const [f, size] of [
      [file, 100],
      [file, 4 << 20],
      [`${file}.gz`, 64],
    ] as const) {
      const recs: PacketRecord[] = [];
      const meta = await readCapture(fileChunks(f, size), (r) => recs.push(r));
      expect(recs.map(plain)).toEqual(want);
      expect(meta.compressed).toBe(f.endsWith('.gz'));
    }
    await expect(readCapture(fileChunks(path.join(tmp, 'empty.pcap')), () => {})).rejects.toThrow(new CaptureFormatError('empty file (0 bytes)'));
    await expect(readCapture(fileChunks(path.join(tmp, 'missing.pcap')), () => {})).rejects.toThrow(/ENOENT/);
  });

  it('reads files through two reused buffers (fileChunks reuse), plain and gzipped', async () => {
    const file = path.join(tmp, 'r.pcapng');
    writeFileSync(file, PCAPNG);
    writeFileSync(`${file}.gz`, gzipSync(PCAPNG));
    const want = expected(PCAPNG).recs;
    for (const [f, size] of [
      [file, 100],
      [file, 1],
      [`${file}.gz`, 64],
    ] as const) {
      const recs: ReturnType<typeof plain>[] = [];
      const buffers = new Set<ArrayBufferLike>();
      // Each record is used at once, as the app and the CLI do: its bytes are gone with the next slice.
      await readCapture(
        (async function* () {
          for await (const c of fileChunks(f, size, { reuse: true })) {
            buffers.add(c.buffer);
            yield c;
          }
        })(),
        (r) => recs.push(plain(r)),
      );
      expect(recs).toEqual(want);
      expect(buffers.size).toBeLessThanOrEqual(2);
    }
  });

  it('reads Blobs with blobChunks', async () => {
    const recs: PacketRecord[] = [];
    await readCapture(blobChunks(new Blob([PCAP as Uint8Array<ArrayBuffer>]), 1000), (r) => recs.push(r));
    expect(recs.map(plain)).toEqual(expected(PCAP).recs);
  });

  it('stops pulling chunks after a fatal error and closes the source', async () => {
    const bad = concatBytes([writePcap(PACKETS.slice(0, 2)), Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0), new Uint8Array(100000)]);
    let pulled = 0;
    let closed = false;
    async function* source() {
      try {
        for (let i = 0; i < bad.length; i += 1000) {
          pulled++;
          yield bad.slice(i, i + 1000);
        }
      } finally {
        closed = true;
      }
    }
    const meta = await readCapture(source(), () => {});
    expect(meta.error).toBeDefined();
    expect(pulled).toBeLessThan(5);
    expect(closed).toBe(true);
  });

  it('rejects with the CaptureFormatError message of the sync reader', async () => {
    const html = new TextEncoder().encode('<!DOCTYPE html><p>hi</p>');
    await expect(readCapture(asyncChunks(html, 1), () => {})).rejects.toThrow(
      new CaptureFormatError('not a pcap or pcapng file (starts with 3c 21 44 4f) — looks like HTML'),
    );
    async function* nothing(): AsyncGenerator<Uint8Array> {}
    await expect(readCapture(nothing(), () => {})).rejects.toThrow(new CaptureFormatError('empty file (0 bytes)'));
  });
});

describe('helpers', () => {
  it('names link types', () => {
    expect(linkTypeName(1)).toBe('ETHERNET');
    expect(linkTypeName(LINKTYPE.LINUX_SLL2)).toBe('LINUX_SLL2');
    expect(linkTypeName(228)).toBe('IPV4');
    expect(linkTypeName(4242)).toBe('LINKTYPE_4242');
  });

  it('computes timestamp precision like Wireshark', () => {
    expect([1n, 10n, 100n, 1000n, 10000n, 1000000n, 10n ** 9n, 10n ** 12n, 256n, 1024n, 1n << 20n, 1n << 30n].map(timestampPrecision)).toEqual([
      0, 1, 2, 3, 4, 6, 9, 9, 2, 3, 6, 9,
    ]);
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(tshark40Precision)).toEqual([0, 1, 2, 3, 3, 3, 6, 6, 6, 9]);
  });

  it('formats frame.time_epoch like tshark 4.0, quirks included', () => {
    expect(tsharkEpoch(1418145369, 999999999)).toBe('1418145369.999999999');
    expect(tsharkEpoch(1418145370, 1000000000)).toBe('1418145370.1000000000');
    expect(tsharkEpoch(1418145370, 2147483648)).toBe('-1418145370.2147483648'); // int32 wrap
    expect(tsharkEpoch(1418145370, 2147483648000)).toBe('1418145370.000000000'); // µs*1000 mod 2^32
    expect(tsharkEpoch(-5, 1000)).toBe('-5.000001000');
    expect(tsharkEpoch(0, 0, false)).toBe('');
  });
});
