import type { InlineTranscript } from '../domain/index.js';
import { loadWordBoundaries } from '../text/segment.js';
import type { Router } from './route.js';
import type { Screener } from './screen.js';

/**
 * Conversations of our own wording, per language, that reach the engine's lazily loaded and
 * lazily compiled parts: greetings, a complaint, an apology, thanks, a closing, a number.
 */
const TURNS: Readonly<Record<'zh' | 'en', ReadonlyArray<readonly ['agent' | 'customer', string]>>> = {
  zh: [
    ['agent', '您好，很高兴为您服务，请问有什么可以帮您'],
    ['customer', '我的订单三天了还没发货，到底怎么回事，电话13800000000'],
    ['agent', '非常抱歉给您带来不便，这边马上帮您催促一下仓库'],
    ['customer', '好的谢谢'],
    ['agent', '不客气，请问还有其他可以帮您的吗，祝您生活愉快'],
  ],
  en: [
    ['customer', 'my order still has not arrived and nobody answers my emails'],
    ['agent', 'Hi there, sorry to hear that! Could you DM us the order number?'],
    ['customer', 'thanks, it is 12345678'],
    ['agent', "You're welcome! Let us know if there's anything else we can do."],
  ],
};

const START = Date.parse('2026-01-01T00:00:00Z');

function conversation(screener: Screener, round: number): InlineTranscript {
  const { channel, language } = screener.pipeline;
  const turns = TURNS[language];
  // A different first character each round: the screener's per-text caches must not answer for it.
  const mark = String.fromCharCode(0x4e00 + ((round * 97) % 20_000));
  return {
    conversationId: `qa-screen-warm-up-${round}`,
    channel,
    language,
    agent: { id: 'qa-screen-warm-up' },
    startedAt: new Date(START).toISOString(),
    turns: turns.map(([speaker, text], i) => ({
      speaker,
      text: `${mark}${text}`,
      at: new Date(START + i * 30_000).toISOString(),
    })),
  } as InlineTranscript;
}

/**
 * Screens `rounds` made-up conversations with every pipeline of the router and throws the items
 * away. The word-boundary dictionaries load on first use (~0.4 s) and the JIT compiles the hot path
 * on the first few hundred conversations; a worker that joins its group cold stalls its first
 * batches after every start or rebalance (bench:kafka measured 1–2 s of latency in the first
 * seconds at 1,000/s). Returns how many conversations were screened.
 */
export function warmUp(router: Router, rounds = 200): number {
  let screened = 0;
  for (const screener of router.screeners.values()) {
    // Chinese pipelines ask for word boundaries; load them whether or not the made-up text does.
    if (screener.pipeline.language === 'zh') loadWordBoundaries();
    for (let r = 0; r < rounds; r++) {
      screener.screenJson(conversation(screener, r));
      screened++;
    }
  }
  return screened;
}
