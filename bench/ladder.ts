// The ladder of a 10,000-packet TCP session in Chromium: time from the click on the session to
// the first paint of its diagram, and the render times of the collapsed and fully expanded
// ladder, as the app itself records them (data-first-paint-ms, data-render-ms). Target: each
// ≤ 0.5 s. A benchmark, not a test assertion: timings on a shared machine swing too much for that.
//
// Run by `npm run bench` and `npx tsx bench/browser.ts`, after the load benchmark.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { pcap, sessionOfCount } from '../src/ui/ladder/testing/captures.ts';

export interface LadderFigures {
  runs: { firstPaintMs: number; collapsedRenderMs: number; expandedRenderMs: number }[];
}

/** Opens the 10k-packet session `runs` times in fresh pages of the app at `url`. */
export async function measureLadder(browser: Browser, url: string, runs = 3): Promise<LadderFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'pcap-ladder-bench-'));
  const file = join(dir, 'ladder-10k.pcap');
  writeFileSync(file, pcap(sessionOfCount(10_000)));
  const out: LadderFigures = { runs: [] };
  try {
    for (let i = 0; i < runs; i++) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      try {
        await page.goto(url);
        await page.getByLabel('Open capture file').setInputFiles(file);
        await page.getByTestId('status-load').filter({ hasText: /Loaded in/ }).waitFor({ timeout: 60_000 });
        await page.getByRole('button', { name: 'TCP sessions' }).click();
        const ladder = page.getByTestId('ladder');
        await page.getByRole('grid', { name: 'TCP sessions' }).locator('[role="row"][data-stream="0"]').click();
        await ladder.getByRole('button', { name: /^#1 / }).waitFor();
        const firstPaintMs = Number(await ladder.getAttribute('data-first-paint-ms'));
        const collapsedRenderMs = Number(await ladder.getAttribute('data-render-ms'));
        await ladder.getByRole('button', { name: 'Expand all' }).click();
        await page.waitForFunction(() => /^\d{5}$/.test(document.querySelector('[data-testid=ladder]')?.getAttribute('data-rows') ?? ''));
        const expandedRenderMs = Number(await ladder.getAttribute('data-render-ms'));
        out.runs.push({ firstPaintMs, collapsedRenderMs, expandedRenderMs });
      } finally {
        await page.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

export function printLadderFigures(f: LadderFigures): void {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  const row = (label: string, xs: number[]) =>
    console.log(`  ${label.padEnd(34)}${median(xs).toFixed(0).padStart(6)} ms   (runs: ${xs.map((x) => x.toFixed(0)).join(', ')}; target ≤ 500)`);
  console.log(`\nLadder of a 10,000-packet TCP session (median of ${f.runs.length}):`);
  row('click → first paint', f.runs.map((r) => r.firstPaintMs));
  row('render, collapsed', f.runs.map((r) => r.collapsedRenderMs));
  row('render, all 10,000 rows expanded', f.runs.map((r) => r.expandedRenderMs));
}
