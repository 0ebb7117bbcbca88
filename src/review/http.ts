import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ERRORS, type ErrorCode, isQaError, issueLines, QaError } from '../errors.js';
import { logEvent } from '../events.js';
import { type Analytics, reportCsv } from './analytics.js';
import type { Auth } from './auth.js';
import { createUser } from './auth.js';
import type { Db } from './db.js';
import type { ReviewMetrics } from './metrics.js';
import {
  type Actor,
  AddFindingBody,
  AppealBody,
  AppealFilters,
  AuditQuery,
  CalibrationBody,
  ClaimBody,
  CommentBody,
  IdParams,
  ItemFilters,
  KeymapBody,
  LoginBody,
  NewUser,
  RangeQuery,
  ReportQuery,
  ReviewFindingParams,
  type Role,
  RulingBody,
  TimelineQuery,
  VerdictBody,
} from './model.js';
import { iso, type ReviewService } from './service.js';
import type { ReviewSettings } from './settings.js';

export const SESSION_COOKIE = 'qa_review_session';

const STATUS: Partial<Record<ErrorCode, number>> = {
  QA_ERR_REVIEW_UNAUTHENTICATED: 401,
  QA_ERR_REVIEW_LOGIN_FAILED: 401,
  QA_ERR_REVIEW_RATE_LIMITED: 429,
  QA_ERR_REVIEW_CSRF: 403,
  QA_ERR_REVIEW_FORBIDDEN: 403,
  QA_ERR_REVIEW_NOT_FOUND: 404,
  QA_ERR_REVIEW_BAD_REQUEST: 400,
  QA_ERR_REVIEW_ITEM_INVALID: 400,
  QA_ERR_REVIEW_TOO_LARGE: 413,
  QA_ERR_REVIEW_LEASE_LOST: 409,
  QA_ERR_REVIEW_INCOMPLETE: 409,
  QA_ERR_REVIEW_CONFLICT: 409,
  QA_ERR_REVIEW_APPEAL_CLOSED: 409,
  QA_ERR_REVIEW_PIPELINE_UNKNOWN: 422,
  QA_ERR_REVIEW_DB: 503,
  QA_ERR_REVIEW_INTERNAL: 500,
};

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    hint: z.string(),
    retriable: z.boolean(),
    details: z.array(z.string()).optional(),
  }),
});

type Access = readonly Role[] | 'public';

interface Input<P, Q, B> {
  actor: Actor;
  params: P;
  query: Q;
  body: B;
  req: FastifyRequest;
  reply: FastifyReply;
}

interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  summary: string;
  tag: string;
  access: Access;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  produces?: string;
  handler: (input: Input<never, never, never>) => Promise<unknown>;
}

function route<
  P extends z.ZodType = z.ZodType<undefined>,
  Q extends z.ZodType = z.ZodType<undefined>,
  B extends z.ZodType = z.ZodType<undefined>,
>(def: {
  method: RouteDef['method'];
  url: string;
  summary: string;
  tag: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  produces?: string;
  handler: (input: Input<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<unknown>;
}): RouteDef {
  return def as unknown as RouteDef;
}

const STAFF: Role[] = ['reviewer', 'supervisor', 'admin'];
const OVERSEERS: Role[] = ['supervisor', 'admin'];
const EVERYONE: Role[] = ['reviewer', 'supervisor', 'agent', 'admin'];

export interface ServerDeps {
  db: Db;
  auth: Auth;
  service: ReviewService;
  analytics: Analytics;
  metrics: ReviewMetrics;
  settings: Pick<ReviewSettings, 'bodyLimitBytes' | 'cookieSecure' | 'sessionHours' | 'metricsToken'>;
  logger: Logger;
  /** The built web app (`npm run build` writes dist/web); default: the package's dist/web. */
  webDir?: string;
}

/** The package's dist/web, found from this module (src/review in a checkout, dist/src/review when built). */
export function defaultWebDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'web');
}

/**
 * The web app's policy: everything from this origin, no inline script, no framing. Styles the app
 * sets go through the CSSOM (element.style), which style-src does not govern.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The review API: JSON under /api, zod-validated, a role list on every route, OpenAPI at /api/openapi.json. */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const { auth, service, analytics, settings, logger, metrics } = deps;
  const app = Fastify({
    logger: false,
    bodyLimit: settings.bodyLimitBytes,
    trustProxy: false,
    requestIdHeader: false,
  });
  await app.register(cookie);

  // Every response: no sniffing, no framing, no referrer; the CSP on everything (JSON too, harmless).
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    return payload;
  });

  // The web app (Vite build): hashed assets are immutable, index.html is revalidated every time so a
  // new build is picked up at once. Missing (not built), `/` says how to build it.
  const webDir = deps.webDir ?? defaultWebDir();
  if (existsSync(join(webDir, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: webDir,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      cacheControl: false,
      setHeaders(reply, path) {
        reply.header(
          'cache-control',
          path.startsWith(join(webDir, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  } else {
    app.get('/', async (_req, reply) => {
      reply.code(503).type('text/plain; charset=utf-8');
      return 'The web app is not built: run `npm run build` (it writes dist/web).\n';
    });
  }

  const sessionCookie = (value: string, maxAgeSeconds: number) => ({
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: settings.cookieSecure,
    maxAge: maxAgeSeconds,
    value,
  });

  const routes: RouteDef[] = [
    route({
      method: 'POST',
      url: '/api/login',
      summary: 'Password login: sets the HttpOnly session cookie, returns the CSRF token',
      tag: 'auth',
      access: 'public',
      body: LoginBody,
      async handler({ body, req, reply }) {
        const s = await auth.login(body.username, body.password, req.ip);
        const c = sessionCookie(s.token, Math.round(settings.sessionHours * 3600));
        reply.setCookie(SESSION_COOKIE, c.value, c);
        logEvent(logger, 'info', 'review.login', { user: s.actor.id });
        return { user: s.actor, csrfToken: s.csrfToken, expiresAt: s.expiresAt.toISOString() };
      },
    }),
    route({
      method: 'POST',
      url: '/api/logout',
      summary: 'Ends the session',
      tag: 'auth',
      access: EVERYONE,
      async handler({ req, reply }) {
        await auth.logout(req.cookies[SESSION_COOKIE]);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return { ok: true };
      },
    }),
    route({
      method: 'GET',
      url: '/api/me',
      summary: 'The current user, CSRF token and daily quota (seed 001: 20 a day; shown, not enforced)',
      tag: 'auth',
      access: EVERYONE,
      async handler({ actor, req }) {
        return { ...(await service.me(actor)), csrfToken: (req as AuthedRequest).csrfToken };
      },
    }),
    route({
      method: 'PUT',
      url: '/api/me/keys',
      summary:
        "Moves the item page's keys for the current user (next, previous, confirm, reject, add, submit, nextItem, comment)",
      tag: 'auth',
      access: EVERYONE,
      body: KeymapBody,
      handler: ({ actor, body }) => service.setKeys(actor, body),
    }),
    route({
      method: 'GET',
      url: '/api/users',
      summary: 'Users (for assigning calibration and filters)',
      tag: 'users',
      access: OVERSEERS,
      handler: () => auth.listUsers(),
    }),
    route({
      method: 'POST',
      url: '/api/users',
      summary: 'Creates a user',
      tag: 'users',
      access: ['admin'],
      body: NewUser,
      handler: ({ actor, body }) => createUser(deps.db, body, actor.id),
    }),
    route({
      method: 'GET',
      url: '/api/queues',
      summary: 'Queues with unclaimed/claimed counts and the oldest unclaimed item age',
      tag: 'queues',
      access: STAFF,
      handler: () => service.queues(),
    }),
    route({
      method: 'GET',
      url: '/api/items',
      summary:
        'Items in priority order (fatal first, then lowest score); agents get their own reviewed items',
      tag: 'items',
      access: EVERYONE,
      query: ItemFilters,
      handler: ({ actor, query }) => service.listItems(actor, query),
    }),
    route({
      method: 'GET',
      url: '/api/items/:id',
      summary: 'One item: masked conversation, findings, reviews and verdicts, comments, versions, appeal',
      tag: 'items',
      access: EVERYONE,
      params: IdParams,
      handler: ({ actor, params }) => service.getItem(actor, params.id),
    }),
    route({
      method: 'GET',
      url: '/api/items/:id/audit',
      summary: "The item's audit trail (who, when, before, after)",
      tag: 'items',
      access: OVERSEERS,
      params: IdParams,
      query: AuditQuery,
      handler: ({ params, query }) => service.auditOf(params.id, query.limit, query.offset),
    }),
    route({
      method: 'GET',
      url: '/api/items/:id/rules',
      summary:
        "The rules of the item's pipeline version (id, category, severity, points): what a missed finding can be",
      tag: 'items',
      access: STAFF,
      params: IdParams,
      handler: ({ params }) => service.rulesOf(params.id),
    }),
    route({
      method: 'POST',
      url: '/api/items/:id/comments',
      summary: 'Adds a comment to an item',
      tag: 'items',
      access: STAFF,
      params: IdParams,
      body: CommentBody,
      handler: ({ actor, params, body }) => service.comment(actor, params.id, body.body),
    }),
    route({
      method: 'POST',
      url: '/api/claims',
      summary: 'Claims the next item with a lease (null when the queue is empty)',
      tag: 'reviews',
      access: ['reviewer', 'supervisor'],
      body: ClaimBody,
      handler: async ({ actor, body }) => ({ claim: await service.claim(actor, body ?? {}) }),
    }),
    route({
      method: 'POST',
      url: '/api/reviews/:id/renew',
      summary: 'Extends the lease',
      tag: 'reviews',
      access: ['reviewer', 'supervisor'],
      params: IdParams,
      handler: ({ actor, params }) => service.renew(actor, params.id),
    }),
    route({
      method: 'POST',
      url: '/api/reviews/:id/release',
      summary: 'Gives the item back to the queue',
      tag: 'reviews',
      access: ['reviewer', 'supervisor'],
      params: IdParams,
      handler: ({ actor, params }) => service.release(actor, params.id),
    }),
    route({
      method: 'GET',
      url: '/api/reviews/:id/preview',
      summary: "The caller's open review scored as if submitted now (the pipeline's scheme)",
      tag: 'reviews',
      access: ['reviewer', 'supervisor'],
      params: IdParams,
      handler: ({ actor, params }) => service.previewOf(actor, params.id),
    }),
    route({
      method: 'PUT',
      url: '/api/reviews/:id/verdicts/:findingId',
      summary: 'Confirms or rejects (with a reason code) a machine finding; returns the score preview',
      tag: 'reviews',
      access: ['reviewer', 'supervisor'],
      params: ReviewFindingParams,
      body: VerdictBody,
      handler: ({ actor, params, body }) => service.setVerdict(actor, params.id, params.findingId, body),
    }),
    route({
      method: 'POST',
      url: '/api/reviews/:id/findings',
      summary: 'Adds a finding the machine missed (rule, turn, span, note)',
      tag: 'reviews',
      access: ['reviewer', 'supervisor'],
      params: IdParams,
      body: AddFindingBody,
      handler: ({ actor, params, body }) => service.addFinding(actor, params.id, body),
    }),
    route({
      method: 'DELETE',
      url: '/api/reviews/:id/findings/:findingId',
      summary: 'Removes a finding this review added',
      tag: 'reviews',
      access: ['reviewer', 'supervisor'],
      params: ReviewFindingParams,
      handler: ({ actor, params }) => service.removeFinding(actor, params.id, params.findingId),
    }),
    route({
      method: 'POST',
      url: '/api/reviews/:id/submit',
      summary: "Submits: the final score is recomputed by the pipeline's scoring scheme",
      tag: 'reviews',
      access: ['reviewer', 'supervisor'],
      params: IdParams,
      handler: ({ actor, params }) => service.submit(actor, params.id),
    }),
    route({
      method: 'POST',
      url: '/api/items/:id/appeals',
      summary: 'An agent appeals (申诉) one of their reviewed items within the appeal window',
      tag: 'appeals',
      access: ['agent'],
      params: IdParams,
      body: AppealBody,
      handler: ({ actor, params, body }) => service.appeal(actor, params.id, body.reason),
    }),
    route({
      method: 'GET',
      url: '/api/appeals',
      summary: 'Appeals: all for supervisors, their own for agents',
      tag: 'appeals',
      access: ['agent', 'supervisor', 'admin'],
      query: AppealFilters,
      handler: ({ actor, query }) => service.listAppeals(actor, query),
    }),
    route({
      method: 'GET',
      url: '/api/appeals/:id',
      summary: 'One appeal and its ruling',
      tag: 'appeals',
      access: ['agent', 'supervisor', 'admin'],
      params: IdParams,
      handler: ({ actor, params }) => service.getAppeal(actor, params.id),
    }),
    route({
      method: 'POST',
      url: '/api/appeals/:id/ruling',
      summary: 'A supervisor upholds or overturns each confirmed finding; the score is recomputed',
      tag: 'appeals',
      access: ['supervisor'],
      params: IdParams,
      body: RulingBody,
      handler: ({ actor, params, body }) => service.rule(actor, params.id, body),
    }),
    route({
      method: 'POST',
      url: '/api/calibration',
      summary: 'Picks an item for calibration by several independent reviewers',
      tag: 'calibration',
      access: ['supervisor'],
      body: CalibrationBody,
      handler: ({ actor, body }) => service.pickForCalibration(actor, body.itemId, body.reviewers),
    }),
    route({
      method: 'GET',
      url: '/api/calibration',
      summary: "Calibration items with progress; Cohen's kappa per reviewer pair and Fleiss' kappa",
      tag: 'calibration',
      access: OVERSEERS,
      query: RangeQuery,
      handler: ({ query }) => analytics.calibrationReport(query),
    }),
    route({
      method: 'GET',
      url: '/api/calibration/:id',
      summary: 'Agreement per finding of one calibration item, and kappas',
      tag: 'calibration',
      access: OVERSEERS,
      params: IdParams,
      handler: ({ params }) => analytics.calibrationItem(params.id),
    }),
    route({
      method: 'GET',
      url: '/api/rules/quality',
      summary: 'Per-rule precision with a 95% interval, misses, recall bound, noisy flag',
      tag: 'rules',
      access: OVERSEERS,
      query: RangeQuery,
      handler: ({ query }) => analytics.ruleQuality(query),
    }),
    route({
      method: 'GET',
      url: '/api/rules/quality/timeline',
      summary: 'Per-rule precision per day/week/month',
      tag: 'rules',
      access: OVERSEERS,
      query: TimelineQuery,
      handler: ({ query }) => analytics.ruleTimeline(query),
    }),
    route({
      method: 'GET',
      url: '/api/reports',
      summary:
        'Per agent/team and period: items, mean score, pass rate, grade bands, seed-004 accuracy, top rules; CSV with format=csv',
      tag: 'reports',
      access: OVERSEERS,
      query: ReportQuery,
      produces: 'text/csv',
      async handler({ query, reply }) {
        const report = await analytics.report(query);
        if (query.format !== 'csv') return report;
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="qa-report-${query.by}-${query.period}.csv"`);
        return reportCsv(report);
      },
    }),
    route({
      method: 'GET',
      url: '/api/ops',
      summary:
        'What the ops page shows: queues, noisy rules, ingest offsets, items screened per minute (last hour), and the /metrics gauges',
      tag: 'ops',
      access: OVERSEERS,
      async handler() {
        const [queues, noisy, offsets, perMinute, gauges] = await Promise.all([
          service.queues(),
          analytics.noisyRules(),
          deps.db.query<{
            consumer_group: string;
            topic: string;
            partition: number;
            next_offset: string;
            updated_at: Date;
          }>(
            'SELECT consumer_group, topic, partition, next_offset::text AS next_offset, updated_at FROM kafka_offsets ORDER BY 1, 2, 3',
          ),
          deps.db.query<{ minute: Date; items: number }>(
            `SELECT date_trunc('minute', screened_at) AS minute, count(*)::int AS items FROM items
              WHERE screened_at >= now() - interval '60 minutes' GROUP BY 1 ORDER BY 1`,
          ),
          // The same gauges and counters /metrics exposes, read through the registry.
          metrics.registry.getMetricsAsJSON(),
        ]);
        const values = (name: string) =>
          (gauges.find((m) => m.name === name)?.values ?? []).map((v) => ({ ...v.labels, value: v.value }));
        return {
          queues,
          noisyRules: noisy,
          ingest: offsets.map((o) => ({
            group: o.consumer_group,
            topic: o.topic,
            partition: o.partition,
            nextOffset: o.next_offset,
            updatedAt: o.updated_at instanceof Date ? o.updated_at.toISOString() : String(o.updated_at),
          })),
          screenedPerMinute: perMinute.map((m) => ({ minute: iso(m.minute), items: m.items })),
          metrics: {
            queueDepth: values('qa_review_queue_depth'),
            oldestUnclaimedSeconds: values('qa_review_oldest_unclaimed_seconds'),
            ingested: values('qa_review_ingested_total'),
            ruleNoisy: values('qa_review_rule_noisy'),
          },
        };
      },
    }),
    route({
      method: 'GET',
      url: '/api/openapi.json',
      summary: 'This OpenAPI document',
      tag: 'meta',
      access: 'public',
      handler: async () => openapi,
    }),
    route({
      method: 'GET',
      url: '/healthz',
      summary: 'Liveness and database reachability',
      tag: 'meta',
      access: 'public',
      async handler({ reply }) {
        try {
          await deps.db.query('SELECT 1');
          return { status: 'ok' };
        } catch {
          reply.code(503);
          return { status: 'unavailable' };
        }
      },
    }),
  ];
  const openapi = openApiDocument(routes);

  app.setErrorHandler((err, req, reply) => {
    const e = toQaError(err);
    const status = STATUS[e.code] ?? 500;
    if (status >= 500) {
      // The message of an unexpected error may quote data: log its class and code only.
      logEvent(logger, 'error', 'review.request_error', {
        route: req.routeOptions.url,
        code: e.code,
        cause: (err as Error).name,
        pgCode: (err as { code?: unknown }).code,
      });
    }
    if (e.code === 'QA_ERR_REVIEW_LOGIN_FAILED' || e.code === 'QA_ERR_REVIEW_RATE_LIMITED') {
      // Never the username or password: only why.
      logEvent(logger, 'warn', 'review.login_refused', { code: e.code });
    }
    const retryAfter = (e as QaError & { retryAfter?: number }).retryAfter;
    if (retryAfter) reply.header('retry-after', String(retryAfter));
    reply.code(status).send({
      error: {
        code: e.code,
        message: e.message,
        hint: e.hint,
        retriable: e.retriable,
        ...(e.details.length > 0 && { details: e.details }),
      },
    });
  });
  app.setNotFoundHandler((_req, reply) => {
    reply.code(404).send({ error: { ...ERRORS.QA_ERR_REVIEW_NOT_FOUND, code: 'QA_ERR_REVIEW_NOT_FOUND' } });
  });

  app.addHook('onResponse', async (req, reply) => {
    const routeUrl = req.routeOptions.url ?? 'unmatched';
    metrics.http.inc({ route: routeUrl, status: String(reply.statusCode) });
    metrics.httpSeconds.observe({ route: routeUrl }, reply.elapsedTime / 1000);
    // Route pattern, never the URL (query strings carry filters) or bodies.
    logEvent(logger, 'info', 'review.request', {
      method: req.method,
      route: routeUrl,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      user: (req as AuthedRequest).actor?.id,
    });
  });

  for (const def of routes) {
    app.route({
      method: def.method,
      url: def.url,
      handler: async (req, reply) => {
        const actor = await authorise(req, def.access);
        const parse = <T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T => {
          if (!schema) return undefined as T;
          const r = schema.safeParse(value ?? (where === 'body' ? {} : value));
          if (!r.success) {
            throw new QaError(
              'QA_ERR_REVIEW_BAD_REQUEST',
              where,
              issueLines(r.error.issues).map((l) => `${where}.${l}`),
            );
          }
          return r.data;
        };
        const input = {
          actor: actor as Actor,
          params: parse(def.params, req.params, 'params'),
          query: parse(def.query, req.query, 'query'),
          body: parse(def.body, req.body, 'body'),
          req,
          reply,
        };
        return def.handler(input as never);
      },
    });
  }

  // Prometheus: a bearer token (REVIEW_METRICS_TOKEN) or a supervisor/admin session.
  app.get('/metrics', async (req, reply) => {
    const header = req.headers.authorization ?? '';
    const token = settings.metricsToken;
    const byToken =
      token !== undefined && header.startsWith('Bearer ') && safeEqual(header.slice('Bearer '.length), token);
    if (!byToken) await authorise(req, OVERSEERS);
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  /** 401 without a valid session, 403 on a state-changing request without the CSRF token, 403 for a role not listed. */
  async function authorise(req: FastifyRequest, access: Access): Promise<Actor | undefined> {
    if (access === 'public') return undefined;
    const session = await auth.session(req.cookies[SESSION_COOKIE]);
    if (!session) throw new QaError('QA_ERR_REVIEW_UNAUTHENTICATED');
    (req as AuthedRequest).actor = session.actor;
    (req as AuthedRequest).csrfToken = session.csrfToken;
    if (!['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken))
        throw new QaError('QA_ERR_REVIEW_CSRF');
    }
    if (!access.includes(session.actor.role)) {
      throw new QaError(
        'QA_ERR_REVIEW_FORBIDDEN',
        `${session.actor.role} may not ${req.method} ${req.routeOptions.url}`,
      );
    }
    return session.actor;
  }

  return app;
}

interface AuthedRequest extends FastifyRequest {
  actor?: Actor;
  csrfToken?: string;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const PG_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P03',
  '08000',
  '08003',
  '08006',
]);

function toQaError(err: unknown): QaError {
  if (isQaError(err)) return err;
  const e = err as { code?: string; statusCode?: number; name?: string };
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new QaError('QA_ERR_REVIEW_TOO_LARGE');
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return new QaError('QA_ERR_REVIEW_BAD_REQUEST', 'send application/json');
  if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
    return new QaError('QA_ERR_REVIEW_BAD_REQUEST', e.code ?? 'malformed request');
  }
  if (e.code === '23505') return new QaError('QA_ERR_REVIEW_CONFLICT', 'a concurrent change got there first');
  if (e.code && PG_UNAVAILABLE.has(e.code)) return new QaError('QA_ERR_REVIEW_DB');
  return new QaError('QA_ERR_REVIEW_INTERNAL');
}

/** OpenAPI 3.1 from the route table: the same zod schemas that validate requests. */
export function openApiDocument(routes: readonly RouteDef[]) {
  const json = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.url.replace(/:(\w+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ['path', r.params],
      ['query', r.query],
    ] as const) {
      if (!schema) continue;
      const js = json(schema) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(js.properties ?? {})) {
        parameters.push({
          name,
          in: where,
          required: where === 'path' || (js.required ?? []).includes(name),
          schema: s,
        });
      }
    }
    paths[path] ??= {};
    paths[path]![r.method.toLowerCase()] = {
      summary: r.summary,
      tags: [r.tag],
      'x-roles': r.access === 'public' ? ['public'] : r.access,
      ...(r.access !== 'public' && { security: [{ session: [] }] }),
      ...(parameters.length > 0 && { parameters }),
      ...(r.body && {
        requestBody: { required: true, content: { 'application/json': { schema: json(r.body) } } },
      }),
      responses: {
        '200': {
          description: 'OK',
          content: { 'application/json': {}, ...(r.produces && { [r.produces]: {} }) },
        },
        default: {
          description: 'An error from the catalogue',
          content: { 'application/json': { schema: json(ErrorBody) } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'qa-screen review service',
      version: '1',
      description:
        'Session cookie from POST /api/login; send the returned csrfToken as x-csrf-token on every POST/PUT/DELETE. x-roles lists who may call each operation.',
    },
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } },
    },
    paths,
  };
}
