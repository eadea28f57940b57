// Which Chromium the browser tests and scripts launch: $CHROMIUM_PATH, else Debian's
// /usr/bin/chromium, else Playwright's own downloaded browser (PLAYWRIGHT_BUNDLED=1 forces that).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** For Playwright's launchOptions.executablePath: undefined means Playwright's own browser. */
export function chromiumExecutablePath(): string | undefined {
  if (process.env.PLAYWRIGHT_BUNDLED) return undefined;
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined;
}

/** The file that would be launched, and whether it starts; `problem` says why not. */
export function checkChromium(): { path: string; problem: string | null } {
  const path = chromiumExecutablePath() ?? chromium.executablePath();
  const origin = process.env.CHROMIUM_PATH && !process.env.PLAYWRIGHT_BUNDLED ? ' (from CHROMIUM_PATH)' : '';
  if (!existsSync(path)) return { path, problem: `no Chromium at ${path}${origin}` };
  const r = spawnSync(path, ['--headless', '--no-sandbox', '--version'], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) return { path, problem: `${path}${origin} does not start: ${(r.stderr || String(r.error ?? `exit ${r.status}`)).trim().split('\n')[0]}` };
  return { path, problem: null };
}

export const HOW_TO_GET_CHROMIUM = [
  'Get one of these, then run npm test again:',
  '  - Debian/Ubuntu: sudo apt-get install chromium   (used from /usr/bin/chromium)',
  "  - Playwright's own build: npx playwright install chromium, then PLAYWRIGHT_BUNDLED=1 npm test",
  '  - any Chromium or Chrome you have: CHROMIUM_PATH=/path/to/chrome npm test',
].join('\n');
