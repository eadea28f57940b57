// tests/ops/*.json stay in the compact layout of scripts/format-op-cases.ts (a case reads as a table).
import { describe, expect, it } from 'vitest';
import { formatOpCases, opCaseFiles, unformattedOpCaseFiles } from '../../scripts/format-op-cases.js';

describe('operator case files', () => {
  it('are all formatted (npx tsx scripts/format-op-cases.ts fixes them)', () => {
    expect(opCaseFiles().length).toBeGreaterThan(0);
    expect(unformattedOpCaseFiles()).toEqual([]);
  });

  it('lay a tensor out one row of its last dimension per line, short lists inline', () => {
    const text = formatOpCases([{ op: 'X', cases: [{ name: 'c', attributes: { k: [2, 2] }, inputs: [{ dims: [1, 2, 3], data: [1, 2, 3, 4, 5, 6] }] }] }]);
    expect(text).toContain('"attributes": { "k": [2, 2] }');
    expect(text).toContain('"data": [\n              1, 2, 3,\n              4, 5, 6\n            ]');
    expect(JSON.parse(text)).toEqual([{ op: 'X', cases: [{ name: 'c', attributes: { k: [2, 2] }, inputs: [{ dims: [1, 2, 3], data: [1, 2, 3, 4, 5, 6] }] }] }]);
  });
});
