// Re-dissecting a frame on its own (what the details pane, the ladder and the Info of a row do)
// must show what the first pass showed. The only allowed differences are the annotations a
// second look adds, as Wireshark's GUI adds them: "[Reassembled in #N]" on IP fragments and
// "(reply in N)" on ICMP echo requests.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecodedCapture } from '../analysis/decoded.ts';
import { readCaptureBuffer } from '../capture/reader.ts';
import { CaptureFormatError } from '../capture/types.ts';
import { FieldCollector } from '../dissect/tree.ts';
import { CORPUS_DIR, readManifest } from './compare.ts';

const SECOND_LOOK = / ?\[Reassembled in #\d+\]| \(reply in \d+\)/g;

describe('corpus: re-dissection shows what the first pass showed', () => {
  it('has the same Protocol and Info for every frame of every file', () => {
    const diffs: string[] = [];
    let frames = 0;
    for (const m of readManifest()) {
      const buf = readFileSync(join(CORPUS_DIR, 'pcaps', m.file));
      const cap = new DecodedCapture();
      try {
        readCaptureBuffer(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), (r) => cap.add(r));
      } catch (e) {
        if (!(e instanceof CaptureFormatError)) throw e;
      }
      for (const row of cap.rows) {
        frames++;
        const p = cap.replay(row.num, new FieldCollector(new Set()));
        const again = p.cols.info.replace(SECOND_LOOK, '');
        if (again !== row.info.replace(SECOND_LOOK, '') || p.cols.protocol !== row.protocol) {
          if (diffs.length < 20) diffs.push(`${m.file} #${row.num}: first "${row.protocol} ${row.info}" again "${p.cols.protocol} ${p.cols.info}"`);
        }
      }
    }
    console.log(`re-dissected ${frames} frames`);
    expect(diffs).toEqual([]);
  });
});
