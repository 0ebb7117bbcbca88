import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/main.js';
import { cli, ROOT } from '../helpers/cli.js';
import { MODEL_LEXICON, pipelineYaml, WORDS } from '../helpers/model-pipeline.js';
import { chatTranscript } from '../helpers/transcript.js';

describe('qa-screen CLI (built)', () => {
  it('screens a sample file to JSONL, reports bad lines with their number, and writes them to the rejects file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qa-cli-'));
    const rejects = join(dir, 'rejects.jsonl');
    const r = await cli([
      'screen',
      '--pipeline',
      'pipelines/chat-zh.yaml',
      '--input',
      'samples/chat-zh.jsonl',
      '--rejects',
      rejects,
    ]);
    expect(r.code).toBe(0);
    const items = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(items.map((i) => i.conversationId)).toEqual([
      'chat-zh-001',
      'chat-zh-002',
      'chat-zh-003',
      'chat-zh-004',
      'chat-zh-005',
      'chat-zh-006',
      'chat-zh-007',
      'chat-zh-008',
      'chat-zh-009',
    ]);
    expect(r.stderr).toMatch(/line 5: QA_ERR_TRANSCRIPT_NOT_JSON/);
    expect(r.stderr).toMatch(/line 11: QA_ERR_TRANSCRIPT_INVALID: .*agent/);
    expect(r.stderr).toMatch(/items\s+flagged\s+fatal/);
    const rejected = readFileSync(rejects, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejected.map((x) => [x.line, x.code])).toEqual([
      [5, 'QA_ERR_TRANSCRIPT_NOT_JSON'],
      [11, 'QA_ERR_TRANSCRIPT_INVALID'],
    ]);
    // Nothing is lost: the rejected line is kept byte for byte.
    expect(rejected[0].raw).toBe(readFileSync('samples/chat-zh.jsonl', 'utf8').split('\n')[4]);
  });

  it('reads stdin and writes an output file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qa-cli-'));
    const out = join(dir, 'items.jsonl');
    const input = readFileSync('samples/chat-en.jsonl', 'utf8');
    const r = await cli(['screen', '-p', 'pipelines/chat-en.yaml', '-i', '-', '-o', out, '--quiet'], {
      input,
    });
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(5);
  });

  const explain006 = [
    'explain',
    '-p',
    'pipelines/chat-zh.yaml',
    '-i',
    'samples/chat-zh.jsonl',
    '--id',
    'chat-zh-006',
  ];

  it('explains a conversation with findings marked and personal data masked', async () => {
    const r = await cli([...explain006, '--no-color']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('⟦家庭住址⟧');
    expect(r.stdout).toContain('138****5678');
    expect(r.stdout).not.toContain('13812345678');
  });

  it('explains in Chinese with --lang zh, naming categories by their lexicon labels', async () => {
    const r = await cli([...explain006, '--no-color', '--lang', 'zh']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('pii: 坐席索要“家庭住址”，与业务无关的信息（索要家庭住址）。');
    expect(r.stdout).toContain('pii: 客户的话中有未脱敏的手机号（已遮盖）。');
    expect(r.stdout).toContain('[bonus +2] standard-language: 服务用语全部规范\n');
    expect(r.stdout).not.toContain('data unrelated to the business');
    expect(r.stdout).toContain('138****5678');
    const bad = await cli([...explain006, '--lang', 'fr']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--lang: expected one of en, zh');
  });

  it("names the customer's thanks by the customer lexicon's label, not the agent's of the same id", async () => {
    // customer-zh and service-zh both have a category `thanks` (客户致谢 and 致谢语).
    const transcript = chatTranscript('thanks-1', [
      ['customer', '我想把收货地址改成公司'],
      ['agent', '您好，很高兴为您服务，地址已经改好了'],
      ['customer', '好的，太感谢了'],
      ['agent', '请问还有其他需要帮忙的吗'],
      ['customer', '没有了'],
      ['agent', '祝您生活愉快，再见'],
    ]);
    const r = await cli(
      ['explain', '-p', 'pipelines/chat-zh.yaml', '-i', '-', '--no-color', '--lang', 'zh'],
      {
        input: `${JSON.stringify(transcript)}\n`,
      },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('thanks-response: 客户说了“感谢”（客户致谢），坐席在随后1句内没有致谢语。');
  });

  it('validates configs and exits 1 naming file, line, column and path for a broken one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qa-cli-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(
      bad,
      'lexicon: x\nlanguage: zh\ncategories:\n  rude:\n    severity: loud\n    phrases: []\n',
    );
    const ok = await cli(['validate', 'pipelines', 'lexicons']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/15 valid, 0 invalid/);
    const r = await cli(['validate', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${bad}:5:15 categories.rude.severity: Invalid option`);
    expect(r.stdout).toContain(`${bad}:6:14 categories.rude.phrases: a category needs at least one phrase`);
  });

  it('refuses to start on an invalid pipeline with a clear error and exit code 2', async () => {
    const r = await cli(['screen', '-p', 'samples/chat-zh.jsonl', '-i', '-'], { input: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error QA_ERR_CONFIG_/m);
    expect(r.stderr).toMatch(/^hint: /m);
  });

  it('prints help per command instead of running it, and reports environment problems all at once', async () => {
    const help = await cli(['demo', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^qa-screen demo\n/);
    expect(help.stdout).not.toContain('== samples/');
    const screen = await cli(['screen', '-h']);
    expect(screen.stdout).toMatch(/--pipeline FILE +pipeline file/);
    expect(screen.stdout).toMatch(/--rejects FILE +.*\(default qa-screen\.rejects\.jsonl\)/);
    const unknown = await cli(['screen', '--pipelin', 'x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error QA_ERR_USAGE: Unknown option '--pipelin'/m);
  });

  it('evaluates a pipeline against labels: per-rule precision/recall and the disagreements', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qa-cli-'));
    const labels = join(dir, 'labels.json');
    writeFileSync(
      labels,
      JSON.stringify({
        dataset: 'samples',
        split: 'dev',
        rules: ['forbidden-phrase', 'closing'],
        labels: { 'chat-zh-002': ['forbidden-phrase', 'closing'], 'chat-zh-006': [] },
      }),
    );
    const evalOn = (labelsFile: string, ...more: string[]) =>
      cli(['eval', '-p', 'pipelines/chat-zh.yaml', '-i', 'samples/chat-zh.jsonl', '-l', labelsFile, ...more]);
    const r = await evalOn(labels, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.conversations).toBe(2);
    expect(report.rules.find((x: { rule: string }) => x.rule === 'forbidden-phrase')).toMatchObject({
      truePositives: 1,
      falsePositives: 0,
      precisionCi: { low: 0.2065, high: 1 },
    });
    const text = await evalOn(labels);
    expect(text.stdout).toMatch(/precision 95%\s+recall 95%/);
    expect(text.stdout).toMatch(/^forbidden-phrase .* 0\.21–1\.00 +0\.21–1\.00$/m);
    const byTrigger = JSON.parse((await evalOn(labels, '--json', '--by-trigger')).stdout);
    // chat-zh-002's agent says several forbidden things: each is a trigger of the one conversation.
    const forbidden = byTrigger.triggers.filter((t: { rule: string }) => t.rule === 'forbidden-phrase');
    expect(forbidden.length).toBeGreaterThan(1);
    for (const t of forbidden) expect(t).toMatchObject({ fired: 1, truePositives: 1, falsePositives: 0 });
    expect((await evalOn(labels, '-q', '--by-trigger')).stdout).toMatch(
      /what made each rule fire[\s\S]*\nforbidden-phrase +\S/,
    );
    const apologyLabels = join(dir, 'apology.json');
    writeFileSync(
      apologyLabels,
      JSON.stringify({
        dataset: 'samples',
        split: 'dev',
        rules: ['apology', 'closing'],
        labels: { 'chat-zh-001': ['apology'], 'chat-zh-003': ['apology'], 'chat-zh-006': [] },
      }),
    );
    const byCause = JSON.parse((await evalOn(apologyLabels, '--json', '--by-cause')).stdout);
    // closing expects no answer: only the apology rule has two sides to blame.
    expect(byCause.causes).toEqual([
      expect.objectContaining({ rule: 'apology', truePositives: 1, falsePositives: 0 }),
    ]);
    const missed = byCause.causes[0].missedNoTrigger + byCause.causes[0].missedAnswered;
    expect(missed).toBe(1);
    expect((await evalOn(apologyLabels, '-q', '--by-cause')).stdout).toMatch(
      /why the rules that expect an answer disagree[\s\S]*\napology +1 +0 +\d+ +\d+ +\d+\n/,
    );
    const bad = await evalOn('package.json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a labels file/);
    // Seven CLI processes, each loading the pipeline: 15–18 s on a busy 2-core machine.
  }, 60_000);

  it('measures a learned model at other thresholds (eval --model-thresholds)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qa-cli-'));
    writeFileSync(join(dir, 'words.yaml'), WORDS);
    writeFileSync(join(dir, 'model.yaml'), MODEL_LEXICON);
    const pipeline = join(dir, 'p.yaml');
    writeFileSync(
      pipeline,
      pipelineYaml('      model: { lexicon: complaint-model, threshold: 0.8 }', ['words.yaml', 'model.yaml']),
    );
    const chat = (id: string, customer: string) =>
      chatTranscript(id, [
        ['customer', customer],
        ['agent', '好的，马上查'],
      ]);
    // 太慢了 scores between 0.6 and 0.8 under the test model (test/eval/thresholds.test.ts), the other well above.
    const input = join(dir, 'in.jsonl');
    writeFileSync(
      input,
      [chat('mild', '太慢了'), chat('strong', '还没到，太慢了'), chat('quiet', '请问发什么快递')]
        .map((t) => JSON.stringify(t))
        .join('\n'),
    );
    const labels = join(dir, 'labels.json');
    writeFileSync(
      labels,
      JSON.stringify({
        dataset: 'own',
        split: 'test',
        rules: ['apology', 'greeting'],
        labels: { mild: ['apology'], strong: ['apology'], quiet: [] },
      }),
    );
    const evalWith = (...more: string[]) => cli(['eval', '-p', pipeline, '-i', input, '-l', labels, ...more]);
    const r = await evalWith('--json', '--model-thresholds', '0.6,0.8');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    // Only the rule with a model is measured again; at its own threshold it is the plain figure.
    expect(report.modelThresholds).toEqual([
      expect.objectContaining({
        rule: 'apology',
        threshold: 0.6,
        current: false,
        truePositives: 2,
        falseNegatives: 0,
      }),
      expect.objectContaining({
        rule: 'apology',
        threshold: 0.8,
        current: true,
        truePositives: 1,
        falseNegatives: 1,
      }),
    ]);
    expect(report.rules.find((x: { rule: string }) => x.rule === 'apology')).toMatchObject({
      truePositives: 1,
      falseNegatives: 1,
    });
    const text = await evalWith('-q', '--model-thresholds', 'sweep');
    expect(text.stdout).toMatch(
      /learned-model thresholds[\s\S]*\napology +0\.50 +1\.00 +1\.00 +1\.00 +2 +0 +0\n/,
    );
    expect(text.stdout).toMatch(/\napology +0\.80 \* +1\.00 +0\.50 /);
    // Per turn (--turns): the same thresholds, each customer turn a unit.
    const turnLabels = join(dir, 'turns.json');
    writeFileSync(
      turnLabels,
      JSON.stringify({ dataset: 'own', split: 'turns', turns: { mild: [0], strong: [0], quiet: [] } }),
    );
    const perTurn = JSON.parse(
      (
        await cli([
          'eval',
          '-p',
          pipeline,
          '-i',
          input,
          '--turns',
          turnLabels,
          '--rules',
          'apology',
          '--json',
          '--model-thresholds',
          '0.6,0.8',
        ])
      ).stdout,
    );
    expect(perTurn.unit).toBe('turn');
    expect(perTurn.modelThresholds.map((x: { truePositives: number }) => x.truePositives)).toEqual([2, 1]);
    const bad = await evalWith('--model-thresholds', '0.5,1.5');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--model-thresholds takes "sweep" or probabilities/);
    writeFileSync(pipeline, pipelineYaml('', ['words.yaml', 'model.yaml']));
    const none = await evalWith('--model-thresholds', 'sweep');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no enabled rule measured here has a learned model/);
  });

  it('prints JSON Schemas identical to the committed ones', async () => {
    const which = ['transcript', 'item', 'item-v1', 'queue-ref', 'pipeline', 'lexicon'];
    const printed = await Promise.all(which.map((w) => cli(['schema', w])));
    which.forEach((w, i) => {
      expect(printed[i]!.stdout).toBe(readFileSync(`schemas/${w}.schema.json`, 'utf8'));
    });
  });

  it('prints help for every command, naming each of its options, without running it', async () => {
    const helps = await Promise.all(COMMANDS.map((c) => cli([c.name, '--help'])));
    for (const [i, command] of COMMANDS.entries()) {
      const r = helps[i]!;
      expect(r.code, command.name).toBe(0);
      expect(r.stdout, command.name).toMatch(new RegExp(`^qa-screen ${command.name}[ \n]`));
      for (const option of Object.keys(command.options))
        expect(r.stdout, command.name).toContain(`--${option}`);
    }
    const top = await cli(['--help']);
    for (const command of COMMANDS) expect(top.stdout).toContain(`  ${command.name} `);
  }, 60_000);

  it('validates a folder without entering node_modules or hidden folders, reporting each file as it goes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qa-cli-'));
    const lexicon = readFileSync('lexicons/zh/privacy.yaml', 'utf8');
    writeFileSync(join(dir, 'a.yaml'), lexicon);
    writeFileSync(join(dir, 'b.yaml'), lexicon.replace(/^lexicon: .*$/m, 'lexicon: other'));
    for (const skipped of ['node_modules/pkg', '.git', '.cache/deep']) {
      mkdirSync(join(dir, skipped), { recursive: true });
      writeFileSync(join(dir, skipped, 'broken.yaml'), 'lexicon: [');
    }
    const r = await cli(['validate', dir]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('checking 2 file(s)\n');
    expect(r.stdout).toMatch(/^\[1\/2\] ✓ .*a\.yaml: lexicon privacy-zh/m);
    expect(r.stdout).toMatch(/^\[2\/2\] ✓ .*b\.yaml: lexicon other/m);
    expect(r.stdout).toMatch(/2 valid, 0 invalid\n$/);
    const missing = await cli(['validate', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error QA_ERR_USAGE: .*no such file or folder/);
  });

  it('runs the demo from any folder, writing to out/ there and reading the bundled samples', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qa-demo-'));
    const bundledOut = join(ROOT, 'out');
    const before = existsSync(bundledOut)
      ? readdirSync(bundledOut).map((f) => [f, statSync(join(bundledOut, f)).mtimeMs])
      : [];
    const r = await cli(['demo'], { cwd: dir });
    expect(r.code).toBe(0);
    for (const name of ['chat-zh', 'call-zh', 'chat-en'])
      expect(existsSync(join(dir, 'out', `${name}.items.jsonl`)), name).toBe(true);
    expect(existsSync(join(dir, 'out', 'chat-zh.rejects.jsonl'))).toBe(true);
    expect(existsSync(join(dir, 'out', 'chat-en.rejects.jsonl'))).toBe(false);
    const after = existsSync(bundledOut)
      ? readdirSync(bundledOut).map((f) => [f, statSync(join(bundledOut, f)).mtimeMs])
      : [];
    expect(after).toEqual(before);
    expect(r.stdout).toContain('npx qa-screen explain --pipeline ');
  });

  it('reports on screened items (gzip too) as HTML, CSV and JSON, or as text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qa-report-'));
    const items = join(dir, 'items.jsonl');
    await cli([
      'screen',
      '-p',
      'pipelines/chat-zh.yaml',
      '-i',
      'samples/chat-zh.jsonl',
      '-o',
      items,
      '-q',
      '--rejects',
      join(dir, 'r.jsonl'),
    ]);
    writeFileSync(join(dir, 'items.jsonl.gz'), gzipSync(readFileSync(items)));
    const r = await cli([
      'report',
      join(dir, 'items.jsonl.gz'),
      '--html',
      join(dir, 'report.html'),
      '--csv',
      join(dir, 'report.csv'),
      '--json',
      join(dir, 'report.json'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('HTML report of 9 item(s) written to');
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/(src|href)=["']?https?:/);
    expect(readFileSync(join(dir, 'report.csv'), 'utf8')).toMatch(/^scope,key,team,items/);
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))).toMatchObject({
      items: 9,
      skipped: 0,
    });
    const text = await cli(['report', items, 'samples/chat-zh.jsonl']);
    expect(text.stdout).toMatch(/items\s+flagged\s+fatal/);
    expect(text.stderr).toContain('11 line(s) skipped: not screened items');
    const missing = await cli(['report', join(dir, 'nope.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error QA_ERR_USAGE: .*nope\.jsonl: no such file/);
  });
});
