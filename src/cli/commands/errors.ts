import { ERRORS } from '../../errors.js';
import type { Command } from '../command.js';

export const errorsCommand: Command = {
  name: 'errors',
  summary: 'List every error code, whether it is retried, and what to do.',
  options: {},
  async run() {
    for (const [code, e] of Object.entries(ERRORS)) {
      process.stdout.write(`${code}${e.retriable ? ' (retried)' : ''}: ${e.message} — ${e.hint}\n`);
    }
    return 0;
  },
};
