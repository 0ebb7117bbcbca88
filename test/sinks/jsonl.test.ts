import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonlSink } from '../../src/sinks/jsonl.js';

const batch = { records: [] } as never;

describe('jsonl sink', () => {
  it('writes one JSON value per line', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'qa-jsonl-')), 'out.jsonl');
    const sink = jsonlSink(path);
    await sink.write(batch, [{ a: 1 }, 'b']);
    await sink.close();
    expect(readFileSync(path, 'utf8')).toBe('{"a":1}\n"b"\n');
  });

  it('creates a file only its owner can read when given mode 0600, even over a world-readable one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qa-jsonl-'));
    const fresh = join(dir, 'fresh.jsonl');
    const existing = join(dir, 'existing.jsonl');
    writeFileSync(existing, 'old\n', { mode: 0o644 });
    for (const path of [fresh, existing]) {
      const sink = jsonlSink(path, { mode: 0o600 });
      await sink.write(batch, [{ raw: 'secret' }]);
      await sink.close();
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(readFileSync(path, 'utf8')).toBe('{"raw":"secret"}\n');
    }
  });
});
