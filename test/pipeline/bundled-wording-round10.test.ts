// Round 10 (issue 8): a customer who says they are calm ("no rush", 不着急) is not read by the learned
// complaint model, which weighs words one by one and cannot see the "no" (`trigger.model.unless`, the
// lexicons' `calm` category); a phrase of the lexicon still triggers. Round 11: chat-zh ships its model
// on, and praise (物流很快, 很满意; the `praise` category) is not read either. Every sentence is written
// for this test.
import { describe, expect, it } from 'vitest';
import { exchangeFires, screenerFor } from '../helpers/wording.js';

describe('social-en: the model does not read a calm turn', async () => {
  const screen = await screenerFor('pipelines/social-en.yaml');
  const complaint = (message: string) =>
    exchangeFires(screen, 'en', 'apology')(message, 'Please send us a DM with your account email.');

  it('reads the turn without the calm words, skips it with them', () => {
    const turn = 'We are going to cancel if the customer service does not improve';
    expect(complaint(turn)).toBe(true);
    expect(complaint(`No rush, ${turn}`)).toBe(false);
    expect(complaint(`${turn}. Just curious, no hurry.`)).toBe(false);
  });

  it('lets a lexicon phrase trigger in a calm turn', () => {
    expect(complaint('No rush, but this is unacceptable')).toBe(true);
  });
});

// The shipped chat-zh, its model on; a complaint is answered with no apology.
const chatZh = await screenerFor('pipelines/chat-zh.yaml');
const complaint = (message: string) =>
  exchangeFires(chatZh, 'zh', 'apology')(message, '好的，我帮您查一下订单');

describe('chat-zh: its model does not read calm turns or praise', () => {
  it.each(['我不着急，你们慢慢处理就行', '没关系的，不是投诉，就问问什么时候到', '不用急，慢慢来'])(
    '"%s" is calm',
    (message) => {
      expect(complaint(message)).toBe(false);
    },
  );

  it('still reads a turn where the customer says the other side is in no hurry', () => {
    expect(complaint('你们客服一点都不着急是吧，这都几天了')).toBe(true);
  });

  it.each(['物流很快，我很满意', '你们真棒，我很喜欢'])('"%s" is praise, not a complaint', (message) => {
    expect(complaint(message)).toBe(false);
  });

  it('still reads praise that is negated', () => {
    expect(complaint('不是很满意，这都几天了')).toBe(true);
  });
});

describe('chat-zh: "we see only what the page shows" is not knowing', () => {
  const said = (reply: string) =>
    exchangeFires(chatZh, 'zh', 'forbidden-phrase')('这个杯子的容量是多少？详情里没写', reply);

  it.each(['我们这边也只能看到页面上的信息呢', '客服也是在详情页里看的哦'])('forbidden: %s', (reply) => {
    expect(said(reply)).toBe(true);
  });

  it.each([
    '您可以在商品详情中查看容量',
    '我这边也看到详情页写的是两年保修',
    '我们也只能看到页面信息，我帮您联系商家确认一下',
  ])('not forbidden: %s', (reply) => {
    expect(said(reply)).toBe(false);
  });
});

describe('chat-zh: round 10 complaint wording (a friendly particle is no impatience)', () => {
  it.each(['那新的什么时候能送到啊', '这款啥时候能有货呀'])('"%s" is not a complaint', (message) => {
    expect(complaint(message)).toBe(false);
  });

  it.each(['到底什么时候能送到啊', '什么时候才能有货呀'])('"%s" is impatience', (message) => {
    expect(complaint(message)).toBe(true);
  });

  // Round 10's complaint families, with their neighbours.
  it.each([
    '申请了这么久，一点动静都没有',
    '退款怎么还没下来',
    '已经四天没有物流信息了',
    '新买的贴膜算是白瞎了',
    '折腾半天又回到原点了',
    '我看还是换个购物平台吧',
    '好官方的回答哦',
    '上门取件约好了，到现在没人来取',
  ])('"%s" is a complaint', (message) => {
    expect(complaint(message)).toBe(true);
  });

  it.each([
    '这个订单怎么没有物流信息呀',
    '明天家里没人收货，可以改个时间吗',
    '我明天不在家，家里没人取快递怎么办',
    '官方旗舰店的是正品吗',
    '请问有没有物流信息',
  ])('"%s" is not', (message) => {
    expect(complaint(message)).toBe(false);
  });
});
