import { type Command, usageError } from '../command.js';
import { validateFiles } from '../validate.js';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check pipelines and lexicons; errors name file:line:col, the path and what was expected.',
  positionals: 'FILE|DIR ...',
  options: {},
  async run(args) {
    if (args.positionals.length === 0) usageError('validate needs at least one file or folder');
    const reports = await validateFiles(args.positionals);
    for (const r of reports) {
      process.stdout.write(`${r.ok ? '✓' : '✗'} ${r.file}: ${r.summary}\n`);
      for (const issue of r.ok ? [] : r.issues) process.stdout.write(`    ${issue}\n`);
    }
    const bad = reports.filter((r) => !r.ok).length;
    process.stdout.write(`${reports.length - bad} valid, ${bad} invalid\n`);
    return bad === 0 ? 0 : 1;
  },
};
