// QUIC in the page: the worker's first pass (no Info texts) and the rows' second look must give
// tshark's lines, and the tree of an Initial must reach the TLS ClientHello inside it.

import { expect, test } from '@playwright/test';
import { writePcap } from '../src/capture/testing/writer.ts';
import { quicFrames } from '../src/dissect/testing/quic-scenario.ts';
import { hasTshark, openWithPicker, row, tempFile, tsharkRows, visibleRows, waitLoaded } from './fixtures.ts';

function quicFile(): string {
  const frames = quicFrames();
  return tempFile('quic.pcap', writePcap(frames.map((data, i) => ({ data, tsSec: 1_700_000_000, tsNsec: i * 1_000_000 })), { linkType: 1 }));
}

test('a QUIC capture: rows as tshark prints them, and the ClientHello inside an Initial', async ({ page }) => {
  const file = quicFile();
  await page.goto('/');
  await openWithPicker(page, file);
  await waitLoaded(page);

  const rows = await visibleRows(page);
  expect(rows.map((r) => r.protocol)).toEqual(new Array(rows.length).fill('QUIC'));
  expect(rows[1]!.info).toBe('Initial, DCID=8394c8f03e515708, SCID=c1c2c3c4, PKN: 1, CRYPTO, PADDING');
  expect(rows[3]!.info).toBe('Protected Payload (KP0), DCID=5e5e010203');
  if (hasTshark()) {
    const want = tsharkRows(file);
    expect(rows.map((r) => [r.num, r.source, r.destination, r.protocol, r.length, r.info])).toEqual(
      want.slice(0, rows.length).map((r) => [r.num, r.source, r.destination, r.protocol, r.length, r.info]),
    );
  }

  // The ClientHello completes in packet 2 (its second half came first, in packet 1).
  await row(page, 2).click();
  const tree = page.getByRole('tree', { name: 'Packet 2 details' });
  await tree.getByRole('treeitem', { name: 'QUIC IETF' }).first().click();
  await page.keyboard.press('ArrowRight');
  await tree.getByRole('treeitem', { name: 'CRYPTO' }).click();
  await page.keyboard.press('ArrowRight');
  await expect(tree.getByRole('treeitem', { name: /^\[2 Reassembled QUIC CRYPTO Data Fragments \(\d+ bytes\): #2\(600\), #1\(\d+\)\]$/ })).toBeVisible();
  const hello = tree.getByRole('treeitem', { name: 'TLSv1.3 Record Layer: Handshake Protocol: Client Hello' });
  await hello.click();
  // Its bytes are the reassembled message, a byte source of their own.
  await expect(page.getByRole('tab', { name: /Reassembled QUIC CRYPTO Data/ })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tab', { name: /Decrypted QUIC/ })).toBeVisible();
});
