import { describe, expect, it } from 'vitest';
import { internetChecksum, wordSum } from './checksum.ts';
import { Tvb } from './tvb.ts';

describe('Internet checksum', () => {
  // RFC 1071 §3's worked example: the words 0001 f203 f4f5 f6f7 sum to 2ddf0, folded ddf2.
  const bytes = new Tvb(Uint8Array.of(0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7));

  it('sums words and folds the carry as RFC 1071 §3 shows', () => {
    expect(wordSum(bytes, 8)).toBe(0x2ddf0);
    expect(internetChecksum(wordSum(bytes, 8))).toBe(~0xddf2 & 0xffff);
  });

  it('leaves out the words it is told to skip, such as the checksum field', () => {
    expect(wordSum(bytes, 8, (i) => i === 2)).toBe(0x2ddf0 - 0xf203);
  });

  it('pads an odd last byte with zero', () => {
    expect(wordSum(bytes, 7)).toBe(0x0001 + 0xf203 + 0xf4f5 + 0xf600);
  });

  it('makes a packet carrying its checksum sum to all ones', () => {
    const want = internetChecksum(wordSum(bytes, 8, (i) => i === 2));
    const withSum = Uint8Array.of(0x00, 0x01, want >> 8, want & 0xff, 0xf4, 0xf5, 0xf6, 0xf7);
    expect(internetChecksum(wordSum(new Tvb(withSum), 8))).toBe(0);
  });
});
