// TCP's SEQ/ACK analysis over the corpus against tshark 4.0 run live (-2, as the details pane
// shows a loaded file): for every frame with TCP, the acknowledged frame and its RTT, the iRTT,
// bytes in flight, bytes since PSH, a retransmission's RTO and duplicate-ACK numbers must be
// tshark's. (The subtree's layout is checked line by line in dissect/tcp-seqack.test.ts.)

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecodedCapture } from '../analysis/decoded.ts';
import { readCaptureBuffer } from '../capture/reader.ts';
import { CORPUS_DIR, readManifest } from './compare.ts';
import { runTshark } from './tshark-run.ts';

const FIELDS = [
  'tcp.analysis.acks_frame', 'tcp.analysis.ack_rtt', 'tcp.analysis.initial_rtt', 'tcp.analysis.bytes_in_flight',
  'tcp.analysis.push_bytes_sent', 'tcp.analysis.rto', 'tcp.analysis.rto_frame', 'tcp.analysis.duplicate_ack_num',
  'tcp.analysis.duplicate_ack_frame',
];
const TIMES = new Set(['tcp.analysis.ack_rtt', 'tcp.analysis.initial_rtt', 'tcp.analysis.rto']);

/**
 * Seconds of a relative time as tshark writes it: "-<sec>.<nsec>", where a broken file's
 * nanoseconds may run past nine digits ("1.1147483649" is 2.147483649 s).
 */
function relativeSeconds(text: string): number {
  const m = /^(-?)(\d+)\.(\d+)$/.exec(text);
  if (!m) return NaN;
  return (m[1] ? -1 : 1) * (Number(m[2]) + Number(m[3]) / 1e9);
}

/** Equal values: times to the nanosecond (ours are doubles of seconds), the rest exactly. */
function same(field: string, theirs: string, ours: string): boolean {
  if (theirs === ours || !TIMES.has(field) || !theirs || !ours) return theirs === ours;
  const a = theirs.split(',').map(relativeSeconds);
  const b = ours.split(',').map(Number);
  return a.length === b.length && a.every((x, i) => Math.abs(x - b[i]!) <= Math.max(1e-9, Math.abs(x) * 1e-15));
}

describe('corpus: TCP SEQ/ACK analysis against tshark -2', () => {
  it('gives every TCP frame of every file tshark\'s analysis values', () => {
    const diffs: string[] = [];
    const compared = new Map<string, number>();
    let frames = 0;
    for (const m of readManifest()) {
      const path = join(CORPUS_DIR, 'pcaps', m.file);
      const cap = new DecodedCapture();
      const buf = readFileSync(path);
      try {
        readCaptureBuffer(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), (rec) => cap.add({ ...rec, data: rec.data.slice() }));
      } catch {
        continue; // not a capture we read (the reader's own corpus checks say which)
      }
      if (!cap.packets.some((p) => p.tcp)) continue;
      const out = runTshark(['-r', path, '-n', '-2', '-Y', 'tcp', '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', '-e', 'frame.number', ...FIELDS.flatMap((f) => ['-e', f])]);
      const only = new Set(FIELDS);
      for (const line of out.split('\n')) {
        if (!line) continue;
        const [numText, ...theirs] = line.split('\t');
        const num = Number(numText);
        if (num > cap.rows.length) continue;
        frames++;
        const values = cap.fields(num, only);
        FIELDS.forEach((field, i) => {
          const t = theirs[i] ?? '';
          const o = (values.get(field) ?? []).join(',');
          if (t || o) compared.set(field, (compared.get(field) ?? 0) + 1);
          if (!same(field, t, o)) diffs.push(`${m.file}:${num} ${field}: tshark "${t}", ours "${o}"`);
        });
      }
    }
    console.log(`TCP SEQ/ACK analysis against tshark -2: ${frames} frames; values compared: ${[...compared].map(([f, n]) => `${f} ${n}`).join(', ')}; differing: ${diffs.length}`);
    expect(diffs.slice(0, 20)).toEqual([]);
    // The corpus holds these in numbers: a check that compared nothing would prove nothing.
    expect(compared.get('tcp.analysis.acks_frame')).toBeGreaterThan(1000);
    expect(compared.get('tcp.analysis.bytes_in_flight')).toBeGreaterThan(1000);
    expect(compared.get('tcp.analysis.rto')).toBeGreaterThan(10);
    expect(compared.get('tcp.analysis.duplicate_ack_num')).toBeGreaterThan(10);
  });
});
