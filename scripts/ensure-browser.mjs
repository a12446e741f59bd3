// Makes sure the end-to-end tests have a Chromium: $CHROMIUM_PATH, else a system Chromium
// (Debian's /usr/bin/chromium), else Playwright's own browser, installed once if missing.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { chromium } from '@playwright/test';

const system = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
const found = system.find((p) => existsSync(p));
if (found) {
  console.log(`e2e browser: ${found}`);
} else if (existsSync(chromium.executablePath())) {
  console.log(`e2e browser: Playwright's Chromium (${chromium.executablePath()})`);
} else {
  console.log('e2e browser: no Chromium found; installing Playwright\'s (npx playwright install chromium)');
  const r = spawnSync('npx', ['playwright', 'install', 'chromium'], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('Could not install a browser. Install Chromium, or set CHROMIUM_PATH to a Chromium binary.');
    process.exit(1);
  }
}
