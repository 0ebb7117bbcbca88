import { readFileSync } from 'node:fs';
import type { Settings } from '../../config/settings.js';
import { issueLines, QaError } from '../../errors.js';
import { logEvent } from '../../events.js';
import { createLogger } from '../../ops/logger.js';
import { NewUser } from '../../review/model.js';
import type { ReviewSettings } from '../../review/settings.js';
import {
  type Command,
  type CommandContext,
  flag,
  optional,
  type ParsedArgs,
  required,
  usageError,
} from '../command.js';
import { listenForSignals, untilSignal } from '../signals.js';

/** Options that override the REVIEW_* settings for this run. */
function reviewSettings(
  args: ParsedArgs,
  context: CommandContext,
): { all: Readonly<Settings>; review: ReviewSettings } {
  const all = context.settings();
  const port = optional(args, 'port');
  if (port !== undefined && !/^\d{1,5}$/.test(port)) usageError('--port expects a number');
  return {
    all,
    review: {
      ...all.review,
      ...(optional(args, 'pipelines') !== undefined && { pipelines: optional(args, 'pipelines')! }),
      ...(optional(args, 'data-dir') !== undefined && { dataDir: optional(args, 'data-dir')! }),
      ...(optional(args, 'host') !== undefined && { host: optional(args, 'host')! }),
      ...(port !== undefined && { port: Number(port) }),
    },
  };
}

export const reviewCommand: Command = {
  name: 'review',
  summary:
    'Review service on PostgreSQL (DATABASE_URL) or embedded PGlite: serve the API, ingest items from Kafka, import JSONL, add users.',
  positionals: 'serve | ingest | import FILE|- | user add',
  options: {
    pipelines: { type: 'string', valueName: 'DIR', help: 'pipeline files by id (default REVIEW_PIPELINES)' },
    'data-dir': { type: 'string', valueName: 'DIR', help: 'PGlite data folder without DATABASE_URL' },
    host: { type: 'string', valueName: 'ADDR', help: 'serve: listen address (default REVIEW_HOST)' },
    port: { type: 'string', valueName: 'PORT', help: 'serve: port (default REVIEW_PORT)' },
    username: { type: 'string', short: 'u', valueName: 'NAME', help: 'user add: login name' },
    role: { type: 'string', valueName: 'ROLE', help: 'user add: reviewer, supervisor, agent or admin' },
    password: { type: 'string', valueName: 'PASSWORD', help: 'user add: password (prefer --password-stdin)' },
    'password-stdin': { type: 'boolean', help: 'user add: read the password from stdin' },
    'agent-id': { type: 'string', valueName: 'ID', help: 'user add: the agentId on items (role agent)' },
    team: { type: 'string', valueName: 'TEAM', help: 'user add: team' },
    'display-name': { type: 'string', valueName: 'NAME', help: 'user add: display name' },
    reset: { type: 'boolean', help: 'user add: replace an existing user (new password, role)' },
  },
  async run(args, context) {
    const [sub, ...rest] = args.positionals;
    switch (sub) {
      case 'serve':
        return serve(args, context);
      case 'ingest':
        return ingest(args, context);
      case 'import':
        if (rest.length !== 1) usageError('review import needs one JSONL file (or - for stdin)');
        return importFile(args, context, rest[0]!);
      case 'user':
        if (rest[0] !== 'add' || rest.length !== 1)
          usageError('review user add --username NAME --role ROLE …');
        return userAdd(args, context);
      default:
        return usageError('review serve | ingest | import FILE | user add');
    }
  },
};

// The service's modules (fastify, pg, PGlite, kafkajs) load only when a review command runs, so
// the other commands start as fast as before.
const load = () =>
  Promise.all([
    import('../../review/app.js'),
    import('../../review/auth.js'),
    import('../../review/ingest.js'),
    import('../../review/kafka-ingest.js'),
    import('../../review/metrics.js'),
    import('../../ops/http.js'),
  ]).then(([app, auth, ingest, kafkaIngest, metrics, http]) => ({
    ...app,
    ...auth,
    ...ingest,
    ...kafkaIngest,
    ...metrics,
    ...http,
  }));

async function serve(args: ParsedArgs, context: CommandContext): Promise<number> {
  const { createReviewApp } = await load();
  const { all, review } = reviewSettings(args, context);
  const logger = createLogger({ level: all.ops.logLevel });
  const signals = listenForSignals({ logger, timeoutMs: all.worker.shutdownTimeoutMs });
  const app = await createReviewApp(review, logger);
  const address = await app.server.listen({ host: review.host, port: review.port });
  logEvent(logger, 'info', 'review.listen', { address, backend: app.db.kind });
  process.stderr.write(
    `review service on ${address} (${app.db.kind === 'pglite' ? `PGlite in ${review.dataDir}` : 'PostgreSQL'})\n`,
  );
  return untilSignal({ logger, timeoutMs: all.worker.shutdownTimeoutMs, signals, stop: () => app.close() });
}

async function ingest(args: ParsedArgs, context: CommandContext): Promise<number> {
  const { openStore, createReviewMetrics, startOpsServer, startKafkaIngest } = await load();
  const { all, review } = reviewSettings(args, context);
  const brokers = all.kafka.brokers;
  if (!brokers?.length) throw new QaError('QA_ERR_SETTINGS_INVALID', 'review ingest needs KAFKA_BROKERS');
  const logger = createLogger({ level: all.ops.logLevel });
  const signals = listenForSignals({ logger, timeoutMs: all.worker.shutdownTimeoutMs });
  const { db, catalog } = await openStore(review, logger);
  const metrics = createReviewMetrics(db, review);
  let ingest: { ready(): boolean; stop(): Promise<void> } | undefined;
  let stopping = false;
  const server = await startOpsServer(
    metrics.registry,
    { live: () => !stopping, ready: () => ingest?.ready() ?? false },
    all.ops.metricsPort,
    all.ops.metricsHost,
  );
  logEvent(logger, 'info', 'ops.listen', { port: all.ops.metricsPort });
  let fatal: (() => void) | undefined;
  ingest = await startKafkaIngest({
    db,
    catalog,
    kafka: { ...all.kafka, brokers: [...brokers] },
    topic: review.topic,
    groupId: review.groupId,
    calibrationReviewers: review.calibrationReviewers,
    logger,
    metrics,
    onFatal: () => fatal?.(),
  });
  const code = await untilSignal({
    logger,
    timeoutMs: all.worker.shutdownTimeoutMs,
    signals,
    onFatal: (handler) => {
      fatal = handler;
    },
    async stop() {
      stopping = true;
      await ingest!.stop();
      await new Promise<void>((done) => server.close(() => done()));
      await db.close();
    },
  });
  // Exit explicitly: kafkajs reconnect timers would otherwise keep a stopped process alive.
  process.exit(code);
}

async function importFile(args: ParsedArgs, context: CommandContext, file: string): Promise<number> {
  const { openStore, importItems } = await load();
  const { all, review } = reviewSettings(args, context);
  const logger = createLogger({ level: all.ops.logLevel });
  const { db, catalog } = await openStore(review, logger);
  try {
    const report = await importItems(db, file, {
      catalog,
      calibrationReviewers: review.calibrationReviewers,
    });
    logEvent(logger, 'info', 'ingest.import', {
      inserted: report.inserted,
      duplicates: report.duplicates,
      rejected: report.rejected.length,
    });
    for (const r of report.rejected) process.stderr.write(`line ${r.line}: ${r.code} ${r.detail}\n`);
    process.stdout.write(
      `imported ${report.inserted} item(s), ${report.duplicates} already stored, ${report.rejected.length} rejected\n`,
    );
    return report.rejected.length === 0 ? 0 : 1;
  } finally {
    await db.close();
  }
}

async function userAdd(args: ParsedArgs, context: CommandContext): Promise<number> {
  const { all, review } = reviewSettings(args, context);
  let password = optional(args, 'password');
  if (flag(args, 'password-stdin')) password = readFileSync(0, 'utf8').replace(/\r?\n$/, '');
  if (password === undefined) usageError('user add needs --password or --password-stdin');
  const parsed = NewUser.safeParse({
    username: required(args, 'username'),
    password,
    role: required(args, 'role'),
    ...(optional(args, 'agent-id') !== undefined && { agentId: optional(args, 'agent-id') }),
    ...(optional(args, 'team') !== undefined && { team: optional(args, 'team') }),
    ...(optional(args, 'display-name') !== undefined && { displayName: optional(args, 'display-name') }),
  });
  if (!parsed.success) throw new QaError('QA_ERR_USAGE', 'user add', issueLines(parsed.error.issues));
  const { openStore, createUser } = await load();
  const logger = createLogger({ level: all.ops.logLevel });
  const { db } = await openStore(review, logger);
  try {
    const user = await createUser(db, parsed.data, null, flag(args, 'reset'));
    process.stdout.write(
      `user ${user.username} (${user.role}) ${flag(args, 'reset') ? 'updated' : 'created'}\n`,
    );
    return 0;
  } finally {
    await db.close();
  }
}
