import { loadPipeline } from '../../config/load.js';
import { createLogger } from '../../ops/logger.js';
import { type Command, flag, optional, PIPELINE_OPTION, required, usageError } from '../command.js';

export const backtestCommand: Command = {
  name: 'backtest',
  summary:
    'Re-screen reviewed conversations with a new pipeline or lexicon version: per rule, findings that would appear or disappear and what the verdicts say.',
  options: {
    pipeline: PIPELINE_OPTION,
    from: { type: 'string', valueName: 'DATE', help: 'reviewed on or after' },
    to: { type: 'string', valueName: 'DATE', help: 'reviewed before' },
    limit: { type: 'string', valueName: 'N', help: 'at most N conversations (default 100000)' },
    'all-pipelines': {
      type: 'boolean',
      help: 'every reviewed conversation of the channel and language, not only this pipeline id',
    },
    'data-dir': { type: 'string', valueName: 'DIR', help: 'PGlite data folder without DATABASE_URL' },
    json: { type: 'boolean', help: 'print the report as JSON' },
  },
  async run(args, context) {
    const [{ openStore }, { backtest, formatBacktest }] = await Promise.all([
      import('../../review/app.js'),
      import('../../review/backtest.js'),
    ]);
    const settings = context.settings();
    const limit = optional(args, 'limit');
    if (limit !== undefined && !/^\d+$/.test(limit)) usageError('--limit expects a number');
    const pipeline = await loadPipeline(required(args, 'pipeline'));
    const review = {
      ...settings.review,
      ...(optional(args, 'data-dir') !== undefined && { dataDir: optional(args, 'data-dir')! }),
    };
    const { db } = await openStore(review, createLogger({ level: 'warn' }));
    try {
      const report = await backtest(db, pipeline, {
        from: optional(args, 'from'),
        to: optional(args, 'to'),
        ...(limit !== undefined && { limit: Number(limit) }),
        allPipelines: flag(args, 'all-pipelines'),
      });
      process.stdout.write(
        `${flag(args, 'json') ? JSON.stringify(report, null, 2) : formatBacktest(report)}\n`,
      );
      return 0;
    } finally {
      await db.close();
    }
  },
};
