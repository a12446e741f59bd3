// Takes screenshots of the built app for a visual check (not a test):
//
//   npm run build && npx vite preview --port 4318 &
//   npx tsx e2e/screenshots.ts [http://127.0.0.1:4318] [capture-file]
//
// Writes /tmp/shots/*.png at 1440×900: empty state, a loaded capture (light and dark), details
// with a byte highlight, loading progress, the colour legend, "Go to packet", and an error banner.

import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { largeFile } from './fixtures.ts';

const base = process.argv[2] ?? 'http://127.0.0.1:4318';
const out = '/tmp/shots';
mkdirSync(out, { recursive: true });

function captureFile(): string {
  if (process.argv[3]) return process.argv[3];
  const dir = 'public/samples';
  const f = existsSync(dir) ? readdirSync(dir).find((n) => /\.pcap(ng)?$/.test(n)) : undefined;
  if (!f) throw new Error('pass a capture file as the second argument');
  return join(dir, f);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(250);
  await page.screenshot({ path: join(out, `${name}.png`) });
  console.log(join(out, `${name}.png`));
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
  args: asRoot ? ['--no-sandbox'] : [],
});

for (const scheme of ['light', 'dark'] as const) {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: scheme });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('pageerror', e));
  page.on('console', (m) => m.type() === 'error' && console.error('console', m.text()));
  await page.goto(base);
  await page.getByText('Open a packet capture').waitFor();
  await shot(page, `empty-${scheme}`);

  await page.getByLabel('Open capture file').setInputFiles(captureFile());
  await page.locator('[data-testid="status-load"]', { hasText: 'Loaded' }).waitFor();
  await shot(page, `loaded-${scheme}`);

  // Select the 4th row, open its TCP layer and select the source port: its bytes light up.
  await page.locator('.plist-row[aria-rowindex="5"]').click();
  const tcpLayer = page.getByRole('treeitem', { name: /^Transmission Control Protocol/ });
  await tcpLayer.click();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await shot(page, `details-${scheme}`);

  if (scheme === 'light') {
    // Mid-load: progress bar, Cancel, rows already listed.
    await page.getByLabel('Open capture file').setInputFiles(largeFile(400_000));
    await page.locator('.plist-row[data-num="1"]').waitFor();
    await page.screenshot({ path: join(out, 'loading-light.png') });
    console.log(join(out, 'loading-light.png'));
    await page.locator('[data-testid="status-load"]', { hasText: 'Loaded' }).waitFor({ timeout: 60_000 });
    await page.getByLabel('Open capture file').setInputFiles(captureFile());
    await page.locator('[data-testid="status-load"]', { hasText: 'Loaded' }).waitFor();
    await page.locator('.plist-row[aria-rowindex="5"]').click();
    await page.getByRole('button', { name: 'Colours' }).click();
    await shot(page, 'legend-light');
    await page.keyboard.press('Escape');
    await page.locator('.plist').focus();
    await page.keyboard.press('Control+g');
    await page.getByLabel('Packet number').fill('99999');
    await page.keyboard.press('Enter');
    await shot(page, 'goto-light');
    await page.keyboard.press('Escape');
  }

  const garbage = join(tmpdir(), 'not-a-capture.html');
  writeFileSync(garbage, '<!DOCTYPE html><html><body>hello</body></html>');
  await page.getByLabel('Open capture file').setInputFiles(garbage);
  await page.getByRole('alert').first().waitFor();
  await shot(page, `error-${scheme}`);
  await ctx.close();
}
await browser.close();
