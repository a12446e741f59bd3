// The first pass takes bare TCP ACKs and FINs by a short lane (dissect/tcp-lane.ts) instead of
// the full dissection. For every corpus file, an engine with the lane must leave exactly what an
// engine without it leaves: the store's columns, the TCP per-frame table, rows, details,
// sessions and ladders.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SummaryDecoder, type SummaryRow } from '../analysis/summary.ts';
import { fileChunks } from '../capture/node-file.ts';
import { readCapture } from '../capture/reader.ts';
import { CaptureFormatError } from '../capture/types.ts';
import { CaptureEngine } from '../worker/engine.ts';
import { firstPassOutcome } from '../worker/testing/outcome.ts';
import { comparableJson, CORPUS_DIR, readManifest } from './compare.ts';

async function load(bytes: Uint8Array, lane: boolean): Promise<CaptureEngine | null> {
  const engine = new CaptureEngine(lane);
  try {
    await engine.load({ name: 'f', totalBytes: bytes.length, chunks: (async function* () { yield bytes; })() });
  } catch (e) {
    if (!(e instanceof CaptureFormatError)) throw e;
    return null;
  }
  return engine;
}

describe('corpus: the first pass short lane', () => {
  it('leaves what the full dissection leaves, for every file', async () => {
    const diffs: string[] = [];
    let frames = 0;
    let taken = 0;
    for (const m of readManifest()) {
      const buf = readFileSync(join(CORPUS_DIR, 'pcaps', m.file));
      const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      const full = await load(bytes, false);
      const lane = await load(bytes, true);
      if (!full || !lane) {
        if (!full !== !lane) diffs.push(`${m.file}: opened one way only`);
        continue;
      }
      frames += full.store.count;
      taken += lane.laneTaken;
      const want = firstPassOutcome(full);
      const got = firstPassOutcome(lane);
      for (const k of Object.keys(want) as (keyof typeof want)[]) {
        if (comparableJson(got[k]) !== comparableJson(want[k])) diffs.push(`${m.file}: ${k} differ`);
      }
    }
    console.log(`compared ${frames} frames; the lane took ${taken}`);
    expect(frames).toBeGreaterThan(10000);
    expect(taken).toBeGreaterThan(5000);
    expect(diffs).toEqual([]);
  });
});

describe('corpus: the short lane in the command line summary', () => {
  it('prints the lines of the full dissection, for every file', async () => {
    const diffs: string[] = [];
    let lines = 0;
    for (const m of readManifest()) {
      const path = join(CORPUS_DIR, 'pcaps', m.file);
      const summarize = async (lane: boolean): Promise<SummaryRow[] | null> => {
        const dec = new SummaryDecoder(lane);
        const rows: SummaryRow[] = [];
        try {
          await readCapture(fileChunks(path, 1000, { reuse: true }), (rec) => {
            rows.push(dec.row(rec));
          });
        } catch (e) {
          if (!(e instanceof CaptureFormatError)) throw e;
          return null;
        }
        return rows;
      };
      const want = await summarize(false);
      const got = await summarize(true);
      if (!want || !got) {
        if (!want !== !got) diffs.push(`${m.file}: opened one way only`);
        continue;
      }
      lines += want.length;
      for (let i = 0; i < want.length && diffs.length < 20; i++) {
        if (comparableJson(got[i]) !== comparableJson(want[i])) diffs.push(`${m.file} #${i + 1}: full "${want[i]?.info}" lane "${got[i]?.info}"`);
      }
    }
    console.log(`compared ${lines} summary lines`);
    expect(lines).toBeGreaterThan(10000);
    expect(diffs).toEqual([]);
  });
});
