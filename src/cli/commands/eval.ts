import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { CompiledPipeline } from '../../config/compile.js';
import { loadPipeline } from '../../config/load.js';
import { issueLines, QaError } from '../../errors.js';
import { type CauseScore, causeBreakdown, triggersOnly } from '../../eval/causes.js';
import { LabelSet } from '../../eval/labels.js';
import {
  type EvalReport,
  evaluate,
  type RuleScore,
  type TriggerScore,
  triggerBreakdown,
  triggerOf,
} from '../../eval/metrics.js';
import {
  DEFAULT_MODEL_THRESHOLDS,
  modelThresholds,
  parseThresholds,
  withModelThreshold,
} from '../../eval/thresholds.js';
import { findingTurns, speakerTurns, TurnLabelSet, turnKey, turnsAsLabels } from '../../eval/turns.js';
import { hasTurns, parseTranscript } from '../../pipeline/parse.js';
import { screenMessage } from '../../pipeline/process.js';
import { createScreener, type Screener } from '../../pipeline/screen.js';
import { openInput, readJsonl } from '../../sources/jsonl.js';
import {
  CONFIG_ROOT_OPTION,
  type Command,
  flag,
  INPUT_OPTION,
  inputPaths,
  list,
  optional,
  PIPELINE_OPTION,
  required,
} from '../command.js';
import { table } from '../table.js';

/** A JSON labels file checked against `schema` (conversation labels, or turn labels). */
function loadJsonLabels<T>(path: string, schema: z.ZodType<T>, what: string): T {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new QaError(
      'QA_ERR_USAGE',
      `${path}: not a readable JSON ${what} file (${(err as Error).message.slice(0, 80)})`,
    );
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success)
    throw new QaError('QA_ERR_USAGE', `${path}: not a ${what} file`, issueLines(parsed.error.issues));
  return parsed.data;
}

/** `--rules a,b`: the rule ids asked for (undefined: all the labels name). */
const ruleIds = (args: Parameters<Command['run']>[0]) =>
  optional(args, 'rules')
    ?.split(',')
    .map((r) => r.trim());

const pct = (x: number) => x.toFixed(2);
const interval = (ci: { low: number; high: number } | null) => (ci ? `${pct(ci.low)}–${pct(ci.high)}` : '—');

export function formatReport(
  report: EvalReport,
  labels: LabelSet,
  showDisagreements: boolean,
  /** What one scored unit is: a conversation, or (eval --turns) a turn. */
  unit: 'conversation' | 'turn' = 'conversation',
): string {
  const lines = [
    `${labels.dataset} (${labels.split}): ${report.conversations} labelled ${unit}s screened` +
      (report.missing.length > 0 ? `, ${report.missing.length} labelled but not in the input` : ''),
    '',
    table(
      ['rule', 'precision', 'recall', 'F1', 'TP', 'FP', 'FN', 'support', 'precision 95%', 'recall 95%'],
      report.rules.map((r) => [
        r.rule,
        pct(r.precision),
        pct(r.recall),
        pct(r.f1),
        r.truePositives,
        r.falsePositives,
        r.falseNegatives,
        r.support,
        interval(r.precisionCi),
        interval(r.recallCi),
      ]),
    ),
    `(95% Wilson intervals: where the true rate plausibly lies, given this many ${unit}s)`,
  ];
  if (showDisagreements && report.disagreements.length > 0) {
    lines.push(
      '',
      'disagreements (fired but should not: false-positive; should have fired: false-negative):',
    );
    for (const d of report.disagreements)
      lines.push(`  ${d.kind.padEnd(14)} ${d.rule.padEnd(18)} ${d.conversationId}`);
  }
  return lines.join('\n');
}

/** The trigger table: every trigger that fired where it should not, and the most frequent others. */
export function formatTriggers(triggers: readonly TriggerScore[], limit = 20): string {
  const wrong = triggers.filter((t) => t.falsePositives > 0);
  const shown = [
    ...wrong,
    ...triggers.filter((t) => t.falsePositives === 0).slice(0, Math.max(0, limit - wrong.length)),
  ];
  if (shown.length === 0) return 'no rule fired on the labelled conversations';
  return [
    'what made each rule fire (the words its findings quote; conversations, worst precision first):',
    table(
      ['rule', 'trigger', 'fired', 'TP', 'FP', 'precision'],
      shown.map((t) => [t.rule, t.trigger, t.fired, t.truePositives, t.falsePositives, pct(t.precision)]),
    ),
  ].join('\n');
}

/** The cause table: for rules that expect an answer, which side a disagreement comes from. */
export function formatCauses(causes: readonly CauseScore[]): string {
  if (causes.length === 0) return 'no labelled rule expects a phrase in answer';
  return [
    'why the rules that expect an answer disagree (conversations; a trigger is the words that call for the answer):',
    table(
      ['rule', 'TP', 'FP', 'missed: no trigger', 'missed: reply taken as answer', 'triggered, answered'],
      causes.map((c) => [
        c.rule,
        c.truePositives,
        c.falsePositives,
        c.missedNoTrigger,
        c.missedAnswered,
        c.answered,
      ]),
    ),
    '(FP: the trigger fired and no reply had an answer phrase; --by-trigger lists the words that fired)',
  ].join('\n');
}

/** One rule measured with its learned model's threshold set to `threshold`. */
export interface ThresholdScore extends RuleScore {
  threshold: number;
  /** The threshold the pipeline has now. */
  current: boolean;
}

/** The threshold table: per rule with a learned model, the figures at each threshold tried. */
export function formatThresholds(scores: readonly ThresholdScore[]): string {
  return [
    "learned-model thresholds (each rule whose trigger includes a model, screened again at each; * the pipeline's own):",
    table(
      ['rule', 'threshold', 'precision', 'recall', 'F1', 'TP', 'FP', 'FN'],
      scores.map((s) => [
        s.rule,
        `${s.threshold.toFixed(2)}${s.current ? ' *' : ''}`,
        pct(s.precision),
        pct(s.recall),
        pct(s.f1),
        s.truePositives,
        s.falsePositives,
        s.falseNegatives,
      ]),
    ),
  ].join('\n');
}

/** `--model-thresholds`: the probabilities to try ("sweep": the default list), checked. */
function thresholdsWanted(args: Parameters<Command['run']>[0]): readonly number[] | undefined {
  const text = optional(args, 'model-thresholds');
  if (text === undefined) return undefined;
  const values = text.trim() === 'sweep' ? DEFAULT_MODEL_THRESHOLDS : parseThresholds(text);
  if (!values)
    throw new QaError(
      'QA_ERR_USAGE',
      `--model-thresholds takes "sweep" or probabilities above 0 and at most 1, separated by commas (0.6,0.8,0.95)`,
    );
  return values;
}

/** One threshold tried: the pipeline screened with it, and what it flagged per unit (conversation or turn). */
interface SweepPoint {
  threshold: number;
  screener: Screener;
  fired: Map<string, Set<string>>;
}

const sweepAt = (thresholds: readonly number[], pipelineAt: (threshold: number) => CompiledPipeline) =>
  thresholds.map(
    (threshold): SweepPoint => ({
      threshold,
      screener: createScreener(pipelineAt(threshold)),
      fired: new Map(),
    }),
  );

/** Per rule, its figures at each threshold tried; `current`: each rule's own threshold. */
function sweepScores(
  labels: LabelSet,
  sweep: readonly SweepPoint[],
  rules: readonly string[],
  current: ReadonlyMap<string, number>,
): ThresholdScore[] {
  return rules.flatMap((rule) =>
    sweep.map(({ threshold, fired }) => ({
      ...evaluate(labels, fired, [rule]).rules[0]!,
      threshold,
      current: threshold === current.get(rule),
    })),
  );
}

export const evalCommand: Command = {
  name: 'eval',
  summary:
    'Measure per-rule precision, recall and F1 against labelled conversations, and list the disagreements.',
  options: {
    pipeline: PIPELINE_OPTION,
    'config-root': CONFIG_ROOT_OPTION,
    input: INPUT_OPTION,
    labels: { type: 'string', short: 'l', valueName: 'FILE', help: 'labels JSON (eval/labels/*.json)' },
    rules: { type: 'string', valueName: 'ID,…', help: "only these rule ids (default: the labels' rules)" },
    quiet: { type: 'boolean', short: 'q', help: 'no list of disagreements' },
    json: { type: 'boolean', help: 'print the report as JSON' },
    'by-trigger': {
      type: 'boolean',
      help: 'also break each rule down by the words its findings quote (which wording fires wrongly); personal-data findings count as one trigger',
    },
    turns: {
      type: 'string',
      valueName: 'FILE',
      help: 'instead of --labels: turn labels (eval/labels/*.turns.json); measures, per turn, the trigger of the rule named by --rules (apology: is each complaining customer turn, and only those, read as a complaint)',
    },
    'by-cause': {
      type: 'boolean',
      help: 'for rules that expect a phrase in answer (apology after a complaint): split the misses into those whose trigger never fired and those where a reply was taken for the answer (screens each conversation twice)',
    },
    'model-thresholds': {
      type: 'string',
      valueName: 'P,…|sweep',
      help: "also measure each rule whose trigger includes a learned model with the model's threshold set to each of these probabilities (sweep: 0.50, 0.55 … 0.95, 0.98), to pick the one that matches your reviewers (screens each conversation once more per threshold)",
    },
  },
  async run(args) {
    const turnsFile = optional(args, 'turns');
    if (turnsFile !== undefined) return evalTurns(args, turnsFile);
    const labels = loadJsonLabels(required(args, 'labels'), LabelSet, 'labels');
    const pipeline = await loadPipeline(required(args, 'pipeline'), { roots: list(args, 'config-root') });
    const screener = createScreener(pipeline);
    const inputs = inputPaths(args);
    const wanted = new Set(Object.keys(labels.labels));
    const fired = new Map<string, Set<string>>();
    const byTriggerWanted = flag(args, 'by-trigger');
    const triggers = new Map<string, Map<string, Set<string>>>();
    const twin = flag(args, 'by-cause') ? triggersOnly(pipeline) : undefined;
    const twinScreener = twin && createScreener(twin.pipeline);
    const triggered = new Map<string, Set<string>>();
    const thresholds = thresholdsWanted(args);
    const withModel = modelThresholds(pipeline);
    const only = ruleIds(args);
    const modelRules = (only ?? labels.rules).filter((rule) => withModel.has(rule));
    if (thresholds && modelRules.length === 0)
      throw new QaError(
        'QA_ERR_USAGE',
        '--model-thresholds: no enabled rule measured here has a learned model in its trigger',
      );
    const sweep = sweepAt(thresholds ?? [], (threshold) => withModelThreshold(pipeline, threshold));
    for (const input of inputs) {
      for await (const line of readJsonl(openInput(input), pipeline.config.limits.max_transcript_bytes)) {
        if (!('text' in line)) continue;
        const result = screenMessage(screener, line.text);
        if (!result.ok || !wanted.has(result.item.conversationId)) continue;
        fired.set(result.item.conversationId, new Set(result.item.findings.map((f) => f.ruleId)));
        if (twinScreener) {
          const t = screenMessage(twinScreener, line.text);
          if (t.ok) triggered.set(t.item.conversationId, new Set(t.item.findings.map((f) => f.ruleId)));
        }
        for (const at of sweep) {
          const t = screenMessage(at.screener, line.text);
          if (t.ok) at.fired.set(t.item.conversationId, new Set(t.item.findings.map((f) => f.ruleId)));
        }
        if (!byTriggerWanted) continue;
        const byRule = new Map<string, Set<string>>();
        for (const f of result.item.findings) {
          // Personal data is quoted masked; its masks would only split one trigger into many.
          const trigger = f.type === 'pii' ? 'personal data' : triggerOf(f.text);
          byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? new Set()).add(trigger));
        }
        triggers.set(result.item.conversationId, byRule);
      }
    }
    const report = evaluate(labels, fired, only);
    const byTrigger = byTriggerWanted ? triggerBreakdown(labels, triggers, only) : undefined;
    const causes = flag(args, 'by-cause')
      ? causeBreakdown(labels, fired, triggered, twin?.rules ?? new Set(), only)
      : undefined;
    const byThreshold = thresholds ? sweepScores(labels, sweep, modelRules, withModel) : undefined;
    process.stdout.write(
      flag(args, 'json')
        ? `${JSON.stringify({ ...report, ...(byTrigger && { triggers: byTrigger }), ...(causes && { causes }), ...(byThreshold && { modelThresholds: byThreshold }) }, null, 2)}\n`
        : `${formatReport(report, labels, !flag(args, 'quiet'))}\n${byTrigger ? `\n${formatTriggers(byTrigger)}\n` : ''}${causes ? `\n${formatCauses(causes)}\n` : ''}${byThreshold ? `\n${formatThresholds(byThreshold)}\n` : ''}`,
    );
    return 0;
  },
};

/**
 * `eval --turns`: each turn of the trigger's speaker in a labelled conversation is a unit; the rule,
 * rebuilt so that no reply answers it and every triggering turn is its own finding, "fires" on the
 * turns it triggers on. Scored by `evaluate` as conversations are.
 */
async function evalTurns(args: Parameters<Command['run']>[0], turnsFile: string): Promise<number> {
  const labels = loadJsonLabels(turnsFile, TurnLabelSet, 'turn labels');
  const rules = ruleIds(args)?.filter(Boolean);
  const rule = rules?.length === 1 ? rules[0]! : undefined;
  if (rule === undefined)
    throw new QaError('QA_ERR_USAGE', '--turns needs the one rule the turn labels are for: --rules apology');
  const pipeline = await loadPipeline(required(args, 'pipeline'), { roots: list(args, 'config-root') });
  const config = pipeline.config.rules.find((r) => r.id === rule);
  const twin = triggersOnly(pipeline, { eachTurn: true });
  if (config?.type !== 'conditional' || !twin?.rules.has(rule))
    throw new QaError(
      'QA_ERR_USAGE',
      `--turns measures the trigger of a conditional rule that expects a phrase in answer; "${rule}" is not one in this pipeline`,
    );
  const screener = createScreener(twin.pipeline);
  const spoken = new Map<string, number[]>();
  const fired = new Map<string, Set<string>>();
  const thresholds = thresholdsWanted(args);
  const withModel = modelThresholds(pipeline);
  if (thresholds && !withModel.has(rule))
    throw new QaError('QA_ERR_USAGE', `--model-thresholds: the trigger of "${rule}" has no learned model`);
  const sweep = sweepAt(
    thresholds ?? [],
    (threshold) => triggersOnly(withModelThreshold(pipeline, threshold), { eachTurn: true })!.pipeline,
  );
  const maxBytes = pipeline.config.limits.max_transcript_bytes;
  for (const input of inputPaths(args)) {
    for await (const line of readJsonl(openInput(input), maxBytes)) {
      if (!('text' in line)) continue;
      const parsed = parseTranscript(line.text, maxBytes);
      if (!parsed.ok || !hasTurns(parsed.transcript)) continue;
      const t = parsed.transcript;
      if (labels.turns[t.conversationId] === undefined) continue;
      const triggered = findingTurns(t, screener.screen(t).findings, rule);
      const turns = speakerTurns(t, config.trigger.speaker);
      spoken.set(t.conversationId, turns);
      for (const i of turns) fired.set(turnKey(t.conversationId, i), new Set(triggered.has(i) ? [rule] : []));
      for (const at of sweep) {
        const triggeredAt = findingTurns(t, at.screener.screen(t).findings, rule);
        for (const i of turns)
          at.fired.set(turnKey(t.conversationId, i), new Set(triggeredAt.has(i) ? [rule] : []));
      }
    }
  }
  const asLabels = turnsAsLabels(labels, rule, spoken);
  const report = evaluate(asLabels, fired, [rule]);
  const byThreshold = thresholds ? sweepScores(asLabels, sweep, [rule], withModel) : undefined;
  const missing = Object.keys(labels.turns).filter((id) => !spoken.has(id));
  const note = `${spoken.size} labelled conversations screened${missing.length > 0 ? `, ${missing.length} labelled but not in the input` : ''}; each ${config.trigger.speaker} turn is scored (${labels.reads ?? rule}: does the trigger fire on it)`;
  process.stdout.write(
    flag(args, 'json')
      ? `${JSON.stringify({ ...report, unit: 'turn', screened: spoken.size, missingConversations: missing, ...(byThreshold && { modelThresholds: byThreshold }) }, null, 2)}\n`
      : `${note}\n${formatReport(report, asLabels, !flag(args, 'quiet'), 'turn')}\n${byThreshold ? `\n${formatThresholds(byThreshold)}\n` : ''}`,
  );
  return 0;
}
