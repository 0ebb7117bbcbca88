import { loadPipeline } from '../../config/load.js';
import type { Finding } from '../../domain/index.js';
import { isMessageLang, MESSAGE_LANGS, renderMessage, zhPart } from '../../domain/messages.js';
import { isQaError } from '../../errors.js';
import { orderTurns } from '../../pipeline/data-quality.js';
import { hasTurns, parseTranscript } from '../../pipeline/parse.js';
import { createScreener } from '../../pipeline/screen.js';
import { pipelineDetector } from '../../rules/pii.js';
import { openInput, readJsonl } from '../../sources/jsonl.js';
import {
  CONFIG_ROOT_OPTION,
  type Command,
  flag,
  INPUT_OPTION,
  inputPaths,
  list,
  optional,
  PIPELINE_OPTION,
  required,
  usageError,
} from '../command.js';
import { ansi, explain, plain, printable } from '../explain.js';

export const explainCommand: Command = {
  name: 'explain',
  summary: 'Show why conversations were flagged: turns with findings marked, personal data masked.',
  options: {
    pipeline: PIPELINE_OPTION,
    'config-root': CONFIG_ROOT_OPTION,
    input: INPUT_OPTION,
    id: { type: 'string', valueName: 'CONVERSATION_ID', help: 'only this conversation' },
    color: { type: 'boolean', help: 'colour the marks even when not on a terminal' },
    'no-color': { type: 'boolean', help: 'plain marks ⟦…⟧ even on a terminal' },
    lang: { type: 'string', valueName: 'en|zh', help: 'language of the finding messages (default en)' },
  },
  async run(args) {
    const pipeline = await loadPipeline(required(args, 'pipeline'), { roots: list(args, 'config-root') });
    const screener = createScreener(pipeline);
    const inputs = inputPaths(args);
    const id = optional(args, 'id');
    const style = flag(args, 'no-color') ? plain : flag(args, 'color') || process.stdout.isTTY ? ansi : plain;
    const limit = pipeline.config.limits.max_transcript_bytes;
    const detector = pipelineDetector(pipeline.config);
    const bonuses = new Map(pipeline.config.scoring.bonuses.map((b) => [b.id, b.message]));
    const lang = optional(args, 'lang') ?? 'en';
    if (!isMessageLang(lang)) usageError(`--lang: expected one of ${MESSAGE_LANGS.join(', ')}`);
    // A bilingual bonus text ("服务用语全部规范 (service language fully standard)") reads as its Chinese part.
    const bonusText = (bonusId: string) => {
      const text = bonuses.get(bonusId);
      if (text === undefined || lang !== 'zh') return text;
      const bare = text.replace(/[.。]$/, '');
      const zh = zhPart(bare);
      return zh === bare ? text : zh;
    };
    const labels = { category: (c: string) => pipeline.categoryLabels.get(c) };
    const messageOf = (f: Finding) => renderMessage(f.messageId, f.params, lang, labels) ?? f.message;
    let shown = 0;
    let rejected: string | undefined;
    for (const input of inputs) {
      for await (const line of readJsonl(openInput(input), limit)) {
        if (!('text' in line)) continue;
        const parsed = parseTranscript(line.text, limit);
        if (!parsed.ok || !hasTurns(parsed.transcript)) continue;
        if (id && parsed.transcript.conversationId !== id) continue;
        // Turns as the screener judged them: in time order.
        const transcript = orderTurns(parsed.transcript).transcript;
        let item: ReturnType<typeof screener.screen>;
        try {
          item = screener.screen(transcript);
        } catch (err) {
          if (!isQaError(err)) throw err;
          rejected = `${parsed.transcript.conversationId}: rejected, ${err.code}: ${err.message}`;
          continue;
        }
        if (shown > 0) process.stdout.write('\n');
        process.stdout.write(`${explain(transcript, item, style, detector, bonusText, messageOf)}\n`);
        shown++;
      }
    }
    const input = inputs.join(', ');
    if (shown === 0) {
      const what =
        id && rejected
          ? rejected
          : id
            ? `no conversation "${id}" in ${input}`
            : `no valid conversation in ${input}`;
      process.stderr.write(`${printable(what)}\n`);
      return 1;
    }
    return 0;
  },
};
