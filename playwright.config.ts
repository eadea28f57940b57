import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';
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
  // Two projects: a desktop Chromium runs every spec except the phone one; an emulated phone (Pixel 7:
  // 412x839 portrait CSS pixels, device scale factor 2.625, touch, mobile user agent) runs only the
  // phone flows and the accessibility checks, which are meant for both (CI has 2 cores).
  projects: [
    { name: 'desktop', testIgnore: ['phone.spec.ts'] },
    {
      name: 'phone',
      testMatch: ['phone.spec.ts', 'a11y.spec.ts'],
      use: { ...devices['Pixel 7'], defaultBrowserType: 'chromium', browserName: 'chromium' },
    },
  ],
  webServer: {
    command: `npx vite build --logLevel warn && npx vite preview --port ${port} --strictPort`,
    url: `http://localhost:${port}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
  },
});
