import { rulesText } from '../../rules/docs.js';
import type { Command } from '../command.js';

export const rulesCommand: Command = {
  name: 'rules',
  summary: 'List the registered rule types, their options and defaults.',
  options: {},
  async run() {
    process.stdout.write(`${rulesText()}\n`);
    return 0;
  },
};
