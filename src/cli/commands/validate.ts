import { existsSync } from 'node:fs';
import { CONFIG_ROOT_OPTION, type Command, list, usageError } from '../command.js';
import { validateFiles } from '../validate.js';

export const validateCommand: Command = {
  name: 'validate',
  summary:
    'Check pipelines and lexicons (folders: skips node_modules and hidden folders); errors name file:line:col, the path and what was expected.',
  positionals: 'FILE|DIR ...',
  options: { 'config-root': CONFIG_ROOT_OPTION },
  async run(args) {
    if (args.positionals.length === 0) usageError('validate needs at least one file or folder');
    const missing = args.positionals.filter((p) => !existsSync(p));
    if (missing.length > 0) usageError(`no such file or folder: ${missing.join(', ')}`);
    const reports = await validateFiles(args.positionals, {
      roots: list(args, 'config-root'),
      onStart: (total) => process.stderr.write(`checking ${total} file(s)\n`),
      // Each file's result as soon as it is checked: the progress of a long run.
      onReport(r, index, total) {
        const counter = total > 1 ? `[${index}/${total}] ` : '';
        process.stdout.write(`${counter}${r.ok ? '✓' : '✗'} ${r.file}: ${r.summary}\n`);
        for (const issue of r.ok ? [] : r.issues) process.stdout.write(`    ${issue}\n`);
      },
    });
    const bad = reports.filter((r) => !r.ok).length;
    process.stdout.write(`${reports.length - bad} valid, ${bad} invalid\n`);
    return bad === 0 ? 0 : 1;
  },
};
