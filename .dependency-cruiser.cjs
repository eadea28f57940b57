// Import rules for src/ (npm run lint:deps; one counted check of npm test). Layers point down only:
//   model  <-  reference  <-  summary, inspector, validate  <-  ui
//   model  <-  preprocess  <-  engine  <-  app (+ camera)  <-  ui
// A folder may import itself and the folders its rule names; everything else under src/ is refused,
// so a new folder starts out importable only from ui until a rule says where it sits.
// Type-only imports count too: a circle held together by `import type` is still a circle.
// Unit tests beside their module are not runtime code: they may use Node helpers and other layers.
const TESTS = '\\.test\\.ts$';

/** A rule: files under src/<from>/ may import only src/<allowed>/ (and packages). */
const layer = (from, allowed, comment) => ({
  name: `${from}-imports-only-${allowed.filter((a) => a !== from).join('-') || 'itself'}`,
  comment,
  severity: 'error',
  from: { path: `^src/${from}/`, pathNot: TESTS },
  to: { path: '^src/', pathNot: `^src/(${allowed.join('|')})/` },
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import circles anywhere in src/, type-only imports included.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'src-not-scripts-or-tests',
      comment: 'Runtime code never imports the Node tools (scripts/) or test builders (tests/).',
      severity: 'error',
      from: { path: '^src/', pathNot: TESTS },
      to: { path: '^(scripts|tests|e2e)/' },
    },
    layer('model', ['model'], 'Formats, graph types and ModelError: the bottom layer.'),
    layer('reference', ['reference', 'model'], 'The reference engine builds on the graph types only.'),
    layer('summary', ['summary', 'reference', 'model'], 'The summary reads graphs through the reference op table.'),
    layer('inspector', ['inspector', 'summary', 'reference', 'model'], 'Inspector logic sits beside the summary.'),
    layer('validate', ['validate', 'reference', 'model'], 'Custom-model validation uses the op table.'),
    layer('teach', ['teach', 'reference', 'model'], 'Teaching: graph surgery on the model formats, head training on typed arrays; used by the app and workers.'),
    layer('preprocess', ['preprocess', 'model'], 'Frame -> tensor, shared by every engine.'),
    layer('engine', ['engine', 'preprocess', 'model'], 'The onnxruntime engine and its worker.'),
    layer('app', ['app', 'engine', 'preprocess', 'model', 'camera'], 'The live frame loop drives the engine.'),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    extraExtensionsToScan: ['.svelte'],
  },
};
