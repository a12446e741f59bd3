import type { FieldDef } from './registry.ts';
import type { ExpertSeverity, TreeSink } from './tree.ts';
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

/** The sum of the big-endian 16-bit words of `b` (an even number of bytes: addresses). */
export function sum16(b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i + 1 < b.length; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
  return sum;
}

/** RFC 1071 §4.1: fold the carries of a word sum back in and complement it: the checksum to expect. */
export function internetChecksum(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

const hex4 = (v: number) => `0x${v.toString(16).padStart(4, '0')}`;

/**
 * A 16-bit checksum at `off` and its status, as tshark's proto_tree_add_checksum shows a verified
 * one: "[correct]" and Good, or "incorrect, should be …", Bad and an expert error. `expected`
 * null: not verified, with `why` after "[unverified]" (" [fragmented datagram]"). The expert's
 * severity is the protocol's (ICMP's is a warning).
 */
export function checksumTree(t: TreeSink, f: FieldDef, tvb: Tvb, off: number, expected: number | null, why = '', severity: ExpertSeverity = 'error'): void {
  const c = tvb.u16(off);
  if (expected === null) {
    t.add(f, tvb, off, 2, c, `${f.name}: ${hex4(c)} [unverified]${why}`);
    t.text(tvb, off, 0, '[Checksum Status: Unverified]');
  } else if (expected === c) {
    t.add(f, tvb, off, 2, c, `${f.name}: ${hex4(c)} [correct]`);
    t.text(tvb, off, 0, '[Checksum Status: Good]');
  } else {
    t.open(f, tvb, off, 2, c, `${f.name}: ${hex4(c)} incorrect, should be ${hex4(expected)}`);
    t.expert(severity, `Bad checksum [should be ${hex4(expected)}]`, tvb, off, 2, 'Checksum');
    t.close();
    t.text(tvb, off, 0, '[Checksum Status: Bad]');
  }
}
