import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLocalFile } from '../../src/config/file-store.js';
import { loadRoutingWithFiles } from '../../src/config/routing.js';
import { QaError } from '../../src/errors.js';

const PIPELINES = resolve('pipelines');

/** A routing file in a fresh folder, naming the bundled pipelines by absolute path. */
function routingFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'qa-routing-'));
  const file = join(dir, 'routing.yaml');
  writeFileSync(file, text.replaceAll('$P', PIPELINES));
  return file;
}

async function issues(text: string): Promise<string[]> {
  try {
    await loadRoutingWithFiles(routingFile(text), readLocalFile);
  } catch (err) {
    expect(err).toBeInstanceOf(QaError);
    return [...(err as QaError).details];
  }
  throw new Error('expected the routing to be rejected');
}

describe('routing files', () => {
  it('loads the bundled routing: its pipelines, routes in order, and every file for hot reload', async () => {
    const { routing, files } = await loadRoutingWithFiles('pipelines/routing.yaml', readLocalFile);
    expect(routing.id).toBe('bundled');
    expect([...routing.pipelines.keys()]).toEqual(['chat-zh', 'call-zh', 'chat-en', 'social-en']);
    expect(routing.routes.map((r) => r.pipeline)).toEqual(['social-en', 'chat-zh', 'call-zh', 'chat-en']);
    expect(routing.routes[0]!.when.team).toEqual(['social-care', 'twitter-care']);
    expect(routing.version).toMatch(/^1\.0\.0\+[0-9a-f]{12}$/);
    expect(files[0]).toBe('pipelines/routing.yaml');
    expect(files).toContain(resolve('pipelines/call-zh.yaml'));
    expect(files).toContain(resolve('lexicons/en/service.yaml'));
    // Lexicons shared by several pipelines are watched once.
    expect(new Set(files).size).toBe(files.length);
  });

  it('reports every problem at once with file:line:col: unknown pipelines, impossible routes, unknown keys', async () => {
    const found = await issues(
      [
        'routing: r',
        'pipelines: [$P/chat-zh.yaml, $P/chat-en.yaml]',
        'routes:',
        '  - pipeline: chat-zh',
        '    when: { language: en }',
        '  - pipeline: call-zh',
        'default: nope',
      ].join('\n'),
    );
    expect(found).toEqual([
      expect.stringMatching(
        /routing\.yaml:5:23 routes\[0\]\.when\.language: pipeline "chat-zh" screens chat\/zh only/,
      ),
      expect.stringMatching(
        /routing\.yaml:6:15 routes\[1\]\.pipeline: unknown pipeline "call-zh" \(loaded: chat-zh, chat-en\)/,
      ),
      expect.stringMatching(/routing\.yaml:7:10 default: unknown pipeline "nope"/),
    ]);
    const schema = await issues(
      ['routing: r', 'pipelines: []', 'routes:', '  - pipeline: x', '    wen: {}'].join('\n'),
    );
    expect(schema).toEqual([
      expect.stringMatching(/routing\.yaml:2:12 pipelines: a routing needs at least one pipeline/),
      expect.stringMatching(/routing\.yaml:4:5 routes\[0\]: Unrecognized key: "wen"/),
    ]);
  });

  it('refuses a pipeline listed twice', async () => {
    const found = await issues('routing: r\npipelines: [$P/chat-zh.yaml, $P/chat-zh.yaml]\n');
    expect(found).toEqual([
      expect.stringMatching(/routing\.yaml:2:\d+ pipelines\[1\]: pipeline id "chat-zh" is loaded twice/),
    ]);
  });
});
