// Look and feel: theme toggle (remembered), colour legend, column resizing (remembered).

import { expect, test } from '@playwright/test';
import { grid, openWithPicker, row, waitLoaded, webSessionFile } from './fixtures.ts';

test('the theme follows the system, toggles and is remembered', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).toBe('rgb(13, 16, 21)');
});

test('the colour legend lists the rules and colouring can be turned off', async ({ page }) => {
  await page.goto('/');
  await openWithPicker(page, webSessionFile());
  await waitLoaded(page);
  await page.getByRole('button', { name: 'Colours' }).click();
  const legend = page.getByRole('dialog', { name: 'Colouring rules' });
  await expect(legend).toBeVisible();
  await expect(legend.getByRole('listitem')).toHaveCount(15);
  await expect(legend.getByRole('listitem').filter({ hasText: 'TCP SYN/FIN' })).toContainText('tcp.flags & 0x03');
  const synBg = () => row(page, 5).evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(await synBg()).toBe('rgb(160, 160, 160)');
  await legend.getByLabel('Colour the packet list').uncheck();
  expect(await synBg()).toBe('rgba(0, 0, 0, 0)');
  await legend.getByLabel('Colour the packet list').check();
  await page.keyboard.press('Escape');
  await expect(legend).toHaveCount(0);
});

test('columns resize by dragging and keep their width', async ({ page }) => {
  await page.goto('/');
  await openWithPicker(page, webSessionFile());
  await waitLoaded(page);
  const header = grid(page).getByRole('columnheader', { name: 'Source' });
  const before = (await header.boundingBox())!.width;
  const handle = grid(page).getByRole('separator', { name: 'Resize column Source' });
  const box = (await handle.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 60, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  const after = (await header.boundingBox())!.width;
  expect(after).toBeGreaterThan(before + 40);
  const cell = row(page, 1).getByRole('gridcell').nth(2);
  expect(Math.round((await cell.boundingBox())!.width)).toBe(Math.round(after));
  await page.reload();
  await openWithPicker(page, webSessionFile());
  await waitLoaded(page);
  expect(Math.round((await grid(page).getByRole('columnheader', { name: 'Source' }).boundingBox())!.width)).toBe(Math.round(after));
});
