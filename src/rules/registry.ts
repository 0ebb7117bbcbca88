import { z } from 'zod';
import { agentHangupRule } from './agent-hangup.js';
import { answerTimeRule } from './answer-time.js';
import { conditionalRule } from './conditional.js';
import type { RuleSpec } from './define.js';
import { durationRule } from './duration.js';
import { firstResponseRule } from './first-response.js';
import { interruptionRule } from './interruption.js';
import { phraseRule } from './phrase.js';
import { piiRule } from './pii.js';
import { requiredPhraseRule } from './required-phrase.js';
import { responseLatencyRule } from './response-latency.js';
import { silenceRule } from './silence.js';
import { speechRateRule } from './speech-rate.js';

/** Every rule type, registered by name (as Benthos components are). Add a line here to add a type. */
export const RULE_TYPES = [
  phraseRule,
  requiredPhraseRule,
  conditionalRule,
  firstResponseRule,
  responseLatencyRule,
  silenceRule,
  answerTimeRule,
  interruptionRule,
  agentHangupRule,
  piiRule,
  durationRule,
  speechRateRule,
] as const;

type RuleType = (typeof RULE_TYPES)[number];

const byType = new Map<string, RuleSpec>(RULE_TYPES.map((r) => [r.type, r]));

/** The spec of a rule type (the pipeline schema only admits registered types). */
export function ruleSpec(type: string): RuleSpec {
  const spec = byType.get(type);
  if (!spec) throw new TypeError(`unregistered rule type "${type}"`);
  return spec;
}

/** A rule as written in a pipeline: a union tagged by `type`, so errors name the right fields. */
export const RuleConfig = z.discriminatedUnion(
  'type',
  RULE_TYPES.map((r) => r.schema) as unknown as [RuleType['schema'], ...RuleType['schema'][]],
);
export type RuleConfig = z.infer<typeof RuleConfig>;
