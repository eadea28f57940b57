// npm test: type check, import rules, unit tests (vitest) and end-to-end tests (Playwright), then
// one closing line with the combined totals, "N passed, N failed", so a run that tested nothing shows.
//
// On a fresh clone it first makes the test data available (the default model, built from ../shared
// or the per-user cache or a pinned download; the 200 dev photos likewise). Whatever cannot be had
// (no network, nothing cached) is reported once, and the tests that need it skip themselves; the
// browser tests need a Chromium: without one they are not started, one message says how to get one,
// and the run fails after the unit tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkChromium, HOW_TO_GET_CHROMIUM } from './lib/chromium.js';
import { devPhotosMissingReason, fetchDevPhotos } from './lib/dev-photos.js';
import { DEFAULT_MODEL_FILE, ROOT, script, TSX_CLI } from './lib/paths.js';

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
/** Why some tests did not run: printed again at the end, next to the totals. */
const notes: string[] = [];

// --- test data
console.log('=== test data');
const model = spawnSync(process.execPath, [TSX_CLI, script('build-model.ts'), '--if-stale'], { cwd: ROOT, encoding: 'utf8' });
if (model.status !== 0 || !existsSync(DEFAULT_MODEL_FILE)) {
  notes.push(`default model: ${model.stderr.trim() || 'not built'} -> tests that need it are skipped`);
} else {
  console.log(`default model: ${DEFAULT_MODEL_FILE}`);
}
try {
  console.log(`dev photos: ${await fetchDevPhotos((line) => console.log(line))}`);
} catch (err) {
  notes.push(`dev photos: ${(err as Error).message}; ${devPhotosMissingReason()} -> tests that need them are skipped`);
}
for (const note of notes) console.log(note);

// Said up front, so the answer comes before minutes of unit tests.
const browser = checkChromium();
if (browser.problem) console.log(`\nThe end-to-end tests will not run: ${browser.problem}.\n${HOW_TO_GET_CHROMIUM}`);

// --- type check: a failure counts as one failed test (the suite cannot be green with type errors)
if (run('type check', 'npx', ['svelte-check', '--tsconfig', './tsconfig.json', '--fail-on-warnings']) === 0) passed++;
else failed++;

// The layer rules of .dependency-cruiser.cjs (no circles, no upward imports) count as one test too.
if (run('import rules', 'npx', ['depcruise', 'src', '--config', '.dependency-cruiser.cjs']) === 0) passed++;
else failed++;

// --- unit tests
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

// --- end-to-end tests: need a browser and the built model
if (browser.problem) {
  console.log(`\n=== end-to-end tests: not run (no usable Chromium, see the start of this run)`);
  notes.push(`end-to-end tests not run: ${browser.problem} (see above for how to get a Chromium)`);
  failed++;
} else if (!existsSync(DEFAULT_MODEL_FILE)) {
  // Counted as skipped, so the total shows what did not run.
  const listed = spawnSync('npx', ['playwright', 'test', '--list'], { cwd: ROOT, encoding: 'utf8' });
  const count = Number(/Total: (\d+) tests?/.exec(listed.stdout)?.[1] ?? 0);
  skipped += count;
  console.log(`\n=== end-to-end tests: ${count} skipped, every one of them needs the default model (see "test data" above)`);
  notes.push(`end-to-end tests skipped (${count}): no default model`);
} else {
  // The manifest's screenshots are a build output made from the running app (they show a model's
  // predictions, so they are not committed); the install test checks them.
  if (!existsSync(join(ROOT, 'public', 'screenshots', 'wide.png'))) {
    if (run('manifest screenshots', process.execPath, [TSX_CLI, script('screenshots.ts')]) !== 0) notes.push('manifest screenshots could not be made: the install test that checks them is skipped');
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
}

if (notes.length) console.log(`\n${notes.join('\n')}`);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
