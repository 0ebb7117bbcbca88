import { describe, expect, it } from 'vitest';
import { ruleHarness } from '../helpers/rules.js';

const categories = {
  farewell: ['再见', '感谢您的来电'],
  ack: ['好的', '谢谢', '再见', '没有了'],
  question: ['吗', '什么时候'],
  complaint: ['太差了', '投诉'],
};
const sel = (...cats: string[]) => ({ lexicon: 'test', categories: cats });
const grace = {
  farewell: sel('farewell'),
  acknowledgements: sel('ack'),
  pending: sel('question', 'complaint'),
};
const strict = ruleHarness({ categories, rule: { type: 'agent-hangup' } });
const lenient = ruleHarness({ categories, rule: { type: 'agent-hangup', grace } });
const byAgent = { hangupBy: 'agent' as const };

describe('agent-hangup rule (seed 004 后挂机差错)', () => {
  const farewellCall: Array<[number, number, string, string]> = [
    [0, 3000, 'agent', '您好,请讲'],
    [3500, 9000, 'customer', '我想改一下账单地址'],
    [9500, 15000, 'agent', '已经帮您改好了,感谢您的来电,再见'],
    [15500, 16500, 'customer', '好的,再见'],
  ];

  it('says nothing when the customer (or the system) hung up', () => {
    expect(strict.call(farewellCall, { hangupBy: 'customer' })).toEqual([]);
    expect(strict.call(farewellCall, { hangupBy: 'system' })).toEqual([]);
    expect(strict.call(farewellCall)).toEqual([]);
  });

  it('without grace, flags every agent hang-up, even after a farewell', () => {
    expect(strict.call(farewellCall, byAgent)).toEqual([
      expect.objectContaining({ turnIndex: 3, atMs: 16500, message: 'Agent hung up before the customer.' }),
    ]);
  });

  it('with grace, allows a completed farewell: the agent took leave and the customer only said goodbye', () => {
    expect(lenient.call(farewellCall, byAgent)).toEqual([]);
    expect(lenient.call(farewellCall.slice(0, 3), byAgent)).toEqual([]);
  });

  it('flags a curt line to a complaint followed by a hang-up: no farewell', () => {
    const findings = lenient.call(
      [
        [0, 3000, 'agent', '您好,请讲'],
        [3500, 9000, 'customer', '你们的服务太差了,我要投诉'],
        [9500, 11000, 'agent', '那您去投诉吧'],
      ],
      byAgent,
    );
    expect(findings).toEqual([
      expect.objectContaining({
        turnIndex: 2,
        message: 'Agent hung up before the customer without a farewell.',
      }),
    ]);
  });

  it('flags a hang-up while the customer was still talking after the farewell', () => {
    const [f] = lenient.call(
      [...farewellCall.slice(0, 3), [15500, 19000, 'customer', '等一下,还有一件事']],
      byAgent,
    );
    expect(f).toMatchObject({
      turnIndex: 3,
      message: 'Agent hung up before the customer while the customer was still talking after the farewell.',
    });
    // A question after the farewell is pending even when it is made of acknowledgement words.
    expect(
      lenient.call([...farewellCall.slice(0, 3), [15500, 16500, 'customer', '好的?']], byAgent),
    ).toHaveLength(1);
  });

  it("flags a farewell that answers the customer's question or complaint with nothing but a goodbye", () => {
    const unanswered = lenient.call(
      [
        [0, 3000, 'agent', '您好,请讲'],
        [3500, 9000, 'customer', '维修师傅什么时候来'],
        [9500, 11000, 'agent', '好的,再见'],
      ],
      byAgent,
    );
    expect(unanswered).toEqual([
      expect.objectContaining({
        turnIndex: 1,
        message:
          "Agent hung up before the customer, leaving the customer's question or complaint in turn 1 with no answer but a goodbye.",
      }),
    ]);
    const answered = lenient.call(
      [
        [0, 3000, 'agent', '您好,请讲'],
        [3500, 9000, 'customer', '维修师傅什么时候来'],
        [9500, 14000, 'agent', '明天上午十点前上门'],
        [14500, 16000, 'agent', '感谢您的来电,再见'],
      ],
      byAgent,
    );
    expect(answered).toEqual([]);
  });

  it('treats a question mark as a question unless question_marks is false', () => {
    const turns: Array<[number, number, string, string]> = [
      [0, 3000, 'agent', '您好,请讲'],
      [3500, 9000, 'customer', '账单能寄到公司?'],
      [9500, 11000, 'agent', '再见'],
    ];
    expect(lenient.call(turns, byAgent)).toHaveLength(1);
    const noMarks = ruleHarness({
      categories,
      rule: { type: 'agent-hangup', grace: { ...grace, question_marks: false } },
    });
    expect(noMarks.call(turns, byAgent)).toEqual([]);
  });
});
