import { describe, expect, it } from 'vitest';
import { RuleConfig } from '../../src/rules/registry.js';
import { ruleHarness } from '../helpers/rules.js';

const categories = {
  complaint: ['太慢了', '投诉'],
  apology: ['抱歉', '对不起'],
  thanks: ['谢谢'],
  welcome: ['不客气', '应该的'],
  request: ['麻烦帮'],
  'id-request': ['工号'],
  'id-given': ['工号是', '号为您服务', '1', '2', '3', '4'],
  'id-refusal': ['不方便透露'],
};
const sel = (...cats: string[]) => ({ lexicon: 'test', categories: cats });
/** A complaint expects an apology in the agent's next two turns (致歉语). */
const apologyRule = {
  type: 'conditional',
  trigger: { speaker: 'customer', match: sel('complaint') },
  expect: { speaker: 'agent', match: sel('apology') },
  within_turns: 2,
  expectation: 'apology',
} as const;

describe('conditional rule', () => {
  describe('a trigger expecting a phrase within K turns (致歉语)', () => {
    const apology = ruleHarness({ categories, rule: apologyRule });

    it('flags a complaint the agent does not apologise for, with the trigger words as evidence', () => {
      const findings = apology.chat([
        [0, 'customer', '等了三天,太慢了!'],
        [10, 'agent', '已经在催了'],
        [20, 'agent', '明天送到'],
        [30, 'agent', '还有别的事吗'],
      ]);
      expect(findings).toEqual([
        expect.objectContaining({
          turnIndex: 0,
          start: 5,
          end: 8,
          text: '太慢了',
          atMs: 0,
          message:
            'Customer said "太慢了" (complaint) and agent gave no apology within the next 2 agent turn(s).',
        }),
      ]);
    });

    it('accepts an apology in the second agent turn, and one finding for a complaint repeated before any reply', () => {
      expect(
        apology.chat([
          [0, 'customer', '太慢了'],
          [10, 'agent', '我查一下'],
          [20, 'agent', '抱歉,让您久等'],
        ]),
      ).toEqual([]);
      expect(
        apology.chat([
          [0, 'customer', '太慢了'],
          [5, 'customer', '我要投诉'],
          [10, 'agent', '明天送到'],
        ]),
      ).toHaveLength(1);
    });

    it('gives each repeated trigger its own finding with repeated: each', () => {
      const each = ruleHarness({ categories, rule: { ...apologyRule, repeated: 'each' } });
      const findings = each.chat([
        [0, 'customer', '太慢了'],
        [5, 'customer', '我要投诉'],
        [10, 'agent', '明天送到'],
      ]);
      expect(findings.map((f) => f.turnIndex)).toEqual([0, 1]);
    });

    it('names a pattern trigger by the words it matched, not by the pattern', () => {
      const patterned = ruleHarness({
        categories: { ...categories, complaint: [{ pattern: '(没有?|没)(收到|到货)' }] },
        rule: apologyRule,
      });
      const [f] = patterned.chat([
        [0, 'customer', '东西还没有收到'],
        [10, 'agent', '我查一下'],
      ]);
      expect(f!.message).toBe(
        'Customer said "没有收到" (complaint) and agent gave no apology within the next 2 agent turn(s).',
      );
    });

    it('says so when the other side never replied', () => {
      const [f] = apology.chat([
        [0, 'agent', '您好'],
        [10, 'customer', '太慢了'],
      ]);
      expect(f!.message).toBe('Customer said "太慢了" (complaint) and the agent never replied.');
    });
  });

  describe('weak cues counted together (trigger.cues)', () => {
    const cued = ruleHarness({
      categories: { ...categories, cue: ['还没有', '怎么回事', '又'] },
      rule: {
        type: 'conditional',
        trigger: {
          speaker: 'customer',
          match: sel('complaint'),
          cues: {
            match: sel('cue'),
            signs: ['repeated-marks', 'negative-emoji'],
            strong: ['negative-emoji'],
          },
        },
        expect: { speaker: 'agent', match: sel('apology') },
        expectation: 'apology',
      },
    });
    const reply = (text: string) =>
      cued.chat([
        [0, 'customer', text],
        [10, 'agent', '我查一下'],
      ]);

    it('one weak cue is not enough; two different ones are, and the finding names both', () => {
      expect(reply('还没有到,怎么回事')).toHaveLength(1);
      expect(reply('还没有到')).toEqual([]);
      expect(reply('还没有到,还没有发')).toEqual([]); // the same cue twice is one cue
      const [f] = reply('又没到??');
      expect(f).toEqual(
        expect.objectContaining({
          start: 0,
          end: 1,
          text: '又',
          message:
            'Customer showed dissatisfaction by 2 cues together: "又" (cue), "??" (repeated question or exclamation marks) and agent gave no apology within the next 2 agent turn(s).',
        }),
      );
    });

    it('a strong sign triggers alone; a trigger phrase still triggers as before', () => {
      expect(reply('到了吗 😞')[0]!.message).toBe(
        'Customer showed dissatisfaction: "😞" (a frowning, crying or angry emoji, enough on its own) and agent gave no apology within the next 2 agent turn(s).',
      );
      expect(reply('太慢了')[0]!.text).toBe('太慢了');
    });

    it('an apology answers cues as it answers a phrase', () => {
      expect(
        cued.chat([
          [0, 'customer', '还没有到,怎么回事'],
          [10, 'agent', '抱歉,马上查'],
        ]),
      ).toEqual([]);
    });
  });

  describe('responding to thanks (致谢语): unless, unless_question, after_reply, at_end', () => {
    const thanks = ruleHarness({
      categories,
      rule: {
        type: 'conditional',
        trigger: {
          speaker: 'customer',
          match: sel('thanks'),
          unless: sel('complaint', 'request'),
          unless_question: true,
          after_reply: true,
        },
        expect: { speaker: 'agent', match: sel('welcome', 'thanks') },
        within_turns: 1,
        at_end: 'skip',
      },
    });

    it('flags thanks the agent walks past, and accepts "不客气"', () => {
      expect(
        thanks.chat([
          [0, 'customer', '订单改地址'],
          [10, 'agent', '已经改好了'],
          [20, 'customer', '好的谢谢'],
          [30, 'agent', '还有别的问题吗'],
        ]),
      ).toHaveLength(1);
      expect(
        thanks.chat([
          [0, 'customer', '订单改地址'],
          [10, 'agent', '已经改好了'],
          [20, 'customer', '好的谢谢'],
          [30, 'agent', '不客气,还有别的问题吗'],
        ]),
      ).toEqual([]);
    });

    it('does not trigger on thanks inside a complaint, a request or a question', () => {
      const after = (text: string) =>
        thanks.chat([
          [0, 'customer', '订单改地址'],
          [10, 'agent', '已经改好了'],
          [20, 'customer', text],
          [30, 'agent', '好的'],
        ]);
      expect(after('谢谢,但是太慢了')).toEqual([]);
      expect(after('麻烦帮我再看看发票,谢谢')).toEqual([]);
      expect(after('谢谢,那运费怎么算?')).toEqual([]);
      expect(after('谢谢，那运费怎么算？')).toEqual([]);
      expect(after('谢谢')).toHaveLength(1);
    });

    it('does not trigger on thanks in advance before the agent has said anything', () => {
      expect(
        thanks.chat([
          [0, 'customer', '想问问保修政策,谢谢'],
          [10, 'agent', '保修一年'],
        ]),
      ).toEqual([]);
    });

    it('with at_end skip, leaves alone a trailing thanks the agent had no turn to answer', () => {
      const turns: Array<[number, string, string]> = [
        [0, 'customer', '订单改地址'],
        [10, 'agent', '已经改好了'],
        [20, 'customer', '没有了,谢谢'],
      ];
      expect(thanks.chat(turns)).toEqual([]);
      const flagging = ruleHarness({
        categories,
        rule: {
          type: 'conditional',
          trigger: { speaker: 'customer', match: sel('thanks') },
          expect: { speaker: 'agent', match: sel('welcome') },
        },
      });
      expect(flagging.chat(turns)).toHaveLength(1);
    });
  });

  describe("refusing the agent's number (报工号): expect.unless", () => {
    const agentId = ruleHarness({
      categories,
      rule: {
        type: 'conditional',
        trigger: { speaker: 'customer', match: sel('id-request') },
        expect: { speaker: 'agent', match: sel('id-given'), unless: sel('id-refusal') },
        within_turns: 2,
        expectation: 'agent number (工号)',
      },
    });
    const ask = (reply: string) =>
      agentId.chat([
        [0, 'agent', '您好'],
        [10, 'customer', '你的工号报一下'],
        [20, 'agent', reply],
      ]);

    it('accepts the number given, and flags a refusal even though it names the 工号', () => {
      expect(ask('好的,我的工号是4213')).toEqual([]);
      expect(ask('4213号为您服务')).toEqual([]);
      const [f] = ask('工号不方便透露');
      expect(f!.message).toBe(
        'Customer said "工号" (id-request) and agent gave no agent number (工号) within the next 2 agent turn(s).',
      );
    });

    it('flags an evasive answer that gives no number', () => {
      expect(ask('您有什么问题我来处理')).toHaveLength(1);
    });
  });

  describe('complaints answered in time (seed 003): expect without match, within_seconds', () => {
    const complaint = ruleHarness({
      categories,
      rule: {
        type: 'conditional',
        trigger: { speaker: 'customer', match: sel('complaint') },
        expect: { speaker: 'agent' },
        within_turns: 1,
        within_seconds: 600,
        expectation: 'reply to the complaint',
      },
    });

    it('accepts any reply within the limit, measured from the first complaint of a run', () => {
      expect(
        complaint.chat([
          [0, 'customer', '太慢了'],
          [300, 'customer', '我要投诉'],
          [590, 'agent', '正在处理'],
        ]),
      ).toEqual([]);
      const [late] = complaint.chat([
        [0, 'customer', '太慢了'],
        [300, 'customer', '我要投诉'],
        [700, 'agent', '正在处理'],
      ]);
      expect(late).toMatchObject({
        turnIndex: 0,
        atMs: 0,
        durationMs: 700_000,
        message:
          'Customer said "太慢了" (complaint) and the agent\'s reply to the complaint came 700 s later (limit 600 s).',
      });
    });

    it('flags a complaint never answered, and judges turns without times by turns alone', () => {
      expect(
        complaint.chat([
          [0, 'agent', '您好'],
          [10, 'customer', '太慢了'],
        ]),
      ).toHaveLength(1);
      const untimed = [
        { speaker: 'customer' as const, text: '太慢了' },
        { speaker: 'agent' as const, text: '正在处理' },
      ];
      expect(complaint.chat([], { turns: untimed })).toEqual([]);
    });
  });

  it('rejects options that cannot work, naming the field', () => {
    const base = {
      id: 'x',
      type: 'conditional',
      trigger: { speaker: 'customer', match: sel('thanks') },
      expect: { speaker: 'agent' },
    };
    expect(RuleConfig.safeParse({ ...base, within_seconds: 0 }).error?.issues[0]?.path).toEqual([
      'within_seconds',
    ]);
    expect(
      RuleConfig.safeParse({ ...base, trigger: { speaker: 'customer' } }).error?.issues[0]?.path,
    ).toEqual(['trigger', 'match']);
    expect(RuleConfig.safeParse({ ...base, at_end: 'ignore' }).success).toBe(false);
  });
});
