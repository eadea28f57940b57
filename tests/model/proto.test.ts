// The committed protobuf code must be exactly what `npm run proto` makes from src/model/onnx.proto:
// an edit by hand, or a schema change without regenerating, fails here.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BANNER, GENERATED_DIR, GENERATED_FILES, generateProto } from '../../scripts/proto.js';

describe('generated protobuf code', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cnn-lens-proto-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('regenerating it changes nothing, banner included', () => {
    generateProto(dir);
    for (const file of GENERATED_FILES) {
      const fresh = readFileSync(join(dir, file));
      const committed = readFileSync(join(GENERATED_DIR, file));
      expect(committed.subarray(0, BANNER.length).toString('utf8'), file).toBe(BANNER);
      expect(committed.equals(fresh), `${file} differs from a fresh npm run proto`).toBe(true);
    }
  });
});
