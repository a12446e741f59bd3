// Two builds of the app, timed against each other on the same capture, runs interleaved
// (A, B, A, B …) so that a busy spell on this shared machine hits both alike. Timings here swing
// by ±30% from one minute to the next: compare a change this way, not with runs made apart.
//
//   git stash && npx vite build --outDir /tmp/dist-a && git stash pop && npx vite build
//   npx tsx bench/ab-browser.ts /tmp/dist-a dist [--file bench/out/balancer-500k.pcap] [--runs 4]
//
// Prints, per build, the decoder's own load time, the app's first-rows time and the longest
// main-thread task of every run, then the medians.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { browserPath, waitForServer } from './browser.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Run {
  loadMs: number;
  firstRowsMs: number;
  longestTaskMs: number;
}

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args.splice(i, 2)[1]! : dflt;
};
const file = resolve(opt('--file', join(ROOT, 'bench', 'out', 'balancer-500k.pcap')));
const runs = Number(opt('--runs', '4'));
const [distA, distB] = args;
if (!distA || !distB || !existsSync(join(distA, 'index.html')) || !existsSync(join(distB, 'index.html')) || !existsSync(file)) {
  console.error('usage: npx tsx bench/ab-browser.ts DIST_A DIST_B [--file CAPTURE] [--runs N]  (two vite builds, a capture)');
  process.exit(1);
}

const builds = [
  { tag: 'A', dist: resolve(distA), port: 4401, runs: [] as Run[] },
  { tag: 'B', dist: resolve(distB), port: 4402, runs: [] as Run[] },
];
const servers = builds.map((b) =>
  spawn('npx', ['vite', 'preview', '--outDir', b.dist, '--host', '127.0.0.1', '--port', String(b.port), '--strictPort'], {
    cwd: ROOT,
    stdio: 'ignore',
    detached: true,
  }),
);
const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const browser = await chromium.launch({
  executablePath: browserPath(),
  args: [...(asRoot ? ['--no-sandbox'] : []), '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  for (const b of builds) await waitForServer(`http://127.0.0.1:${b.port}/`, 30_000);
  for (let i = 0; i < runs; i++) {
    for (const b of builds) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.addInitScript(() => {
        const w = window as unknown as { __longTasks: number[] };
        w.__longTasks = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) w.__longTasks.push(e.duration);
        }).observe({ type: 'longtask', buffered: true });
      });
      await page.goto(`http://127.0.0.1:${b.port}/`);
      const input = await page.getByLabel('Open capture file').elementHandle();
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(1000); // as bench/browser.ts: a user does not pick a file at once
      await page.evaluate(() => {
        (window as unknown as { __longTasks: number[] }).__longTasks.length = 0;
      });
      await input!.setInputFiles(file);
      await page.locator('[data-testid=status-load][data-ms]').waitFor({ timeout: 600_000 });
      const loadMs = Number(await page.locator('[data-testid=status-load]').getAttribute('data-ms'));
      const first = (await page.locator('[data-testid=status-first]').textContent()) ?? '';
      const m = /([\d.,]+)\s*(ms|s)/.exec(first);
      const firstRowsMs = m ? Number(m[1]!.replace(/,/g, '')) * (m[2] === 's' ? 1000 : 1) : NaN;
      const tasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
      b.runs.push({ loadMs, firstRowsMs, longestTaskMs: Math.max(0, ...tasks) });
      await page.close();
    }
  }
} finally {
  await browser.close();
  for (const s of servers) {
    try {
      process.kill(-s.pid!, 'SIGTERM');
    } catch {
      s.kill('SIGTERM');
    }
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
console.log(`${file}, ${runs} runs each, interleaved`);
for (const b of builds) {
  const list = b.runs.map((r) => `${r.loadMs.toFixed(0)}/${r.firstRowsMs.toFixed(0)}/${r.longestTaskMs.toFixed(0)}`).join('  ');
  console.log(`${b.tag} ${b.dist}`);
  console.log(`  runs (load / first rows / longest task, ms): ${list}`);
  console.log(
    `  median: load ${median(b.runs.map((r) => r.loadMs)).toFixed(0)} ms, first rows ${median(b.runs.map((r) => r.firstRowsMs)).toFixed(0)} ms, ` +
      `longest task ${median(b.runs.map((r) => r.longestTaskMs)).toFixed(0)} ms`,
  );
}
