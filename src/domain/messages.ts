/**
 * Finding messages as a template id plus parameters. A rule names the message (`messageId`) and
 * gives its facts (`params`); the item keeps both beside the English text (`message`), so a
 * consumer can show the finding in its reader's language (the review web app does). Pure and free
 * of imports: the web app bundles this very file, so the two never drift apart.
 *
 * Parameters come from items, which are data: a renderer tolerates anything (a missing or mistyped
 * parameter gives `undefined` back, and the caller shows `message` instead).
 */

export const MESSAGE_LANGS = ['en', 'zh'] as const;
export type MessageLang = (typeof MESSAGE_LANGS)[number];
export const isMessageLang = (s: string): s is MessageLang =>
  (MESSAGE_LANGS as readonly string[]).includes(s);

/** One parameter: text, a number, a flag, or a list of texts (quoted words, cue labels). */
export type MessageParam = string | number | boolean | string[];
export type MessageParams = Record<string, MessageParam>;

/** What the catalogue's templates read; each getter throws on a missing or mistyped parameter. */
class Params {
  constructor(private readonly p: Readonly<Record<string, unknown>>) {}
  str(key: string): string {
    const v = this.p[key];
    if (typeof v !== 'string') throw new TypeError(key);
    return v;
  }
  num(key: string): number {
    const v = this.p[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(key);
    return v;
  }
  flag(key: string): boolean {
    return this.p[key] === true;
  }
  list(key: string): readonly string[] {
    const v = this.p[key];
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw new TypeError(key);
    return v;
  }
  has(key: string): boolean {
    return this.p[key] !== undefined;
  }
}

/**
 * What an item does not carry but its pipeline knows: its lexicons' category labels, by
 * `lexicon/category` (two lexicons may name a category alike: the customer's and the agent's
 * `thanks`) and by bare category id (the first lexicon's, for findings that name no lexicon).
 */
export interface MessageLabels {
  category?(key: string): string | undefined;
}

type Template = (p: Params, labels: MessageLabels) => string;
type Entry = Readonly<Record<MessageLang, Template>>;

const SPEAKERS: Record<MessageLang, Record<string, string>> = {
  en: { agent: 'Agent', customer: 'Customer', bot: 'Bot', system: 'System' },
  zh: { agent: '坐席', customer: '客户', bot: '机器人', system: '系统' },
};

/** Personal data kinds (src/text/pii.ts PII_KINDS), as a reviewer reads them. */
export const PII_LABELS: Record<MessageLang, Record<string, string>> = {
  en: {
    cn_id: 'CN resident ID number',
    cn_mobile: 'mobile phone number',
    bank_card: 'bank card number',
    email: 'e-mail address',
    phone: 'telephone number',
  },
  zh: {
    cn_id: '居民身份证号',
    cn_mobile: '手机号',
    bank_card: '银行卡号',
    email: '电子邮箱',
    phone: '电话号码',
  },
};

/** Surface signs of dissatisfaction (src/rules/complaint-signs.ts SignKind). */
export const SIGN_LABELS: Record<MessageLang, Record<string, string>> = {
  en: {
    'negative-emoji': 'a frowning, crying or angry emoji',
    'repeated-marks': 'repeated question or exclamation marks',
    shouting: 'words in capitals',
  },
  zh: {
    'negative-emoji': '皱眉、哭泣或生气的表情',
    'repeated-marks': '连续的问号或感叹号',
    shouting: '全大写的词',
  },
};

function label(table: Record<string, string>, key: string): string {
  const v = table[key];
  if (v === undefined) throw new TypeError(key);
  return v;
}

const who = (lang: MessageLang, speaker: string) => label(SPEAKERS[lang], speaker);
/** Seconds with one decimal, as the rules have always written them ("12.5 s"). */
const tenths = (ms: number) => Math.round(ms / 100) / 10;
const secs = (ms: number) => `${tenths(ms)} s`;
const zhSecs = (ms: number) => `${tenths(ms)}秒`;
const quoteAll = (words: readonly string[]) => words.map((w) => `"${w}"`).join(', ');

/**
 * The Chinese part of a bilingual label ("greeting (开头语)" → "开头语", "推诿 (shirking)" → "推诿");
 * the label as written when it has no such part.
 */
export function zhPart(text: string): string {
  const cjk = /[\u3400-\u9fff]/;
  const m = /^(.*?)\s*[(（]([^()（）]*)[)）]\s*$/.exec(text);
  if (m) {
    if (cjk.test(m[2]!) && !cjk.test(m[1]!)) return m[2]!;
    if (cjk.test(m[1]!)) return m[1]!;
  }
  return text;
}

/**
 * A lexicon category for a Chinese reader: the Chinese part of its label when the pipeline gives
 * one (its lexicon's, when the finding names the lexicon), else its id.
 */
function categoryText(id: string, labels: MessageLabels, lexicon?: string): string {
  const text =
    (lexicon === undefined ? undefined : labels.category?.(`${lexicon}/${id}`)) ?? labels.category?.(id);
  return text === undefined ? id : zhPart(text);
}
const category = (p: Params, labels: MessageLabels, key = 'category') =>
  categoryText(p.str(key), labels, key === 'category' && p.has('lexicon') ? p.str('lexicon') : undefined);
const zhQuoteAll = (words: readonly string[]) => words.map((w) => `“${w}”`).join('、');

/** A window of turns or seconds (`window` first_turns | last_turns | first_seconds | last_seconds). */
function windowText(lang: MessageLang, p: Params): string {
  const n = p.num('n');
  const w = p.str('window');
  if (lang === 'en') {
    const speaker = p.str('speaker');
    if (w === 'first_turns') return `the first ${n} ${speaker} turn(s)`;
    if (w === 'last_turns') return `the last ${n} ${speaker} turn(s)`;
    if (w === 'first_seconds') return `the first ${n} s`;
    if (w === 'last_seconds') return `the last ${n} s`;
  } else {
    const speaker = who('zh', p.str('speaker'));
    if (w === 'first_turns') return `${speaker}的前${n}句`;
    if (w === 'last_turns') return `${speaker}的最后${n}句`;
    if (w === 'first_seconds') return `前${n}秒`;
    if (w === 'last_seconds') return `最后${n}秒`;
  }
  throw new TypeError('window');
}

/**
 * What called for an answer (conditional rules): `trigger` phrase | sign | cues | model.
 * phrase: `words`, `category`; sign: `words`, `sign`; cues: `cues` (words) and `cueLabels`
 * (a category, or `sign:<kind>`); model: `words`, `reads`, `probability`, `reasons`.
 */
function triggerText(lang: MessageLang, p: Params, labels: MessageLabels = {}): string {
  const kind = p.str('trigger');
  const cueLabel = (l: string) =>
    l.startsWith('sign:')
      ? label(SIGN_LABELS[lang], l.slice(5))
      : lang === 'zh'
        ? categoryText(l, labels)
        : l;
  if (lang === 'en') {
    if (kind === 'phrase') return `said "${p.str('words')}" (${p.str('category')})`;
    if (kind === 'sign')
      return `showed dissatisfaction: "${p.str('words')}" (${cueLabel(`sign:${p.str('sign')}`)}, enough on its own)`;
    if (kind === 'cues') {
      const cues = p.list('cues');
      const kinds = p.list('cueLabels');
      if (kinds.length !== cues.length) throw new TypeError('cueLabels');
      const listed = cues.map((c, k) => `"${c}" (${cueLabel(kinds[k]!)})`).join(', ');
      return `showed dissatisfaction by ${cues.length} cues together: ${listed}`;
    }
    if (kind === 'model') {
      const reasons = p.list('reasons');
      return `wrote "${p.str('words')}" (${p.str('reads')}: a learned model's ${p.num('probability').toFixed(2)}${reasons.length > 0 ? `, from ${quoteAll(reasons)}` : ''})`;
    }
  } else {
    if (kind === 'phrase') return `说了“${p.str('words')}”（${category(p, labels)}）`;
    if (kind === 'sign')
      return `表达了不满：“${p.str('words')}”（${cueLabel(`sign:${p.str('sign')}`)}，单独即可判定）`;
    if (kind === 'cues') {
      const cues = p.list('cues');
      const kinds = p.list('cueLabels');
      if (kinds.length !== cues.length) throw new TypeError('cueLabels');
      const listed = cues.map((c, k) => `“${c}”（${cueLabel(kinds[k]!)}）`).join('、');
      return `以${cues.length}个线索共同表达了不满：${listed}`;
    }
    if (kind === 'model') {
      const reasons = p.list('reasons');
      return `写了“${p.str('words')}”（${category(p, labels, 'reads')}：学习模型判定概率${p.num('probability').toFixed(2)}${reasons.length > 0 ? `，依据${zhQuoteAll(reasons)}` : ''}）`;
    }
  }
  throw new TypeError('trigger');
}

/** What the rule expected: the pipeline's own words (`expectation`), else the lexicon categories, else any reply. */
function expectedText(lang: MessageLang, p: Params): string {
  if (p.has('expectation')) return lang === 'en' ? p.str('expectation') : zhPart(p.str('expectation'));
  if (p.has('expectCategories'))
    return lang === 'en' ? `"${p.str('expectCategories')}" phrase` : `“${p.str('expectCategories')}”类用语`;
  return lang === 'en' ? 'reply' : '回复';
}

const MESSAGES = {
  'phrase.said': {
    en: (p) => `${who('en', p.str('speaker'))} said "${p.str('words')}" (${p.str('category')}).`,
    zh: (p, l) => `${who('zh', p.str('speaker'))}说了“${p.str('words')}”（${category(p, l)}）。`,
  },
  'pii.unmasked': {
    en: (p) =>
      `${who('en', p.str('speaker'))} turn contains an unmasked ${label(PII_LABELS.en, p.str('kind'))} (redacted).`,
    zh: (p) =>
      `${who('zh', p.str('speaker'))}的话中有未脱敏的${label(PII_LABELS.zh, p.str('kind'))}（已遮盖）。`,
  },
  'pii.ask': {
    en: (p) =>
      `${who('en', p.str('speaker'))} asked for "${p.str('words')}", data unrelated to the business (${p.str('category')}).`,
    zh: (p, l) =>
      `${who('zh', p.str('speaker'))}索要“${p.str('words')}”，与业务无关的信息（${category(p, l)}）。`,
  },
  'required-phrase.never-spoke': {
    en: (p) => `${who('en', p.str('speaker'))} never spoke, so no ${p.str('expectation')} was given.`,
    zh: (p) => `${who('zh', p.str('speaker'))}未发言，因此没有${zhPart(p.str('expectation'))}。`,
  },
  'required-phrase.missing': {
    en: (p) => `No ${p.str('expectation')} in ${windowText('en', p)}.`,
    zh: (p) => `${windowText('zh', p)}中没有${zhPart(p.str('expectation'))}。`,
  },
  'agent-hangup': {
    en: (p) => {
      const why = p.has('why') ? p.str('why') : '';
      const tail =
        why === ''
          ? ''
          : why === 'no-farewell'
            ? ' without a farewell'
            : why === 'still-talking'
              ? ' while the customer was still talking after the farewell'
              : why === 'unanswered'
                ? `, leaving the customer's question or complaint in turn ${p.num('turn')} with no answer but a goodbye`
                : undefined;
      if (tail === undefined) throw new TypeError('why');
      return `Agent hung up before the customer${tail}.`;
    },
    zh: (p) => {
      const why = p.has('why') ? p.str('why') : '';
      if (why === '') return '坐席先于客户挂机。';
      if (why === 'no-farewell') return '坐席未说结束语就先于客户挂机。';
      if (why === 'still-talking') return '坐席道别后客户仍在说话，坐席先挂机。';
      if (why === 'unanswered') return `客户第${p.num('turn')}句的问题或不满只得到一句道别，坐席就先挂机。`;
      throw new TypeError('why');
    },
  },
  'answer-time': {
    en: (p) => `Call answered after ${secs(p.num('ms'))} of ringing (limit ${secs(p.num('limitMs'))}).`,
    zh: (p) => `振铃${zhSecs(p.num('ms'))}后才接听（上限${zhSecs(p.num('limitMs'))}）。`,
  },
  'duration.short': {
    en: (p) =>
      `Conversation lasted ${secs(p.num('ms'))}, under ${p.num('limitSeconds')} s: routed for review.`,
    zh: (p) => `会话时长${zhSecs(p.num('ms'))}，短于${p.num('limitSeconds')}秒：送人工复核。`,
  },
  'duration.long': {
    en: (p) =>
      `Conversation lasted ${secs(p.num('ms'))}, over ${p.num('limitSeconds')} s: routed for review.`,
    zh: (p) => `会话时长${zhSecs(p.num('ms'))}，超过${p.num('limitSeconds')}秒：送人工复核。`,
  },
  'first-response.never': {
    en: (p) => `The customer never got a reply (limit ${secs(p.num('limitMs'))}).`,
    zh: (p) => `客户始终未得到回复（上限${zhSecs(p.num('limitMs'))}）。`,
  },
  'first-response.late': {
    en: (p) =>
      `First reply came ${secs(p.num('ms'))} after the customer's first message (limit ${secs(p.num('limitMs'))}).`,
    zh: (p) => `客户首条消息后${zhSecs(p.num('ms'))}才首次回复（上限${zhSecs(p.num('limitMs'))}）。`,
  },
  interruption: {
    en: (p) =>
      `${who('en', p.str('speaker'))} started speaking ${secs(p.num('ms'))} before turn ${p.num('turn')} (${p.str('interrupted')}) ended.`,
    zh: (p) =>
      `${who('zh', p.str('speaker'))}在第${p.num('turn')}句（${who('zh', p.str('interrupted'))}）结束前${zhSecs(p.num('ms'))}开始说话。`,
  },
  'response-latency': {
    en: (p) => {
      const n = p.num('count');
      return `Reply came ${secs(p.num('ms'))} after the customer's message (limit ${secs(p.num('limitMs'))}; ${n} slow repl${n === 1 ? 'y' : 'ies'}, worst ${secs(p.num('worstMs'))}).`;
    },
    zh: (p) =>
      `客户消息后${zhSecs(p.num('ms'))}才回复（上限${zhSecs(p.num('limitMs'))}；共${p.num('count')}次回复超时，最长${zhSecs(p.num('worstMs'))}）。`,
  },
  silence: {
    en: (p) =>
      `${secs(p.num('ms'))} of silence before this turn (limit ${secs(p.num('limitMs'))}${p.flag('hold') ? ', announced hold' : ''}).`,
    zh: (p) =>
      `本句前静默${zhSecs(p.num('ms'))}（上限${zhSecs(p.num('limitMs'))}${p.flag('hold') ? '，已告知客户等待' : ''}）。`,
  },
  'speech-rate.overall': {
    en: (p) =>
      `${who('en', p.str('speaker'))} spoke ${p.num('rate')} ${rateUnit('en', p)}/min over ${secs(p.num('ms'))} of speech (${p.flag('fast') ? 'too fast' : 'too slow'}; band ${p.num('min')}–${p.num('max')} ${rateUnit('en', p)}/min).`,
    zh: (p) =>
      `${who('zh', p.str('speaker'))}在${zhSecs(p.num('ms'))}的讲话中语速为每分钟${p.num('rate')}${rateUnit('zh', p)}（${p.flag('fast') ? '过快' : '过慢'}；合理范围每分钟${p.num('min')}–${p.num('max')}${rateUnit('zh', p)}）。`,
  },
  'speech-rate.turn': {
    en: (p) => {
      const extremes = [
        p.has('fastest') ? `fastest ${p.num('fastest')}` : '',
        p.has('slowest') ? `slowest ${p.num('slowest')}` : '',
      ]
        .filter(Boolean)
        .join(', ');
      return `${who('en', p.str('speaker'))} spoke ${p.num('rate')} ${rateUnit('en', p)}/min in this turn (${p.flag('fast') ? 'too fast' : 'too slow'}; band ${p.num('min')}–${p.num('max')} ${rateUnit('en', p)}/min; ${p.num('count')} turn(s) out of band, ${extremes}).`;
    },
    zh: (p) => {
      const extremes = [
        p.has('fastest') ? `最快${p.num('fastest')}` : '',
        p.has('slowest') ? `最慢${p.num('slowest')}` : '',
      ]
        .filter(Boolean)
        .join('，');
      return `${who('zh', p.str('speaker'))}本句语速为每分钟${p.num('rate')}${rateUnit('zh', p)}（${p.flag('fast') ? '过快' : '过慢'}；合理范围每分钟${p.num('min')}–${p.num('max')}${rateUnit('zh', p)}；共${p.num('count')}句超出范围，${extremes}）。`;
    },
  },
  'conditional.unanswered': {
    en: (p) => {
      const limit = p.has('withinMs') ? ` or ${secs(p.num('withinMs'))}` : '';
      return `${who('en', p.str('speaker'))} ${triggerText('en', p)} and ${p.str('answerer')} gave no ${expectedText('en', p)} within the next ${p.num('withinTurns')} ${p.str('answerer')} turn(s)${limit}.`;
    },
    zh: (p, l) => {
      const limit = p.has('withinMs') ? `或${zhSecs(p.num('withinMs'))}` : '';
      return `${who('zh', p.str('speaker'))}${triggerText('zh', p, l)}，${who('zh', p.str('answerer'))}在随后${p.num('withinTurns')}句${limit}内没有${expectedText('zh', p)}。`;
    },
  },
  'conditional.no-reply': {
    en: (p) =>
      `${who('en', p.str('speaker'))} ${triggerText('en', p)} and the ${p.str('answerer')} never replied.`,
    zh: (p, l) =>
      `${who('zh', p.str('speaker'))}${triggerText('zh', p, l)}，${who('zh', p.str('answerer'))}始终没有回复。`,
  },
  'data-quality': {
    en: (p) => {
      const rules = p.list('notJudged');
      return `${problemText('en', p)}; ${rules.length > 0 ? `not judged: ${rules.join(', ')}` : 'every rule was judged'}.`;
    },
    zh: (p) => {
      const rules = p.list('notJudged');
      return `${problemText('zh', p)}；${rules.length > 0 ? `未判定的规则：${rules.join('、')}` : '所有规则均已判定'}。`;
    },
  },
  'conditional.late': {
    en: (p) =>
      `${who('en', p.str('speaker'))} ${triggerText('en', p)} and the ${p.str('answerer')}'s ${expectedText('en', p)} came ${secs(p.num('ms'))} later (limit ${secs(p.num('withinMs'))}).`,
    zh: (p, l) =>
      `${who('zh', p.str('speaker'))}${triggerText('zh', p, l)}，${who('zh', p.str('answerer'))}的${expectedText('zh', p)}在${zhSecs(p.num('ms'))}后才出现（上限${zhSecs(p.num('withinMs'))}）。`,
  },
} satisfies Record<string, Entry>;

/**
 * Why a transcript's data cannot support some rules (`problem`: no-turns, ended-before-started,
 * missing-times with `untimed`, `turns`, `field`; out-of-order; no-answer-delay). English is also the
 * rejection's reason when the pipeline rejects such transcripts.
 */
export function dataProblemText(lang: MessageLang, params: MessageParams): string {
  return problemText(lang, new Params(params));
}

function problemText(lang: MessageLang, p: Params): string {
  const problem = p.str('problem');
  if (lang === 'en') {
    if (problem === 'no-turns') return 'the transcript has no turns';
    if (problem === 'ended-before-started') return 'endedAt is before startedAt';
    if (problem === 'missing-times')
      return `${p.num('untimed')} of ${p.num('turns')} turn(s) have no time (${p.str('field')})`;
    if (problem === 'out-of-order') return 'turns arrived out of time order and were judged in time order';
    if (problem === 'no-answer-delay') return 'the call has no answerDelayMs';
  } else {
    if (problem === 'no-turns') return '会话没有任何轮次';
    if (problem === 'ended-before-started') return '结束时间 endedAt 早于开始时间 startedAt';
    if (problem === 'missing-times')
      return `${p.num('turns')}句中有${p.num('untimed')}句没有时间（${p.str('field')}）`;
    if (problem === 'out-of-order') return '轮次到达时顺序错乱，已按时间顺序判定';
    if (problem === 'no-answer-delay') return '通话缺少振铃时长 answerDelayMs';
  }
  throw new TypeError('problem');
}

function rateUnit(lang: MessageLang, p: Params): string {
  const en = p.str('unit') === 'words';
  if (lang === 'en') return en ? 'words' : 'characters';
  return en ? '词' : '字';
}

export type MessageId = keyof typeof MESSAGES;
export const MESSAGE_IDS = Object.keys(MESSAGES) as MessageId[];

/**
 * The message in `lang`, or undefined when the id is unknown or its parameters do not fit (an item
 * from a newer or foreign producer): the caller falls back to the item's `message`.
 */
export function renderMessage(
  id: string | undefined,
  params: MessageParams | undefined,
  lang: MessageLang,
  labels: MessageLabels = {},
): string | undefined {
  if (id === undefined || !Object.hasOwn(MESSAGES, id)) return undefined;
  try {
    return (MESSAGES as Record<string, Entry>)[id]![lang](new Params(params ?? {}), labels);
  } catch {
    return undefined;
  }
}
