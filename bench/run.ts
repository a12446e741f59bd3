// `npm run bench` — full-decode throughput of OUR decoder against tshark on a large real capture.
//
//   npm run bench                      bench/out/balancer-500k.pcap (recorded once, then reused)
//   npm run bench -- --quick           bench/out/balancer-50k.pcap (recorded once, then reused)
//   npm run bench -- --file X.pcap     any capture
//   options: --runs N (default 3)  --packets N (size of a capture to record)  --no-tshark  --no-browser
//            --record (record the default capture again even if it exists)
//
// See bench/README.md for what is measured.

import { spawn, spawnSync } from 'node:child_process';
import { closeSync, createReadStream, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBundle } from '../scripts/bundle.mjs';
import { normalizeKnownDifferences } from '../src/corpus/known-differences.ts';
import { browserBench, printBrowserFigures, type BrowserFigures } from './browser.ts';
import { printLadderFigures, type LadderFigures } from './ladder.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = join(ROOT, 'bench', 'out');
const TARGET_RATIO = 10;

interface Options {
  file: string | null;
  quick: boolean;
  runs: number;
  packets: number | null;
  tshark: boolean;
  record: boolean;
  /** Also load the capture in the app in Chromium (bench/browser.ts). */
  browser: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { file: null, quick: false, runs: 3, packets: null, tshark: true, record: false, browser: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--file') o.file = resolve(value());
    else if (a.startsWith('--file=')) o.file = resolve(a.slice(7));
    else if (a === '--quick') o.quick = true;
    else if (a === '--runs') o.runs = Math.max(1, parseInt(value(), 10) || 1);
    else if (a === '--packets') o.packets = parseInt(value(), 10);
    else if (a === '--no-tshark') o.tshark = false;
    else if (a === '--no-browser') o.browser = false;
    else if (a === '--record') o.record = true;
    else if (a === '-h' || a === '--help') {
      console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(0, 9).join('\n'));
      process.exit(0);
    } else if (!a.startsWith('-') && o.file === null) o.file = resolve(a);
    else throw new Error(`unknown argument: ${a}`);
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// Processes

interface Measured {
  wallS: number;
  /** user + system CPU seconds (NaN without GNU time): less disturbed by a busy machine. */
  cpuS: number;
  peakRssMB: number;
  stdout: string;
}

const GNU_TIME = '/usr/bin/time';

function haveGnuTime(): boolean {
  if (!existsSync(GNU_TIME)) return false;
  const r = spawnSync(GNU_TIME, ['-f', '%e %M %U %S', 'true'], { encoding: 'utf8' });
  return r.status === 0 && /^[\d.]+ \d+ [\d.]+ [\d.]+\s*$/m.test(r.stderr);
}

let gnuTime: boolean | null = null;

/** Runs a command; wall time and peak RSS from GNU time, or from /proc polling without it. */
async function measure(cmd: string, args: string[], keepStdout: boolean): Promise<Measured> {
  gnuTime ??= haveGnuTime();
  const dir = mkdtempSync(join(tmpdir(), 'pcap-ladder-bench-'));
  const timeFile = join(dir, 'time');
  try {
    const argv = gnuTime ? [GNU_TIME, '-o', timeFile, '-f', '%e %M %U %S', cmd, ...args] : [cmd, ...args];
    const t0 = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: ROOT,
      stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let hwmKB = 0;
    const poll = gnuTime
      ? null
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) hwmKB = Math.max(hwmKB, Number(m[1]));
          } catch {
            /* exited */
          }
        }, 20);
    const code: number | null = await new Promise((res, rej) => {
      child.on('error', rej);
      child.on('close', (c) => res(c));
    });
    const wallMs = performance.now() - t0;
    if (poll) clearInterval(poll);
    if (code !== 0) {
      throw new Error(`${cmd} ${args.join(' ')} exited with ${code}\n${stderr.trim()}`);
    }
    if (gnuTime) {
      const line = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!;
      const [e, m, u, sy] = line.split(' ').map(Number);
      return { wallS: e!, cpuS: u! + sy!, peakRssMB: m! / 1024, stdout };
    }
    return { wallS: wallMs / 1000, cpuS: NaN, peakRssMB: hwmKB / 1024, stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function sh(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  return (r.stdout ?? '').trim();
}

/** Path relative to the repo when inside it, else absolute. */
function show(file: string): string {
  const r = relative(ROOT, file);
  return r.startsWith('..') || r === '' ? file : r;
}

function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function fmt(n: number, digits = 2): string {
  return n.toFixed(digits);
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r, i) => {
      const line = r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
      return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

async function warmCache(file: string): Promise<void> {
  await new Promise<void>((res, rej) => {
    createReadStream(file, { highWaterMark: 4 << 20 })
      .on('data', () => {})
      .on('end', res)
      .on('error', rej);
  });
}

/** True for a classic pcap, little-endian, microsecond timestamps: what bench/floor.mjs reads. */
function littleEndianMicrosecondPcap(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const magic = Buffer.alloc(4);
    return readSync(fd, magic, 0, 4, 0) === 4 && magic.readUInt32LE(0) === 0xa1b2c3d4;
  } finally {
    closeSync(fd);
  }
}

/** A command's standard output, whole (for the line comparison, not timed). */
function outputOf(cmd: string, args: string[]): Promise<string> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
    const parts: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => parts.push(d));
    child.on('error', rej);
    child.on('close', (code) => (code === 0 ? res(Buffer.concat(parts).toString('utf8')) : rej(new Error(`${cmd} exited with ${code}`))));
  });
}

interface LineAgreement {
  equal: number;
  total: number;
  /** The first few lines that differ: tshark's, then ours. */
  differences: [string, string][];
}

/**
 * The speed is only worth having with tshark's output: `cli summary FILE` against `tshark -r FILE
 * -n`, line by line, with the differences we keep on purpose undone (known-differences.ts).
 */
async function linesAgainstTshark(cli: string, file: string): Promise<LineAgreement> {
  const [theirs, ours] = await Promise.all([outputOf('tshark', ['-r', file, '-n']), outputOf(process.execPath, [cli, 'summary', file])]);
  const a = theirs.split('\n');
  const b = ours.split('\n');
  if (a[a.length - 1] === '') a.pop();
  if (b[b.length - 1] === '') b.pop();
  const r: LineAgreement = { equal: 0, total: Math.max(a.length, b.length), differences: [] };
  for (let i = 0; i < r.total; i++) {
    const t = a[i] ?? '';
    const o = normalizeKnownDifferences(b[i] ?? '');
    if (t === o) r.equal++;
    else if (r.differences.length < 5) r.differences.push([t, o]);
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// The capture

function ensureCapture(o: Options): string {
  if (o.file !== null) {
    if (!existsSync(o.file)) throw new Error(`no such file: ${o.file}`);
    return o.file;
  }
  const packets = o.packets ?? (o.quick ? 50_000 : 500_000);
  const name = packets % 1000 === 0 ? `balancer-${packets / 1000}k.pcap` : `balancer-${packets}.pcap`;
  const file = join(OUT_DIR, name);
  if (existsSync(file) && !o.record) {
    console.log(`capture: reusing ${relative(ROOT, file)} (delete it or pass --record to record it again)`);
    return file;
  }
  const script = join(ROOT, 'scripts', 'capture', 'balancer.sh');
  const args = [script, '-n', String(packets), '-o', file];
  console.log(`capture: ${relative(ROOT, file)} missing — recording a real nginx load-balancer capture:`);
  console.log(`  bash ${relative(ROOT, script)} -n ${packets} -o ${relative(ROOT, file)}`);
  console.log('  (nginx balancer 127.0.0.10:8080/8443 → backends 127.0.0.11/12:8081, ab + curl traffic, tcpdump on lo; needs root)');
  const t0 = performance.now();
  const r = spawnSync('bash', args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`recording failed (exit ${r.status}); see the messages above`);
  console.log(`capture: recorded in ${fmt((performance.now() - t0) / 1000, 1)} s`);
  return file;
}

// ---------------------------------------------------------------------------------------------

interface OursRun {
  packets: number;
  bytes: number;
  ms: number;
  maxRssMB: number;
  checksum: number;
  tcpStreams: number;
  startupMs: number;
  error?: string;
  wallS: number;
  cpuS: number;
  peakRssMB: number;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const file = ensureCapture(o);
  const size = statSync(file).size;
  const mb = size / 1e6;

  const tsharkVersion = o.tshark ? (sh('tshark', ['--version']).split('\n')[0] ?? '?') : '(skipped)';
  const cpuModel = cpus()[0]?.model ?? '?';
  const load0 = loadavg()[0]!;
  console.log(`\nmachine: ${availableParallelism()} CPUs (nproc ${sh('nproc', [])}), ${cpuModel}`);
  console.log(`         node ${process.version}, ${tsharkVersion}`);
  console.log(`file:    ${show(file)} (${fmt(mb, 1)} MB)`);
  gnuTime ??= haveGnuTime();
  console.log(
    `timing:  ${o.runs} runs each, ours and tshark alternating; median reported (best in brackets); ` +
      (gnuTime ? 'wall, CPU, peak RSS from GNU time' : 'GNU time missing: wall from Node, peak RSS by polling VmHWM'),
  );
  console.log(`load:    ${fmt(load0, 2)} (1-min load average at start; > ~0.5 on this machine means other work disturbs the timings)`);

  await warmCache(file);
  // The decoder runs from a bundle (as `npm run cli` does), not through tsx's on-the-fly compiler.
  const decoder = await ensureBundle(join('bench', 'decode.ts'), 'bench-decode');

  // The CLI itself, printing every line (to /dev/null), as a user runs it instead of tshark.
  const cli = await ensureBundle(join('src', 'cli', 'main.ts'), 'cli');

  const runOurs = async (i: number): Promise<OursRun> => {
    // Node's default young generation: a larger one (--max-semi-space-size=64) was 10% slower
    // here, its fresh pages costing more than the scavenges it saves.
    const m = await measure(process.execPath, [decoder, file], true);
    const line = m.stdout.trim().split('\n').pop() ?? '';
    const r: OursRun = { ...(JSON.parse(line) as OursRun), wallS: m.wallS, cpuS: m.cpuS, peakRssMB: m.peakRssMB };
    console.log(
      `  ours   run ${i + 1}: decode ${fmt(r.ms / 1000, 2)} s, process ${fmt(r.wallS, 2)} s wall, ${fmt(r.cpuS, 2)} s CPU, ` +
        `peak RSS ${fmt(r.peakRssMB, 0)} MB, ${fmtInt(r.packets)} packets`,
    );
    if (r.error) console.log(`         reader error: ${r.error}`);
    return r;
  };
  const runCli = async (i: number): Promise<Measured> => {
    const m = await measure(process.execPath, [cli, 'summary', file], false);
    console.log(`  cli    run ${i + 1}: process ${fmt(m.wallS, 2)} s wall, ${fmt(m.cpuS, 2)} s CPU, peak RSS ${fmt(m.peakRssMB, 0)} MB`);
    return m;
  };
  // The floor (bench/floor.mjs): the least a summary needs, in plain JavaScript, on this file.
  const floorScript = join(ROOT, 'bench', 'floor.mjs');
  const floorReads = littleEndianMicrosecondPcap(file);
  const runFloor = async (i: number): Promise<Measured> => {
    const m = await measure(process.execPath, [floorScript, file], false);
    console.log(`  floor  run ${i + 1}: process ${fmt(m.wallS, 2)} s wall, ${fmt(m.cpuS, 2)} s CPU`);
    return m;
  };
  const runTshark = async (i: number): Promise<Measured> => {
    const m = await measure('tshark', ['-r', file, '-n'], false);
    console.log(
      `  tshark run ${i + 1}: process ${fmt(m.wallS, 2)} s wall, ${fmt(m.cpuS, 2)} s CPU, peak RSS ${fmt(m.peakRssMB, 0)} MB`,
    );
    return m;
  };

  // Alternate, so that a busy spell on the machine hits both sides alike.
  const ours: OursRun[] = [];
  const cliRuns: Measured[] = [];
  const tshark: Measured[] = [];
  const floor: Measured[] = [];
  for (let i = 0; i < o.runs; i++) {
    ours.push(await runOurs(i));
    cliRuns.push(await runCli(i));
    if (floorReads) floor.push(await runFloor(i));
    if (o.tshark) tshark.push(await runTshark(i));
  }
  const packets = ours[0]!.packets;
  if (ours.some((r) => r.checksum !== ours[0]!.checksum)) console.log('  WARNING: runs disagree (checksum differs)');

  // tshark's start-up cost: the same command on a 1-packet slice of the file.
  const tsharkStart: Measured[] = [];
  if (o.tshark) {
    const dir = mkdtempSync(join(tmpdir(), 'pcap-ladder-bench-'));
    try {
      const one = join(dir, 'one.pcap');
      spawnSync('editcap', ['-F', 'pcap', '-r', file, one, '1'], { stdio: 'ignore' });
      if (existsSync(one)) {
        for (let i = 0; i < o.runs; i++) tsharkStart.push(await measure('tshark', ['-r', one, '-n'], false));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const c = /\t(\d+)/.exec(sh('capinfos', ['-c', '-M', '-T', file]));
    const capinfosPackets = c ? Number(c[1]) : NaN;
    if (capinfosPackets !== packets) console.log(`  WARNING: capinfos counts ${capinfosPackets} packets, ours ${packets}`);
  }
  const load1 = loadavg()[0]!;

  // Figures.
  const med = (xs: number[]) => median(xs);
  const best = (xs: number[]) => Math.min(...xs);
  const oursDecode = ours.map((r) => r.ms / 1000);
  const oursWall = ours.map((r) => r.wallS);
  const oursCpu = ours.map((r) => r.cpuS);
  const oursRss = med(ours.map((r) => r.peakRssMB));

  const rows: string[][] = [['', 'packets', 'MB', 'wall s', 'packets/s', 'MB/s', 'CPU s', 'peak RSS MB']];
  const row = (name: string, walls: number[], cpu: number[] | null, rss: number): string[] => {
    const s = med(walls);
    return [
      name,
      fmtInt(packets),
      fmt(mb, 1),
      `${fmt(s, 2)} (${fmt(best(walls), 2)})`,
      fmtInt(packets / s),
      fmt(mb / s, 1),
      cpu && cpu.every((x) => !Number.isNaN(x)) ? fmt(med(cpu), 2) : '-',
      rss > 0 ? fmt(rss, 0) : '-',
    ];
  };
  rows.push(row('ours: decode only', oursDecode, null, oursRss));
  rows.push(row('ours: whole process', oursWall, oursCpu, oursRss));
  const cliWall = cliRuns.map((m) => m.wallS);
  const cliCpu = cliRuns.map((m) => m.cpuS);
  rows.push(row('ours: cli summary FILE > /dev/null', cliWall, cliCpu, med(cliRuns.map((m) => m.peakRssMB))));
  const floorWall = floor.map((m) => m.wallS);
  if (floor.length) rows.push(row('floor: bench/floor.mjs (not a decoder)', floorWall, floor.map((m) => m.cpuS), med(floor.map((m) => m.peakRssMB))));

  const ratios: Record<string, number> = {};
  let tsWall: number[] = [];
  let tsDecode: number[] = [];
  if (tshark.length) {
    tsWall = tshark.map((m) => m.wallS);
    const tsCpu = tshark.map((m) => m.cpuS);
    const tsRss = med(tshark.map((m) => m.peakRssMB));
    rows.push(row('tshark -r FILE -n: whole process', tsWall, tsCpu, tsRss));
    if (tsharkStart.length) {
      const start = med(tsharkStart.map((m) => m.wallS));
      tsDecode = tsWall.map((w) => Math.max(0.001, w - start));
      rows.push(row(`tshark: minus start-up (${fmt(start, 2)} s)`, tsDecode, null, tsRss));
    }
    ratios.wallMedian = med(tsWall) / med(oursWall);
    ratios.wallBest = best(tsWall) / best(oursWall);
    if (tsDecode.length) ratios.decodeMedian = med(tsDecode) / med(oursDecode);
    if (oursCpu.every((x) => !Number.isNaN(x))) ratios.cpu = med(tsCpu) / med(oursCpu);
    ratios.cliWallMedian = med(tsWall) / med(cliWall);
    if (floor.length) ratios.floorWallMedian = med(tsWall) / med(floorWall);
  }

  console.log('\n' + table(rows) + '\n');
  if (tshark.length) {
    console.log('ours/tshark, packets/s (= tshark time / our time):');
    console.log(`  whole process, wall, median:              ${fmt(ratios.wallMedian!, 2)}×`);
    console.log(`  whole process, wall, best:                ${fmt(ratios.wallBest!, 2)}×`);
    if (ratios.decodeMedian !== undefined)
      console.log(`  decode only vs tshark minus start-up:     ${fmt(ratios.decodeMedian, 2)}×`);
    if (ratios.cpu !== undefined)
      console.log(`  whole process, CPU time (user+sys):       ${fmt(ratios.cpu, 2)}×`);
    console.log(`  cli summary printing every line, wall:    ${fmt(ratios.cliWallMedian!, 2)}×`);
    if (ratios.floorWallMedian !== undefined)
      console.log(`  the floor (least a summary needs), wall:  ${fmt(ratios.floorWallMedian, 2)}× (bench/floor.mjs: plain JavaScript doing the least a summary needs)`);
    const headline = ratios.wallMedian!;
    console.log(
      `target ≥ ${TARGET_RATIO}× tshark (whole process, median): ${headline >= TARGET_RATIO ? 'REACHED' : 'not reached'}` +
        ` — needs ours ≤ ${fmt(med(tsWall) / TARGET_RATIO, 2)} s for this file`,
    );
  }
  console.log(`load average: ${fmt(load0, 2)} at start, ${fmt(load1, 2)} at end`);

  let lines: LineAgreement | null = null;
  if (o.tshark) {
    lines = await linesAgainstTshark(cli, file);
    console.log(
      `\nsummary lines equal to tshark -r FILE -n: ${fmtInt(lines.equal)} of ${fmtInt(lines.total)} ` +
        `(${fmt((100 * lines.equal) / Math.max(1, lines.total), 3)}%; our " (SNI=…)" after Client Hello undone)`,
    );
    for (const [t, ours] of lines.differences) console.log(`  tshark: ${t}\n  ours:   ${ours}`);
  }

  const summary = {
    date: new Date().toISOString(),
    file: show(file),
    bytes: size,
    packets,
    tcpStreams: ours[0]!.tcpStreams,
    machine: { nproc: availableParallelism(), cpu: cpuModel, node: process.version, tshark: tsharkVersion },
    loadavg: [load0, load1],
    ours: ours.map(({ ms, wallS, cpuS, peakRssMB, maxRssMB, startupMs }) => ({ ms, wallS, cpuS, peakRssMB, maxRssMB, startupMs })),
    cli: cliRuns.map(({ wallS, cpuS, peakRssMB }) => ({ wallS, cpuS, peakRssMB })),
    floor: floor.map(({ wallS, cpuS }) => ({ wallS, cpuS })),
    tshark: tshark.map(({ wallS, cpuS, peakRssMB }) => ({ wallS, cpuS, peakRssMB })),
    tsharkStartup: tsharkStart.map(({ wallS }) => wallS),
    ratios,
    linesEqualToTshark: lines && { equal: lines.equal, total: lines.total },
  };
  // The same capture opened in the app, in Chromium (issue "2/6": first rows, full load, long tasks).
  // And the ladder of a 10k-packet session (issue "3/6": ≤ 0.5 s).
  let browser: (BrowserFigures & { ladder: LadderFigures }) | null = null;
  if (o.browser) {
    try {
      browser = await browserBench(file, Math.max(5, o.runs));
      printBrowserFigures(file, browser);
      printLadderFigures(browser.ladder);
    } catch (e) {
      console.log(`\nbrowser benchmark skipped: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
  }
  if (existsSync(OUT_DIR)) {
    writeFileSync(join(OUT_DIR, 'last-run.json'), JSON.stringify({ ...summary, browser }, null, 2) + '\n');
    console.log(`(results saved to ${relative(ROOT, join(OUT_DIR, 'last-run.json'))})`);
  }
}

main().catch((e: unknown) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
