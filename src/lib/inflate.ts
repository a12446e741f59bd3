// Synchronous, bounded decompression of deflate data in any of its three wrappings: gzip
// (RFC 1952), zlib (RFC 1950) or raw (RFC 1951), told apart by their first bytes as zlib's
// automatic header detection (and so Wireshark's tvb_uncompress) does. Dissectors run
// synchronously, so the streaming DecompressionStream of capture/gzip.ts cannot serve here; fflate's
// streaming inflaters can, and feeding them the input in small pieces bounds what a hostile
// payload (a "zip bomb") can make us allocate.

import { Gunzip, Inflate, Unzlib } from 'fflate';
import { joinBytes } from './bytes.ts';

/** At most this much output per call (a deflate stream inflates at most ~1032:1). */
export const MAX_INFLATED_BYTES = 16 << 20;
/** Input fed at a time: one piece inflates to at most ~16.5 MiB before the bound is checked. */
const PIECE = 16 << 10;

/** Thrown from the output handler to stop inflating once a prefix is enough. */
const ENOUGH = new Error('prefix inflated');

/**
 * The decompressed bytes of `data`, or null when they are not valid deflate data in any
 * wrapping, are cut short, or would exceed `maxBytes`. With `prefix`, inflating stops once at
 * least that many bytes are out, and what is out is the answer (the rest is not checked).
 */
export function inflateAny(data: Uint8Array, maxBytes = MAX_INFLATED_BYTES, prefix = Infinity): Uint8Array | null {
  const out: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const onData = (chunk: Uint8Array, final: boolean) => {
    total += chunk.length;
    if (total > maxBytes) throw new RangeError('inflated data too large');
    out.push(chunk);
    if (final) ended = true;
    else if (total >= prefix) throw ENOUGH;
  };
  const gzip = data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
  // RFC 1950 §2.2: CM = 8 (deflate), and the first two bytes as a big-endian number are a multiple of 31.
  const zlib = !gzip && data.length >= 2 && (data[0]! & 0x0f) === 8 && ((data[0]! << 8) | data[1]!) % 31 === 0;
  // The smallest whole streams: a gzip header and trailer (18 bytes), a zlib header and Adler-32 (6).
  if ((gzip && data.length < 18) || (zlib && data.length < 6)) return null;
  const inflater = gzip ? new Gunzip(onData) : zlib ? new Unzlib(onData) : new Inflate(onData);
  try {
    // For a prefix, small pieces: the first few hundred bytes in usually give it.
    const piece = prefix === Infinity ? PIECE : 512;
    for (let o = 0; o < data.length; o += piece) {
      const end = Math.min(o + piece, data.length);
      inflater.push(data.subarray(o, end), end === data.length);
    }
    if (data.length === 0) inflater.push(data, true);
  } catch (e) {
    if (e !== ENOUGH) return null;
    return joinBytes(out, total);
  }
  if (!ended) return null;
  // RFC 1952 §2.3.1: ISIZE, the input's size modulo 2^32, ends a gzip member.
  if (gzip) {
    const n = data.length;
    const isize = (data[n - 4]! | (data[n - 3]! << 8) | (data[n - 2]! << 16) | (data[n - 1]! << 24)) >>> 0;
    if (isize !== total % 0x100000000) return null;
  }
  return joinBytes(out, total);
}
