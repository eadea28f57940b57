import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumExecutablePath } from './scripts/lib/chromium';
import { ROOT } from './scripts/lib/paths';

// Debian's Chromium by default; CHROMIUM_PATH points elsewhere, and PLAYWRIGHT_BUNDLED=1 uses
// Playwright's own downloaded browser for those who have one (scripts/lib/chromium.ts).
const executablePath = chromiumExecutablePath();

export const chromiumArgs = [
  '--no-sandbox',
  '--no-first-run',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: join(ROOT, 'e2e'),
  timeout: 120_000,
  expect: { timeout: 60_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: join(ROOT, 'test-results', 'e2e.json') }]],
  use: {
    baseURL: `http://localhost:${port}/`,
    launchOptions: { executablePath, args: chromiumArgs },
  },
  webServer: {
    command: `npx vite build --logLevel warn && npx vite preview --port ${port} --strictPort`,
    url: `http://localhost:${port}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
  },
});
