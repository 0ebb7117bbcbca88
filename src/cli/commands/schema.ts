import { z } from 'zod';
import { ScreenedItem, Transcript } from '../../domain/index.js';
import { type Command, usageError } from '../command.js';

const SCHEMAS = { transcript: Transcript, item: ScreenedItem } as const;

export const schemaCommand: Command = {
  name: 'schema',
  summary: 'Print a JSON Schema: transcript (the input) or item (the output).',
  positionals: 'transcript|item',
  options: {},
  async run(args) {
    const which = args.positionals[0];
    if (which !== 'transcript' && which !== 'item') usageError('schema transcript|item');
    const json = z.toJSONSchema(SCHEMAS[which], { io: 'input', unrepresentable: 'any' });
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  },
};
