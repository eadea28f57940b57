// Named architectures the summary CLI (and tests) can build without a file argument.
import { existsSync, readFileSync } from 'node:fs';
import { alexnetOnnx } from '../../src/model/alexnet.js';
import { allOpsOnnx } from './all-ops.js';

export const ARCHITECTURES = ['alexnet', 'alexnet-paper', 'squeezenet1_0', 'all-ops'] as const;
export type ArchitectureName = (typeof ARCHITECTURES)[number];

/** ONNX bytes for a named architecture; squeezenet1_0 is read from the default model file. */
export function architectureOnnx(name: ArchitectureName, squeezenetPath: string): Uint8Array {
  switch (name) {
    case 'alexnet':
      return alexnetOnnx('torchvision', 1);
    case 'alexnet-paper':
      return alexnetOnnx('paper', 1);
    case 'all-ops':
      return allOpsOnnx();
    case 'squeezenet1_0':
      if (!existsSync(squeezenetPath)) throw new Error(`${squeezenetPath} is missing; run \`npm run model\``);
      return new Uint8Array(readFileSync(squeezenetPath));
  }
}
