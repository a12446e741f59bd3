// Bundles a TypeScript entry point (the CLI, the bench's decoder) into one ES module for plain
// Node, so that a run does not pay for compiling TypeScript on the fly: `tsx` costs ~0.5 s of
// start-up per process, which the bench counts in its whole-process time and a CLI user waits
// for on every file. The bundle is remade when one of the files it was made from changed
// (esbuild's metafile lists them), and written atomically so that parallel runs do not clash.

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = join(ROOT, 'node_modules', '.cache', 'pcap-ladder');

/** True when `out` exists and is newer than every input recorded beside it. */
function fresh(out, inputsFile) {
  if (!existsSync(out) || !existsSync(inputsFile)) return false;
  const built = statSync(out).mtimeMs;
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(inputsFile, 'utf8'));
  } catch {
    return false;
  }
  for (const f of inputs) {
    const p = join(ROOT, f);
    if (!existsSync(p) || statSync(p).mtimeMs > built) return false;
  }
  return true;
}

/** Path of an up-to-date bundle of `entry` (relative to the repo root), named `name`.mjs. */
export async function ensureBundle(entry, name) {
  const out = join(OUT_DIR, `${name}.mjs`);
  const inputsFile = join(OUT_DIR, `${name}.inputs.json`);
  if (fresh(out, inputsFile)) return out;
  // Made under its final name (the source map's link names the bundle's file) in a directory of
  // its own beside OUT_DIR (the same depth, so the map's relative source paths stay right), then
  // moved into place: parallel runs do not clash.
  const tmpDir = `${OUT_DIR}.tmp-${process.pid}`;
  mkdirSync(tmpDir, { recursive: true });
  mkdirSync(OUT_DIR, { recursive: true });
  const tmp = join(tmpDir, `${name}.mjs`);
  // esbuild is loaded only to build: a run of an up-to-date bundle does not pay for it.
  const { build } = await import('esbuild');
  // Stamped with the time the sources were read: an edit made while bundling remakes it next time.
  const started = new Date();
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: tmp,
    // A linked map, not an inline one: Node scans the whole file on every start, and an inline
    // map (3 MB of base64) cost ~85 ms of each run's start-up. `node --enable-source-maps`
    // still finds it for stack traces in TypeScript terms.
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'error',
  });
  // Sources by name; bundled packages through the lock file (an upgrade changes it).
  const inputs = [...Object.keys(result.metafile.inputs).filter((f) => !f.startsWith('node_modules/')), 'package-lock.json'];
  writeFileSync(`${inputsFile}.${process.pid}.tmp`, JSON.stringify(inputs));
  renameSync(`${inputsFile}.${process.pid}.tmp`, inputsFile);
  utimesSync(tmp, started, started);
  renameSync(`${tmp}.map`, `${out}.map`);
  renameSync(tmp, out);
  rmSync(tmpDir, { recursive: true, force: true });
  return out;
}
