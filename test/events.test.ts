import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { EVENTS, logEvent } from '../src/events.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('event catalogue', () => {
  it('names every event namespace.event', () => {
    for (const name of Object.keys(EVENTS)) expect(name).toMatch(/^[a-z]+\.[a-z_]+$/);
  });

  it('documents every event in the README', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const name of Object.keys(EVENTS)) expect(readme, name).toContain(`\`${name}\``);
  });

  it('is the only place event names are written, and every catalogued event is emitted somewhere', () => {
    const files = sources('src').filter((f) => !f.endsWith(join('src', 'events.ts')));
    const code = files.map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(code).not.toMatch(/\bevent: '/);
    for (const name of Object.keys(EVENTS)) expect(code, name).toContain(`'${name}'`);
  });

  it('logs the event name, its fields and the catalogue sentence as JSON', () => {
    const lines: string[] = [];
    const logger = pino(
      { base: null, timestamp: false },
      new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    logEvent(logger, 'warn', 'worker.dead_letter', { code: 'QA_ERR_TRANSCRIPT_NOT_JSON', offset: '7' });
    expect(JSON.parse(lines[0]!)).toEqual({
      level: 40,
      event: 'worker.dead_letter',
      code: 'QA_ERR_TRANSCRIPT_NOT_JSON',
      offset: '7',
      msg: EVENTS['worker.dead_letter'],
    });
  });
});
