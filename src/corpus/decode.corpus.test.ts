// The real world: every capture of ../shared/corpus through the CLI (a separate process per file,
// so a hang is a timeout, not a stuck test run), compared with tshark 4.0's reference decode
// field by field and line by line. Prints the agreement tables; fails below the thresholds.

import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PacketJson } from '../cli/json.ts';
import type { SummaryRow } from '../analysis/summary.ts';
import {
  compareFile, CORPUS_DIR, formatTables, NEEDED_FIELDS, pct, readManifest, readReference, totals,
  type FileResult,
} from './compare.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'src/cli/main.ts');
const PER_FILE_TIMEOUT_MS = 120_000;

/**
 * Thresholds we can honestly hold (see the table this test prints). Info: frames whose tshark
 * Protocol column names a protocol we dissect. Fields: every compared field, overall.
 */
const MIN_INFO_AGREEMENT = 0.998;
const MIN_FIELD_AGREEMENT: Record<string, number> = {
  'frame.number': 0.9999,
  'frame.time_epoch': 0.9999,
  'frame.len': 0.9999,
  'frame.cap_len': 0.9999,
  'eth.src': 0.999,
  'eth.dst': 0.999,
  'ip.src': 0.998,
  'ip.dst': 0.998,
  'ipv6.src': 0.999,
  'ipv6.dst': 0.999,
  'tcp.srcport': 0.998,
  'tcp.dstport': 0.998,
  'tcp.flags': 0.998,
  'tcp.seq': 0.998,
  'tcp.ack': 0.998,
  'tcp.len': 0.998,
  'tcp.stream': 0.998,
  'udp.srcport': 0.995,
  'udp.dstport': 0.995,
  'tls.handshake.type': 0.95,
  'tls.handshake.extensions_server_name': 0.99,
};

interface Run {
  code: number | null;
  signal: string | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  ms: number;
}

function runCli(file: string): Promise<Run> {
  return new Promise((done) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'summary', file, '--json', '--fields', [...NEEDED_FIELDS].join(',')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, PER_FILE_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, timedOut, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms: Date.now() - t0 });
    });
  });
}

async function pool<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  }));
  return out;
}

describe('corpus: our decode against tshark 4.0', () => {
  const results: FileResult[] = [];
  const problems: string[] = [];

  afterAll(() => {
    if (results.length) console.log('\n' + formatTables(totals(results), results) + '\n');
  });

  it('decodes every file without a crash, a hang or a dissector exception, and agrees with tshark', async () => {
    const manifest = readManifest();
    const runs = await pool(manifest, 2, async (m) => ({ m, run: await runCli(join(CORPUS_DIR, 'pcaps', m.file)) }));
    for (const { m, run } of runs) {
      if (run.timedOut) problems.push(`${m.file}: no answer after ${PER_FILE_TIMEOUT_MS / 1000} s (hang)`);
      else if (run.code !== 0) problems.push(`${m.file}: exit ${run.code ?? run.signal}: ${run.stderr.trim().slice(0, 300)}`);
      if (/internal/.test(run.stderr)) problems.push(`${m.file}: ${run.stderr.trim().slice(0, 300)}`);
      const ours: PacketJson[] = run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as PacketJson);
      const rows: SummaryRow[] = ours.map((p) => ({
        num: Number(p.number), time: String(p.time), source: String(p.source), destination: String(p.destination),
        protocol: String(p.protocol), length: Number(p.length), info: String(p.info),
      }));
      const ref = readReference(m.file);
      results.push(compareFile(m.file, ours, rows, ref, 0));
      // Same number of frames as tshark, except where tshark gave up on a broken file (its .err).
      if (!ref.err && ours.length !== ref.rows.length) problems.push(`${m.file}: ${ours.length} frames, tshark ${ref.rows.length}`);
    }
    expect(problems).toEqual([]);

    const t = totals(results);
    const info = t.oursInfoEqual / t.oursFrames;
    console.log(`Info agreement on frames of protocols we dissect: ${pct(t.oursInfoEqual, t.oursFrames)} (threshold ${(MIN_INFO_AGREEMENT * 100).toFixed(1)}%)`);
    expect(info).toBeGreaterThanOrEqual(MIN_INFO_AGREEMENT);
    const low: string[] = [];
    for (const [field, min] of Object.entries(MIN_FIELD_AGREEMENT)) {
      const st = t.fields.get(field);
      if (!st || st.compared === 0) continue;
      if (st.equal / st.compared < min) low.push(`${field}: ${pct(st.equal, st.compared)} < ${(min * 100).toFixed(2)}%`);
    }
    expect(low).toEqual([]);
  }, 1_800_000);
});
