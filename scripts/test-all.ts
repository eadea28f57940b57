// npm test: type check, import rules, unit tests (vitest) and end-to-end tests (Playwright), then one closing
// line with the combined totals, "N passed, N failed", so a run that tested nothing shows.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/default-model.js';

const results = join(ROOT, 'test-results');
mkdirSync(results, { recursive: true });

function run(label: string, cmd: string, args: string[]): number {
  console.log(`\n=== ${label}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: process.env });
  return r.status ?? 1;
}

let passed = 0;
let failed = 0;
let skipped = 0;

// A failed type check counts as one failed test: the suite cannot be green with type errors.
if (run('type check', 'npx', ['svelte-check', '--tsconfig', './tsconfig.json', '--fail-on-warnings']) === 0) passed++;
else failed++;

// The layer rules of .dependency-cruiser.cjs (no circles, no upward imports) count as one test too.
if (run('import rules', 'npx', ['depcruise', 'src', '--config', '.dependency-cruiser.cjs']) === 0) passed++;
else failed++;

const vitestJson = join(results, 'vitest.json');
rmSync(vitestJson, { force: true });
const vitestCode = run('unit tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${vitestJson}`]);
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + v.numTodoTests;
  if (vitestCode !== 0 && v.numFailedTests === 0) failed++; // a suite that crashed outside any test
} else {
  failed++;
}

const e2eJson = join(results, 'e2e.json');
rmSync(e2eJson, { force: true });
const e2eCode = run('end-to-end tests', 'npx', ['playwright', 'test']);
if (existsSync(e2eJson)) {
  const p = JSON.parse(readFileSync(e2eJson, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
  passed += p.stats.expected + p.stats.flaky;
  failed += p.stats.unexpected;
  skipped += p.stats.skipped;
  if (e2eCode !== 0 && p.stats.unexpected === 0) failed++;
} else {
  failed++;
}

console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
