// A large capture is not held in memory: the app reads the frames it shows from the file again,
// at the offsets the first pass recorded, with the frames their reassembled PDUs came from. For
// every uncompressed corpus file, an engine that keeps no bytes (read through a reused buffer,
// nothing of the file kept) must show the rows and details of an engine that keeps them all.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isGzip } from '../capture/sniff.ts';
import { reusedChunks } from '../capture/testing/feed.ts';
import { CaptureFormatError } from '../capture/types.ts';
import { CaptureEngine } from '../worker/engine.ts';
import { comparableJson, CORPUS_DIR, readManifest } from './compare.ts';

async function load(bytes: Uint8Array, fromFile: boolean): Promise<CaptureEngine | null> {
  const engine = new CaptureEngine();
  try {
    await engine.load(
      fromFile
        ? { name: 'f', totalBytes: bytes.length, chunks: reusedChunks(bytes, 1000), keepHeadBytes: 0, readAt: async (o, n) => bytes.slice(o, o + n) }
        : { name: 'f', totalBytes: bytes.length, chunks: (async function* () { yield bytes; })() },
    );
  } catch (e) {
    if (!(e instanceof CaptureFormatError)) throw e;
    return null;
  }
  return engine;
}

describe('corpus: frames read again from the file', () => {
  it('give the rows and details of the bytes kept in memory, for every file', async () => {
    const diffs: string[] = [];
    let frames = 0;
    for (const m of readManifest()) {
      const buf = readFileSync(join(CORPUS_DIR, 'pcaps', m.file));
      const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      if (isGzip(bytes)) continue; // gzip keeps its bytes: no offsets to read at
      const kept = await load(bytes, false);
      const reread = await load(bytes, true);
      if (!kept || !reread) {
        if (!kept !== !reread) diffs.push(`${m.file}: opened one way only`);
        continue;
      }
      const n = kept.store.count;
      frames += n;
      const want = kept.rows(0, n);
      const got = await reread.withBytes(() => reread.rowIndices(0, n), () => reread.rows(0, n));
      for (let i = 0; i < n && diffs.length < 20; i++) {
        if (comparableJson(got[i]) !== comparableJson(want[i])) diffs.push(`${m.file} #${i + 1}: kept "${want[i]?.info}" read again "${got[i]?.info}"`);
      }
      for (let i = 0; i < n && diffs.length < 20; i++) {
        // Each frame on its own with an empty cache: what it needs is read with it.
        reread.store.trimCache(0);
        const a = kept.details(i);
        const b = await reread.withBytes(() => [i], () => reread.details(i));
        if (comparableJson(a) !== comparableJson(b)) diffs.push(`${m.file} #${i + 1}: the details differ`);
      }
      expect(reread.state.dissectorBugs).toBe(0);
    }
    console.log(`compared ${frames} frames`);
    expect(frames).toBeGreaterThan(10000);
    expect(diffs).toEqual([]);
  });
});
