// The TCP sessions panel: one row per connection with its endpoints, counts, handshake and
// close states; sorting by every column; the quick filter; "Follow in list" and clearing it.

import { expect, test, type Page } from '@playwright/test';
import { merge, pcap, refusedPackets } from '../src/ui/ladder/testing/captures.ts';
import { openWithPicker, tempFile, waitLoaded, webSessionPackets } from './fixtures.ts';

let file = '';
test.beforeAll(() => {
  file = tempFile('sessions-demo.pcap', pcap(merge(webSessionPackets(), refusedPackets())));
});

const sessionsGrid = (page: Page) => page.getByRole('grid', { name: 'TCP sessions' });
const sessionRow = (page: Page, stream: number) => sessionsGrid(page).locator(`[role="row"][data-stream="${stream}"]`);
const cell = (page: Page, stream: number, col: string) => sessionRow(page, stream).locator(`[data-col="${col}"]`);

async function openPanel(page: Page): Promise<void> {
  await page.goto('/');
  await openWithPicker(page, file);
  await waitLoaded(page);
  await page.getByRole('button', { name: 'TCP sessions' }).click();
  await expect(sessionsGrid(page)).toBeVisible();
}

test('one row per TCP connection with endpoints, counts, handshake and close', async ({ page }) => {
  await openPanel(page);
  await expect(sessionsGrid(page).locator('[role="row"][data-stream]')).toHaveCount(2);
  await expect(cell(page, 0, 'client')).toHaveText('192.0.2.10:40001');
  await expect(cell(page, 0, 'server')).toHaveText('198.51.100.80:80');
  await expect(cell(page, 0, 'pktsOut')).toHaveText('6');
  await expect(cell(page, 0, 'pktsIn')).toHaveText('4');
  await expect(cell(page, 0, 'start')).toHaveText('0.005000');
  await expect(cell(page, 0, 'app')).toHaveText('HTTP');
  await expect(cell(page, 0, 'handshake')).toHaveText('complete');
  await expect(cell(page, 0, 'close')).toHaveText('FIN both ways');
  await expect(cell(page, 1, 'client')).toHaveText('192.0.2.10:40002');
  await expect(cell(page, 1, 'server')).toHaveText('198.51.100.80:81');
  await expect(cell(page, 1, 'handshake')).toHaveText('partial (SYN-ACK, ACK not captured)');
  await expect(cell(page, 1, 'close')).toHaveText('RST by server');
});

test('sorts by every column, filters, and follows a stream in the packet list', async ({ page }) => {
  await openPanel(page);
  const order = () => sessionsGrid(page).locator('[role="row"][data-stream]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-stream'))));
  const header = (name: string) => sessionsGrid(page).getByRole('columnheader', { name });
  const headers = ['#', 'Client', 'Server', 'Pkts →', 'Pkts ←', 'Bytes →', 'Bytes ←', 'Start', 'Duration', 'Application', 'Handshake', 'Close'];
  for (const name of headers) {
    await header(name).getByRole('button').click();
    await expect(header(name)).toHaveAttribute('aria-sort', 'ascending');
    const asc = await order();
    await header(name).getByRole('button').click();
    await expect(header(name)).toHaveAttribute('aria-sort', 'descending');
    const desc = await order();
    expect(asc.length).toBe(2);
    expect(desc.length).toBe(2);
    await header(name).getByRole('button').click();
    await expect(header(name)).toHaveAttribute('aria-sort', 'none');
  }
  // Bytes ← descending: the HTTP session (a response) before the refused one.
  await header('Bytes ←').getByRole('button').click();
  await header('Bytes ←').getByRole('button').click();
  expect(await order()).toEqual([0, 1]);
  await header('Handshake').getByRole('button').click();
  await header('Handshake').getByRole('button').click();
  expect(await order()).toEqual([1, 0]);

  // Quick filter.
  await page.getByLabel('Filter sessions').fill('rst');
  expect(await order()).toEqual([1]);
  await page.getByLabel('Filter sessions').fill('');
  expect((await order()).length).toBe(2);

  // Follow in list: the packet list shows stream 0 only, then everything again.
  await sessionRow(page, 0).getByRole('button', { name: 'Follow stream 0 in the packet list' }).click();
  await expect(page.getByTestId('status-displayed')).toHaveText('Displayed: 10');
  await expect(page.getByText('The packet list shows TCP stream 0 only.')).toBeVisible();
  await page.getByRole('button', { name: 'Show all packets' }).click();
  await expect(page.getByTestId('status-displayed')).toHaveText('Displayed: 16');

  // Keyboard (still sorted by handshake, descending): arrows move the active row, Space ticks
  // it, Enter opens its ladder.
  await sessionsGrid(page).focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Space');
  await expect(sessionRow(page, 1)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('button', { name: 'Host flow (1)' })).toBeEnabled();
  await page.keyboard.press('f');
  await expect(page.getByTestId('status-displayed')).toHaveText('Displayed: 2');
  await page.keyboard.press('f');
  await expect(page.getByTestId('status-displayed')).toHaveText('Displayed: 16');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('ladder')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Reset by server' })).toBeVisible();
});
