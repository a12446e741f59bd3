// Corpus agreement: our reader vs tshark 4.0's reference decodes and vs the npm pcap-parser.
// Runs only via `npm run test:corpus` (vitest.corpus.config.ts). Corpus: ../shared/corpus.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readCapture, readCaptureBuffer } from './reader.ts';
import { tsharkEpoch } from './time.ts';
import { CaptureFormatError } from './types.ts';
import type { CaptureMeta, PacketRecord } from './types.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CORPUS = path.resolve(HERE, '../../../shared/corpus');
const PCAPS = path.join(CORPUS, 'pcaps');

interface Row {
  number: string;
  epoch: string;
  len: number;
  capLen: number;
  protocol: string;
}

function tsharkRows(file: string): Row[] {
  const base = path.join(CORPUS, 'tshark', file);
  const text = existsSync(`${base}.tsv`)
    ? readFileSync(`${base}.tsv`, 'utf8')
    : gunzipSync(readFileSync(`${base}.tsv.gz`)).toString('utf8');
  const lines = text.split('\n').filter((l) => l.length > 0);
  const header = lines[0]!.split('\t');
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${file}.tsv has no ${name} column`);
    return i;
  };
  const [iNum, iTime, iLen, iCap, iProto] = [
    col('frame.number'),
    col('frame.time_epoch'),
    col('frame.len'),
    col('frame.cap_len'),
    col('_ws.col.Protocol'),
  ];
  return lines.slice(1).map((l) => {
    const c = l.split('\t');
    return { number: c[iNum]!, epoch: c[iTime]!, len: Number(c[iLen]), capLen: Number(c[iCap]), protocol: c[iProto]! };
  });
}

function tsharkErr(file: string): string | undefined {
  const p = path.join(CORPUS, 'tshark', `${file}.err`);
  return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
}

interface Rec {
  epoch: string;
  len: number;
  capLen: number;
  tsSec: number;
  tsNsec: number;
  data: Uint8Array;
}

const toRec = (r: PacketRecord): Rec => ({
  epoch: tsharkEpoch(r.tsSec, r.tsNsec, r.hasTs),
  len: r.origLen,
  capLen: r.data.length,
  tsSec: r.tsSec,
  tsNsec: r.tsNsec,
  data: r.data,
});

type Outcome = { recs: Rec[]; meta: CaptureMeta } | { thrown: unknown };

async function* chunked(buf: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < buf.length; i += size) yield buf.slice(i, i + size);
}

async function readAllWays(buf: Uint8Array): Promise<Outcome[]> {
  const out: Outcome[] = [];
  // 1. whole buffer, sync
  try {
    const recs: Rec[] = [];
    const meta = readCaptureBuffer(buf, (r) => recs.push(toRec(r)));
    out.push({ recs, meta });
  } catch (e) {
    out.push({ thrown: e });
  }
  // 2. odd-sized chunks (records straddle chunk boundaries all the time)
  // 3. gzip-compressed, through DecompressionStream
  for (const input of [chunked(buf, 997), chunked(gzipSync(buf), 1500)]) {
    try {
      const recs: Rec[] = [];
      const meta = await readCapture(input, (r) => recs.push(toRec(r)));
      out.push({ recs, meta });
    } catch (e) {
      out.push({ thrown: e });
    }
  }
  return out;
}

/**
 * Where tshark 4.0 and we legitimately differ. Keep this list minimal and specific.
 */
const TSHARK_EXCEPTIONS: Record<string, { reason: string; ours: number; tshark: number; errorAt: number }> = {
  'suricata_bug-6875-01_fuzz.pcap': {
    reason:
      'Record 2 (offset 228) claims 1409179648 bytes. tshark\'s libpcap reader, seeing a bad record in ' +
      'the standard layout, falls back to guessing the 1999 "ss991029" patched-libpcap layout (24-byte ' +
      'record headers) and so shows a bogus 2nd frame (time -1409179648.083690296, len 1048576, cap_len 1) ' +
      'before giving up. We do not guess old variants from a standard magic: 1 packet, then meta.error ' +
      'at offset 228 (both agree on frame 1).',
    ours: 1,
    tshark: 2,
    errorAt: 228,
  },
};

/** What tshark's stderr (.err) says must show up in our meta. */
function expectProblemsLikeTshark(file: string, meta: CaptureMeta): void {
  const err = tsharkErr(file);
  if (err === undefined) {
    expect(meta.error, `${file}: unexpected error`).toBeUndefined();
    expect(meta.warnings, `${file}: unexpected warnings`).toEqual([]);
    return;
  }
  if (err.includes('cut short in the middle of a packet')) {
    const msgs = [...meta.warnings.map((w) => w.message), meta.error?.message ?? ''];
    expect(msgs.some((m) => m.includes('cut short in the middle of a packet')), `${file}: truncation`).toBe(true);
  } else if (err.includes('damaged or corrupt') || err.includes('unknown SHB version')) {
    expect(meta.error, `${file}: expected meta.error`).toBeDefined();
  } else {
    throw new Error(`${file}: unrecognised tshark complaint ${err}`);
  }
}

describe('capture corpus vs tshark 4.0', () => {
  const files = readdirSync(PCAPS).sort();

  it('has the 151 captures', () => {
    expect(files.length).toBe(151);
  });

  it('reads every capture exactly like tshark (count, time, len, cap_len)', async () => {
    const table: { file: string; format: string; tshark: number; ours: number; status: string }[] = [];
    for (const file of files) {
      const buf = new Uint8Array(readFileSync(path.join(PCAPS, file)));
      const outcomes = await readAllWays(buf);
      for (const o of outcomes) {
        if ('thrown' in o) {
          // Only CaptureFormatError may ever escape, and no corpus file deserves one.
          expect(o.thrown).toBeInstanceOf(CaptureFormatError);
          throw new Error(`${file}: ${(o.thrown as Error).message}`);
        }
      }
      const [whole, chunks, gz] = outcomes as { recs: Rec[]; meta: CaptureMeta }[];
      // The three ways of reading agree with each other, byte for byte.
      for (const other of [chunks!, gz!]) {
        expect(other.recs.length, `${file}: record count across read modes`).toBe(whole!.recs.length);
        other.recs.forEach((r, i) => {
          const w = whole!.recs[i]!;
          expect([r.epoch, r.len, r.capLen], `${file} #${i + 1}`).toEqual([w.epoch, w.len, w.capLen]);
          expect(Buffer.compare(r.data, w.data), `${file} #${i + 1} bytes`).toBe(0);
        });
        expect(other.meta.error?.offset).toBe(whole!.meta.error?.offset);
        expect(other.meta.warnings.map((w) => w.offset)).toEqual(whole!.meta.warnings.map((w) => w.offset));
      }
      expect(gz!.meta.compressed).toBe(true);

      const { recs, meta } = whole!;
      // tshark 4.0 shows pcapng Custom Blocks as "PCAPNG" pseudo-frames: not packets.
      const allRows = tsharkRows(file);
      const rows = allRows.filter((r) => r.protocol !== 'PCAPNG');
      expect(meta.customBlocks, `${file}: custom blocks = tshark's PCAPNG pseudo-frames`).toBe(allRows.length - rows.length);
      const exception = TSHARK_EXCEPTIONS[file];
      let compareCount = rows.length;
      let status = 'match';
      if (exception) {
        expect(recs.length, `${file}: ${exception.reason}`).toBe(exception.ours);
        expect(rows.length).toBe(exception.tshark);
        expect(meta.error?.offset).toBe(exception.errorAt);
        compareCount = exception.ours;
        status = 'EXCEPTION';
      } else {
        expect(recs.length, `${file}: record count`).toBe(rows.length);
        expectProblemsLikeTshark(file, meta);
      }
      for (let i = 0; i < compareCount; i++) {
        const r = recs[i]!;
        const t = rows[i]!;
        expect({ epoch: r.epoch, len: r.len, capLen: r.capLen }, `${file} frame ${t.number}`).toEqual({
          epoch: t.epoch,
          len: t.len,
          capLen: t.capLen,
        });
      }
      if (status === 'match' && (meta.error || meta.warnings.length)) status = 'match+problem';
      table.push({ file, format: meta.format + (meta.bigEndian ? '-be' : ''), tshark: rows.length, ours: recs.length, status });
    }

    // Agreement table, by format.
    const byFormat = new Map<string, { files: number; records: number; agree: number; exceptions: number }>();
    for (const t of table) {
      const e = byFormat.get(t.format) ?? { files: 0, records: 0, agree: 0, exceptions: 0 };
      e.files++;
      e.records += t.tshark;
      e.agree += t.status === 'EXCEPTION' ? Math.min(t.ours, t.tshark) : t.ours;
      if (t.status === 'EXCEPTION') e.exceptions++;
      byFormat.set(t.format, e);
    }
    const lines = ['', 'capture reader vs tshark 4.0 (records = tshark rows without PCAPNG pseudo-frames)', 'format        files  tshark-records  identical  exceptions'];
    let tf = 0;
    let tr = 0;
    let ta = 0;
    for (const [fmt, e] of [...byFormat].sort()) {
      lines.push(`${fmt.padEnd(13)} ${String(e.files).padStart(5)}  ${String(e.records).padStart(14)}  ${String(e.agree).padStart(9)}  ${String(e.exceptions).padStart(10)}`);
      tf += e.files;
      tr += e.records;
      ta += e.agree;
    }
    lines.push(`${'total'.padEnd(13)} ${String(tf).padStart(5)}  ${String(tr).padStart(14)}  ${String(ta).padStart(9)}`);
    for (const t of table.filter((x) => x.status !== 'match')) {
      lines.push(`  ${t.status.padEnd(13)} ${t.file}: tshark ${t.tshark}, ours ${t.ours}`);
    }
    console.log(lines.join('\n'));
  });
});

describe('capture corpus metadata spot checks', () => {
  const read = (file: string) => {
    const recs: PacketRecord[] = [];
    const meta = readCaptureBuffer(new Uint8Array(readFileSync(path.join(PCAPS, file))), (r) => recs.push(r));
    return { recs, meta };
  };

  it('multi-section, mixed-endian pcapng (hadrielk test202)', () => {
    for (const file of ['hadrielk_le_test202.pcapng', 'hadrielk_be_test202.pcapng']) {
      const { recs, meta } = read(file);
      expect(meta.sectionCount).toBe(3);
      expect(meta.sectionComments).toEqual(['test202 SHB-0', 'test202 SHB-1', 'test202 SHB-2']);
      expect(meta.interfaces.map((i) => [i.sectionIndex, i.sectionInterfaceId, i.linkType])).toEqual([
        [0, 0, 1],
        [0, 1, 0],
        [1, 0, 1],
        [2, 0, 1],
        [2, 1, 0],
      ]);
      // interfaceId is file-wide: packets of the third section's NULL interface say 4, not 1.
      expect(recs.map((r) => r.interfaceId)).toEqual([0, 0, 1, 2, 2, 2, 2, 4]);
      expect(recs.filter((r) => !r.hasTs)).toHaveLength(2); // the two SPBs of section 1
      expect(meta.customBlocks).toBe(3);
      expect(meta.names.length).toBeGreaterThan(5);
    }
  });

  it('Decryption Secrets Block (quic-33.pcapng)', () => {
    const { meta } = read('quic-33.pcapng');
    expect(meta.secrets).toHaveLength(1);
    expect(meta.secrets[0]!.secretsType).toBe(0x544c534b); // "TLSK": NSS key log
    expect(new TextDecoder().decode(meta.secrets[0]!.data).split('\n')[0]).toMatch(/^(CLIENT_|SERVER_|EXPORTER_)/);
  });

  it('obsolete Packet Blocks, big-endian (pfcp.pcap)', () => {
    const { recs, meta } = read('pfcp.pcap');
    expect([meta.format, meta.bigEndian, recs.length]).toEqual(['pcapng', true, 200]);
    expect(recs.every((r) => r.dropCount === 0 && r.linkType === 101)).toBe(true);
  });

  it('Darwin process info block and NUL-terminated strings (mpeg.pcap)', () => {
    const { meta } = read('mpeg.pcap');
    expect(meta.skippedBlocks).toBe(1);
    expect(meta.sectionComments).toEqual(['section header block']);
    expect(meta.os).toBe('Darwin 14.3.0');
  });

  it('if_tsresol 2^-8 (gopacket test902) and 126 interfaces (modify-request)', () => {
    expect(read('gopacket_le_test902.pcapng').recs[0]!.tsPrecision).toBe(2);
    const m = read('modify-request.pcapng').meta;
    expect(m.interfaces).toHaveLength(126);
    expect(new Set(m.interfaces.map((i) => i.tsPrecision))).toEqual(new Set([6, 9]));
  });

  it('statistics blocks (hadrielk test101)', () => {
    const { meta } = read('hadrielk_le_test101.pcapng');
    expect(meta.statistics.length).toBeGreaterThan(0);
    expect(meta.statistics.every((s) => s.interfaceId < meta.interfaces.length)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// pcap-parser (npm, Node-only, classic µs pcap v2.4 only)

interface PpPacket {
  header: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number };
  data: Buffer;
}
interface PpParser {
  on(event: 'packet', f: (p: PpPacket) => void): PpParser;
  on(event: 'error', f: (e: Error) => void): PpParser;
  on(event: 'end', f: () => void): PpParser;
}
const pcapParser = createRequire(import.meta.url)('pcap-parser') as { parse(input: Readable): PpParser };

function runPcapParser(buf: Buffer): Promise<{ packets: PpPacket[]; error?: string }> {
  return new Promise((resolve) => {
    const packets: PpPacket[] = [];
    let error: string | undefined;
    const parser = pcapParser.parse(Readable.from([buf]));
    parser.on('packet', (p) => packets.push(p));
    parser.on('error', (e) => (error = e.message));
    parser.on('end', () => resolve({ packets, error }));
  });
}

/**
 * Classic pcaps where pcap-parser cannot agree with us, each with the reason. Every other classic
 * pcap must match record for record, byte for byte.
 */
const PCAP_PARSER_EXPECT: Record<string, { kind: 'rejects' | 'drops-truncated-tail' | 'stops-at-bad-length'; reason: string }> = {
  'nanosecs_big_endian.pcap': { kind: 'rejects', reason: 'nanosecond magic a1b23c4d: pcap-parser knows only µs magic' },
  'tcp-handshake-nano.pcap': { kind: 'rejects', reason: 'nanosecond magic 4d3cb2a1' },
  'timestamp_invalid_nano.pcap': { kind: 'rejects', reason: 'nanosecond magic 4d3cb2a1' },
  'fuzz-2021-10-13.pcap': { kind: 'rejects', reason: 'nanosecond magic 4d3cb2a1 (also a v2.0 file with swapped lengths)' },
  'bad_rsn_parsing_overrides_ssid.pcap': { kind: 'drops-truncated-tail', reason: '1 stray byte after the last record: silently ignored by pcap-parser, a warning for us' },
  'dpkt_truncated_dns_2.pcap': { kind: 'drops-truncated-tail', reason: 'last record header cut (7 bytes): silently ignored by pcap-parser, a warning for us' },
  'suricata_bug-6875-01_fuzz.pcap': { kind: 'stops-at-bad-length', reason: 'record 2 claims 1409179648 bytes: pcap-parser waits for data that never comes and ends silently; we set meta.error' },
  'suricata_tls_DER-incomplete-header.pcap': { kind: 'stops-at-bad-length', reason: 'record 7 claims 4325376 bytes: same' },
};

describe('capture corpus vs pcap-parser', () => {
  it('agrees on every classic pcap pcap-parser can read', async () => {
    const files = readdirSync(PCAPS).sort();
    let compared = 0;
    let records = 0;
    const seen = new Set<string>();
    for (const file of files) {
      const buf = readFileSync(path.join(PCAPS, file));
      const magic = buf.subarray(0, 4).toString('hex');
      if (!['d4c3b2a1', 'a1b2c3d4', '4d3cb2a1', 'a1b23c4d'].includes(magic)) continue; // classic pcap by magic only
      const ours: PacketRecord[] = [];
      const meta = readCaptureBuffer(new Uint8Array(buf), (r) => ours.push({ ...r, data: r.data.slice() }));
      const pp = await runPcapParser(buf);
      const special = PCAP_PARSER_EXPECT[file];
      if (special) seen.add(file);
      if (special?.kind === 'rejects') {
        expect(pp.error, `${file}: ${special.reason}`).toMatch(/unknown magic number/);
        expect(pp.packets.length).toBe(0);
        expect(ours.length).toBeGreaterThan(0);
        continue;
      }
      expect(pp.error, file).toBeUndefined();
      if (special?.kind === 'drops-truncated-tail') {
        expect(meta.warnings.map((w) => w.message).join(), `${file}: ${special.reason}`).toMatch(/cut short/);
      } else if (special?.kind === 'stops-at-bad-length') {
        expect(meta.error, `${file}: ${special.reason}`).toBeDefined();
      } else {
        expect(meta.error, file).toBeUndefined();
        expect(meta.warnings, file).toEqual([]);
      }
      // Whatever both read must be identical; and both read the same number of records.
      expect(ours.length, `${file}: record count`).toBe(pp.packets.length);
      ours.forEach((r, i) => {
        const p = pp.packets[i]!;
        expect(
          [r.tsSec, r.tsNsec, r.data.length, r.origLen],
          `${file} record ${i + 1}`,
        ).toEqual([p.header.timestampSeconds, Math.imul(p.header.timestampMicroseconds, 1000), p.header.capturedLength, p.header.originalLength]);
        expect(Buffer.compare(Buffer.from(r.data.buffer, r.data.byteOffset, r.data.length), p.data), `${file} record ${i + 1} bytes`).toBe(0);
      });
      compared++;
      records += ours.length;
    }
    expect([...seen].sort()).toEqual(Object.keys(PCAP_PARSER_EXPECT).sort());
    console.log(`\ncapture reader vs pcap-parser: ${compared} classic pcaps, ${records} records identical (times, lengths, bytes); ${Object.keys(PCAP_PARSER_EXPECT).length} files handled as documented exceptions`);
  });
});
