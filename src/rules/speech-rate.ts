import { z } from 'zod';
import type { Language } from '../domain/index.js';
import { Speaker } from '../domain/index.js';
import { defineRule, type RawFinding } from './define.js';
import { type PreparedTurn, timedTurns } from './prepared.js';

const Band = z
  .strictObject({
    min: z.number().positive().describe('slower is flagged'),
    max: z.number().positive().describe('faster is flagged'),
  })
  .refine((b) => b.min < b.max, { message: 'expected min below max' });

/** What is counted: Chinese characters (letters and digits too), or English words. */
function units(turn: PreparedTurn, language: Language): number {
  const text = turn.norm.text;
  if (language === 'en') return text.split(' ').filter((w) => w.length > 0).length;
  let n = 0;
  for (const ch of text) if (ch !== ' ') n++;
  return n;
}

interface Measure {
  turn: PreparedTurn;
  units: number;
  ms: number;
  rate: number;
}

/** 语速适中 (seed 000, 语音语调语速): neither too fast nor too slow, measured from ASR offsets. */
export const speechRateRule = defineRule({
  type: 'speech-rate',
  summary:
    "Call: a speaker's speech rate (characters, or English words, per minute) from turn offsets must stay within a band.",
  channels: ['call'],
  options: {
    speaker: Speaker.default('agent').describe('whose speech is measured'),
    per_minute: Band.default({ min: 150, max: 300 }).describe(
      '`{min, max}`: the band, in characters per minute (zh) or words per minute (en)',
    ),
    scope: z
      .enum(['turn', 'overall'])
      .default('overall')
      .describe(
        "`turn`: each long-enough turn, every one out of the band reported; `overall`: the speaker's whole text over their whole speaking time, one finding",
      ),
    min_turn_ms: z
      .number()
      .int()
      .positive()
      .default(3000)
      .describe('shorter turns are not measured: their offsets are too coarse for a rate'),
    min_units: z
      .number()
      .int()
      .positive()
      .default(8)
      .describe('turns with fewer characters (zh) or words (en) are not measured ("好的", "嗯")'),
  },
  defaults: { category: 'voice', severity: 'minor', points: 2, deduct: 'once' },
  needs: ['turn_times'],
  create(options, ctx) {
    const { min, max } = options.per_minute;
    const unit = (language: Language) => (language === 'en' ? 'words' : 'characters');
    return (t) => {
      const language = t.transcript.language;
      const measured: Measure[] = timedTurns(t.turns)
        .filter((turn) => turn.speaker === options.speaker)
        .map((turn) => {
          const ms = turn.endMs! - turn.startMs!;
          const n = units(turn, language);
          return { turn, units: n, ms, rate: ms > 0 ? (n * 60_000) / ms : 0 };
        });
      const band = { speaker: options.speaker, unit: unit(language), min, max };
      if (options.scope === 'overall') {
        const total = measured.reduce((a, m) => ({ units: a.units + m.units, ms: a.ms + m.ms }), {
          units: 0,
          ms: 0,
        });
        if (total.ms < options.min_turn_ms || total.units < options.min_units) return [];
        const rate = (total.units * 60_000) / total.ms;
        if (rate >= min && rate <= max) return [];
        const first = measured[0]!;
        return [
          ctx.finding({
            turnIndex: first.turn.index,
            atMs: first.turn.startMs,
            durationMs: total.ms,
            messageId: 'speech-rate.overall',
            params: { ...band, rate: Math.round(rate), ms: total.ms, fast: rate > max },
          }),
        ];
      }
      const out = measured.filter(
        (m) => m.ms >= options.min_turn_ms && m.units >= options.min_units && (m.rate < min || m.rate > max),
      );
      const fast = out.filter((m) => m.rate > max);
      const slow = out.filter((m) => m.rate < min);
      const extremes = {
        ...(fast.length > 0 && { fastest: Math.round(Math.max(...fast.map((m) => m.rate))) }),
        ...(slow.length > 0 && { slowest: Math.round(Math.min(...slow.map((m) => m.rate))) }),
      };
      return out.map(
        (m): RawFinding =>
          ctx.finding({
            turnIndex: m.turn.index,
            atMs: m.turn.startMs,
            durationMs: m.ms,
            messageId: 'speech-rate.turn',
            params: { ...band, rate: Math.round(m.rate), fast: m.rate > max, count: out.length, ...extremes },
          }),
      );
    };
  },
});
