// Every part of `npm run bench`, in the order they run.
import { alexnetPart } from './alexnet.js';
import { appBench } from './app.js';
import { browserOrt, browserPreprocess } from './browser-ort.js';
import { gpuPart } from './gpu.js';
import { ortNode } from './ort-node.js';
import { referencePart } from './reference.js';
import { referenceBrowserPart } from './reference-browser.js';
import { startupPart } from './startup.js';
import { teachPart } from './teach.js';
import type { BenchPart } from './types.js';

export const PARTS: BenchPart[] = [ortNode, browserOrt, browserPreprocess, referencePart, referenceBrowserPart, appBench, startupPart, gpuPart, alexnetPart, teachPart];
