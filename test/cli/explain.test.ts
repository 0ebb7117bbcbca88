import { beforeAll, describe, expect, it } from 'vitest';
import { explain, plain, printable } from '../../src/cli/explain.js';
import { loadPipeline } from '../../src/config/load.js';
import type { InlineTranscript } from '../../src/domain/index.js';
import { createScreener, type Screener } from '../../src/pipeline/screen.js';
import { pipelineDetector } from '../../src/rules/pii.js';
import { chatTranscript } from '../helpers/transcript.js';

let screener: Screener;
beforeAll(async () => {
  screener = createScreener(await loadPipeline('pipelines/chat-zh.yaml'));
});

const transcript = (turns: Array<[string, string]>, id = 'c-1') => chatTranscript(id, turns);

const render = (t: InlineTranscript) =>
  explain(t, screener.screen(t), plain, pipelineDetector(screener.pipeline.config));

describe('explain', () => {
  it('prints personal data masked in every writing, a number split over two messages included', () => {
    const out = render(
      transcript([
        ['customer', '手机 一三八一二三四五六七八，身份证 110105491231002'],
        ['customer', '另一个是139'],
        ['customer', '1234 5678'],
        ['agent', '您好,请问还有什么可以帮您'],
      ]),
    );
    expect(out).toContain('一三八****五六七八');
    expect(out).toContain('1101*******1002');
    expect(out).toContain('**** 5678');
    expect(out).not.toMatch(/一二三四|4912310|1234 5678/);
  });

  it('strips terminal control sequences from transcripts and ids', () => {
    const clear = '\u001b[2J\u001b[H';
    const clipboard = '\u001b]52;c;ZXZpbA==\u0007';
    const out = render(
      transcript(
        [
          ['customer', `你好${clear}${clipboard}\u009b31m\u202e反转`],
          ['agent', '您好'],
        ],
        `id${clear}`,
      ),
    );
    const controls = [...out].filter((c) => {
      const code = c.charCodeAt(0);
      return (code < 0x20 && c !== '\n') || (code >= 0x7f && code <= 0x9f) || c === '\u202e';
    });
    expect(controls).toEqual([]);
    expect(out).toContain('你好\ufffd[2J\ufffd[H\ufffd]52;c;ZXZpbA==\ufffd\ufffd31m\ufffd反转');
  });

  it('keeps tabs and line breaks readable as spaces', () => {
    expect(printable('a\tb\nc\r\n')).toBe('a b c  ');
  });
});
