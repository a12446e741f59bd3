// A small sample capture repeated into one long capture, for the decoder's warm-up
// (capture-worker.ts): the engine sees a file that grows its tables and is read again by offset,
// as a large file is, without the sample being copied.

import { PCAP_HEADER_LEN, sniff, SNIFF_BYTES } from '../capture/sniff.ts';

export interface RepeatedCapture {
  totalBytes: number;
  /** The repeated capture in slices of at most `slice` bytes (views into the sample). */
  slices(slice: number): Generator<Uint8Array>;
  /** Bytes of the repeated capture at `offset` (a view into the sample; within one copy). */
  readAt(offset: number, length: number): Uint8Array;
}

/**
 * `passes` copies of `sample` as one capture, or null for a sample that cannot be repeated.
 * pcapng §3.1: a file may hold several sections, so the whole file repeated is one file. A classic
 * pcap has one file header: the header once, then its records again and again.
 */
export function repeatedCapture(sample: Uint8Array, passes: number): RepeatedCapture | null {
  const format = sniffFormat(sample);
  const skip = format === 'pcapng' ? 0 : format === 'pcap' || format === 'pcap-ns' ? PCAP_HEADER_LEN : -1;
  if (skip < 0 || sample.length <= skip || passes < 1) return null;
  const body = sample.subarray(skip);
  return {
    totalBytes: skip + body.length * passes,
    *slices(slice) {
      if (skip > 0) yield sample.subarray(0, skip);
      for (let pass = 0; pass < passes; pass++) {
        for (let off = 0; off < body.length; off += slice) yield body.subarray(off, off + slice);
      }
    },
    readAt(offset, length) {
      if (offset < skip) return sample.subarray(offset, offset + length);
      const at = (offset - skip) % body.length;
      return body.subarray(at, at + length);
    },
  };
}

function sniffFormat(sample: Uint8Array): string | null {
  try {
    return sniff(sample.subarray(0, SNIFF_BYTES), true)?.format ?? null;
  } catch {
    return null;
  }
}
