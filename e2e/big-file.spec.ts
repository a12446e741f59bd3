// A capture over the size whose bytes the app keeps in memory (64 MiB): the decoder holds only
// the packet table and reads the packets on screen from the file again, reassembled PDUs
// included. A file that changes on disk afterwards (a capture still being written) keeps its
// list, with a banner and a note in Info where a packet cannot be read again.

import { appendFileSync, statSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { writePcap } from '../src/capture/testing/writer.ts';
import { TcpTalk } from '../src/ui/ladder/testing/talk.ts';
import { grid, row, tempFile, waitLoaded, openWithPicker } from './fixtures.ts';

const EXCHANGES = 16_500;
const BODY = 4000;
let file = '';
let packets = 0;

/** One keep-alive HTTP connection: each response is 3 segments (its PDU is reassembled). */
function bigCapture(): string {
  const t = new TcpTalk({ client: ['192.0.2.10', 50100], server: ['198.51.100.80', 80], t0: 1_700_000_000, step: 0.00001 });
  t.handshake();
  const body = 'b'.repeat(BODY);
  for (let i = 0; i < EXCHANGES; i++) {
    t.data(true, `GET /item/${i} HTTP/1.1\r\nHost: example.test\r\n\r\n`);
    const response = `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${BODY}\r\n\r\n${body}`;
    for (let o = 0; o < response.length; o += 1400) t.data(false, response.slice(o, o + 1400));
  }
  t.close();
  packets = t.packets.length;
  return tempFile('big.pcap', writePcap(t.packets));
}

test.beforeAll(() => {
  file = bigCapture();
});

async function goTo(page: Page, num: number): Promise<void> {
  await grid(page).focus();
  await page.keyboard.press('Control+g');
  const dialog = page.getByRole('dialog', { name: 'Go to packet' });
  await dialog.getByLabel('Packet number').fill(String(num));
  await page.keyboard.press('Enter');
  await expect(row(page, num)).toHaveAttribute('aria-selected', 'true');
}

/** Frame number of the segment that completes response `i` (handshake 3, then 4 frames per exchange). */
const responseEnd = (i: number) => 3 + 4 * i + 4;

test('a file over 64 MiB is read again as needed, and a change on disk is reported', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await openWithPicker(page, file);
  await waitLoaded(page);
  await expect(page.getByTestId('status-packets')).toHaveText(`Packets: ${packets.toLocaleString('en-US')}`);
  // The decoder holds the packet table (in the 64 MiB of column memory it may have made ready
  // before the file came), not the ~70 MB of packets: kept, they alone would be the file's size.
  const memory = Number(await page.getByTestId('status-memory').getAttribute('data-bytes'));
  expect(memory).toBeLessThan(statSync(file).size);

  // A response far into the file: its Info and its tree come from the three segments read again.
  const n = responseEnd(12_000);
  await goTo(page, n);
  await expect(row(page, n).getByRole('gridcell').nth(6)).toHaveText('HTTP/1.1 200 OK  (text/plain)');
  await expect(row(page, n - 1).getByRole('gridcell').nth(6)).toContainText('[TCP segment of a reassembled PDU]');
  const tree = page.getByRole('tree', { name: `Packet ${n} details` });
  await expect(tree.getByRole('treeitem', { name: /^\[3 Reassembled TCP Segments \(4\d{3} bytes\): #\d+\(1400\), #\d+\(1400\), #\d+\(\d+\)\]/ })).toBeVisible();
  await expect(tree.getByRole('treeitem', { name: /^Hypertext Transfer Protocol/ })).toBeVisible();

  // The file changes on disk: packets not read yet keep every column but Info.
  appendFileSync(file, new Uint8Array(16));
  const m = responseEnd(3_000);
  await goTo(page, m);
  await expect(page.getByRole('alert').filter({ hasText: 'Could not read packets of “big.pcap” again' })).toContainText('changed on disk');
  const cells = row(page, m).getByRole('gridcell');
  await expect(cells.nth(6)).toHaveText('[cannot read this packet from the file again]');
  await expect(cells.nth(2)).toHaveText('198.51.100.80');
  await expect(cells.nth(4)).toHaveText('HTTP');
  await expect(page.locator('.pane-empty').filter({ hasText: 'This packet could not be read from the file again' })).toHaveCount(2);
  // The page stays usable: the packets read before are still there.
  await goTo(page, n);
  await expect(row(page, n).getByRole('gridcell').nth(6)).toHaveText('HTTP/1.1 200 OK  (text/plain)');
});
