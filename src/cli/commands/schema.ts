import { z } from 'zod';
import { Lexicon } from '../../config/lexicon.js';
import { Pipeline } from '../../config/pipeline.js';
import { QueueRef, ScreenedItem, ScreenedItemV1, Transcript } from '../../domain/index.js';
import { type Command, usageError } from '../command.js';

const SCHEMAS = {
  transcript: Transcript,
  item: ScreenedItem,
  'item-v1': ScreenedItemV1,
  'queue-ref': QueueRef,
  pipeline: Pipeline,
  lexicon: Lexicon,
} as const;
type Which = keyof typeof SCHEMAS;
const isWhich = (s: string | undefined): s is Which => s !== undefined && s in SCHEMAS;

export const schemaCommand: Command = {
  name: 'schema',
  summary:
    'Print a JSON Schema: transcript (the input), item (the output, version 2; item-v1 the previous one), queue-ref (what review-queue topics carry), pipeline or lexicon (the YAML configs, for editors).',
  positionals: 'transcript|item|item-v1|queue-ref|pipeline|lexicon',
  options: {},
  async run(args) {
    const which = args.positionals[0];
    if (!isWhich(which)) usageError('schema transcript|item|item-v1|queue-ref|pipeline|lexicon');
    const json = z.toJSONSchema(SCHEMAS[which as Which], { io: 'input', unrepresentable: 'any' });
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  },
};
