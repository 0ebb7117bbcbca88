// Screens short conversations written as [speaker, text] pairs with a bundled pipeline: the wording
// tests (test/pipeline/bundled-wording*.test.ts) check one rule at a time on real-style sentences.
import { readFileSync } from 'node:fs';
import { loadPipeline } from '../../src/config/load.js';
import type { InlineTranscript } from '../../src/domain/index.js';
import { createScreener } from '../../src/pipeline/screen.js';

export type Turn = ['agent' | 'customer', string];
const START = Date.parse('2026-11-02T09:00:00Z');

/**
 * The pipeline `file`, or a copy of it changed by `edit` (its lexicons stay the bundled ones); the
 * returned function screens turns one minute apart and gives the item's findings.
 */
export async function screenerFor(file: string, edit?: (yaml: string) => string) {
  const read = async (location: string) => {
    const text = readFileSync(location, 'utf8');
    return edit && location === file ? edit(text) : text;
  };
  const screener = createScreener(await loadPipeline(file, { read }), { now: () => new Date(0) });
  return (turns: Turn[], language: 'zh' | 'en', tenant?: string) => {
    const t = {
      conversationId: 'wording',
      channel: 'chat',
      language,
      agent: { id: 'a-1' },
      ...(tenant !== undefined && { tenant }),
      startedAt: new Date(START).toISOString(),
      turns: turns.map(([speaker, text], i) => ({
        speaker,
        text,
        at: new Date(START + i * 60_000).toISOString(),
      })),
    } as InlineTranscript;
    return screener.screen(t).findings;
  };
}

/** Whether a finding of `rule` is among `findings`. */
export const fires = (findings: Array<{ ruleId: string }>, rule: string) =>
  findings.some((f) => f.ruleId === rule);

/**
 * Whether `rule` fires on a two-turn exchange, the customer's message then the agent's reply: the
 * shape most wording cases take.
 */
export function exchangeFires(
  screen: Awaited<ReturnType<typeof screenerFor>>,
  language: 'zh' | 'en',
  rule: string,
): (customer: string, agent: string) => boolean {
  return (customer, agent) =>
    fires(
      screen(
        [
          ['customer', customer],
          ['agent', agent],
        ],
        language,
      ),
      rule,
    );
}
