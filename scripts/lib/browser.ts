// Launches the project's Chromium (Debian's, or CHROMIUM_PATH / PLAYWRIGHT_BUNDLED as in
// playwright.config.ts) for one scene: optional fake camera file, WebGPU, camera permission.
import { chromium, type Browser } from '@playwright/test';
import config, { chromiumArgs } from '../../playwright.config';

export interface SceneOptions {
  /** Absolute path of a y4m file for the fake camera; omitted: no fake device. */
  fakeVideo?: string;
  /** Auto-accept the camera prompt (the fake UI). False: getUserMedia is denied. */
  acceptCamera?: boolean;
  /** --enable-unsafe-webgpu (SwiftShader in headless Chromium). */
  webgpu?: boolean;
  extraArgs?: string[];
}

export function sceneArgs(options: SceneOptions): string[] {
  const args = [...chromiumArgs];
  if (options.fakeVideo) args.push('--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${options.fakeVideo}`);
  if (options.acceptCamera ?? Boolean(options.fakeVideo)) args.push('--use-fake-ui-for-media-stream');
  if (options.webgpu) args.push('--enable-unsafe-webgpu');
  return [...args, ...(options.extraArgs ?? [])];
}

export function launchScene(options: SceneOptions = {}): Promise<Browser> {
  const executablePath = config.use?.launchOptions?.executablePath;
  return chromium.launch({ executablePath, args: sceneArgs(options), headless: true });
}
