import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // onnxruntime-web's wasm and the reference engine are CPU-heavy; two cores here.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
