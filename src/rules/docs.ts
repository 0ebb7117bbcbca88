import { z } from 'zod';
import { Context, LexiconCategory, LexiconEntry, LexiconModel } from '../config/lexicon.js';
import { RuleCommon, type RuleSpec } from './define.js';
import { RULE_TYPES } from './registry.js';

export interface OptionDoc {
  name: string;
  /** The default as YAML would write it, or undefined when the option has none. */
  fallback: string | undefined;
  required: boolean;
  description: string;
  /** The fields of an option that is an object (`grace: {farewell, …}`); those with a description are listed. */
  fields: OptionDoc[];
}

/** The fields of an object option, through optional/default wrappers; none for a phrase selector. */
function fieldsOf(schema: z.ZodType): z.ZodRawShape | undefined {
  let s: unknown = schema;
  for (let depth = 0; depth < 4 && s; depth++) {
    if (s instanceof z.ZodObject) {
      const shape = s.shape as z.ZodRawShape;
      const keys = Object.keys(shape).sort().join(',');
      return keys === 'categories,lexicon' ? undefined : shape;
    }
    s = (s as { _zod?: { def?: { innerType?: unknown } } })._zod?.def?.innerType;
  }
  return undefined;
}

function optionDocs(shape: z.ZodRawShape): OptionDoc[] {
  return Object.entries(shape).map(([name, schema]) => {
    const json = z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any' }) as {
      default?: unknown;
    };
    const fields = fieldsOf(schema as z.ZodType);
    return {
      name,
      fallback: json.default === undefined ? undefined : JSON.stringify(json.default).replace(/"/g, ''),
      required: !(schema as z.ZodType).safeParse(undefined).success,
      description: (schema as z.ZodType).description ?? '',
      fields: fields ? optionDocs(fields) : [],
    };
  });
}

/** A rule type's documentation, generated from its schema (the single source for CLI and README). */
export function ruleDoc(spec: RuleSpec) {
  return {
    type: spec.type,
    summary: spec.summary,
    channels: spec.channels,
    defaults: spec.defaults,
    options: optionDocs(spec.options),
  };
}

export const commonOptionDocs = (): OptionDoc[] => optionDocs(RuleCommon).filter((o) => o.name !== 'id');

const optionText = (o: OptionDoc) =>
  `${o.name}${o.required ? ' (required)' : o.fallback !== undefined ? ` (default ${o.fallback})` : ''}: ${o.description}`;

/** Lexicon options: a category's, an entry's (operators and their options), context. */
function lexiconOptionGroups(): Array<{ title: string; options: OptionDoc[] }> {
  return [
    { title: 'category', options: optionDocs(LexiconCategory.shape) },
    {
      title: 'entry (one of phrase, pattern, any, all, near; also inside any/all/near/not)',
      options: optionDocs(LexiconEntry.shape),
    },
    { title: 'context', options: optionDocs(Context.shape) },
    {
      title: 'model (a learned model of a turn; a lexicon may hold one)',
      options: optionDocs(LexiconModel.shape),
    },
  ];
}

/** `qa-screen rules`: every registered type with its options. */
export function rulesText(): string {
  const out: string[] = [];
  for (const spec of RULE_TYPES) {
    const doc = ruleDoc(spec);
    const d = doc.defaults;
    out.push(`${doc.type} — ${doc.summary}`);
    out.push(
      `  channels: ${doc.channels.join(', ')}; defaults: category ${d.category}, ${d.severity}, ${d.points} point(s), ${d.deduct}`,
    );
    for (const o of doc.options) {
      out.push(`  ${optionText(o)}`);
      for (const f of o.fields) if (f.description) out.push(`    ${o.name}.${optionText(f)}`);
    }
    out.push('');
  }
  out.push('Every rule also takes:');
  for (const o of commonOptionDocs()) out.push(`  ${optionText(o)}`);
  out.push('', 'Lexicon files (qa-screen schema lexicon):');
  for (const group of lexiconOptionGroups()) {
    out.push(`  ${group.title}:`);
    for (const o of group.options) out.push(`    ${optionText(o)}`);
  }
  return out.join('\n');
}

const cell = (s: string) => s.replace(/\|/g, '\\|');

/** The README's rule table, generated (`npm run docs`; a test keeps the README in sync). */
export function rulesMarkdown(): string {
  const rows = RULE_TYPES.map((spec) => {
    const doc = ruleDoc(spec);
    const options = doc.options
      .map(
        (o) =>
          `\`${o.name}\`${o.fallback !== undefined ? ` ${cell(o.fallback)}` : o.required ? ' (required)' : ''}`,
      )
      .join(', ');
    return `| \`${doc.type}\` | ${cell(doc.summary)} | ${doc.channels.join(', ')} | ${options} |`;
  });
  const common = commonOptionDocs()
    .map((o) => `\`${o.name}\` (${cell(o.description)})`)
    .join('; ');
  return [
    '| type | what it flags | channels | options (defaults) |',
    '|---|---|---|---|',
    ...rows,
    '',
    `Every rule also takes \`id\` and: ${common}.`,
  ].join('\n');
}

/** The README's lexicon option table, generated like the rules table. */
export function lexiconMarkdown(): string {
  const rows = lexiconOptionGroups().flatMap((group) =>
    group.options.map(
      (o) =>
        `| ${group.title.split(' ')[0]} | \`${o.name}\`${o.fallback !== undefined ? ` (default ${cell(o.fallback)})` : ''} | ${cell(o.description)} |`,
    ),
  );
  return ['| where | option | meaning |', '|---|---|---|', ...rows].join('\n');
}
