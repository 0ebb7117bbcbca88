import { compilePipeline, parseLexicon, parsePipeline } from '../../src/config/compile.js';
import { configSource } from '../../src/config/source.js';
import type { InlineTranscript, Language } from '../../src/domain/index.js';
import { prepare } from '../../src/pipeline/screen.js';
import type { RawFinding } from '../../src/rules/define.js';

const START = Date.parse('2026-11-02T09:00:00+08:00');

/** Chat turns as `[seconds, speaker, text]`; call turns as `[startMs, endMs, speaker, text]`. */
export type ChatTurn = [number, string, string];
export type CallTurn = [number, number, string, string];

export interface Harness {
  /** Runs the one rule on a chat transcript. */
  chat(turns: ChatTurn[], extra?: Partial<InlineTranscript>): RawFinding[];
  /** Runs the one rule on a call transcript. */
  call(turns: CallTurn[], extra?: Partial<InlineTranscript>): RawFinding[];
}

/**
 * One rule (as a pipeline would write it, without `id`) compiled against a small test lexicon
 * (`test`: category → phrases), so rule tests do not depend on the bundled lexicons' wording.
 */
export function ruleHarness(options: {
  rule: Record<string, unknown>;
  /** Phrases, or entries as a lexicon writes them (`{ pattern: … }`). */
  categories: Record<string, Array<string | Record<string, unknown>>>;
  language?: Language;
  channel?: 'chat' | 'call';
}): Harness {
  const language = options.language ?? 'zh';
  const channel = options.channel ?? (options.rule.type === 'conditional' ? 'chat' : 'call');
  const lexicon = {
    lexicon: 'test',
    language,
    categories: Object.fromEntries(
      Object.entries(options.categories).map(([id, phrases]) => [id, { phrases }]),
    ),
  };
  const pipeline = {
    pipeline: 'test',
    version: '1',
    channel,
    language,
    lexicons: ['test.yaml'],
    rules: [{ id: 'rule', ...options.rule }],
    scoring: { scheme: 'test' },
  };
  const compiled = compilePipeline(parsePipeline(configSource('p.yaml', JSON.stringify(pipeline))), [
    parseLexicon(configSource('test.yaml', JSON.stringify(lexicon))),
  ]);
  const evaluate = compiled.rules[0]!.evaluate;
  const base = (turns: InlineTranscript['turns'], ch: 'chat' | 'call', extra = {}): InlineTranscript => ({
    conversationId: 'c-1',
    channel: ch,
    language,
    agent: { id: 'a-1' },
    startedAt: new Date(START).toISOString(),
    turns,
    ...extra,
  });
  return {
    chat: (turns, extra) =>
      evaluate(
        prepare(
          compiled,
          base(
            turns.map(([s, speaker, text]) => ({
              speaker: speaker as 'agent',
              text,
              at: new Date(START + s * 1000).toISOString(),
            })),
            'chat',
            extra,
          ),
        ),
      ),
    call: (turns, extra) =>
      evaluate(
        prepare(
          compiled,
          base(
            turns.map(([startMs, endMs, speaker, text]) => ({
              speaker: speaker as 'agent',
              text,
              startMs,
              endMs,
            })),
            'call',
            extra,
          ),
        ),
      ),
  };
}
