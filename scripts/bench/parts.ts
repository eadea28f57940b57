// Every part of `npm run bench`, in the order they run.
import { browserOrt, browserPreprocess } from './browser-ort.js';
import { ortNode } from './ort-node.js';
import type { BenchPart } from './types.js';

export const PARTS: BenchPart[] = [ortNode, browserOrt, browserPreprocess];
