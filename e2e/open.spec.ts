// Opening captures: the empty state, drag and drop, the file picker (rows checked against
// tshark), and the samples menu.

import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import {
  dragFileOver, dropDragged, grid, hasTshark, openWithPicker, parseTsharkLines, row, tempFile, tsharkRows, visibleRows, waitLoaded,
  WEB_SESSION_TSHARK, webSessionFile,
} from './fixtures.ts';

test('the empty state explains the app and offers the three ways to open a file', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Open a packet capture' })).toBeVisible();
  await expect(page.getByText('nothing is uploaded')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Choose a file…' })).toBeVisible();
  await expect(page.getByText('Drop a file anywhere on this page')).toBeVisible();
  const input = page.getByLabel('Open capture file');
  await expect(input).toHaveAttribute('type', 'file');
  await expect(page.getByRole('button', { name: 'Go to' })).toBeDisabled();
  await expect(page.getByText('No capture open')).toBeVisible();
  // The panes are already mounted under the empty state (so that the list's first render is
  // done before a file is picked), but nothing of them shows.
  await expect(page.getByRole('grid', { name: 'Packets' })).toHaveCount(0);
  await expect(page.locator('.panes')).toBeHidden();
  await expect(page.getByText('Select a packet to see its protocol tree.')).toBeHidden();
});

test('a file opened after the decoder has warmed up opens as one opened at once', async ({ page }) => {
  await page.goto('/');
  // The spare decoder worker touches its memory and decodes the warm-up samples, then the page
  // says so (the benchmark waits for this before it picks its file).
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-decoder', 'ready', { timeout: 30_000 });
  await openWithPicker(page, webSessionFile());
  await waitLoaded(page);
  await expect(html).not.toHaveAttribute('data-decoder', 'ready');
  await expect(grid(page)).toHaveAttribute('aria-rowcount', '15');
  await expect(row(page, 1).getByRole('gridcell').nth(6)).not.toBeEmpty();
});

test('dropping a file on the page shows the overlay and opens it', async ({ page }) => {
  await page.goto('/');
  await dragFileOver(page, 'dropped.pcap', new Uint8Array(readFileSync(webSessionFile())));
  await expect(page.getByTestId('drop-overlay')).toBeVisible();
  await expect(page.getByTestId('drop-overlay')).toContainText('Drop to open the capture');
  await dropDragged(page);
  await waitLoaded(page);
  await expect(page.getByTestId('drop-overlay')).toHaveCount(0);
  await expect(page.getByTestId('status-file')).toHaveText('dropped.pcap');
  await expect(grid(page)).toHaveAttribute('aria-rowcount', '15');
  await expect(grid(page).locator('[role="row"][data-num]')).toHaveCount(14);
});

test('the picker opens a capture and the rows match tshark', async ({ page }) => {
  const file = webSessionFile();
  await page.goto('/');
  await openWithPicker(page, file);
  await waitLoaded(page);
  await expect(page.getByTestId('status-packets')).toHaveText('Packets: 14');
  await expect(page.getByTestId('status-malformed')).toHaveText('Malformed: 0');
  const rows = await visibleRows(page);
  expect(rows.map((r) => r.num)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
  // Header semantics.
  const headers = grid(page).getByRole('columnheader');
  await expect(headers).toHaveText(['No.', 'Time', 'Source', 'Destination', 'Protocol', 'Length', 'Info']);
  await expect(headers.first()).toHaveAttribute('aria-sort', 'none');

  const expected = parseTsharkLines(WEB_SESSION_TSHARK);
  // Where tshark is installed, the copy of its output kept in fixtures.ts must still be what it prints.
  if (hasTshark()) expect(tsharkRows(file)).toEqual(expected);
  expect(expected).toHaveLength(14);
  for (const t of expected) {
    const r = rows[t.num - 1]!;
    expect.soft(r.source, `No. ${t.num} Source`).toBe(t.source);
    expect.soft(r.destination, `No. ${t.num} Destination`).toBe(t.destination);
    expect.soft(r.time, `No. ${t.num} Time`).toBe(t.time);
    expect.soft(r.length, `No. ${t.num} Length`).toBe(t.length);
    expect.soft(r.protocol, `No. ${t.num} Protocol`).toBe(t.protocol);
    expect.soft(r.info, `No. ${t.num} Info`).toBe(t.info);
  }
});

test('a gzip-compressed capture opens with the same rows as the plain one', async ({ page }) => {
  const plain = readFileSync(webSessionFile());
  const file = tempFile('web-session.pcap.gz', gzipSync(plain));
  await page.goto('/');
  await openWithPicker(page, file);
  await waitLoaded(page);
  await expect(page.getByTestId('status-packets')).toHaveText('Packets: 14');
  const rows = await visibleRows(page);
  const expected = parseTsharkLines(WEB_SESSION_TSHARK);
  expect(rows.map((r) => [r.num, r.protocol, r.info])).toEqual(expected.map((t) => [t.num, t.protocol, t.info]));
  // Details come from the kept (decompressed) bytes: offsets in a gzip file cannot be read again.
  await row(page, 8).click();
  await expect(page.getByRole('tree', { name: 'Packet 8 details' }).getByRole('treeitem', { name: /^Transmission Control Protocol/ })).toBeVisible();
});

test('the samples menu focuses its first item even when the list arrives after the menu opened', async ({ page }) => {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/samples/index.json', async (route) => {
    await held;
    await route.fulfill({ contentType: 'application/json', body: JSON.stringify([{ file: 'late.pcap', title: 'Late sample' }]) });
  });
  await page.goto('/');
  await page.getByRole('button', { name: 'Samples' }).click();
  const menu = page.getByRole('menu', { name: 'Load sample' });
  await expect(menu).toContainText('Loading');
  release();
  const item = menu.getByRole('menuitem', { name: /Late sample/ });
  await expect(item).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
});

test('the samples menu lists public/samples/index.json and opens a sample', async ({ page }) => {
  const indexPath = 'dist/samples/index.json';
  const samples: { file: string; title: string }[] = existsSync(indexPath) ? JSON.parse(readFileSync(indexPath, 'utf8')) : [];
  await page.goto('/');
  await page.getByRole('button', { name: 'Samples' }).click();
  const menu = page.getByRole('menu', { name: 'Load sample' });
  await expect(menu).toBeVisible();
  if (samples.length === 0) {
    await expect(menu).toContainText('No samples');
    return;
  }
  const items = menu.getByRole('menuitem');
  await expect(items).toHaveCount(samples.length);
  await expect(items.first()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await page.getByRole('button', { name: 'Samples' }).click();
  await menu.getByRole('menuitem').first().click();
  await waitLoaded(page);
  await expect(page.getByTestId('status-file')).toHaveText(samples[0]!.file);
  await expect(grid(page).locator('[role="row"][data-num="1"]')).toBeVisible();
});
