// A large capture built in the test (200,000 packets): scroll to the end with the keyboard,
// go to a packet (Ctrl+G), sort in the worker, switch the time format and the theme.

import { expect, test } from '@playwright/test';
import { grid, largeFile, largeSource, openWithPicker, row, waitLoaded } from './fixtures.ts';

const COUNT = 200_000;
let file = '';

test.beforeAll(() => {
  file = largeFile(COUNT);
});

test('200k packets: End, Ctrl+G, sorting, time formats', async ({ page }) => {
  await page.goto('/');
  await openWithPicker(page, file);
  await waitLoaded(page);
  await expect(page.getByTestId('status-packets')).toHaveText('Packets: 200,000');
  await expect(grid(page)).toHaveAttribute('aria-rowcount', String(COUNT + 1));
  // Only the visible window is in the DOM.
  expect(await grid(page).locator('[role="row"][data-num]').count()).toBeLessThan(120);

  // End: the last frame, selected and visible.
  await grid(page).focus();
  await page.keyboard.press('End');
  await expect(row(page, COUNT)).toBeVisible();
  await expect(row(page, COUNT)).toHaveAttribute('aria-selected', 'true');
  await expect(row(page, COUNT)).toHaveAttribute('aria-rowindex', String(COUNT + 1));
  await expect(page.getByRole('tree', { name: `Packet ${COUNT} details` })).toBeVisible();
  await page.keyboard.press('PageUp');
  await expect(grid(page).locator('[aria-selected="true"]')).toHaveAttribute('data-num', /^1999\d\d$/);
  await page.keyboard.press('Home');
  await expect(row(page, 1)).toHaveAttribute('aria-selected', 'true');

  // Ctrl+G: jump to a packet; an error for one that does not exist.
  await page.keyboard.press('Control+g');
  const dialog = page.getByRole('dialog', { name: 'Go to packet' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Packet number').fill('123456');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(row(page, 123456)).toBeVisible();
  await expect(row(page, 123456)).toHaveAttribute('aria-selected', 'true');
  await expect(grid(page)).toBeFocused();
  await page.keyboard.press('Meta+g');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Packet number').fill('999999');
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('alert')).toHaveText('There is no packet 999,999: the capture has 200,000 packets.');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // Sorting happens in the worker; the selected packet stays selected and in view.
  const numHeader = grid(page).getByRole('columnheader', { name: 'No.' });
  await numHeader.getByRole('button').click();
  await expect(numHeader).toHaveAttribute('aria-sort', 'descending');
  await expect(row(page, 123456)).toBeVisible();
  await expect(row(page, 123456)).toHaveAttribute('aria-rowindex', String(COUNT - 123456 + 2));
  await grid(page).focus();
  await page.keyboard.press('Home');
  await expect(grid(page).locator('[role="row"][aria-rowindex="2"]')).toHaveAttribute('data-num', String(COUNT));

  // Sources are scrambled 10.x.y.z addresses: sorted numerically, 10.0.0.1 first and the
  // largest (COUNT) last.
  const srcHeader = grid(page).getByRole('columnheader', { name: 'Source' });
  await srcHeader.getByRole('button').click();
  await expect(srcHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(numHeader).toHaveAttribute('aria-sort', 'none');
  await grid(page).focus();
  await page.keyboard.press('Home');
  const first = grid(page).locator('[role="row"][aria-rowindex="2"]');
  const frameOf = (src: string) => Array.from({ length: COUNT }, (_, i) => i).find((i) => largeSource(i, COUNT) === src)! + 1;
  await expect(first.getByRole('gridcell').nth(2)).toHaveText('10.0.0.1');
  await expect(first).toHaveAttribute('data-num', String(frameOf('10.0.0.1')));
  const second = grid(page).locator('[role="row"][aria-rowindex="3"]');
  await expect(second.getByRole('gridcell').nth(2)).toHaveText('10.0.0.2');
  await srcHeader.getByRole('button').click();
  await expect(srcHeader).toHaveAttribute('aria-sort', 'descending');
  await grid(page).focus();
  await page.keyboard.press('Home');
  // k = COUNT = 0x030d40 → 10.3.13.64
  await expect(first.getByRole('gridcell').nth(2)).toHaveText('10.3.13.64');
  await srcHeader.getByRole('button').click();
  await expect(srcHeader).toHaveAttribute('aria-sort', 'none');
  await grid(page).focus();
  await page.keyboard.press('Home');
  await expect(first).toHaveAttribute('data-num', '1');

  // Time display formats.
  const timeSelect = page.getByLabel('Time display format');
  const timeOf = (num: number) => row(page, num).getByRole('gridcell').nth(1);
  await expect(timeOf(2)).toHaveText('0.001000');
  await timeSelect.selectOption('epoch');
  await expect(timeOf(2)).toHaveText('1700000000.001000');
  await timeSelect.selectOption('utc');
  await expect(timeOf(2)).toHaveText('2023-11-14 22:13:20.001000');
  await timeSelect.selectOption('delta');
  await expect(timeOf(3)).toHaveText('0.001000');
  await page.reload();
  await expect(page.getByLabel('Time display format')).toHaveValue('delta');
  await page.getByLabel('Time display format').selectOption('relative');
});

test('cancel keeps the packets read so far', async ({ page }) => {
  // Large enough (4M packets, ~230 MB) that loading takes seconds: Cancel always arrives in time.
  const CANCEL_COUNT = 4_000_000;
  const big = largeFile(CANCEL_COUNT);
  await page.goto('/');
  await openWithPicker(page, big);
  const progress = page.getByRole('progressbar', { name: 'Reading capture' });
  await expect(progress).toBeVisible({ timeout: 5000 });
  await expect(progress).toHaveAttribute('aria-valuemax', /^\d+$/);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await waitLoaded(page);
  await expect(page.locator('[data-banner="cancelled"]')).toContainText('Loading was cancelled: showing the');
  const text = (await page.getByTestId('status-packets').textContent()) ?? '';
  const n = Number(text.replace(/\D/g, ''));
  expect(n).toBeGreaterThan(0);
  expect(n).toBeLessThan(CANCEL_COUNT);
  await grid(page).focus();
  await page.keyboard.press('End');
  await expect(row(page, n)).toHaveAttribute('aria-selected', 'true');
});
