import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type LineSpill, openInput, readJsonl } from '../../src/sources/jsonl.js';

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
      { line: 2, oversized: true, bytes: 10_000, spilled: false },
      { line: 3, text: '{"b":2}', bytes: 7 },
    ]);
  });

  it('keeps multi-byte characters split across chunks intact', async () => {
    const buf = Buffer.from('{"t":"您好"}\n');
    const lines = await collect([buf.subarray(0, 8), buf.subarray(8)], 100);
    expect(lines[0]).toMatchObject({ text: '{"t":"您好"}' });
  });

  it('reports a line that is not UTF-8 with its bytes instead of decoding it into U+FFFD', async () => {
    const gbk = Buffer.from([0x7b, 0xd5, 0xe2, 0x7d]);
    const lines = await collect([gbk, '\n{"a":1}\n'], 100);
    expect(lines).toEqual([
      { line: 1, notUtf8: gbk, bytes: 4 },
      { line: 2, text: '{"a":1}', bytes: 7 },
    ]);
  });

  it("hands an oversized line's bytes to the spill as they are read, holding at most the limit", async () => {
    const pieces: Buffer[] = [];
    const ended: number[] = [];
    const spill = (line: number): LineSpill => ({
      write: async (piece) => {
        pieces.push(Buffer.from(piece));
      },
      end: async (bytes) => {
        ended.push(line, bytes);
      },
    });
    const huge = Buffer.from('y'.repeat(1000));
    const lines = [];
    const input = Readable.from([
      '{"a":1}\n',
      huge.subarray(0, 60),
      huge.subarray(60, 700),
      huge.subarray(700),
      '\n{"b":2}',
    ]);
    for await (const line of readJsonl(input, 100, { spill })) lines.push(line);
    expect(lines[1]).toEqual({ line: 2, oversized: true, bytes: 1000, spilled: true });
    expect(Buffer.concat(pieces).equals(huge)).toBe(true);
    // Nothing over the limit was held: the first spilled piece is what had been read when it passed.
    expect(pieces[0]!.length).toBeLessThanOrEqual(100);
    expect(ended).toEqual([2, 1000]);
    expect(lines[2]).toMatchObject({ line: 3, text: '{"b":2}' });
  });
});

describe('openInput', () => {
  const read = async (path: string) => {
    const chunks: Buffer[] = [];
    for await (const chunk of openInput(path)) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
  };

  it('reads plain files, and gzip files (several members too) detected by their magic bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qa-open-'));
    writeFileSync(join(dir, 'plain.jsonl'), '{"a":1}\n');
    writeFileSync(join(dir, 'x.gz'), Buffer.concat([gzipSync('{"a":1}\n'), gzipSync('{"b":2}\n')]));
    writeFileSync(join(dir, 'tiny'), 'x');
    expect(await read(join(dir, 'plain.jsonl'))).toBe('{"a":1}\n');
    expect(await read(join(dir, 'x.gz'))).toBe('{"a":1}\n{"b":2}\n');
    expect(await read(join(dir, 'tiny'))).toBe('x');
  });

  it('names corrupt gzip data as a usage error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qa-open-'));
    const bad = join(dir, 'bad.gz');
    writeFileSync(
      bad,
      Buffer.concat([gzipSync('{"a":1}\n'.repeat(1000)).subarray(0, 40), Buffer.alloc(50, 7)]),
    );
    await expect(read(bad)).rejects.toMatchObject({ code: 'QA_ERR_USAGE' });
  });
});
