// Certificates in the corpus, line by line against tshark -V: for every frame of every file in
// which tshark shows a TLS Certificate message, our "Certificates" subtree (each certificate's
// X.509 tree) must read as tshark's, and the frame's protocols (frame.protocols) must be the
// same list. tshark runs here, on the corpus files themselves (.ci/run installs it).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecodedCapture } from '../analysis/decoded.ts';
import { readCaptureBuffer } from '../capture/reader.ts';
import type { TreeItem } from '../dissect/tree.ts';
import { CORPUS_DIR, readManifest } from './compare.ts';
import { runTshark as tshark } from './tshark-run.ts';

/**
 * Frames where tshark shows certificates we do not: QUIC's Handshake packets, which tshark
 * decrypts with the secrets the file carries (decryption is a later feature here).
 */
const NOT_YET = new Set(['quic-33.pcapng:2']);

/** Each frame's "Certificates" subtrees in tshark -V's text, indentation from the subtree's own. */
function tsharkCertificates(file: string): Map<number, string> {
  const out = new Map<number, string>();
  let frame = 0;
  let base = -1;
  for (const line of tshark(['-r', file, '-n', '-V', '-Y', 'tls.handshake.certificates']).split('\n')) {
    const f = /^Frame (\d+):/.exec(line);
    if (f) {
      frame = Number(f[1]);
      base = -1;
      continue;
    }
    const indent = line.length - line.trimStart().length;
    if (base >= 0 && (indent <= base || line.trim() === '')) base = -1;
    if (base < 0 && /^\s*Certificates \(\d+ bytes\)$/.test(line)) base = indent;
    if (base >= 0) out.set(frame, (out.get(frame) ?? '') + line.slice(base) + '\n');
  }
  return out;
}

function collect(items: TreeItem[], field: string, out: TreeItem[] = []): TreeItem[] {
  for (const i of items) {
    if (i.field === field) out.push(i);
    else collect(i.children ?? [], field, out);
  }
  return out;
}

function text(item: TreeItem, depth = 0): string {
  let s = `${'    '.repeat(depth)}${item.label}\n`;
  for (const c of item.children ?? []) s += text(c, depth + 1);
  return s;
}

describe('corpus: X.509 certificates against tshark -V', () => {
  it('shows every certificate of every file as tshark does', () => {
    const missing: string[] = [];
    const diffs: string[] = [];
    let frames = 0;
    let certs = 0;
    let lines = 0;
    for (const m of readManifest()) {
      const path = join(CORPUS_DIR, 'pcaps', m.file);
      const cap = new DecodedCapture();
      const buf = readFileSync(path);
      readCaptureBuffer(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), (rec) => cap.add({ ...rec, data: rec.data.slice() }));
      // tshark costs half a second a run: only files where TLS or QUIC shows at all (the
      // Protocol column's own corpus check holds that we find them where tshark does).
      if (!cap.rows.some((r) => /TLS|SSL|QUIC/.test(r.protocol))) continue;
      const theirs = tsharkCertificates(path);
      if (theirs.size === 0) continue;
      const protocols = new Map(tshark(['-r', path, '-n', '-T', 'fields', '-e', 'frame.number', '-e', 'frame.protocols', '-Y', 'tls.handshake.certificates'])
        .trim().split('\n').map((l) => l.split('\t') as [string, string]).map(([n, p]) => [Number(n), p]));
      for (const [num, expected] of theirs) {
        const { items } = cap.tree(num);
        const lists = collect(items, 'tls.handshake.certificates');
        if (!lists.length) {
          missing.push(`${m.file}:${num}`);
          continue;
        }
        frames++;
        certs += lists.reduce((n, l) => n + collect(l.children ?? [], 'tls.handshake.certificate').length, 0);
        lines += expected.split('\n').length - 1;
        const ours = lists.map((l) => text(l)).join('');
        if (ours !== expected) diffs.push(`${m.file} frame ${num}: the Certificates subtree differs`);
        const ourProtocols = cap.fields(num, new Set(['frame.protocols'])).get('frame.protocols')?.[0];
        if (ourProtocols !== protocols.get(num)) diffs.push(`${m.file} frame ${num}: frame.protocols ${ourProtocols} vs tshark's ${protocols.get(num)}`);
      }
    }
    console.log(`X.509 against tshark -V: ${frames} frames, ${certs} certificates, ${lines} tree lines; differing: ${diffs.length}`);
    expect(diffs).toEqual([]);
    expect(missing).toEqual([...NOT_YET]);
    expect(certs).toBeGreaterThan(60);
  });
});
