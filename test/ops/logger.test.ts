import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/ops/logger.js';

describe('logger', () => {
  it('writes JSON and redacts transcript-shaped fields even when a call site passes them by mistake', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'qa-log-')), 'log.jsonl');
    const fd = openSync(file, 'w');
    const logger = createLogger({ level: 'info', destination: fd });
    logger.info(
      { event: 'x', text: '手机13812345678', nested: { turns: [{ text: 'secret' }] }, raw: 'r' },
      'm',
    );
    logger.flush();
    closeSync(fd);
    const line = JSON.parse(readFileSync(file, 'utf8').trim());
    expect(line).toMatchObject({ level: 30, event: 'x', text: '[redacted]', raw: '[redacted]', msg: 'm' });
    expect(line.nested.turns).toBe('[redacted]');
    expect(JSON.stringify(line)).not.toMatch(/13812345678|secret/);
  });
});
