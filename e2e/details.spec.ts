// Selecting a packet: the protocol tree (collapsed layers, keyboard, expansion remembered
// across packets) and the bytes pane (highlight of the selected field, click a byte → field).

import { expect, test } from '@playwright/test';
import { grid, openWithPicker, row, waitLoaded, webSessionFile } from './fixtures.ts';

test('selecting a packet shows its tree and the selected field’s bytes', async ({ page }) => {
  await page.goto('/');
  await openWithPicker(page, webSessionFile());
  await waitLoaded(page);

  await row(page, 8).click();
  await expect(row(page, 8)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('status-selected')).toHaveText('Selected: 8');
  const tree = page.getByRole('tree', { name: 'Packet 8 details' });
  await expect(tree).toBeVisible();

  // Layers are collapsed by default.
  const tcpLayer = tree.getByRole('treeitem', { name: /^Transmission Control Protocol, Src Port: 40001, Dst Port: 80/ });
  await expect(tcpLayer).toHaveAttribute('aria-expanded', 'false');
  await expect(tcpLayer).toHaveAttribute('aria-level', '1');

  // Keyboard: select the layer, → expands it, ↓ moves to its first field.
  await tcpLayer.click();
  await expect(tcpLayer).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(tcpLayer).toHaveAttribute('aria-expanded', 'true');
  const srcPort = tree.getByRole('treeitem', { name: 'Source Port: 40001' });
  await expect(srcPort).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await expect(srcPort).toHaveAttribute('aria-selected', 'true');

  // Its two bytes (40001 = 0x9c41 at offset 34) are highlighted.
  const hl = page.locator('.bytes .hb.hl');
  await expect(hl).toHaveText(['9c', '41']);
  await expect(hl.first()).toHaveAttribute('data-off', '34');
  await expect(page.getByTestId('bytes-selection')).toHaveText('tcp.srcport · 2 bytes at 34 (0x22)');

  // ← goes to the parent, ← again collapses it.
  await page.keyboard.press('ArrowLeft');
  await expect(tcpLayer).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(tcpLayer).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');

  // Another packet: the TCP layer stays expanded and the same field stays selected.
  await row(page, 9).click();
  const tree9 = page.getByRole('tree', { name: 'Packet 9 details' });
  await expect(tree9.getByRole('treeitem', { name: 'Source Port: 80' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('.bytes .hb.hl')).toHaveText(['00', '50']);

  // Clicking a byte selects the smallest field covering it and expands its ancestors.
  await page.locator('.bytes .hb[data-off="23"]').click(); // IPv4 protocol (6)
  const proto = tree9.getByRole('treeitem', { name: /^Protocol: TCP \(6\)/ });
  await expect(proto).toHaveAttribute('aria-selected', 'true');
  await expect(tree9.getByRole('treeitem', { name: /^Internet Protocol Version 4/ })).toHaveAttribute('aria-expanded', 'true');
  await expect(page.locator('.bytes .hb.hl')).toHaveText(['06']);
  await expect(page.locator('.bytes .ab.hl')).toHaveCount(1);
});

test('the list keyboard: arrows, Home/End and the selection kept visible', async ({ page }) => {
  await page.goto('/');
  await openWithPicker(page, webSessionFile());
  await waitLoaded(page);
  await grid(page).focus();
  await page.keyboard.press('ArrowDown');
  await expect(row(page, 1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(row(page, 3)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tree', { name: 'Packet 3 details' })).toBeVisible();
  await page.keyboard.press('End');
  await expect(row(page, 14)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowUp');
  await expect(row(page, 13)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Home');
  await expect(row(page, 1)).toHaveAttribute('aria-selected', 'true');
  await expect(grid(page)).toHaveAttribute('aria-activedescendant', 'pkt-row-0');
});
