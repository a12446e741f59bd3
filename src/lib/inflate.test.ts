import { deflateSync, gzipSync, zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { inflateAny } from './inflate.ts';

const text = new TextEncoder().encode('line one\r\nline two\r\n'.repeat(50));

describe('inflateAny', () => {
  it('decodes deflate data in its gzip, zlib and raw wrappings', () => {
    expect(inflateAny(gzipSync(text))).toEqual(text);
    expect(inflateAny(zlibSync(text))).toEqual(text);
    expect(inflateAny(deflateSync(text))).toEqual(text);
  });

  it('inflates only a prefix when asked, without looking at the rest', () => {
    // Text that does not compress to nothing: numbered lines.
    const lines = new TextEncoder().encode(Array.from({ length: 5000 }, (_, i) => `line ${i * 7919 % 10007}\n`).join(''));
    const gz = gzipSync(lines);
    const head = inflateAny(gz, undefined, 39)!;
    expect(head.length).toBeGreaterThanOrEqual(39);
    expect(head.length).toBeLessThan(lines.length);
    expect(head).toEqual(lines.subarray(0, head.length));
    // The whole stream is checked only without a prefix.
    const cut = gz.subarray(0, gz.length - 10);
    expect(inflateAny(cut, undefined, 39)?.subarray(0, 39)).toEqual(lines.subarray(0, 39));
    expect(inflateAny(cut)).toBeNull();
  });

  it('answers null for data cut short, garbage, a wrong gzip size and too much output', () => {
    const gz = gzipSync(text);
    expect(inflateAny(gz.subarray(0, gz.length - 10))).toBeNull();
    expect(inflateAny(Uint8Array.from([0x1f, 0x8b, 8, 0, 1, 2, 3]))).toBeNull();
    expect(inflateAny(new TextEncoder().encode('line one\r\n'))).toBeNull();
    const wrongSize = gz.slice();
    wrongSize[wrongSize.length - 1] ^= 1;
    expect(inflateAny(wrongSize)).toBeNull();
    // 8 MiB of zeros in ~8 KiB: refused past the bound, decoded within it.
    const bomb = gzipSync(new Uint8Array(8 << 20));
    expect(bomb.length).toBeLessThan(64 << 10);
    expect(inflateAny(bomb, 1 << 20)).toBeNull();
    expect(inflateAny(bomb)?.length).toBe(8 << 20);
  });
});
