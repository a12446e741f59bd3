// Developer report: our decode against tshark's over the shared corpus, in-process and fast.
//
//   npx tsx scripts/corpus-report.ts                     tables for every file
//   npx tsx scripts/corpus-report.ts --file tls.pcap     + that file's mismatches
//   npx tsx scripts/corpus-report.ts --proto DNS         + Info mismatches of frames tshark calls DNS
//   npx tsx scripts/corpus-report.ts --field tcp.seq     + mismatches of one field
//
// The pass/fail test with thresholds is src/corpus/corpus.corpus.test.ts.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DecodedCapture } from '../src/analysis/decoded.ts';
import { readCaptureBuffer } from '../src/capture/reader.ts';
import { CaptureFormatError } from '../src/capture/types.ts';
import { packetJson } from '../src/cli/json.ts';
import {
  compareFile, CORPUS_DIR, formatTables, NEEDED_FIELDS, OUR_PROTOCOLS, readManifest, readReference, totals,
  type FileResult,
} from '../src/corpus/compare.ts';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const onlyFile = opt('--file');
const proto = opt('--proto');
const field = opt('--field');
const limit = Number(opt('--limit') ?? 40);

const results: FileResult[] = [];
const shown: string[] = [];
for (const m of readManifest()) {
  if (onlyFile && m.file !== onlyFile) continue;
  const buf = readFileSync(join(CORPUS_DIR, 'pcaps', m.file));
  const cap = new DecodedCapture();
  try {
    readCaptureBuffer(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), (rec) => cap.add(rec));
  } catch (e) {
    if (!(e instanceof CaptureFormatError)) throw e;
  }
  const ours = cap.rows.map((r) => packetJson(r, cap.fields(r.num, NEEDED_FIELDS)));
  const ref = readReference(m.file);
  const res = compareFile(m.file, ours, cap.rows, ref, 100000);
  results.push(res);
  if (cap.decoder.state.dissectorBugs) shown.push(`!! ${m.file}: ${cap.decoder.state.dissectorBugs} dissector exceptions`);
  const protoCol = ref.header.indexOf('_ws.col.Protocol');
  for (const mm of res.mismatches) {
    if (shown.length > limit) break;
    const refProto = ref.rows[mm.frame - 1]?.[protoCol] ?? '';
    const want =
      (onlyFile && !proto && !field) ||
      (proto && mm.field === '_ws.col.Info' && refProto === proto) ||
      (field && mm.field === field) ||
      (!onlyFile && !proto && !field && false);
    if (!want) continue;
    shown.push(`${m.file} #${mm.frame} ${mm.field} [${refProto}${OUR_PROTOCOLS.has(refProto) ? '*' : ''}]\n   ours: ${mm.ours}\n   ref:  ${mm.ref}`);
  }
}
console.log(formatTables(totals(results), results));
if (shown.length) console.log('\n' + shown.join('\n'));
