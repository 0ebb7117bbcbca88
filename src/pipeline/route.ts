import type { CompiledPipeline } from '../config/compile.js';
import type { RouteWhen, Screening } from '../config/routing.js';
import type { Transcript } from '../domain/index.js';
import { QaError } from '../errors.js';
import { createScreener, type Screener, type ScreenerOptions } from './screen.js';

export type { Screening };

/** Picks the pipeline that screens each transcript. Pure. */
export interface Router {
  /** The routing's id, or the one pipeline's. */
  readonly id: string;
  readonly version: string;
  /** Every pipeline's screener, by pipeline id. */
  readonly screeners: ReadonlyMap<string, Screener>;
  /** The largest transcript any pipeline accepts (checked again against the chosen pipeline's limit). */
  readonly maxTranscriptBytes: number;
  /** The screener for a transcript: the first route that takes it, else the default; or why none. */
  route(t: Transcript): Screener | QaError;
  /** The queue of clean items of a pipeline (what is not a review queue). */
  defaultQueue(pipelineId: string): string;
}

const isRouting = (s: Screening): s is Exclude<Screening, CompiledPipeline> =>
  'kind' in s && s.kind === 'routing';

function fits(screener: Screener, t: Transcript): boolean {
  return t.channel === screener.pipeline.channel && t.language === screener.pipeline.language;
}

function takes(when: RouteWhen, t: Transcript): boolean {
  const has = (values: readonly string[] | undefined, v: string | undefined) =>
    values === undefined || (v !== undefined && values.includes(v));
  return has(when.tenant, t.tenant) && has(when.team, t.agent.team) && has(when.seat, t.agent.seat);
}

function router(
  id: string,
  version: string,
  screeners: ReadonlyMap<string, Screener>,
  route: Router['route'],
): Router {
  const maxTranscriptBytes = Math.max(
    ...[...screeners.values()].map((s) => s.pipeline.config.limits.max_transcript_bytes),
  );
  return {
    id,
    version,
    screeners,
    maxTranscriptBytes,
    route,
    defaultQueue: (pipelineId) =>
      screeners.get(pipelineId)?.pipeline.config.scoring.routing.default_queue ?? 'clean',
  };
}

/** One pipeline screens everything (a transcript of another channel or language is its rejection). */
export function singleRouter(screener: Screener): Router {
  const only = () => screener;
  return router(
    screener.pipeline.id,
    screener.pipeline.version,
    new Map([[screener.pipeline.id, screener]]),
    only,
  );
}

/** A router over a routing's pipelines, or the single router of one pipeline. */
export function createRouter(screening: Screening, options: ScreenerOptions = {}): Router {
  if (!isRouting(screening)) return singleRouter(createScreener(screening, options));
  const screeners = new Map(
    [...screening.pipelines].map(([id, p]) => [id, createScreener(p, options)] as const),
  );
  const routes = screening.routes.map((r) => ({ when: r.when, screener: screeners.get(r.pipeline)! }));
  const fallback = screening.default === undefined ? undefined : screeners.get(screening.default);
  return router(screening.id, screening.version, screeners, (t) => {
    for (const r of routes) if (fits(r.screener, t) && takes(r.when, t)) return r.screener;
    if (fallback && fits(fallback, t)) return fallback;
    return new QaError(
      'QA_ERR_NO_ROUTE',
      `no route of ${screening.id} takes a ${t.channel}/${t.language} transcript with its tenant, team and seat${fallback ? `, and the default ${fallback.pipeline.id} screens ${fallback.pipeline.channel}/${fallback.pipeline.language}` : ', and there is no default'}`,
    );
  });
}

/** The router of a screener, made once. */
const routers = new WeakMap<Screener, Router>();
export function routerOf(screening: Screener | Router): Router {
  if ('route' in screening) return screening;
  let r = routers.get(screening);
  if (!r) {
    r = singleRouter(screening);
    routers.set(screening, r);
  }
  return r;
}
