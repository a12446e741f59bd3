import { describe, expect, it } from 'vitest';
import { CaptureReader, readCaptureBuffer } from './reader.ts';
import { guessWhatItIs, sniff } from './sniff.ts';
import { CaptureFormatError } from './types.ts';

const bytes = (...b: number[]) => Uint8Array.from(b);
const ascii = (s: string) => new TextEncoder().encode(s);

function message(input: Uint8Array): string {
  try {
    readCaptureBuffer(input, () => {});
  } catch (e) {
    expect(e).toBeInstanceOf(CaptureFormatError);
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('sniff', () => {
  it('recognises every magic, in both byte orders', () => {
    expect(sniff(bytes(0xd4, 0xc3, 0xb2, 0xa1), false)).toEqual({ format: 'pcap', bigEndian: false, nanos: false });
    expect(sniff(bytes(0xa1, 0xb2, 0xc3, 0xd4), false)).toEqual({ format: 'pcap', bigEndian: true, nanos: false });
    expect(sniff(bytes(0x4d, 0x3c, 0xb2, 0xa1), false)).toEqual({ format: 'pcap-ns', bigEndian: false, nanos: true });
    expect(sniff(bytes(0xa1, 0xb2, 0x3c, 0x4d), false)).toEqual({ format: 'pcap-ns', bigEndian: true, nanos: true });
    expect(sniff(bytes(0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a), false)).toEqual({ format: 'pcapng', bigEndian: false });
    expect(sniff(bytes(0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0x1c, 0x1a, 0x2b, 0x3c, 0x4d), false)).toEqual({ format: 'pcapng', bigEndian: true });
    expect(sniff(bytes(0x1f, 0x8b), false)).toEqual({ format: 'gzip' });
  });

  it('asks for more bytes while a magic is still possible', () => {
    expect(sniff(bytes(), false)).toBeNull();
    expect(sniff(bytes(0xd4, 0xc3), false)).toBeNull();
    expect(sniff(bytes(0x1f), false)).toBeNull();
    expect(sniff(bytes(0x0a, 0x0d, 0x0d, 0x0a, 0x1c), false)).toBeNull(); // needs the byte-order magic
  });

  it('rejects everything else with the first bytes in hex', () => {
    expect(() => sniff(bytes(0, 1, 2, 3, 4), false)).toThrow(CaptureFormatError);
    expect(message(bytes(0, 1, 2, 3, 4))).toBe('not a pcap or pcapng file (starts with 00 01 02 03)');
    expect(message(bytes(0x00, 0xff))).toBe('not a pcap or pcapng file (starts with 00 ff)');
  });

  it('says when the file is empty', () => {
    expect(message(bytes())).toBe('empty file (0 bytes)');
  });

  it('says when the file is shorter than a header', () => {
    expect(message(bytes(0xd4, 0xc3))).toBe('file too short to be a capture (2 bytes, starts with d4 c3)');
    expect(message(bytes(0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0))).toBe(
      'file too short for a pcap file header (10 bytes; at least 24 needed)',
    );
    expect(message(bytes(0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0))).toBe(
      'file too short for a pcapng section header (8 bytes; at least 28 needed)',
    );
    expect(message(bytes(0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff))).toBe(
      'file too short for a pcapng section header (20 bytes; at least 28 needed)',
    );
  });

  it('names common non-captures', () => {
    expect(message(ascii('<!DOCTYPE html><html><body>404</body></html>'))).toBe(
      'not a pcap or pcapng file (starts with 3c 21 44 4f) — looks like HTML',
    );
    expect(message(ascii('\n  <html lang="en">'))).toBe('not a pcap or pcapng file (starts with 0a 20 20 3c) — looks like HTML');
    expect(message(ascii('<?xml version="1.0"?><a/>'))).toBe('not a pcap or pcapng file (starts with 3c 3f 78 6d) — looks like XML');
    expect(message(ascii('No.  Time  Source\n1 0.0 10.0.0.1\n'))).toBe(
      'not a pcap or pcapng file (starts with 4e 6f 2e 20) — looks like a text file',
    );
    expect(message(bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0))).toBe('not a pcap or pcapng file (starts with 50 4b 03 04) — looks like a zip archive');
    expect(message(bytes(0x28, 0xb5, 0x2f, 0xfd, 0x24, 0))).toBe(
      'not a pcap or pcapng file (starts with 28 b5 2f fd) — looks zstd-compressed (decompress it first)',
    );
    expect(guessWhatItIs(bytes(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00))).toMatch(/xz/);
    expect(guessWhatItIs(bytes(0x42, 0x5a, 0x68, 0x39))).toMatch(/bzip2/);
    expect(guessWhatItIs(ascii('snoop\0\0\0'))).toMatch(/snoop/);
    expect(guessWhatItIs(bytes(0, 1, 2, 3))).toBeUndefined();
  });

  it('reports a pcapng block type with a bad byte-order magic', () => {
    expect(message(bytes(0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0))).toBe(
      'not a pcap or pcapng file (starts with 0a 0d 0d 0a) — a pcapng section header block type, but the byte-order magic is 01 02 03 04 instead of 1a 2b 3c 4d',
    );
  });

  it('gives the same message whatever the chunk sizes', () => {
    for (const input of [ascii('<!DOCTYPE html><html>'), bytes(0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), ascii('ab')]) {
      const expected = message(input);
      let got = '';
      try {
        const reader = new CaptureReader(() => {});
        for (const b of input) reader.push(Uint8Array.of(b));
        reader.end();
      } catch (e) {
        expect(e).toBeInstanceOf(CaptureFormatError);
        got = (e as Error).message;
      }
      expect(got).toBe(expected);
    }
  });
});
