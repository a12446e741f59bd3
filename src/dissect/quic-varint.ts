// QUIC's variable-length integer (RFC 9000 §16): the top two bits of the first byte give the
// length (1, 2, 4 or 8 bytes). Shared by the QUIC dissector and QUIC's TLS transport parameters.

import type { Tvb } from './tvb.ts';

/** The integer at `off` and its encoded length. Values past 2^53 lose precision (none are seen). */
export function quicVarint(tvb: Tvb, off: number): [value: number, length: number] {
  const first = tvb.u8(off);
  const len = 1 << (first >> 6);
  let v = first & 0x3f;
  for (let i = 1; i < len; i++) v = v * 256 + tvb.u8(off + i);
  return [v, len];
}
