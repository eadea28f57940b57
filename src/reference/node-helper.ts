// worker_threads entry of a reference helper in Node (benchmarks, tests): see parallel.ts.
import { parentPort } from 'node:worker_threads';
import { runHelper, type HelperInit } from './parallel.js';

parentPort?.once('message', (init: HelperInit) => runHelper(init, (r) => parentPort!.postMessage(r)));
