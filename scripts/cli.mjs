// `npm run cli`: runs the command-line tool (src/cli/main.ts) from a bundle made by
// scripts/bundle.mjs, remade only when the sources change.

import { pathToFileURL } from 'node:url';
import { ensureBundle } from './bundle.mjs';

await import(pathToFileURL(await ensureBundle('src/cli/main.ts', 'cli')).href);
