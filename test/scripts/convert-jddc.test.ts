// scripts/convert-jddc.mjs turns JDDC's tab-separated chat logs into transcripts the way
// shared/data/jddc-dev was made; the fresh JDDC splits' figures rest on it. The lines below are written
// for this test, not taken from the corpus.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const SCRIPT = join(ROOT, 'scripts', 'convert-jddc.mjs');

const row = (session: string, waiter: '0' | '1', text: string) =>
  [session, 'USERID_1', waiter, '0', '0', 'nan', text].join('\t');

function convert(lines: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'convert-jddc-'));
  const file = join(dir, 'chat.tsv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return execFileSync(process.execPath, [SCRIPT, file], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

describe('scripts/convert-jddc.mjs', () => {
  it('makes one transcript per session, merging a speaker’s consecutive lines into one turn', () => {
    const [first, second] = convert([
      row('s1', '0', '我的快递到哪了'),
      row('s1', '0', '  订单号[订单x] '),
      row('s1', '1', '您好，这边帮您查一下'),
      row('s1', '0', 'nan'),
      row('s1', '1', '明天送到，请问还有其他可以帮您的吗'),
      row('s2', '0', '能开发票吗'),
    ]);
    expect(first.conversationId).toBe('jddc-s1');
    expect(first.turns.map((t: { speaker: string; text: string }) => [t.speaker, t.text])).toEqual([
      ['customer', '我的快递到哪了 订单号[订单x]'],
      ['agent', '您好，这边帮您查一下 明天送到，请问还有其他可以帮您的吗'],
    ]);
    expect(first).toMatchObject({
      channel: 'chat',
      language: 'zh',
      tenant: 'jd',
      customer: { id: 'USERID_1' },
    });
    expect(second.conversationId).toBe('jddc-s2');
  });

  it('places turns 20 s apart and conversations 15 minutes apart, in China time', () => {
    const [first, second] = convert([row('a', '0', '在吗'), row('a', '1', '在的'), row('b', '0', '你好')]);
    expect(first.startedAt).toBe('2019-03-06T14:00:00+08:00');
    expect(first.turns.map((t: { at: string }) => t.at)).toEqual([
      '2019-03-06T14:00:00+08:00',
      '2019-03-06T14:00:20+08:00',
    ]);
    expect(first.endedAt).toBe('2019-03-06T14:00:20+08:00');
    expect(second.startedAt).toBe('2019-03-06T14:15:00+08:00');
  });

  it('skips lines that are not seven columns', () => {
    expect(convert(['not a log line', row('x', '0', '你好')]).map((c) => c.conversationId)).toEqual([
      'jddc-x',
    ]);
  });
});
