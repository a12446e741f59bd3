// The first pass must not keep views into the reader's buffers: the app and the CLI read a file
// through buffers that are reused for the next slice as soon as a slice's packets are done. Every
// file is decoded twice — from one whole buffer, and through a single small buffer overwritten
// slice after slice — and the rows must be the same.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SummaryDecoder } from '../analysis/summary.ts';
import { readCapture } from '../capture/reader.ts';
import { reusedChunks } from '../capture/testing/feed.ts';
import { CaptureFormatError } from '../capture/types.ts';
import { CORPUS_DIR, readManifest } from './compare.ts';

async function* whole(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function rows(chunks: AsyncIterable<Uint8Array>): Promise<string[]> {
  const dec = new SummaryDecoder();
  const out: string[] = [];
  try {
    await readCapture(chunks, (rec) => {
      const r = dec.row(rec);
      out.push(`${r.num} ${r.source} ${r.destination} ${r.protocol} ${r.length} ${r.info}`);
    });
  } catch (e) {
    if (!(e instanceof CaptureFormatError)) throw e;
  }
  return out;
}

describe('corpus: decoding through reused buffers', () => {
  it('gives the same rows as decoding from one whole buffer, for every file', async () => {
    const diffs: string[] = [];
    let frames = 0;
    for (const m of readManifest()) {
      const buf = readFileSync(join(CORPUS_DIR, 'pcaps', m.file));
      const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      const want = await rows(whole(bytes));
      // A slice smaller than most packets: records straddle slices all the time.
      const got = await rows(reusedChunks(bytes, 1000));
      frames += want.length;
      if (got.length !== want.length) diffs.push(`${m.file}: ${want.length} rows from one buffer, ${got.length} through reused ones`);
      for (let i = 0; i < want.length && diffs.length < 20; i++) {
        if (got[i] !== want[i]) diffs.push(`${m.file}: one buffer "${want[i]}" reused "${got[i]}"`);
      }
    }
    console.log(`compared ${frames} frames`);
    expect(frames).toBeGreaterThan(10000);
    expect(diffs).toEqual([]);
  });
});
