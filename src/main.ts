import { mount } from 'svelte';
import App from './ui/App.svelte';
import { installTestHook } from './ui/test-hook';
import { mountPwa } from './ui/pwa/mount.js';
import './ui/theme.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
performance.mark('cnn-lens:main');
installTestHook();
export default mount(App, { target });
performance.mark('cnn-lens:mounted');
mountPwa();
