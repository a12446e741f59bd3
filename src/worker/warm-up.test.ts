import { describe, expect, it } from 'vitest';
import { readCaptureBuffer } from '../capture/reader.ts';
import { concatBytes, fakePacket, writePcap, writeSimplePcapng } from '../capture/testing/writer.ts';
import type { PacketRecord } from '../capture/types.ts';
import { repeatedCapture } from './warm-up.ts';

const packets = [60, 1514, 200].map((n, i) => ({ data: fakePacket(n, i + 1), tsSec: 1_700_000_000 + i, tsNsec: 1000 * i }));

function records(bytes: Uint8Array): PacketRecord[] {
  const out: PacketRecord[] = [];
  const meta = readCaptureBuffer(bytes, (r) => out.push({ ...r, data: r.data.slice() }));
  expect(meta.error).toBeUndefined();
  expect(meta.warnings).toEqual([]);
  return out;
}

describe('repeatedCapture', () => {
  for (const [name, sample] of [
    ['classic pcap', writePcap(packets)],
    ['nanosecond big-endian pcap', writePcap(packets, { nanos: true, bigEndian: true })],
    ['pcapng', writeSimplePcapng(packets)],
  ] as const) {
    it(`repeats a ${name} into one capture the reader reads whole, its bytes found again by offset`, () => {
      const cap = repeatedCapture(sample, 4)!;
      const slices = [...cap.slices(100)];
      expect(slices.every((s) => s.length <= 100)).toBe(true);
      const whole = concatBytes(slices);
      expect(whole.length).toBe(cap.totalBytes);
      const recs = records(whole);
      expect(recs.length).toBe(4 * packets.length);
      recs.forEach((r, i) => {
        const p = packets[i % packets.length]!;
        expect(r.data).toEqual(p.data);
        expect(r.tsSec).toBe(p.tsSec);
        expect(cap.readAt(r.fileOffset, r.data.length)).toEqual(r.data);
      });
    });
  }

  it('gives one copy as it is', () => {
    const sample = writePcap(packets);
    const cap = repeatedCapture(sample, 1)!;
    expect(concatBytes([...cap.slices(1 << 20)])).toEqual(sample);
  });

  it('refuses what it cannot repeat', () => {
    expect(repeatedCapture(new TextEncoder().encode('<!DOCTYPE html>'), 3)).toBeNull();
    expect(repeatedCapture(new Uint8Array([0x1f, 0x8b, 8, 0]), 3)).toBeNull(); // gzip
    expect(repeatedCapture(writePcap([]), 3)).toBeNull(); // a header and no records
    expect(repeatedCapture(writePcap(packets), 0)).toBeNull();
  });
});
