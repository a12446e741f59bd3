// One timed full decode of a capture with OUR code, the way the app's first pass does it:
// 4 MiB file slices → readCapture → SummaryDecoder.row() per packet, as `cli summary` does
// (columns, addresses, TCP stream index, relative time). Run as a child process by bench/run.ts:
//
//   node --import tsx bench/decode.ts FILE
//
// Prints ONE JSON line: {packets, bytes, ms, maxRssMB, checksum, startupMs}
//   ms        wall time from opening the file to the last packet decoded (module loading excluded;
//             startupMs is the import time, for information)
//   maxRssMB  process.resourceUsage().maxRSS, whole process, in MiB
//   checksum  sum of the lengths of every Info/Source/Destination/Time string and stream index,
//             so the work cannot be optimised away (and runs can be compared).

export {}; // a module: top-level await

const t0 = performance.now();
const { fileChunks } = await import('../src/capture/node-file.ts');
const { readCapture } = await import('../src/capture/reader.ts');
const { statSync } = await import('node:fs');
const { SummaryDecoder } = await import('../src/analysis/summary.ts');
// As the command line does: HTTP bodies inflated by Node's zlib.
(await import('../src/lib/inflate.ts')).useInflater((await import('../src/lib/node-inflate.ts')).nodeInflater);
const startupMs = performance.now() - t0;

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node --import tsx bench/decode.ts FILE\n');
  process.exit(1);
}

const dec = new SummaryDecoder();
let checksum = 0;
let maxStream = -1;
const start = performance.now();
const meta = await readCapture(dec.sized(fileChunks(file, 4 << 20, { reuse: true }), statSync(file).size), (rec) => {
  const row = dec.row(rec);
  checksum += row.info.length + row.protocol.length + row.source.length + row.destination.length + row.time.length;
  const stream = row.stream ?? -1;
  if (stream > maxStream) maxStream = stream;
  checksum += stream + 1;
});
const ms = performance.now() - start;

const result = {
  packets: dec.packets,
  bytes: meta.bytesRead,
  ms: Math.round(ms * 10) / 10,
  maxRssMB: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
  checksum,
  tcpStreams: maxStream + 1,
  startupMs: Math.round(startupMs),
  ...(meta.error ? { error: meta.error.message } : {}),
};
process.stdout.write(JSON.stringify(result) + '\n');
