// Mounts the PWA's own UI (the update banner) into a container of its own, beside the app.
import { mount } from 'svelte';
import { startPwa } from '../../pwa/register.js';
import UpdatePrompt from './UpdatePrompt.svelte';

export function mountPwa(): void {
  const { updates } = startPwa();
  if (!updates) return;
  const target = document.createElement('div');
  target.id = 'pwa';
  document.body.append(target);
  mount(UpdatePrompt, { target, props: { updates } });
}
