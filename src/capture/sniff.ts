// Format detection — the ONE place that looks at magic numbers. Never by file name: several
// corpus files are pcapng with a .pcap extension.
//
//   pcap     draft-ietf-opsawg-pcap §4: magic 0xA1B2C3D4 (µs) / 0xA1B23C4D (ns), either byte order
//   pcapng   draft-ietf-opsawg-pcapng §4.1: SHB block type 0x0A0D0D0A (palindromic) followed,
//            8 bytes in, by the byte-order magic 0x1A2B3C4D in the section's byte order
//   gzip     RFC 1952 §2.3.1: ID1 ID2 = 1f 8b

import { CaptureFormatError } from './types.ts';

export type SniffedFormat =
  | { format: 'pcap'; bigEndian: boolean; nanos: false }
  | { format: 'pcap-ns'; bigEndian: boolean; nanos: true }
  | { format: 'pcapng'; bigEndian: boolean }
  | { format: 'gzip' };

/** Bytes that are enough for sniff() to decide in every case. */
export const SNIFF_BYTES = 12;

/** Smallest possible pcap file header (draft-ietf-opsawg-pcap §4). */
export const PCAP_HEADER_LEN = 24;
/** Smallest possible SHB: 8 header + 16 fixed body + 4 trailing length (pcapng §4.1). */
export const PCAPNG_MIN_SHB_LEN = 28;

const MAGICS: readonly (readonly number[])[] = [
  [0xd4, 0xc3, 0xb2, 0xa1], // pcap µs little-endian
  [0xa1, 0xb2, 0xc3, 0xd4], // pcap µs big-endian
  [0x4d, 0x3c, 0xb2, 0xa1], // pcap ns little-endian
  [0xa1, 0xb2, 0x3c, 0x4d], // pcap ns big-endian
  [0x0a, 0x0d, 0x0d, 0x0a], // pcapng SHB
  [0x1f, 0x8b], // gzip
];

function startsWith(head: Uint8Array, magic: readonly number[]): boolean {
  if (head.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (head[i] !== magic[i]) return false;
  return true;
}

/** Could `head` (shorter than a magic) still become that magic with more bytes? */
function isPrefixOfMagic(head: Uint8Array): boolean {
  return MAGICS.some((m) => head.length < m.length && head.every((b, i) => b === m[i]));
}

/** True when `head` starts with the gzip magic (RFC 1952 §2.3.1: ID1 ID2 = 1f 8b). */
export function isGzip(head: Uint8Array): boolean {
  return startsWith(head, MAGICS[5]!);
}

export function hexBytes(b: Uint8Array, n = 4): string {
  return Array.from(b.subarray(0, n), (x) => x.toString(16).padStart(2, '0')).join(' ');
}

/**
 * Decides the format from the first bytes of a stream.
 * Returns null when more bytes are needed (only possible while !atEnd).
 * Throws CaptureFormatError when the bytes are not a capture (or the stream ended too early).
 */
export function sniff(head: Uint8Array, atEnd: boolean): SniffedFormat | null {
  const n = head.length;
  if (n === 0) {
    if (atEnd) throw new CaptureFormatError('empty file (0 bytes)');
    return null;
  }
  if (startsWith(head, MAGICS[0]!)) return { format: 'pcap', bigEndian: false, nanos: false };
  if (startsWith(head, MAGICS[1]!)) return { format: 'pcap', bigEndian: true, nanos: false };
  if (startsWith(head, MAGICS[2]!)) return { format: 'pcap-ns', bigEndian: false, nanos: true };
  if (startsWith(head, MAGICS[3]!)) return { format: 'pcap-ns', bigEndian: true, nanos: true };
  if (isGzip(head)) return { format: 'gzip' };
  if (startsWith(head, MAGICS[4]!)) {
    if (n < 12) {
      if (!atEnd) return null;
      throw tooShort('pcapng section header', n, PCAPNG_MIN_SHB_LEN);
    }
    const bom = (head[8]! << 24) | (head[9]! << 16) | (head[10]! << 8) | head[11]!;
    if (bom === 0x1a2b3c4d) return { format: 'pcapng', bigEndian: true };
    if (bom === 0x4d3c2b1a) return { format: 'pcapng', bigEndian: false };
    throw new CaptureFormatError(
      `not a pcap or pcapng file (starts with ${hexBytes(head)}) — a pcapng section header ` +
        `block type, but the byte-order magic is ${hexBytes(head.subarray(8), 4)} instead of 1a 2b 3c 4d`,
    );
  }
  if (isPrefixOfMagic(head)) {
    if (!atEnd) return null;
    throw new CaptureFormatError(
      `file too short to be a capture (${plural(n, 'byte')}, starts with ${hexBytes(head)})`,
    );
  }
  throw notACapture(head);
}

export function tooShort(what: string, have: number, need: number): CaptureFormatError {
  return new CaptureFormatError(
    `file too short for a ${what} (${plural(have, 'byte')}; at least ${need} needed)`,
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "not a pcap or pcapng file (starts with 3c 21 44 4f) — looks like HTML" */
export function notACapture(head: Uint8Array): CaptureFormatError {
  const hint = guessWhatItIs(head);
  return new CaptureFormatError(
    `not a pcap or pcapng file (starts with ${hexBytes(head)})${hint ? ` — ${hint}` : ''}`,
  );
}

/** Cheap guesses at common non-captures, for a friendlier message. */
export function guessWhatItIs(head: Uint8Array): string | undefined {
  const is = (...m: number[]) => startsWith(head, m);
  if (is(0x28, 0xb5, 0x2f, 0xfd)) return 'looks zstd-compressed (decompress it first)';
  if (is(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'looks xz-compressed (decompress it first)';
  if (is(0x42, 0x5a, 0x68)) return 'looks bzip2-compressed (decompress it first)';
  if (is(0x50, 0x4b, 0x03, 0x04) || is(0x50, 0x4b, 0x05, 0x06)) return 'looks like a zip archive';
  if (is(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c)) return 'looks like a 7-Zip archive';
  if (is(0x73, 0x6e, 0x6f, 0x6f, 0x70, 0x00)) return 'looks like a Solaris snoop capture (not supported)';
  if (is(0x34, 0xcd, 0xb2, 0xa1) || is(0xa1, 0xb2, 0xcd, 0x34))
    return 'looks like a Kuznetsov-patched pcap (magic a1b2cd34, not supported)';
  if (is(0x25, 0x50, 0x44, 0x46)) return 'looks like a PDF document';
  if (is(0x89, 0x50, 0x4e, 0x47)) return 'looks like a PNG image';
  if (is(0xff, 0xd8, 0xff)) return 'looks like a JPEG image';
  // Text-ish: skip a UTF-8 BOM and leading white space.
  let i = is(0xef, 0xbb, 0xbf) ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  const start = String.fromCharCode(...head.subarray(i, i + 16)).toLowerCase();
  if (start.startsWith('<!doctype html') || start.startsWith('<html') || start.startsWith('<head'))
    return 'looks like HTML';
  if (start.startsWith('<?xml')) return 'looks like XML';
  if (looksLikeText(head)) return 'looks like a text file';
  return undefined;
}

function looksLikeText(head: Uint8Array): boolean {
  const n = Math.min(head.length, 512);
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = head[i]!;
    if (c === 0x09 || c === 0x0a || c === 0x0d) continue;
    if (c < 0x20 || c === 0x7f) return false; // control bytes: binary
  }
  return true;
}
