import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The project folder, and its built command (`npm test` builds first). */
export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'qa-screen.js');

/** Runs the built `qa-screen` with `args`, optionally with stdin and in another folder (default: the project). */
export async function cli(args: string[], options: { input?: string | Buffer; cwd?: string } = {}) {
  const child = run('node', [BIN, ...args], { maxBuffer: 256 * 1024 * 1024, cwd: options.cwd ?? ROOT });
  if (options.input !== undefined) child.child.stdin!.end(options.input);
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A JSONL file's lines that are transcripts (the bundled samples hold deliberately broken ones too). */
export function transcriptLines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => {
      try {
        return 'agent' in JSON.parse(l);
      } catch {
        return false;
      }
    });
}
