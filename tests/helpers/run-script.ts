// Runs one of the project's command-line scripts (scripts/<name>.ts) as a user would, with the same
// Node, and hands back its exit code and output whatever the code.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, TSX_CLI } from '../../scripts/lib/paths.js';

const run = promisify(execFile);

export interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runScript(script: string, args: string[], env: Record<string, string> = {}): Promise<ScriptResult> {
  try {
    const r = await run(process.execPath, [TSX_CLI, join(ROOT, 'scripts', script), ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
