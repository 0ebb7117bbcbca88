import { z } from 'zod';
import {
  agentHangupRule,
  answerTimeRule,
  durationRule,
  interruptionRule,
  silenceRule,
} from './call-timing.js';
import { conditionalRule } from './conditional.js';
import { firstResponseRule, responseLatencyRule } from './latency.js';
import { phraseRule } from './phrase.js';
import { piiRule } from './pii.js';
import { requiredPhraseRule } from './required-phrase.js';

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
] as const;

export type RuleType = (typeof RULE_TYPES)[number];

export const ruleRegistry: ReadonlyMap<string, RuleType> = new Map(RULE_TYPES.map((r) => [r.type, r]));

/** A rule as written in a pipeline: a union tagged by `type`, so errors name the right fields. */
export const RuleConfig = z.discriminatedUnion(
  'type',
  RULE_TYPES.map((r) => r.schema) as unknown as [RuleType['schema'], ...RuleType['schema'][]],
);
export type RuleConfig = z.infer<typeof RuleConfig>;
