// Errors and warnings in the page: not a capture, a truncated file, malformed packets, and a
// decoder (worker) crash with "Reload file".

import { expect, test } from '@playwright/test';
import { writePcap } from '../src/capture/testing/writer.ts';
import { eth, ipv4, tcp } from '../src/dissect/testing/packets.ts';
import { grid, openWithPicker, row, tempFile, truncatedFile, waitLoaded, webSessionFile } from './fixtures.ts';

test('a file that is not a capture gives a clear error and the app stays usable', async ({ page }) => {
  const html = tempFile('page.html', '<!DOCTYPE html>\n<html><head><title>not a capture</title></head><body></body></html>\n');
  await page.goto('/');
  await openWithPicker(page, html);
  const banner = page.getByRole('alert').filter({ hasText: 'Could not open' });
  await expect(banner).toContainText('Could not open “page.html”');
  await expect(banner).toContainText('not a pcap or pcapng file (starts with 3c 21 44 4f');
  await expect(page.getByRole('heading', { name: 'Open a packet capture' })).toBeVisible();

  // Still usable: the next file opens and the error goes away.
  await openWithPicker(page, webSessionFile());
  await waitLoaded(page);
  await expect(banner).toHaveCount(0);
  await expect(row(page, 14)).toBeVisible();
});

test('a truncated file shows a warning and every whole packet', async ({ page }) => {
  const { path, wholePackets } = truncatedFile();
  await page.goto('/');
  await openWithPicker(page, path);
  await waitLoaded(page);
  const warning = page.locator('.banner-warning');
  await expect(warning).toHaveCount(1);
  await expect(warning).toContainText('“truncated.pcap”');
  await expect(warning).toContainText(`All ${wholePackets} whole packets are listed`);
  await expect(page.getByTestId('status-packets')).toHaveText(`Packets: ${wholePackets}`);
  await expect(grid(page).locator('[role="row"][data-num]')).toHaveCount(wholePackets);
  await expect(row(page, wholePackets)).toBeVisible();
  await warning.getByRole('button', { name: 'Dismiss' }).click();
  await expect(warning).toHaveCount(0);
});

test('malformed packets are counted and coloured by their rule', async ({ page }) => {
  const ip = ipv4(tcp({ sport: 1, dport: 2 }), { proto: 6 });
  const cut = eth(ip.subarray(0, 30)); // the TCP header cut to 10 bytes
  const file = tempFile('malformed.pcap', writePcap([{ data: eth(ipv4(tcp({}))) }, { data: cut }, { data: eth(ipv4(tcp({}))) }]));
  await page.goto('/');
  await openWithPicker(page, file);
  await waitLoaded(page);
  await expect(page.getByTestId('status-malformed')).toHaveText('Malformed: 1');
  await expect(row(page, 2)).toHaveClass(/\bc-1\b/);
  await expect(row(page, 2).getByRole('gridcell').last()).toContainText('[Malformed Packet]');
  // Painted with the Malformed rule's colours (light theme by default here).
  const bg = await row(page, 2).evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(bg).toBe('rgb(255, 95, 95)');
  await expect(row(page, 1)).not.toHaveClass(/\bc-1\b/);
});

test('a decoder crash shows a banner with Reload file, and reloading works', async ({ page }) => {
  // Serve a worker that crashes on the first "details" request, after loading normally.
  await page.route(/\/assets\/capture-worker-[^/?]+\.js$/, async (route) => {
    const url = new URL(route.request().url());
    await route.fulfill({
      contentType: 'text/javascript',
      body: `import ${JSON.stringify(url.pathname + '?real')};\nself.addEventListener('message', (e) => { if (e.data && e.data.type === 'details') throw new Error('simulated decoder crash'); });\n`,
    });
  });
  await page.goto('/');
  await openWithPicker(page, webSessionFile());
  await waitLoaded(page);
  await row(page, 3).click();
  const banner = page.getByRole('alert').filter({ hasText: 'The decoder stopped unexpectedly' });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('simulated decoder crash');
  // The page is not blank: the rows read so far are still listed.
  await expect(row(page, 1)).toBeVisible();

  await page.unroute(/\/assets\/capture-worker-[^/?]+\.js$/);
  await banner.getByRole('button', { name: 'Reload file' }).click();
  await waitLoaded(page);
  await expect(banner).toHaveCount(0);
  await row(page, 3).click();
  await expect(page.getByRole('tree', { name: 'Packet 3 details' })).toBeVisible();
});
