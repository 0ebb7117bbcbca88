import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, cli, ROOT, transcriptLines } from '../helpers/cli.js';

const PIPELINE = join(ROOT, 'pipelines', 'chat-zh.yaml');
const SAMPLE = join(ROOT, 'samples', 'chat-zh.jsonl');

const lines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l));

/** The sample's valid lines (it has two deliberately broken ones). */
const goodLines = transcriptLines(SAMPLE);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'qa-screen-file-'));
});

describe('screen: paths', () => {
  it('a missing or unreadable --input, --output or --rejects is a one-line usage error (exit 2), never a stack trace', async () => {
    const locked = join(dir, 'locked.jsonl');
    writeFileSync(locked, goodLines[0]!);
    chmodSync(locked, 0o000);
    const readable = spawnSync('cat', [locked]).status === 0; // root reads anything
    const cases: Array<[string[], RegExp]> = [
      [['-i', join(dir, 'missing.jsonl')], /--input .*missing\.jsonl: no such file/],
      [['-i', dir], /--input .*: is a folder/],
      [
        ['-i', SAMPLE, '-o', join(dir, 'no', 'such', 'items.jsonl')],
        /--output .*: cannot write \(no such folder\)/,
      ],
      [
        ['-i', SAMPLE, '--rejects', join(dir, 'nope', 'r.jsonl')],
        /--rejects .*: cannot write \(no such folder\)/,
      ],
      ...(readable
        ? []
        : [[['-i', locked], /--input .*locked\.jsonl: permission denied/] as [string[], RegExp]]),
    ];
    for (const [args, message] of cases) {
      const r = await cli(['screen', '-p', PIPELINE, ...args, '-q']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^error QA_ERR_USAGE: /);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('screens every file given with a repeated -i, rejects naming their file and line', async () => {
    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.jsonl');
    writeFileSync(a, `${goodLines.slice(0, 2).join('\n')}\n`);
    writeFileSync(b, `${goodLines.slice(2, 5).join('\n')}\n{"oops"\n`);
    const rejects = join(dir, 'multi.rejects.jsonl');
    const r = await cli(['screen', '-p', PIPELINE, '-i', a, '-i', b, '--rejects', rejects, '-q']);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toHaveLength(5);
    expect(r.stderr).toContain(`${b} line 4: QA_ERR_TRANSCRIPT_NOT_JSON`);
    expect(lines(readFileSync(rejects, 'utf8'))).toMatchObject([{ input: b, line: 4, raw: '{"oops"' }]);
  });

  it('leaves no stale rejects file behind when a run has no rejects', async () => {
    const rejects = join(dir, 'stale.rejects.jsonl');
    writeFileSync(rejects, '{"line":1,"code":"QA_ERR_TRANSCRIPT_NOT_JSON","raw":"from an earlier run"}\n');
    const good = join(dir, 'good.jsonl');
    writeFileSync(good, `${goodLines.join('\n')}\n`);
    const r = await cli(['screen', '-p', PIPELINE, '-i', good, '--rejects', rejects, '-q']);
    expect(r.code).toBe(0);
    expect(existsSync(rejects)).toBe(false);
  });

  it('exits 1 with --fail-on-reject when any line was rejected, 0 otherwise', async () => {
    const rejects = join(dir, 'fail.rejects.jsonl');
    const bad = await cli([
      'screen',
      '-p',
      PIPELINE,
      '-i',
      SAMPLE,
      '--rejects',
      rejects,
      '-q',
      '--fail-on-reject',
    ]);
    expect(bad.code).toBe(1);
    expect(lines(bad.stdout)).toHaveLength(9);
    const good = join(dir, 'all-good.jsonl');
    writeFileSync(good, `${goodLines.join('\n')}\n`);
    const ok = await cli([
      'screen',
      '-p',
      PIPELINE,
      '-i',
      good,
      '--rejects',
      rejects,
      '-q',
      '--fail-on-reject',
    ]);
    expect(ok.code).toBe(0);
  });

  it('exits non-zero when the reader of stdout goes away (`| head -1`), with one line saying so', () => {
    const many = join(dir, 'many.jsonl');
    writeFileSync(many, `${Array.from({ length: 300 }, () => goodLines.join('\n')).join('\n')}\n`);
    const r = spawnSync(
      'bash',
      [
        '-c',
        `set -o pipefail; node ${BIN} screen -p ${PIPELINE} -i ${many} -q --rejects ${dir}/head.rejects.jsonl | head -1 >/dev/null`,
      ],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error QA_ERR_OUTPUT_CLOSED: the output closed before every item was written/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('screen: what it reads', () => {
  it('reads gzip input (its own archives) and a UTF-8 byte order mark', async () => {
    const gz = join(dir, 'items.jsonl.gz');
    writeFileSync(gz, gzipSync(`${goodLines.join('\n')}\n`));
    const fromGzip = await cli(['screen', '-p', PIPELINE, '-i', gz, '-q']);
    expect(fromGzip.code).toBe(0);
    expect(lines(fromGzip.stdout)).toHaveLength(goodLines.length);
    const fromStdin = await cli(['screen', '-p', PIPELINE, '-i', '-', '-q'], { input: readFileSync(gz) });
    expect(lines(fromStdin.stdout)).toHaveLength(goodLines.length);

    const bom = join(dir, 'bom.jsonl');
    writeFileSync(bom, `\ufeff${goodLines[0]}\n`);
    const withBom = await cli(['screen', '-p', PIPELINE, '-i', bom, '-q']);
    expect(lines(withBom.stdout).map((i) => i.conversationId)).toEqual([
      JSON.parse(goodLines[0]!).conversationId,
    ]);
  });

  it('rejects input that is not UTF-8 (GBK) instead of screening it with its phrases turned into U+FFFD, and keeps its bytes', async () => {
    // "这是规定" (a forbidden phrase) in GBK, inside an otherwise valid transcript.
    const t = JSON.parse(goodLines[0]!);
    t.turns[1].text = 'GBK_TEXT';
    const [head, tail] = JSON.stringify(t).split('GBK_TEXT') as [string, string];
    const gbk = Buffer.concat([
      Buffer.from(head),
      Buffer.from([0xd5, 0xe2, 0xca, 0xc7, 0xb9, 0xe6, 0xb6, 0xa8]),
      Buffer.from(tail),
    ]);
    const input = join(dir, 'gbk.jsonl');
    writeFileSync(input, Buffer.concat([gbk, Buffer.from('\n')]));
    const rejects = join(dir, 'gbk.rejects.jsonl');
    const r = await cli(['screen', '-p', PIPELINE, '-i', input, '--rejects', rejects, '-q']);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('line 1: QA_ERR_TRANSCRIPT_NOT_UTF8');
    const [rejected] = lines(readFileSync(rejects, 'utf8'));
    expect(rejected).toMatchObject({ line: 1, code: 'QA_ERR_TRANSCRIPT_NOT_UTF8' });
    expect(Buffer.from(rejected.rawBase64, 'base64').equals(gbk)).toBe(true);
  });

  it('keeps the raw bytes of a line over the hard limit in the rejects file, streamed, never held whole', async () => {
    // 3 MiB on one line: over twice the pipeline's 1 MiB transcript limit.
    const huge = Buffer.concat([
      Buffer.from('{"conversationId":"huge","x":"'),
      Buffer.alloc(3 * 1024 * 1024, 'a'),
      Buffer.from('"}'),
    ]);
    const input = join(dir, 'huge.jsonl');
    writeFileSync(
      input,
      Buffer.concat([Buffer.from(`${goodLines[0]}\n`), huge, Buffer.from(`\n${goodLines[1]}\n`)]),
    );
    const rejects = join(dir, 'huge.rejects.jsonl');
    const r = await cli(['screen', '-p', PIPELINE, '-i', input, '--rejects', rejects, '-q']);
    expect(lines(r.stdout)).toHaveLength(2);
    const [rejected] = lines(readFileSync(rejects, 'utf8'));
    expect(rejected).toMatchObject({
      input,
      line: 2,
      code: 'QA_ERR_TRANSCRIPT_TOO_LARGE',
      bytes: huge.length,
    });
    expect(rejected.reason).toBe(`line is ${huge.length} bytes, over 2097152`);
    expect(Buffer.from(rejected.rawBase64, 'base64').equals(huge)).toBe(true);
  });

  it('writes the batch summary as JSON with --summary-json', async () => {
    const summary = join(dir, 'summary.json');
    const r = await cli([
      'screen',
      '-p',
      PIPELINE,
      '-i',
      SAMPLE,
      '--summary-json',
      summary,
      '-q',
      '--rejects',
      join(dir, 's.rejects.jsonl'),
    ]);
    expect(r.code).toBe(0);
    const s = JSON.parse(readFileSync(summary, 'utf8'));
    expect(s).toMatchObject({ pipeline: { id: 'chat-zh' }, lines: 11, rejected: 2, items: 9 });
    expect(s.scoreBands.reduce((a: number, b: number) => a + b, 0)).toBe(9);
    const agents = [...new Set(goodLines.map((l) => JSON.parse(l).agent.id as string))].sort();
    expect(s.agents.map((a: { agentId: string }) => a.agentId)).toEqual(agents);
    expect(s.rules.map((x: { ruleId: string }) => x.ruleId)).toContain('forbidden-phrase');
  });
});

/** Runs a command on a pseudo-terminal (util-linux `script`), so stdout and stderr are both a TTY. */
function onTerminal(command: string): string {
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', cwd: dir });
  if (r.error || r.status === null)
    throw new Error('these tests need util-linux `script` (Debian: apt-get install bsdutils)');
  return r.stdout;
}

/** Terminal output as lines of text: escape sequences dropped, carriage returns as line ends. */
const screenLines = (raw: string) =>
  raw
    .replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g'), '\n')
    .split(/\r?\n|\r/)
    .filter((l) => l.trim().length > 0);

describe('screen on a terminal', () => {
  it('prints reject lines through the progress bar, the first 20 of them, and counts the rest', () => {
    const mixed = join(dir, 'mixed.jsonl');
    const block = `${goodLines.slice(0, 3).join('\n')}\n{"bad":\n`;
    writeFileSync(mixed, block.repeat(400));
    const raw = onTerminal(`node ${BIN} screen -p ${PIPELINE} -i ${mixed} -o items.jsonl --rejects r.jsonl`);
    expect(raw).toContain('screening [');
    const shown = screenLines(raw).filter((l) => l.includes('QA_ERR_TRANSCRIPT_NOT_JSON'));
    expect(shown).toHaveLength(20);
    // Each on a line of its own: never glued to the bar.
    for (const l of shown) expect(l).toMatch(/^line \d+: QA_ERR_TRANSCRIPT_NOT_JSON/);
    expect(raw).toContain('380 more rejected line(s) not shown: see r.jsonl');
  });

  it('shows no progress bar when the items go to the same terminal', () => {
    const raw = onTerminal(`node ${BIN} screen -p ${PIPELINE} -i ${SAMPLE} --rejects r2.jsonl`);
    expect(raw).not.toContain('screening [');
    expect(screenLines(raw).filter((l) => l.startsWith('{"itemVersion":2,'))).toHaveLength(9);
  });
});
