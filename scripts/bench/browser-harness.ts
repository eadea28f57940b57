// One served copy of the app plus the benchmark page (bench.html) per bench run, and Chromium
// launches with the project's executable and flags.
import type { Browser } from '@playwright/test';
import { launchScene } from '../lib/browser.js';
import { serveApp, type Served } from '../lib/preview.js';

let served: Served | null = null;

export async function previewUrl(): Promise<string> {
  served ??= await serveApp({ bench: true });
  return served.url;
}

export function launch(extraArgs: string[] = []): Promise<Browser> {
  return launchScene({ extraArgs });
}

export async function closeServer(): Promise<void> {
  await served?.close();
  served = null;
}
