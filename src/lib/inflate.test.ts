import { deflateSync, gzipSync, zlibSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { fflateInflater, inflateAny, useInflater } from './inflate.ts';
import { nodeInflater } from './node-inflate.ts';

const text = new TextEncoder().encode('line one\r\nline two\r\n'.repeat(50));

// The browser's inflater (fflate) and the command line's (Node's zlib) must answer alike.
describe.each([['fflate', fflateInflater], ['Node zlib', nodeInflater]] as const)('inflateAny with %s', (_, inflater) => {
  afterAll(() => useInflater(fflateInflater));

  it('decodes deflate data in its gzip, zlib and raw wrappings', () => {
    useInflater(inflater);
    expect(inflateAny(gzipSync(text))).toEqual(text);
    expect(inflateAny(zlibSync(text))).toEqual(text);
    expect(inflateAny(deflateSync(text))).toEqual(text);
  });

  it('answers null for data cut short, garbage, a wrong gzip size and too much output', () => {
    useInflater(inflater);
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
