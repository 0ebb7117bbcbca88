import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'qa-screen.js');

const first = (file: string, n: number) => readFileSync(file, 'utf8').trim().split('\n').slice(0, n);

describe('qa-screen screen --routing (built)', () => {
  it('screens a mixed JSONL file in one command, each line with its routed pipeline; the unroutable goes to rejects', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qa-routing-cli-'));
    const call = JSON.parse(first('samples/call-zh.jsonl', 1)[0]!);
    call.conversationId = 'call-en-1';
    call.language = 'en';
    const mixed = [
      ...first('samples/chat-zh.jsonl', 2),
      ...first('samples/call-zh.jsonl', 2),
      ...first('samples/chat-en.jsonl', 2),
      JSON.stringify(call),
    ];
    writeFileSync(join(dir, 'mixed.jsonl'), `${mixed.join('\n')}\n`);
    const rejects = join(dir, 'rejects.jsonl');
    const { stdout } = await run('node', [
      BIN,
      'screen',
      '--routing',
      'pipelines/routing.yaml',
      '-i',
      join(dir, 'mixed.jsonl'),
      '--rejects',
      rejects,
      '-q',
    ]);
    const items = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(items.map((i) => i.pipeline.id)).toEqual([
      'chat-zh',
      'chat-zh',
      'call-zh',
      'call-zh',
      'chat-en',
      'chat-en',
    ]);
    const [rejected] = readFileSync(rejects, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejected).toMatchObject({ line: 7, code: 'QA_ERR_NO_ROUTE', conversationId: 'call-en-1' });
  });

  it('wants exactly one of --pipeline and --routing', async () => {
    const both = await run('node', [
      BIN,
      'screen',
      '-p',
      'pipelines/chat-zh.yaml',
      '-r',
      'pipelines/routing.yaml',
      '-i',
      '-',
    ]).catch((e: { code: number; stderr: string }) => e);
    expect((both as { code: number }).code).toBe(2);
    expect((both as { stderr: string }).stderr).toContain('give one of --pipeline or --routing');
  });
});
