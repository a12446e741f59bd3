// The app's load of a large capture in a real Chromium, as a user would open it:
//   time to first rows, time to fully loaded, longest main-thread task, decoder memory; then the
//   ladder of a 10k-packet session (bench/ladder.ts).
//
//   npx tsx bench/browser.ts [FILE]      (npm run bench runs it after the decode benchmark)
//   LOADS=8 npx tsx bench/browser.ts     (loads measured; default 5, medians reported)
//
// Uses the built app (dist/, built first) served by `vite preview` on 127.0.0.1, and
// $CHROMIUM_PATH, /usr/bin/chromium or Playwright's Chromium.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import { chromiumCpu, cpuSplit, type CpuSplit } from './cpu-split.ts';
import { measureLadder, printLadderFigures, type LadderFigures } from './ladder.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PORT = 4391;

export interface BrowserFigures {
  packets: number;
  firstRowsMs: number;
  loadedMs: number;
  appLoadMs: number;
  appFirstRowsMs: number;
  longestTaskMs: number;
  longTasksOver100: number;
  memoryMB: number;
  /** CPU of every Chromium thread during the load (null where /proc is not there). */
  cpu: CpuSplit | null;
  /** Every load measured, in order (the figures above are medians, the longest task the longest). */
  runs?: { firstRowsMs: number; loadedMs: number; longestTaskMs: number }[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * `loads` loads of the same file, each in a fresh page: the shared 2-core machine makes one
 * load vary by ±10%. First rows and full load are medians; the longest task is the longest of
 * all; the CPU split is the one of the median load.
 */
export function summariseLoads(loads: BrowserFigures[]): BrowserFigures {
  const mid = [...loads].sort((a, b) => a.loadedMs - b.loadedMs)[Math.floor(loads.length / 2)]!;
  return {
    ...mid,
    firstRowsMs: median(loads.map((l) => l.firstRowsMs)),
    appFirstRowsMs: median(loads.map((l) => l.appFirstRowsMs)),
    longestTaskMs: Math.max(...loads.map((l) => l.longestTaskMs)),
    longTasksOver100: loads.reduce((n, l) => n + l.longTasksOver100, 0),
    runs: loads.map((l) => ({ firstRowsMs: l.firstRowsMs, loadedMs: l.loadedMs, longestTaskMs: l.longestTaskMs })),
  };
}

export function browserPath(): string | undefined {
  for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) if (p && existsSync(p)) return p;
  return undefined;
}

export async function waitForServer(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no server at ${url}`);
}

/** `vite preview` of a build directory on 127.0.0.1:`port`; stop() ends it. */
export function startPreview(distDir: string, port: number): { stop(): void } {
  const server = spawn('npx', ['vite', 'preview', '--outDir', distDir, '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    cwd: ROOT,
    stdio: 'ignore',
    detached: true,
  });
  return {
    stop() {
      try {
        process.kill(-server.pid!, 'SIGTERM');
      } catch {
        server.kill('SIGTERM');
      }
    },
  };
}

export function launchChromium(): Promise<Browser> {
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return chromium.launch({
    executablePath: browserPath(),
    args: [...(asRoot ? ['--no-sandbox'] : []), '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/**
 * Opens the app at `url` in a new page and loads `file` as a user would; the figures of that load.
 * The page is closed afterwards.
 */
export async function measureLoad(browser: Browser, url: string, file: string): Promise<BrowserFigures> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  try {
    // Record main-thread long tasks (> 50 ms) from the start.
    await page.addInitScript(() => {
      const w = window as unknown as { __longTasks: number[]; __longTaskStarts: number[] };
      w.__longTasks = [];
      w.__longTaskStarts = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          w.__longTasks.push(e.duration);
          w.__longTaskStarts.push(e.startTime);
        }
      }).observe({ type: 'longtask', buffered: true });
      // When the first row and the "Loaded in" status enter the page, by the page's own clock
      // (Playwright's polling would add up to a few hundred ms to what it observes).
      const seen: { row?: number; loaded?: number } = {};
      (window as unknown as { __seen: typeof seen }).__seen = seen;
      // A first row with its data (data-num): the list shows placeholder rows before the data comes.
      // (No named functions in here: tsx wraps them in a helper the page does not have.)
      new MutationObserver(() => {
        const t = performance.now();
        if (seen.row === undefined && document.querySelector('[role=grid][aria-label="Packets"] [role=row][aria-rowindex="2"][data-num]')) seen.row = t;
        if (seen.loaded === undefined && document.querySelector('[data-testid=status-load][data-ms]')) seen.loaded = t;
      }).observe(document, { subtree: true, childList: true, attributes: true });
    });
    await page.goto(url);
    await page.getByLabel('Open capture file').waitFor({ state: 'attached' });
    // A user takes a few seconds to pick a file; meanwhile the app's spare decoder worker touches
    // its column memory and warms up (~3–4 s here), then says so (<html data-decoder="ready">).
    // The file is picked then (at most 15 s after the page loaded), plus a moment for the page's
    // own idle-time preparations: picking at once would time that start-up, not the load.
    await page.waitForLoadState('networkidle');
    const ready = await page.locator('html[data-decoder=ready]').waitFor({ state: 'attached', timeout: 15_000 }).then(() => true, () => false);
    if (!ready) process.stderr.write('warning: the app did not say its decoder was ready within 15 s; picking the file anyway\n');
    await page.waitForTimeout(Number(process.env.BENCH_SETTLE_MS ?? 500));
    await page.evaluate(() => {
      const w = window as unknown as { __longTasks: number[]; __longTaskStarts: number[] };
      w.__longTasks.length = 0;
      w.__longTaskStarts.length = 0;
    });
    // Find the input first: Playwright's own element lookup runs in the page and is not the app's work.
    const input = await page.getByLabel('Open capture file').elementHandle();
    const pickedAt = await page.evaluate(() => performance.now());
    const cpuBefore = chromiumCpu();
    const t0 = Date.now();
    await input!.setInputFiles(file);
    await page.locator('[role=grid][aria-label="Packets"] [role=row][aria-rowindex="2"][data-num]').waitFor({ timeout: 120_000 });
    await page.locator('[data-testid=status-load][data-ms]').waitFor({ timeout: 600_000 });
    const cpuAfter = chromiumCpu();
    const seen = await page.evaluate(() => (window as unknown as { __seen: { row?: number; loaded?: number } }).__seen);
    const observedMs = Date.now() - t0;
    const firstRowsMs = (seen.row ?? NaN) - pickedAt;
    const loadedMs = (seen.loaded ?? NaN) - pickedAt;
    if (process.env.BENCH_DEBUG) console.log(`fully loaded as Playwright saw it: ${observedMs} ms`);
    const appLoadMs = Number(await page.locator('[data-testid=status-load]').getAttribute('data-ms'));
    const firstText = (await page.locator('[data-testid=status-first]').textContent()) ?? '';
    const appFirstRowsMs = parseDuration(firstText.replace(/^First rows in\s*/, ''));
    const memoryBytes = Number(await page.locator('[data-testid=status-memory]').getAttribute('data-bytes'));
    const packetsText = (await page.locator('[data-testid=status-packets] strong').textContent()) ?? '0';
    const tasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);
    const starts = await page.evaluate(() => (window as unknown as { __longTaskStarts: number[] }).__longTaskStarts);
    if (process.env.BENCH_DEBUG) console.log('long tasks (ms after the pick: duration):', tasks.map((d, i) => `${(starts[i]! - pickedAt).toFixed(0)}: ${d.toFixed(0)}`).join(', '));
    return {
      packets: Number(packetsText.replace(/[^\d]/g, '')),
      firstRowsMs,
      loadedMs,
      appLoadMs,
      appFirstRowsMs,
      longestTaskMs: tasks.length ? Math.max(...tasks) : 0,
      longTasksOver100: tasks.filter((d) => d > 100).length,
      memoryMB: memoryBytes / 2 ** 20,
      cpu: cpuBefore && cpuAfter ? cpuSplit(cpuBefore, cpuAfter) : null,
    };
  } finally {
    await page.close();
  }
}

/** Builds the app into dist/ from the sources as they are (a dist/ left from earlier would time old code). */
export function ensureBuilt(): void {
  console.log('building the app (vite build)…');
  const b = spawnSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
  if (b.status !== 0) throw new Error('vite build failed');
}

/** `loads` loads of `file` (medians reported), then the ladder of a 10k-packet session (bench/ladder.ts). */
export async function browserBench(file: string, loads = 5): Promise<BrowserFigures & { ladder: LadderFigures }> {
  ensureBuilt();
  const server = startPreview(join(ROOT, 'dist'), PORT);
  const browser = await launchChromium();
  try {
    await waitForServer(`http://127.0.0.1:${PORT}/`, 30_000);
    const all: BrowserFigures[] = [];
    for (let i = 0; i < loads; i++) all.push(await measureLoad(browser, `http://127.0.0.1:${PORT}/`, file));
    return { ...summariseLoads(all), ladder: await measureLadder(browser, `http://127.0.0.1:${PORT}/`) };
  } finally {
    await browser.close();
    server.stop();
  }
}

function parseDuration(s: string): number {
  const m = /([\d.,]+)\s*(ms|s)/.exec(s);
  if (!m) return NaN;
  const v = Number(m[1]!.replace(/,/g, ''));
  return m[2] === 's' ? v * 1000 : v;
}

export function printBrowserFigures(file: string, f: BrowserFigures): void {
  const mb = statSync(file).size / 1e6;
  const n = f.runs?.length ?? 1;
  const each = (k: 'firstRowsMs' | 'loadedMs' | 'longestTaskMs') => (f.runs ? `; runs: ${f.runs.map((r) => r[k].toFixed(0)).join(', ')}` : '');
  console.log(`\nIn Chromium (the built app, file picked with the "Open capture file" input): ${f.packets.toLocaleString('en-US')} packets, ${mb.toFixed(1)} MB, ${n} load${n === 1 ? '' : 's'} (medians)`);
  console.log(`  first rows in the page    ${f.firstRowsMs.toFixed(0).padStart(6)} ms   (target ≤ 300; the app's own figure: ${f.appFirstRowsMs.toFixed(0)} ms${each('firstRowsMs')})`);
  console.log(`  fully loaded              ${f.loadedMs.toFixed(0).padStart(6)} ms   (target ≤ 1500; decoder's own figure: ${f.appLoadMs.toFixed(0)} ms${each('loadedMs')})`);
  console.log(`  longest main-thread task  ${f.longestTaskMs.toFixed(0).padStart(6)} ms   (target: none > 100, in any load; tasks > 100 ms: ${f.longTasksOver100}${each('longestTaskMs')})`);
  console.log(`  decoder memory (estimate) ${f.memoryMB.toFixed(0).padStart(6)} MB`);
  if (f.cpu) {
    const cores = availableParallelism();
    console.log(`  CPU of all Chromium threads during the load: ${f.cpu.totalMs.toFixed(0)} ms on ${cores} cores (the load cannot take less than ${(f.cpu.totalMs / cores).toFixed(0)} ms)`);
    for (const [group, ms] of f.cpu.groups) {
      const detail = group.startsWith('workers') ? ` (${f.cpu.workersMs.map((x) => x.toFixed(0)).join(' + ')})` : '';
      console.log(`    ${group.padEnd(62)} ${ms.toFixed(0).padStart(6)} ms${detail}`);
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const file = resolve(process.argv[2] ?? join(ROOT, 'bench', 'out', 'balancer-500k.pcap'));
  if (!existsSync(file)) {
    console.error(`no capture at ${file} (npm run bench records one)`);
    process.exit(1);
  }
  browserBench(file, Number(process.env.LOADS ?? 5)).then(
    (f) => {
      printBrowserFigures(file, f);
      printLadderFigures(f.ladder);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
