import { z } from 'zod';
import { Channel, Language } from '../domain/index.js';
import { QaError } from '../errors.js';
import type { CompiledPipeline } from './compile.js';
import { displayName, loadPipelineWithFiles, resolveRelative } from './load.js';
import { Id, KafkaSettings } from './pipeline.js';
import { configSource, type Validated, validateConfig } from './source.js';
import type { ReadText } from './store.js';

/** One value or a list of them; the list is what the router reads. */
const Values = z
  .union([z.string().min(1).max(200), z.array(z.string().min(1).max(200)).min(1).max(1000)])
  .transform((v) => (Array.isArray(v) ? v : [v]));

/**
 * What a transcript must carry for a route to take it; every key given must match (a list: any of
 * its values). Channel and language are always the route's pipeline's: a route never hands a
 * pipeline a transcript it cannot screen, so naming them is optional (and checked).
 */
export const RouteWhen = z
  .strictObject({
    channel: Channel.optional(),
    language: Language.optional(),
    tenant: Values.optional(),
    /** `agent.team` */
    team: Values.optional(),
    /** `agent.seat` (seat type or skill group) */
    seat: Values.optional(),
  })
  .prefault({});
export type RouteWhen = z.output<typeof RouteWhen>;

export const Route = z.strictObject({
  pipeline: Id,
  when: RouteWhen,
  description: z.string().max(2000).optional(),
});
export type Route = z.output<typeof Route>;

/** A routing file: several pipelines in one worker (or one `screen` run), and which screens what. */
export const RoutingFile = z.strictObject({
  routing: Id,
  version: z.string().max(100).default('0'),
  description: z.string().max(2000).optional(),
  /** Pipeline files, relative to this file. */
  pipelines: z.array(z.string().min(1)).min(1, 'a routing needs at least one pipeline').max(100),
  /** First match wins. */
  routes: z.array(Route).max(1000).default([]),
  /** The pipeline for transcripts no route takes (when its channel and language fit); else they are dead letters. */
  default: Id.optional(),
  kafka: KafkaSettings.optional(),
});
export type RoutingFile = z.output<typeof RoutingFile>;

/** A routing ready to screen: every pipeline compiled, every reference checked. */
export interface CompiledRouting {
  readonly kind: 'routing';
  readonly id: string;
  readonly version: string;
  readonly pipelines: ReadonlyMap<string, CompiledPipeline>;
  readonly routes: readonly Route[];
  readonly default: string | undefined;
  readonly kafka: KafkaSettings | undefined;
}

export function parseRouting(location: string, text: string): Validated<RoutingFile> {
  return validateConfig(configSource(displayName(location), text), RoutingFile);
}

/** Cross-checks a routing against its compiled pipelines; every problem is reported together. */
export function compileRouting(
  routing: Validated<RoutingFile>,
  pipelines: readonly CompiledPipeline[],
): CompiledRouting {
  const r = routing.value;
  const issues: string[] = [];
  const byId = new Map<string, CompiledPipeline>();
  pipelines.forEach((p, i) => {
    if (byId.has(p.id))
      issues.push(routing.issueAt(['pipelines', i], `pipeline id "${p.id}" is loaded twice`));
    byId.set(p.id, p);
  });
  const known = () => [...byId.keys()].join(', ');
  const check = (id: string, path: Array<string | number>) => {
    const p = byId.get(id);
    if (!p) issues.push(routing.issueAt(path, `unknown pipeline "${id}" (loaded: ${known()})`));
    return p;
  };
  r.routes.forEach((route, i) => {
    const p = check(route.pipeline, ['routes', i, 'pipeline']);
    if (!p) return;
    for (const key of ['channel', 'language'] as const) {
      const wanted = route.when[key];
      if (wanted !== undefined && wanted !== p[key]) {
        issues.push(
          routing.issueAt(
            ['routes', i, 'when', key],
            `pipeline "${p.id}" screens ${p.channel}/${p.language} only, so this route could never take a ${key} "${wanted}" transcript`,
          ),
        );
      }
    }
  });
  if (r.default !== undefined) check(r.default, ['default']);
  if (issues.length > 0) throw new QaError('QA_ERR_CONFIG_INVALID', routing.source.name, issues);
  return {
    kind: 'routing',
    id: r.routing,
    version: `${r.version}+${routing.source.hash}`,
    pipelines: byId,
    routes: r.routes,
    default: r.default,
    kafka: r.kafka,
  };
}

/**
 * Loads a routing file and every pipeline it lists (relative to it, on disk or in a bucket), with
 * their lexicons; returns every file read, for hot reload.
 */
export async function loadRoutingWithFiles(
  location: string,
  read: ReadText,
  /** More places lexicon files may come from (`--config-root`, see loadPipelineWithFiles). */
  roots: readonly string[] = [],
): Promise<{ routing: CompiledRouting; files: string[] }> {
  const routing = parseRouting(location, await read(location));
  const loaded = await Promise.all(
    routing.value.pipelines.map((rel) =>
      loadPipelineWithFiles(resolveRelative(location, rel), { read, roots }),
    ),
  );
  return {
    routing: compileRouting(
      routing,
      loaded.map((l) => l.pipeline),
    ),
    files: [location, ...new Set(loaded.flatMap((l) => l.files))],
  };
}

/** What screens: one pipeline, or a routing over several. */
export type Screening = CompiledPipeline | CompiledRouting;

/** A pipeline file or a routing file, with every file it read (for hot reload). */
export async function loadScreeningWithFiles(
  source: { kind: 'pipeline' | 'routing'; location: string },
  read: ReadText,
  roots: readonly string[] = [],
): Promise<{ value: Screening; files: string[] }> {
  if (source.kind === 'routing') {
    const { routing, files } = await loadRoutingWithFiles(source.location, read, roots);
    return { value: routing, files };
  }
  const { pipeline, files } = await loadPipelineWithFiles(source.location, { read, roots });
  return { value: pipeline, files };
}

/** The `kafka:` section of a pipeline or routing file. */
export function kafkaSection(s: Screening): KafkaSettings | undefined {
  return 'kind' in s && s.kind === 'routing' ? s.kafka : (s as CompiledPipeline).config.kafka;
}

/** The ids and versions a log line names for a screening. */
export function describeScreening(s: Screening): Record<string, unknown> {
  if ('kind' in s && s.kind === 'routing') {
    return {
      routing: s.id,
      version: s.version,
      pipelines: [...s.pipelines.values()].map((p) => ({ id: p.id, version: p.version })),
    };
  }
  const p = s as CompiledPipeline;
  return { pipeline: p.id, version: p.version, lexicons: p.lexicons };
}
