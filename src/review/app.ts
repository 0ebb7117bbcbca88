import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { logEvent } from '../events.js';
import { type Analytics, createAnalytics } from './analytics.js';
import { type Auth, createAuth } from './auth.js';
import { type Db, openDb } from './db.js';
import { buildServer } from './http.js';
import { createReviewMetrics, type ReviewMetrics } from './metrics.js';
import { migrate } from './migrate.js';
import { loadCatalog, type PipelineCatalog } from './pipelines.js';
import { createReviewService, type ReviewService } from './service.js';
import type { ReviewSettings } from './settings.js';

export interface ReviewApp {
  db: Db;
  catalog: PipelineCatalog;
  service: ReviewService;
  analytics: Analytics;
  auth: Auth;
  metrics: ReviewMetrics;
  server: FastifyInstance;
  close(): Promise<void>;
}

/** Opens the database (PostgreSQL or PGlite), applies migrations, loads the pipelines. */
export async function openStore(settings: ReviewSettings, logger: Logger, db?: Db) {
  const store = db ?? (await openDb({ url: settings.databaseUrl, dataDir: settings.dataDir }));
  const applied = await migrate(store);
  logEvent(logger, 'info', 'review.db_ready', { backend: store.kind, migrationsApplied: applied.length });
  const catalog = await loadCatalog(settings.pipelines);
  for (const p of catalog.problems) {
    logEvent(logger, 'warn', 'review.pipeline_skipped', { problem: p });
  }
  return { db: store, catalog };
}

export async function createReviewApp(settings: ReviewSettings, logger: Logger, db?: Db): Promise<ReviewApp> {
  const { db: store, catalog } = await openStore(settings, logger, db);
  const service = createReviewService({ db: store, catalog, settings, logger });
  const analytics = createAnalytics(store, settings);
  const auth = createAuth(store, settings);
  const metrics = createReviewMetrics(store, settings);
  const server = await buildServer({ db: store, auth, service, analytics, metrics, settings, logger });
  return {
    db: store,
    catalog,
    service,
    analytics,
    auth,
    metrics,
    server,
    async close() {
      await server.close();
      await store.close();
    },
  };
}
