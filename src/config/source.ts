import { createHash } from 'node:crypto';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { QaError } from '../errors.js';

/** Config files are hostile input too: bound their size before parsing. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** Alias expansions allowed in one config file (YAML's anchors `&a` and aliases `*a`). */
const MAX_ALIAS_COUNT = 100;

/** A config file's text, where it came from, and a content hash used as its version. */
export interface ConfigSource {
  readonly name: string;
  readonly text: string;
  readonly hash: string;
}

export function configSource(name: string, text: string): ConfigSource {
  if (Buffer.byteLength(text) > MAX_CONFIG_BYTES) {
    throw new QaError('QA_ERR_CONFIG_TOO_LARGE', `${name} is over ${MAX_CONFIG_BYTES} bytes`);
  }
  return { name, text, hash: createHash('sha256').update(text).digest('hex').slice(0, 12) };
}

export interface ConfigIssue {
  file: string;
  line: number;
  col: number;
  path: string;
  message: string;
}

export function formatIssue(issue: ConfigIssue): string {
  return `${issue.file}:${issue.line}:${issue.col} ${issue.path || '(root)'}: ${issue.message}`;
}

type ParsedDoc = ReturnType<typeof parseDocument>;

/** The parsed YAML document and its line counter: where each value of the config sits in the file. */
export interface ConfigPositions {
  readonly doc: ParsedDoc;
  readonly lines: LineCounter;
}

/** Leading comment and blank lines, then a JSON object: the body of a generated file (a learned model). */
const JSON_BODY = /^(?:[ \t]*(?:#[^\n]*)?\r?\n)*(?=[ \t]*\{)/;

/**
 * Parses a config file, keeping what is needed to name the line and column of any value in it. A
 * file whose body is one JSON object after its comments (JSON is YAML; the trained model lexicons are
 * written so) is read by JSON.parse, and its YAML positions are worked out only when an issue must be
 * placed: the YAML parser takes about half a second on a 100 KB model, JSON.parse a few
 * milliseconds. In such a body a key given twice keeps its last value, as JSON.parse does; anything
 * JSON.parse refuses goes to the YAML parser, whose messages name the line.
 */
export function parseConfig(source: ConfigSource): { data: unknown; positions: () => ConfigPositions } {
  const comments = JSON_BODY.exec(source.text);
  if (comments) {
    let data: unknown;
    try {
      data = JSON.parse(source.text.slice(comments[0].length));
    } catch {
      data = undefined;
    }
    if (data !== undefined) {
      let positions: ConfigPositions | undefined;
      return { data, positions: () => (positions ??= parseYaml(source)) };
    }
  }
  const parsed = parseYaml(source);
  return { data: parsed.data, positions: () => parsed };
}

function parseYaml(source: ConfigSource): ConfigPositions & { data: unknown } {
  const lines = new LineCounter();
  const doc = parseDocument(source.text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => {
      const pos = lines.linePos(e.pos[0]);
      return formatIssue({ file: source.name, line: pos.line, col: pos.col, path: '', message: e.message });
    });
    throw new QaError('QA_ERR_CONFIG_YAML', source.name, issues);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // The yaml library stops an alias bomb ("billion laughs") with a ReferenceError.
    if (!(err instanceof ReferenceError)) throw err;
    throw new QaError('QA_ERR_CONFIG_YAML', source.name, [
      formatIssue({
        file: source.name,
        line: 1,
        col: 1,
        path: '',
        message: `aliases expand too much (over ${MAX_ALIAS_COUNT} expansions): refused as a resource-exhaustion attack`,
      }),
    ]);
  }
  return { doc, data, lines };
}

/** Finds the deepest node along `path` that exists, and returns its line and column. */
export function positionOf(
  { doc, lines }: ConfigPositions,
  path: ReadonlyArray<PropertyKey>,
): { line: number; col: number } {
  let node: unknown = doc.contents;
  let range = (node as { range?: [number, number, number] } | null)?.range;
  for (const key of path) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      if (pair) {
        // Point at the value when present, else at the key.
        next = pair.value ?? pair.key;
        if (!pair.value && isScalar(pair.key)) range = pair.key.range ?? range;
      }
    } else if (isSeq(node) && typeof key === 'number') {
      next = node.items[key];
    }
    if (next === undefined || next === null) break;
    node = next;
    range = (node as { range?: [number, number, number] }).range ?? range;
  }
  return range ? lines.linePos(range[0]) : { line: 1, col: 1 };
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`))
    .join('');
}

/** A validated config value, and a way to name the file position of any path in it. */
export interface Validated<T> {
  readonly value: T;
  readonly source: ConfigSource;
  issueAt(path: ReadonlyArray<PropertyKey>, message: string): string;
}

/** Validates parsed config against a schema; every problem is reported, each with file:line:col. */
export function validateConfig<S extends z.ZodType>(source: ConfigSource, schema: S): Validated<z.infer<S>> {
  const { data, positions } = parseConfig(source);
  const result = schema.safeParse(data);
  if (result.success) {
    return {
      value: result.data,
      source,
      issueAt(path, message) {
        const { line, col } = positionOf(positions(), path);
        return formatIssue({ file: source.name, line, col, path: formatPath(path), message });
      },
    };
  }
  const issues = result.error.issues.map((issue) => {
    const { line, col } = positionOf(positions(), issue.path);
    return formatIssue({
      file: source.name,
      line,
      col,
      path: formatPath(issue.path),
      message: issue.message,
    });
  });
  throw new QaError('QA_ERR_CONFIG_INVALID', source.name, issues);
}
