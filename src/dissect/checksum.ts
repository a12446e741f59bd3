import type { Tvb } from './tvb.ts';

/**
 * RFC 1071 §4.1: the one's-complement sum of the big-endian 16-bit words of the first `len`
 * bytes, leaving out the words at offsets `skip` names (the checksum field itself, OSPF's
 * authentication); an odd last byte is padded with a zero byte. Not yet folded.
 */
export function wordSum(tvb: Tvb, len: number, skip: (offset: number) => boolean = () => false): number {
  let sum = 0;
  for (let i = 0; i + 1 < len; i += 2) if (!skip(i)) sum += tvb.u16(i);
  if (len % 2) sum += tvb.u8(len - 1) << 8;
  return sum;
}

/** RFC 1071 §4.1: fold the carries of a word sum back in and complement it: the checksum to expect. */
export function internetChecksum(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
