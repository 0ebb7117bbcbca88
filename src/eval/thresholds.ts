import { type CompiledPipeline, compileRule } from '../config/compile.js';

/** The probabilities `eval --model-thresholds` tries when given none: 0.50, 0.55, … 0.95, 0.98. */
export const DEFAULT_MODEL_THRESHOLDS: readonly number[] = [
  0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.98,
];

/** The rules whose trigger includes a learned model of the turn, with the threshold each has now. */
export function modelThresholds(pipeline: CompiledPipeline): ReadonlyMap<string, number> {
  const found = new Map<string, number>();
  for (const rule of pipeline.config.rules)
    if (rule.enabled && rule.type === 'conditional' && rule.trigger.model)
      found.set(rule.id, rule.trigger.model.threshold);
  return found;
}

/**
 * The pipeline with every learned-model trigger set to `threshold`, everything else as it is. Where
 * a reviewer draws the line between frustration and complaint varies from team to team (issue 8,
 * round 13), so a team measures its own labelled conversations at several thresholds and picks one.
 */
export function withModelThreshold(pipeline: CompiledPipeline, threshold: number): CompiledPipeline {
  // The config changes too, so that what rebuilds rules from it next (eval's triggersOnly) keeps this.
  const config = pipeline.config.rules.map((rule) =>
    rule.type === 'conditional' && rule.trigger.model !== undefined
      ? { ...rule, trigger: { ...rule.trigger, model: { ...rule.trigger.model, threshold } } }
      : rule,
  );
  const rules = pipeline.rules.map((compiled) => {
    const i = pipeline.config.rules.findIndex((r) => r.id === compiled.id);
    return config[i] === pipeline.config.rules[i] ? compiled : compileRule(config[i]!);
  });
  return { ...pipeline, config: { ...pipeline.config, rules: config }, rules };
}

/** `--model-thresholds 0.6,0.8`: probabilities in (0, 1], ascending, each once. */
export function parseThresholds(text: string): number[] | undefined {
  const values = text.split(',').map((v) => Number(v.trim()));
  if (values.length === 0 || values.some((v) => !Number.isFinite(v) || v <= 0 || v > 1)) return undefined;
  return [...new Set(values)].sort((a, b) => a - b);
}
