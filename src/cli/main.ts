// Command-line front end (Node): the same decoding code as the browser worker.
//
//   npm run --silent cli -- summary FILE          one line per packet, tshark's default layout
//   npm run --silent cli -- summary FILE --json   one JSON object per packet with registry fields
//
// Exit codes: 0 success (a truncated file still prints every whole packet, warning on stderr),
// 2 the input is not a capture (message on stderr), 1 usage or I/O errors.

import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { fileChunks } from '../capture/node-file.ts';
import { readCapture } from '../capture/reader.ts';
import { CaptureFormatError, type CaptureMeta } from '../capture/types.ts';
import { DecodedCapture } from '../analysis/decoded.ts';
import { SummaryDecoder, tsharkLine, type SummaryRow } from '../analysis/summary.ts';
import { isGzip } from '../capture/sniff.ts';
import { dissectFrame, FieldCollector } from '../dissect/index.ts';
import { growColumn } from '../lib/growable.ts';
import { useInflater } from '../lib/inflate.ts';
import { nodeInflater } from '../lib/node-inflate.ts';
import { packetJson } from './json.ts';
import { LineWriter } from './line-writer.ts';

const USAGE = `usage: pcap-ladder summary FILE [--json [--fields NAME,NAME…]]

  summary FILE          print one line per packet, like "tshark -r FILE -n"
  summary FILE --json   print one JSON object per packet (columns and dissected fields)
      --fields a,b      with --json: only these fields (Wireshark filter names, e.g. tcp.stream,ip.src)
`;

/**
 * --json: the field values come from a second look at each frame (like tshark -2), once the
 * first pass is done. The file is read twice: the first pass keeps the summary rows and where
 * each frame lies; the second re-dissects each frame as it comes, and reads a frame it needs
 * again (the segments of a reassembled PDU) at its offset. Memory holds the rows, not the
 * capture (500k packets, 699 MB: 0.49 GB, where keeping the records took 3.6 GB).
 */
async function jsonFromFile(file: string, out: LineWriter, only?: ReadonlySet<string>): Promise<{ meta: CaptureMeta; bugs: number }> {
  const dec = new SummaryDecoder();
  const rows: SummaryRow[] = [];
  let offsets = new Float64Array(0);
  let lengths = new Uint32Array(0);
  // Timestamps for the Frame subtree's deltas (NaN: the frame has none).
  let secs = new Float64Array(0);
  let nsecs = new Float64Array(0);
  const meta = await readCapture(dec.sized(out.paced(fileChunks(file, undefined, { reuse: true })), statSync(file).size), (rec) => {
    const i = rows.length;
    offsets = growColumn(offsets, i + 1);
    lengths = growColumn(lengths, i + 1);
    secs = growColumn(secs, i + 1);
    nsecs = growColumn(nsecs, i + 1);
    offsets[i] = rec.fileOffset;
    lengths[i] = rec.data.length;
    secs[i] = rec.hasTs ? rec.tsSec : NaN;
    nsecs[i] = rec.tsNsec;
    rows.push(dec.row(rec));
  });
  dec.state.frameTime = (n) => (n >= 1 && n <= rows.length && !Number.isNaN(secs[n - 1]) ? { sec: secs[n - 1]!, nsec: nsecs[n - 1]! } : undefined);
  dec.state.pcapngInterfaces = meta.format === 'pcapng' ? meta.interfaces : null;
  const fd = openSync(file, 'r');
  try {
    let num = 0;
    let current: Uint8Array | null = null;
    dec.state.frameBytes = (n) => {
      if (n === num) return current ?? undefined;
      if (n < 1 || n > rows.length) return undefined;
      const bytes = new Uint8Array(lengths[n - 1]!);
      // A short read (the file changed since the first pass) leaves the frame incomplete:
      // its packets are then malformed, not a crash.
      const got = readSync(fd, bytes, 0, bytes.length, offsets[n - 1]!);
      return got === bytes.length ? bytes : bytes.subarray(0, got);
    };
    await readCapture(out.paced(fileChunks(file, undefined, { reuse: true })), (rec) => {
      if (num >= rows.length) return; // the file grew since the first pass
      num++;
      current = rec.data;
      const fields = new FieldCollector(only);
      dissectFrame(dec.state, num, rec, fields, true);
      out.line(JSON.stringify(packetJson(rows[num - 1]!, fields.values)));
    });
  } finally {
    closeSync(fd);
  }
  return { meta, bugs: dec.state.dissectorBugs };
}

/** --json for a gzip file, whose offsets are in the decompressed stream: its records are kept. */
async function jsonInMemory(file: string, out: LineWriter, only?: ReadonlySet<string>): Promise<{ meta: CaptureMeta; bugs: number }> {
  const cap = new DecodedCapture();
  const meta = await readCapture(out.paced(fileChunks(file, undefined, { reuse: true })), (rec) => {
    cap.add({ ...rec, data: rec.data.slice() });
  });
  cap.decoder.state.pcapngInterfaces = meta.format === 'pcapng' ? meta.interfaces : null;
  for (const row of cap.rows) out.line(JSON.stringify(packetJson(row, cap.fields(row.num, only))));
  return { meta, bugs: cap.decoder.state.dissectorBugs };
}

async function isGzipFile(file: string): Promise<boolean> {
  const fd = openSync(file, 'r');
  try {
    const head = new Uint8Array(2);
    return readSync(fd, head, 0, 2, 0) === 2 && isGzip(head);
  } finally {
    closeSync(fd);
  }
}

async function summary(file: string, json: boolean, only?: ReadonlySet<string>): Promise<number> {
  const out = new LineWriter(process.stdout);
  let meta: CaptureMeta;
  let bugs = 0;
  try {
    if (json) {
      const r = (await isGzipFile(file)) ? await jsonInMemory(file, out, only) : await jsonFromFile(file, out, only);
      meta = r.meta;
      bugs = r.bugs;
    } else {
      const dec = new SummaryDecoder();
      meta = await readCapture(dec.sized(out.paced(fileChunks(file, undefined, { reuse: true })), statSync(file).size), (rec) => {
        out.line(tsharkLine(dec.row(rec)));
      });
      bugs = dec.state.dissectorBugs;
    }
  } catch (e) {
    out.flush();
    if (e instanceof CaptureFormatError) {
      process.stderr.write(`pcap-ladder: ${file}: ${e.message}\n`);
      return 2;
    }
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT' || err.code === 'EACCES' || err.code === 'EISDIR') {
      process.stderr.write(`pcap-ladder: ${file}: ${err.message}\n`);
      return 1;
    }
    throw e;
  }
  out.flush();
  for (const w of meta.warnings) process.stderr.write(`pcap-ladder: ${file}: warning: ${w.message}\n`);
  if (meta.error) process.stderr.write(`pcap-ladder: ${file}: ${meta.error.message}\n`);
  // Exceptions of our own code (not of bad packets) are bugs: say so, the packets still printed.
  if (bugs) process.stderr.write(`pcap-ladder: ${file}: internal: ${bugs} packet(s) hit a dissector bug\n`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  // HTTP bodies are inflated by Node's native zlib here (the browser keeps fflate).
  useInflater(nodeInflater);
  const [cmd, ...rest] = argv;
  const json = rest.includes('--json');
  const fi = rest.indexOf('--fields');
  const only = fi >= 0 && rest[fi + 1] ? new Set(rest[fi + 1]!.split(',').filter(Boolean)) : undefined;
  const files = rest.filter((a, i) => !a.startsWith('--') && !(fi >= 0 && i === fi + 1));
  if (cmd === 'summary' && files.length === 1 && (json || !only)) return summary(files[0]!, json, only);
  process.stderr.write(USAGE);
  return 1;
}

// EPIPE (e.g. piped into `head`) is a normal way for output to end.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`pcap-ladder: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 1;
  },
);
