import { describe, expect, it } from 'vitest';
import { compilePipeline, parseLexicon, parsePipeline } from '../../src/config/compile.js';
import { configSource } from '../../src/config/source.js';
import { QaError } from '../../src/errors.js';

const LEXICON = `lexicon: words
language: zh
categories:
  rude:
    severity: major
    points: 3
    phrases:
      - 不知道
      - phrase: 不清楚
        exceptions: [您不清楚]
`;

const PIPELINE = `pipeline: test
version: "1"
channel: chat
language: zh
rules:
  - id: forbidden
    type: phrase
    match: { lexicon: words }
scoring:
  scheme: s
`;

function errorOf(fn: () => unknown): QaError {
  try {
    fn();
  } catch (err) {
    if (err instanceof QaError) return err;
    throw err;
  }
  throw new Error('expected a QaError');
}

const compile = (pipeline: string, lexicon = LEXICON) =>
  compilePipeline(parsePipeline(configSource('p.yaml', pipeline)), [
    parseLexicon(configSource('l.yaml', lexicon)),
  ]);

describe('config errors name file, line, column, path and expectation', () => {
  it('compiles a valid pipeline', () => {
    const p = compile(PIPELINE);
    expect(p.rules.map((r) => r.id)).toEqual(['forbidden']);
    expect(p.index.size).toBe(2);
  });

  it('indexes only the entries some enabled rule reads', () => {
    const lexicon = `${LEXICON}  kind:
    phrases: [您好]
  thanks:
    phrases: [谢谢]
`;
    const pipeline = PIPELINE.replace(
      '    match: { lexicon: words }\n',
      `    match: { lexicon: words, categories: [rude] }
  - id: greeting
    type: required-phrase
    match: { lexicon: words, categories: [kind] }
    speaker: agent
    window: { first_turns: 1 }
  - id: thanks
    type: required-phrase
    enabled: false
    match: { lexicon: words, categories: [thanks] }
    speaker: agent
    window: { first_turns: 1 }
`,
    );
    const text = '您好，谢谢，不知道';
    const categories = (p: ReturnType<typeof compile>) =>
      p.index.match(p.index.normalize(text), text).map((h) => h.entry.category);
    // rude (2) and kind (1); thanks is named only by a disabled rule
    const p = compile(pipeline, lexicon);
    expect(p.index.size).toBe(3);
    expect(categories(p)).toEqual(['kind', 'rude']);
    const all = compile(pipeline.replace('    enabled: false\n', ''), lexicon);
    expect(all.index.size).toBe(4);
    expect(categories(all)).toEqual(['kind', 'thanks', 'rude']);
  });

  it('reports every schema problem of a lexicon at once', () => {
    const bad = LEXICON.replace('severity: major', 'severity: huge')
      .replace('points: 3', 'points: -1')
      .replace('language: zh', 'language: fr');
    const err = errorOf(() => parseLexicon(configSource('lexicons/bad.yaml', bad)));
    expect(err.code).toBe('QA_ERR_CONFIG_INVALID');
    expect(err.details).toMatchInlineSnapshot(`
      [
        "lexicons/bad.yaml:2:11 language: Invalid option: expected one of "zh"|"en"",
        "lexicons/bad.yaml:5:15 categories.rude.severity: Invalid option: expected one of "fatal"|"major"|"minor"|"info"",
        "lexicons/bad.yaml:6:13 categories.rude.points: Too small: expected number to be >=0",
      ]
    `);
  });

  it('rejects unknown keys (typos) in strict objects', () => {
    const err = errorOf(() =>
      parsePipeline(
        configSource(
          'p.yaml',
          PIPELINE.replace('    type: phrase', '    type: phrase\n    speekers: [agent]'),
        ),
      ),
    );
    expect(err.details).toMatchInlineSnapshot(`
      [
        "p.yaml:6:5 rules[0]: Unrecognized key: "speekers"",
      ]
    `);
  });

  it('names the registered rule types when a type is unknown', () => {
    const err = errorOf(() =>
      parsePipeline(configSource('p.yaml', PIPELINE.replace('type: phrase', 'type: phrasee'))),
    );
    expect(err.details[0]).toMatch(
      /^p\.yaml:7:11 rules\[0\]\.type: Invalid discriminator value\. Expected 'phrase' \| 'required-phrase'/,
    );
  });

  it('reads a JSON body after comments (a trained model) as its YAML reading, errors placed by line', () => {
    const yaml = parseLexicon(configSource('l.yaml', LEXICON)).value;
    const body = `# generated\n\n${JSON.stringify(yaml, null, 2)}\n`;
    expect(parseLexicon(configSource('l.yaml', body)).value).toEqual(yaml);
    const bad = body.replace('"major"', '"huge"');
    const err = errorOf(() => parseLexicon(configSource('lexicons/m.yaml', bad)));
    expect(err.code).toBe('QA_ERR_CONFIG_INVALID');
    const line = bad.split('\n').findIndex((l) => l.includes('"huge"')) + 1;
    expect(err.details).toEqual([
      expect.stringMatching(new RegExp(`^lexicons/m\\.yaml:${line}:\\d+ categories\\.rude\\.severity: `)),
    ]);
    // JSON.parse read it (as documented, a key given twice keeps its last value there; YAML refuses it).
    const twice = body.replace('"lexicon": "words",', '"lexicon": "other", "lexicon": "words",');
    expect(parseLexicon(configSource('l.yaml', twice)).value.lexicon).toBe('words');
    expect(() => parseLexicon(configSource('l.yaml', 'lexicon: other\nlexicon: words\n'))).toThrow(QaError);
    // Not JSON (a trailing comma, YAML's unquoted keys): the YAML parser reads it, as before.
    const flow = `# generated\n{ lexicon: words, language: zh, version: "1", categories: { rude: { phrases: [x], }, }, }\n`;
    expect(parseLexicon(configSource('f.yaml', flow)).value.categories.rude!.phrases).toEqual(['x']);
  });

  it('reports YAML syntax errors with their line', () => {
    const err = errorOf(() => parseLexicon(configSource('l.yaml', 'lexicon: x\n  language: [zh\n')));
    expect(err.code).toBe('QA_ERR_CONFIG_YAML');
    expect(err.details[0]).toMatch(/^l\.yaml:\d+:\d+ /);
  });

  it('cross-checks lexicon references, categories, rule ids and channel fit together', () => {
    const pipeline = `${PIPELINE.replace('match: { lexicon: words }', 'match: { lexicon: wordz }')}
`.replace(
      'scoring:',
      `  - id: greeting
    type: required-phrase
    match: { lexicon: words, categories: [greeting] }
    window: { first_turns: 1 }
  - id: silence
    type: silence
  - id: greeting
    type: duration
scoring:
  bonuses: [{ id: b, points: 1, message: m, when_clean: [nope] }]`,
    );
    const err = errorOf(() => compile(pipeline));
    expect(err.details).toMatchInlineSnapshot(`
      [
        "p.yaml:8:23 rules[0].match.lexicon: unknown lexicon "wordz" (loaded: words)",
        "p.yaml:11:43 rules[1].match.categories[0]: lexicon "words" has no category "greeting" (has: rude)",
        "p.yaml:14:11 rules[2].type: rule type "silence" applies to call only, pipeline channel is "chat"",
        "p.yaml:15:9 rules[3].id: duplicate rule id "greeting"",
        "p.yaml:18:58 scoring.bonuses[0].when_clean[0]: unknown rule id "nope"",
      ]
    `);
  });

  it('rejects exceptions that can never apply', () => {
    const err = errorOf(() => compile(PIPELINE, LEXICON.replace('[您不清楚]', '[后四位]')));
    expect(err.details).toEqual([
      'l.yaml:10:22 categories.rude.phrases[1].exceptions[0]: exception "后四位" does not contain "不清楚", so it can never apply (set exception_window to excuse nearby hits)',
    ]);
  });

  it('names the path of a broken pattern, one without a literal anchor, and a phrase that normalises to nothing', () => {
    const lexicon = LEXICON.replace(
      '      - 不知道\n',
      '      - { pattern: "还有(什么" }\n      - { pattern: "a?b*" }\n      - "！？"\n',
    );
    const err = errorOf(() => compile(PIPELINE, lexicon));
    expect(err.details).toEqual([
      'l.yaml:8:20 categories.rude.phrases[0].pattern: invalid pattern: missing ) at character 6',
      expect.stringMatching(
        /^l\.yaml:9:20 categories\.rude\.phrases\[1\]\.pattern: invalid pattern: no literal text that every match contains; list some under `anchors`/,
      ),
      'l.yaml:10:9 categories.rude.phrases[2]: "！？" normalises to nothing (only punctuation, emoji or spaces), so it can never match',
    ]);
  });

  it('requires exactly one operator per entry and options only where they apply', () => {
    const lexicon = LEXICON.replace(
      '      - 不知道\n',
      '      - { phrase: 不知道, pattern: 不知 }\n      - { near: [a, b] }\n',
    );
    const err = errorOf(() => parseLexicon(configSource('l.yaml', lexicon)));
    expect(err.details.join('\n')).toMatch(
      /phrases\[0\]: expected only one of phrase, pattern, any, all, near \(got phrase, pattern\)/,
    );
    expect(err.details.join('\n')).toMatch(/phrases\[1\]\.within: `near` needs `within`/);
  });

  it('checks the exceptions of a large lexicon in linear time (one automaton per category)', () => {
    const phrases = Array.from({ length: 32_000 }, (_, i) => `      - 词${i.toString(36)}甲`).join('\n');
    const exceptions = Array.from({ length: 3_200 }, (_, i) => `      - 前词${i.toString(36)}甲后`).join(
      '\n',
    );
    const lexicon = `lexicon: words\nlanguage: zh\ncategories:\n  big:\n    exceptions:\n${exceptions}\n      - 无关\n    phrases:\n${phrases}\n`;
    const err = errorOf(() => compile(PIPELINE, lexicon));
    // Only the exception that contains no phrase is reported; the index holds each string once.
    expect(err.details).toEqual([
      expect.stringContaining(
        'categories.big.exceptions[3200]: exception "无关" contains none of the category\'s phrases',
      ),
    ]);
  });

  it('rejects a lexicon in another language than the pipeline', () => {
    const err = errorOf(() => compile(PIPELINE, LEXICON.replace('language: zh', 'language: en')));
    expect(err.details[0]).toBe('l.yaml:2:11 language: expected "zh" (pipeline test), got "en"');
  });

  it('rejects oversized config files before parsing', () => {
    expect(() => configSource('big.yaml', 'x'.repeat(5 * 1024 * 1024))).toThrow(/size limit/);
  });

  it('rejects emoji and zero-width phrases and exceptions too, with their position', () => {
    const lexicon = `${LEXICON}      - "😀😀"
      - phrase: "！？"
        exceptions: ["\u200b\u200b"]
`;
    const err = errorOf(() => compile(PIPELINE, lexicon));
    expect(err.code).toBe('QA_ERR_CONFIG_INVALID');
    expect(err.details.map((d) => d.replace(/"[^"]*"/, '"…"'))).toEqual([
      'l.yaml:11:9 categories.rude.phrases[2]: "…" normalises to nothing (only punctuation, emoji or spaces), so it can never match',
      'l.yaml:12:17 categories.rude.phrases[3].phrase: "…" normalises to nothing (only punctuation, emoji or spaces), so it can never match',
      'l.yaml:13:22 categories.rude.phrases[3].exceptions[0]: "…" normalises to nothing (only punctuation, emoji or spaces), so it can never match',
    ]);
  });

  it('reports a YAML alias bomb as a config error, not a crash', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefg'[i]}`).join(', ')}]`),
    ].join('\n');
    const err = errorOf(() => parseLexicon(configSource('bomb.yaml', bomb)));
    expect(err.code).toBe('QA_ERR_CONFIG_YAML');
    expect(err.details).toEqual([
      'bomb.yaml:1:1 (root): aliases expand too much (over 100 expansions): refused as a resource-exhaustion attack',
    ]);
  });
});
