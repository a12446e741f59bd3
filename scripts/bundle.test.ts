import { copyFileSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBundle } from './bundle.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'pcap-ladder-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let copies = 0;
/** The bundle's export, imported from a copy with a name of its own (no module cache can answer for it). */
async function valueOf(bundle: string): Promise<number> {
  const copy = join(dir, `bundle-${++copies}.mjs`);
  copyFileSync(bundle, copy);
  const m = (await import(pathToFileURL(copy).href)) as { value: number };
  return m.value;
}

describe('ensureBundle', () => {
  it('bundles once, and again only when a source it was made from changes', async () => {
    const dep = join(dir, 'dep.ts');
    const entry = join(dir, 'entry.ts');
    writeFileSync(dep, 'export const base: number = 1;\n');
    writeFileSync(entry, "import { base } from './dep.ts';\nexport const value = base * 10;\n");
    const name = `test-${process.pid}`;
    const rel = relative(ROOT, entry);
    const first = await ensureBundle(rel, name);
    expect(await valueOf(first)).toBe(10);
    const made = statSync(first).mtimeMs;
    expect(await ensureBundle(rel, name)).toBe(first);
    expect(statSync(first).mtimeMs).toBe(made); // not remade
    writeFileSync(dep, 'export const base: number = 2;\n');
    const later = new Date(made + 5000);
    utimesSync(dep, later, later);
    const again = await ensureBundle(rel, name);
    expect(await valueOf(again)).toBe(20);
    rmSync(again);
    rmSync(again.replace(/\.mjs$/, '.inputs.json'));
  });
});
