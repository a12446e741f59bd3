// Synchronous, bounded decompression of deflate data in any of its three wrappings: gzip
// (RFC 1952), zlib (RFC 1950) or raw (RFC 1951), told apart by their first bytes as zlib's
// automatic header detection (and so Wireshark's tvb_uncompress) does. Dissectors run
// synchronously, so the streaming DecompressionStream of capture/gzip.ts cannot serve here; fflate's
// streaming inflaters can, and feeding them the input in pieces bounds what a hostile payload
// (a "zip bomb") can make us allocate. Node's own zlib is native and several times faster: the
// command line puts it in their place (useInflater, node-inflate.ts).

import { Gunzip, Inflate, Unzlib } from 'fflate';
import { joinBytes } from './bytes.ts';

/** At most this much output per call (a deflate stream inflates at most ~1032:1). */
export const MAX_INFLATED_BYTES = 16 << 20;
/** Input fed at a time: one piece inflates to at most ~16.5 MiB before the bound is checked. */
const PIECE = 16 << 10;

export type Wrapping = 'gzip' | 'zlib' | 'raw';

/** How deflate `data` is wrapped, by its first bytes; null when it is too short to be whole. */
export function deflateWrapping(data: Uint8Array): Wrapping | null {
  const gzip = data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
  // RFC 1950 §2.2: CM = 8 (deflate), and the first two bytes as a big-endian number are a multiple of 31.
  const zlib = !gzip && data.length >= 2 && (data[0]! & 0x0f) === 8 && ((data[0]! << 8) | data[1]!) % 31 === 0;
  // The smallest whole streams: a gzip header and trailer (18 bytes), a zlib header and Adler-32 (6).
  if ((gzip && data.length < 18) || (zlib && data.length < 6)) return null;
  return gzip ? 'gzip' : zlib ? 'zlib' : 'raw';
}

/** Decompresses `data` of a wrapping; null when it is not valid, cut short, or would exceed `maxBytes`. */
export type Inflater = (data: Uint8Array, wrapping: Wrapping, maxBytes: number) => Uint8Array | null;

function inflateWithFflate(data: Uint8Array, wrapping: Wrapping, maxBytes: number): Uint8Array | null {
  const out: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const onData = (chunk: Uint8Array, final: boolean) => {
    total += chunk.length;
    if (total > maxBytes) throw new RangeError('inflated data too large');
    out.push(chunk);
    if (final) ended = true;
  };
  const inflater = wrapping === 'gzip' ? new Gunzip(onData) : wrapping === 'zlib' ? new Unzlib(onData) : new Inflate(onData);
  try {
    for (let o = 0; o < data.length; o += PIECE) {
      const end = Math.min(o + PIECE, data.length);
      inflater.push(data.subarray(o, end), end === data.length);
    }
    if (data.length === 0) inflater.push(data, true);
  } catch {
    return null;
  }
  if (!ended) return null;
  // RFC 1952 §2.3.1: ISIZE, the input's size modulo 2^32, ends a gzip member.
  if (wrapping === 'gzip') {
    const n = data.length;
    const isize = (data[n - 4]! | (data[n - 3]! << 8) | (data[n - 2]! << 16) | (data[n - 1]! << 24)) >>> 0;
    if (isize !== total % 0x100000000) return null;
  }
  return joinBytes(out, total);
}

let inflater: Inflater = inflateWithFflate;

/** Replaces the inflater (the command line: Node's zlib). Same answers, faster. */
export function useInflater(f: Inflater): void {
  inflater = f;
}

/**
 * The decompressed bytes of `data`, or null when they are not valid deflate data in any
 * wrapping, are cut short, or would exceed `maxBytes`.
 */
export function inflateAny(data: Uint8Array, maxBytes = MAX_INFLATED_BYTES): Uint8Array | null {
  const wrapping = deflateWrapping(data);
  return wrapping === null ? null : inflater(data, wrapping, maxBytes);
}

/** fflate's inflater, for tests that compare it with another. */
export const fflateInflater: Inflater = inflateWithFflate;
