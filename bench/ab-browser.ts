// Two (or more) builds of the app, timed against each other on the same capture, runs interleaved
// (A, B, A, B …) so that a busy spell on this shared machine hits both alike. Timings here swing
// by ±30% from one minute to the next: compare a change this way, not with runs made apart.
//
//   git stash && npx vite build --outDir /tmp/dist-a && git stash pop && npx vite build
//   npx tsx bench/ab-browser.ts /tmp/dist-a dist [--file bench/out/balancer-500k.pcap] [--runs 4]
//
// Each run is bench/browser.ts's measureLoad(). Prints, per build, every run's full load (page
// clock), first rows and longest main-thread task, then the medians.

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, measureLoad, startPreview, waitForServer, type BrowserFigures } from './browser.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args.splice(i, 2)[1]! : dflt;
};
const file = resolve(opt('--file', join(ROOT, 'bench', 'out', 'balancer-500k.pcap')));
const runs = Number(opt('--runs', '4'));
if (args.length < 2 || args.some((d) => !existsSync(join(d, 'index.html'))) || !existsSync(file)) {
  console.error('usage: npx tsx bench/ab-browser.ts DIST_A DIST_B [DIST_C …] [--file CAPTURE] [--runs N]  (vite builds, a capture)');
  process.exit(1);
}

const builds = args.map((dist, i) => ({ tag: String.fromCharCode(65 + i), dist: resolve(dist), port: 4401 + i, runs: [] as BrowserFigures[] }));
const servers = builds.map((b) => startPreview(b.dist, b.port));
const browser = await launchChromium();
try {
  for (const b of builds) await waitForServer(`http://127.0.0.1:${b.port}/`, 30_000);
  for (let i = 0; i < runs; i++) {
    for (const b of builds) b.runs.push(await measureLoad(browser, `http://127.0.0.1:${b.port}/`, file));
  }
} finally {
  await browser.close();
  for (const s of servers) s.stop();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
console.log(`${file}, ${runs} runs each, interleaved`);
for (const b of builds) {
  const list = b.runs.map((r) => `${r.loadedMs.toFixed(0)}/${r.firstRowsMs.toFixed(0)}/${r.longestTaskMs.toFixed(0)}`).join('  ');
  console.log(`${b.tag} ${b.dist}`);
  console.log(`  runs (loaded / first rows / longest task, ms): ${list}`);
  console.log(
    `  median: loaded ${median(b.runs.map((r) => r.loadedMs)).toFixed(0)} ms, first rows ${median(b.runs.map((r) => r.firstRowsMs)).toFixed(0)} ms, ` +
      `longest task ${median(b.runs.map((r) => r.longestTaskMs)).toFixed(0)} ms`,
  );
  const cpu = b.runs.map((r) => r.cpu).filter((c) => c !== null);
  if (cpu.length) {
    console.log(
      `  median CPU of all Chromium threads: ${median(cpu.map((c) => c.totalMs)).toFixed(0)} ms; ` +
        `busiest worker (the decoder): ${median(cpu.map((c) => c.workersMs[0] ?? 0)).toFixed(0)} ms`,
    );
  }
}
