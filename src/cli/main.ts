// Command-line front end (Node): the same decoding code as the browser worker.
//
//   npm run --silent cli -- summary FILE          one line per packet, tshark's default layout
//   npm run --silent cli -- summary FILE --json   one JSON object per packet with registry fields
//
// Exit codes: 0 success (a truncated file still prints every whole packet, warning on stderr),
// 2 the input is not a capture (message on stderr), 1 usage or I/O errors.

import { fileChunks } from '../capture/node-file.ts';
import { readCapture } from '../capture/reader.ts';
import { CaptureFormatError, type CaptureMeta } from '../capture/types.ts';
import { DecodedCapture } from '../analysis/decoded.ts';
import { SummaryDecoder, tsharkLine } from '../analysis/summary.ts';
import { packetJson } from './json.ts';
import { LineWriter } from './line-writer.ts';

const USAGE = `usage: pcap-ladder summary FILE [--json [--fields NAME,NAME…]]

  summary FILE          print one line per packet, like "tshark -r FILE -n"
  summary FILE --json   print one JSON object per packet (columns and dissected fields)
      --fields a,b      with --json: only these fields (Wireshark filter names, e.g. tcp.stream,ip.src)
`;

async function summary(file: string, json: boolean, only?: ReadonlySet<string>): Promise<number> {
  const out = new LineWriter(process.stdout);
  let meta: CaptureMeta;
  let bugs = 0;
  try {
    if (json) {
      // Field values come from a second look at each frame (like tshark -2), which needs the
      // bytes of earlier frames for reassembled PDUs: keep them.
      const cap = new DecodedCapture();
      meta = await readCapture(fileChunks(file, undefined, { reuse: true }), (rec) => {
        cap.add({ ...rec, data: rec.data.slice() });
      });
      bugs = cap.decoder.state.dissectorBugs;
      for (const row of cap.rows) {
        out.line(JSON.stringify(packetJson(cap, row, only)));
      }
    } else {
      const dec = new SummaryDecoder();
      meta = await readCapture(fileChunks(file, undefined, { reuse: true }), (rec) => {
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
