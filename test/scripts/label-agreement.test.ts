// scripts/label-agreement.mjs: the inter-reviewer figures the README reports for the fresh splits.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const SCRIPT = join(ROOT, 'scripts', 'label-agreement.mjs');

const RULES = ['greeting', 'closing', 'forbidden-phrase', 'apology', 'pii'];

function labelsFile(dir: string, name: string, labels: Record<string, string[]>) {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ rules: RULES, labels }));
  return file;
}

describe('scripts/label-agreement.mjs', () => {
  it('counts agreement per rule over the conversations both reviewers labelled, first files merged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agreement-'));
    const firstA = labelsFile(dir, 'a.json', { c1: ['apology'], c2: ['apology', 'closing'] });
    const firstB = labelsFile(dir, 'b.json', { c3: [], c4: ['apology'], only_first: ['apology'] });
    const second = labelsFile(dir, 'second.json', {
      c1: ['apology'],
      c2: ['closing'],
      c3: ['apology'],
      c4: ['apology'],
    });
    const out = execFileSync(process.execPath, [SCRIPT, firstA, firstB, '--second', second], {
      encoding: 'utf8',
    });
    expect(out).toMatch(/^4 conversations labelled by both/);
    const apology = out
      .split('\n')
      .find((l) => l.startsWith('apology'))!
      .split(/\s+/);
    // both 2 (c1, c4), first only 1 (c2), second only 1 (c3), neither 0: agreement 50%, kappa -0.33
    expect(apology.slice(1, 7)).toEqual(['2', '1', '1', '0', '50%', '-0.33']);
    expect(out.split('\n').find((l) => l.startsWith('closing'))).toMatch(/\s1\s+0\s+0\s+3\s+100%\s+1\.00\s/);
  });

  it('refuses a call without the second reviewer', () => {
    expect(() => execFileSync(process.execPath, [SCRIPT, 'x.json'], { stdio: 'pipe' })).toThrow();
  });
});
