// tshark run live on a corpus file, for the checks that compare with more than the stored
// references (.ci/run installs tshark).

import { spawnSync } from 'node:child_process';

/** tshark's output; it exits with an error on damaged files after printing their good frames. */
export function runTshark(args: string[]): string {
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  if (r.error) throw new Error(`tshark could not run (${r.error.message}); .ci/run installs it`);
  return r.stdout;
}
