import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readJsonl } from '../../src/sources/jsonl.js';

async function collect(chunks: Array<string | Buffer>, max: number) {
  const out = [];
  for await (const line of readJsonl(Readable.from(chunks), max)) out.push(line);
  return out;
}

describe('readJsonl', () => {
  it('splits lines across chunk boundaries, numbers them, skips blanks and strips CR', async () => {
    const lines = await collect(['{"a":1}\r\n{"b"', ':2}\n\n', '{"c":3}'], 100);
    expect(lines).toEqual([
      { line: 1, text: '{"a":1}', bytes: 8 },
      { line: 2, text: '{"b":2}', bytes: 7 },
      { line: 4, text: '{"c":3}', bytes: 7 },
    ]);
  });

  it('reports an oversized line without buffering it, and keeps going', async () => {
    const huge = 'x'.repeat(10_000);
    const lines = await collect(['{"a":1}\n', huge.slice(0, 5000), huge.slice(5000), '\n{"b":2}\n'], 100);
    expect(lines).toEqual([
      { line: 1, text: '{"a":1}', bytes: 7 },
      { line: 2, oversized: true, bytes: 10_000 },
      { line: 3, text: '{"b":2}', bytes: 7 },
    ]);
  });

  it('keeps multi-byte characters split across chunks intact', async () => {
    const buf = Buffer.from('{"t":"您好"}\n');
    const lines = await collect([buf.subarray(0, 8), buf.subarray(8)], 100);
    expect(lines[0]).toMatchObject({ text: '{"t":"您好"}' });
  });
});
