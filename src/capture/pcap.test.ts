import { describe, expect, it } from 'vitest';
import { CaptureReader, readCaptureBuffer } from './reader.ts';
import { plain, randomSizes, readChunked, readSplit } from './testing/feed.ts';
import { fakePacket, writePcap } from './testing/writer.ts';
import type { TestPacket } from './testing/writer.ts';
import type { PacketRecord } from './types.ts';

const PACKETS: TestPacket[] = [
  { data: fakePacket(60, 1), tsSec: 1700000000, tsNsec: 123456000 },
  { data: fakePacket(1514, 2), tsSec: 1700000001, tsNsec: 999999000, origLen: 1514 },
  { data: fakePacket(0, 3), tsSec: 1700000002, tsNsec: 0, origLen: 0 },
  { data: fakePacket(68, 4), tsSec: 4294967295, tsNsec: 1000, origLen: 9000 }, // snapped, max u32 sec
  { data: fakePacket(7, 5), tsSec: 0, tsNsec: 5000 },
];

function readAll(buf: Uint8Array) {
  const recs: PacketRecord[] = [];
  const meta = readCaptureBuffer(buf, (r) => recs.push(r));
  return { recs, meta };
}

describe('classic pcap', () => {
  for (const bigEndian of [false, true]) {
    for (const nanos of [false, true]) {
      it(`reads ${bigEndian ? 'big' : 'little'}-endian ${nanos ? 'ns' : 'µs'} files`, () => {
        const pk = nanos ? PACKETS.map((p, i) => ({ ...p, tsNsec: (p.tsNsec ?? 0) + i })) : PACKETS;
        const buf = writePcap(pk, { linkType: 113, nanos, bigEndian, snapLen: 65535 });
        const { recs, meta } = readAll(buf);
        expect(meta.format).toBe(nanos ? 'pcap-ns' : 'pcap');
        expect(meta.bigEndian).toBe(bigEndian);
        expect([meta.versionMajor, meta.versionMinor]).toEqual([2, 4]);
        expect(meta.packetCount).toBe(pk.length);
        expect(meta.bytesRead).toBe(buf.length);
        expect(meta.warnings).toEqual([]);
        expect(meta.error).toBeUndefined();
        expect(meta.interfaces).toEqual([
          {
            linkType: 113,
            snapLen: 65535,
            tsUnitsPerSec: nanos ? 1000000000n : 1000000n,
            tsOffsetSec: 0n,
            tsPrecision: nanos ? 9 : 6,
            sectionIndex: 0,
            linkTypeRaw: 113,
            fcsLen: undefined,
          },
        ]);
        let offset = 24;
        recs.forEach((r, i) => {
          const p = pk[i]!;
          expect(r.data).toEqual(p.data);
          expect(r.origLen).toBe(p.origLen ?? p.data.length);
          expect(r.tsSec).toBe(p.tsSec);
          expect(r.tsNsec).toBe(p.tsNsec);
          expect(r.hasTs).toBe(true);
          expect(r.tsPrecision).toBe(nanos ? 9 : 6);
          expect(r.linkType).toBe(113);
          expect(r.interfaceId).toBe(0);
          expect(r.fileOffset).toBe(offset + 16);
          // Zero-copy: a view into the input.
          expect(r.data.buffer).toBe(buf.buffer);
          expect(r.data.byteOffset).toBe(offset + 16);
          offset += 16 + p.data.length;
        });
      });
    }
  }

  it('reads a header-only file as empty', () => {
    const { recs, meta } = readAll(writePcap([]));
    expect(recs).toEqual([]);
    expect(meta.packetCount).toBe(0);
    expect(meta.warnings).toEqual([]);
    expect(meta.interfaces).toHaveLength(1);
  });

  it('masks the FCS bits of the link type (tag linktype-fcs-bits)', () => {
    const a = readAll(writePcap([{ data: fakePacket(20) }], { linkType: 0x30000001 }));
    expect(a.recs[0]!.linkType).toBe(1);
    expect(a.meta.interfaces[0]!.linkTypeRaw).toBe(0x30000001);
    expect(a.meta.interfaces[0]!.fcsLen).toBeUndefined(); // P bit clear: FCS length unknown
    // P bit (0x04000000) set, FCS len 2 (16-bit words) → 4 bytes.
    const b = readAll(writePcap([{ data: fakePacket(20) }], { linkType: 0x24000001 }));
    expect(b.recs[0]!.linkType).toBe(1);
    expect(b.meta.interfaces[0]!.fcsLen).toBe(4);
  });

  it('keeps caplen > snaplen and caplen > origLen as the file says', () => {
    const { recs, meta } = readAll(
      writePcap([{ data: fakePacket(100), origLen: 40 }, { data: fakePacket(262144), origLen: 262144 }], { snapLen: 31 }),
    );
    expect(meta.error).toBeUndefined();
    expect(recs.map((r) => [r.data.length, r.origLen])).toEqual([
      [100, 40],
      [262144, 262144],
    ]);
  });

  it('keeps out-of-range fractions (µs ≥ 10^6) as they are', () => {
    const { recs } = readAll(writePcap([{ data: fakePacket(10), tsSec: 5 }], { rawFraction: [1000000] }));
    expect([recs[0]!.tsSec, recs[0]!.tsNsec]).toEqual([5, 1000000000]);
  });

  it('wraps a fraction past 2^31 ns through a 32-bit int, as tshark reads it', () => {
    // 2^31 µs × 1000 ≡ 0 (mod 2^32): tshark shows .000000000; 3 s in µs gives a negative int.
    const { recs } = readAll(writePcap([{ data: fakePacket(10), tsSec: 5 }, { data: fakePacket(10), tsSec: 5 }], { rawFraction: [2147483648, 3000000] }));
    expect(recs.map((r) => r.tsNsec)).toEqual([0, -1294967296]);
  });

  it('stops at an absurd record length, keeping earlier packets', () => {
    const good = writePcap(PACKETS.slice(0, 2));
    const bad = writePcap([...PACKETS.slice(0, 2), { data: fakePacket(10), capLen: 262145 }, PACKETS[0]!]);
    const { recs, meta } = readAll(bad);
    expect(recs).toHaveLength(2);
    expect(meta.packetCount).toBe(2);
    expect(meta.error).toEqual({
      offset: good.length,
      message: `record at offset ${good.length} claims 262145 bytes (more than 262144) — the capture file appears to be damaged or corrupt; the rest of the file cannot be read`,
    });
    // Same when the bad header straddles chunks, and without allocating what it claims.
    for (let at = good.length; at < good.length + 16; at++) {
      const r = readSplit(bad, at);
      expect(r.recs).toHaveLength(2);
      expect(r.meta.error?.offset).toBe(good.length);
    }
    const huge = writePcap([PACKETS[0]!, { data: fakePacket(4), capLen: 0xffffffff }]);
    expect(readAll(huge).meta.error?.message).toMatch(/claims 4294967295 bytes/);
  });

  it('warns about a truncated last record (header or data cut), keeping every whole packet', () => {
    const full = writePcap(PACKETS);
    const lastStart = full.length - 16 - PACKETS[4]!.data.length;
    for (const cut of [1, 5, 15, 16, 17, 22]) {
      const buf = full.slice(0, lastStart + cut);
      for (const result of [readAll(buf), readChunked(buf, 3)]) {
        expect(result.recs).toHaveLength(4);
        expect(result.meta.error).toBeUndefined();
        expect(result.meta.warnings).toHaveLength(1);
        const w = result.meta.warnings[0]!;
        expect(w.offset).toBe(lastStart);
        expect(w.message).toMatch(
          new RegExp(`^the capture file appears to have been cut short in the middle of a packet \\(the record at offset ${lastStart} is incomplete: only `),
        );
        expect(w.message).toContain(cut < 16 ? `${cut} of its 16 header bytes` : `${cut - 16} of its 7 data bytes`);
      }
    }
  });

  it('swaps caplen and len in pre-2.3 files like libpcap', () => {
    // Version 2.0 files have the two length fields the other way round.
    const buf = writePcap([{ data: fakePacket(10), capLen: 1500, origLen: 10 }], { versionMajor: 2, versionMinor: 0 });
    const { recs } = readAll(buf);
    expect([recs[0]!.data.length, recs[0]!.origLen]).toEqual([10, 1500]);
    // 2.3: swapped only when "caplen" > "len".
    const b23 = writePcap(
      [
        { data: fakePacket(10), capLen: 1500, origLen: 10 },
        { data: fakePacket(8), capLen: 8, origLen: 60 },
      ],
      { versionMajor: 2, versionMinor: 3 },
    );
    expect(readAll(b23).recs.map((r) => [r.data.length, r.origLen])).toEqual([
      [10, 1500],
      [8, 60],
    ]);
  });

  it('handles records split across chunks at every byte boundary', () => {
    for (const bigEndian of [false, true]) {
      const buf = writePcap(PACKETS, { bigEndian, nanos: bigEndian });
      const expected = readAll(buf).recs.map(plain);
      for (let at = 1; at < buf.length; at++) {
        expect(readSplit(buf, at).recs.map(plain), `split at ${at}`).toEqual(expected);
      }
      expect(readChunked(buf, 1).recs.map(plain)).toEqual(expected);
      for (let seed = 1; seed <= 20; seed++) {
        expect(readChunked(buf, randomSizes(64, 200, seed)).recs.map(plain), `seed ${seed}`).toEqual(expected);
      }
    }
  });

  it('copies only the records that straddle chunks', () => {
    const buf = writePcap(PACKETS);
    const chunkA = buf.slice(0, 110);
    const chunkB = buf.slice(110);
    const recs: PacketRecord[] = [];
    const reader = new CaptureReader((r) => recs.push(r));
    reader.push(chunkA);
    reader.push(chunkB);
    reader.end();
    expect(recs[0]!.data.buffer).toBe(chunkA.buffer); // bytes 40..100: inside chunk A
    expect(recs[1]!.data.buffer).not.toBe(chunkB.buffer); // straddles: its own array…
    expect(recs[1]!.data.byteLength).toBe(1514);
    expect(recs[1]!.data.buffer.byteLength).toBe(16 + 1514); // …of exactly the record's size
    expect(recs[2]!.data.buffer).toBe(chunkB.buffer);
  });

  // Speed is measured by `npm run bench` (bench/reader.ts), not asserted here: a timed test fails
  // whenever the shared machine is busy.
  it('reads 200,000 records of one buffer, with the last timestamp intact', () => {
    const pk: TestPacket[] = [];
    const body = fakePacket(64);
    for (let i = 0; i < 200000; i++) pk.push({ data: body, tsSec: 1700000000 + i, tsNsec: i * 1000 });
    const buf = writePcap(pk);
    let n = 0;
    let last = { tsSec: 0, tsNsec: 0, length: 0 };
    readCaptureBuffer(buf, (r) => {
      n++;
      last = { tsSec: r.tsSec, tsNsec: r.tsNsec, length: r.data.length };
    });
    expect(n).toBe(200000);
    expect(last).toEqual({ tsSec: 1700000000 + 199999, tsNsec: 199999 * 1000, length: 64 });
  });
});
