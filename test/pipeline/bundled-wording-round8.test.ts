// The bundled lexicons on the families round 8 (issue 8) added after studying the fresh-a splits
// (conversations nobody here had read before 2026-11-24): English alarm and outrage in other words,
// demands, being forced, insults after "my"/"is", why-it-is-still-so, turned down again, a reply
// opening "As mentioned"; Chinese "太不X了" verdicts, a promotion missed right after buying, faults
// that keep coming back, being made to buy it oneself; and the neighbours that must stay quiet (a
// thing that "refuses" to start, the customer thanking for the time taken, 什么 read as a particle,
// a choice question, someone else's feelings). Every sentence is written for this test, not copied
// from the evaluation corpora.
import { describe, expect, it } from 'vitest';
import { exchangeFires, screenerFor } from '../helpers/wording.js';

describe('social-en: complaints and replies of round 8', async () => {
  const screen = await screenerFor('pipelines/social-en.yaml');
  const complaint = (message: string) =>
    exchangeFires(screen, 'en', 'apology')(message, 'Hi there, happy to help. Which model is it?');
  const forbidden = (reply: string) =>
    exchangeFires(screen, 'en', 'forbidden-phrase')('It still shows the old plan on my bill.', reply);

  it.each([
    'Honestly alarmed that my card details show up in the app for anyone to see',
    'I demand that the duplicate charge is reversed',
    'I was forced to reset my password four times this week',
    'My stupid smart speaker turns itself on at night',
    'Your new login flow is lame',
    'Why are you still sending me invoices for a closed account???',
    'I changed every setting you listed but still it has been rejected',
    'The store refused to take the broken kettle back',
  ])('"%s" is a complaint', (message) => {
    expect(complaint(message)).toBe(true);
  });

  it.each([
    'The printer refuses to start after the update, what should I try?',
    'My laptop keeps files that refuse to delete, how do I clear them?',
    'This may be a stupid question, but where is the export button?',
    'I feel stupid, I forgot my password again. How do I reset it?',
    'Why is the battery icon still grey after charging? Is that normal?',
  ])('"%s" is not a complaint', (message) => {
    expect(complaint(message)).toBe(false);
  });

  it.each([
    'As mentioned, your plan changes at the next billing date.',
    'acmehelp As we said, the credit shows on the next bill.',
  ])('"%s" repeats an answer impatiently', (reply) => {
    expect(forbidden(reply)).toBe(true);
  });

  it.each([
    'As mentioned in the billing article, the plan changes at the next billing date.',
    'The change you mentioned shows on the next bill, thanks for checking!',
  ])('"%s" is not forbidden', (reply) => {
    expect(forbidden(reply)).toBe(false);
  });
});

describe('chat-zh: complaints of round 8', async () => {
  const screen = await screenerFor('pipelines/chat-zh.yaml');
  const complaint = (message: string) =>
    exchangeFires(screen, 'zh', 'apology')(message, '您好，这边帮您看一下，请问还有其他可以帮您的吗');

  it.each([
    '这个耳机太不靠谱了',
    '信号一会儿有一会儿没有，太不稳定了',
    '我刚付款的订单不能享受满减，现在下单又能减了',
    '才装好没几天就老是出问题',
    '赠品没了，还得我自己去买一个?',
    '就是因为页面上没写，我才想问你们',
  ])('"%s" is a complaint', (message) => {
    expect(complaint(message)).toBe(true);
  });

  it.each([
    '麻烦您这么久了，谢谢',
    '页面上不是说满两百包邮，这是什么意思',
    '这个尺码能换还是不能换呢',
    '他受不了太甜的，有无糖的吗',
    '这款稳定性怎么样',
  ])('"%s" is not a complaint', (message) => {
    expect(complaint(message)).toBe(false);
  });
});

describe('chat-zh: replies of round 8', async () => {
  const screen = await screenerFor('pipelines/chat-zh.yaml');
  const closingMissing = (reply: string) => exchangeFires(screen, 'zh', 'closing')('好的，谢谢', reply);
  const forbidden = (reply: string) =>
    exchangeFires(screen, 'zh', 'forbidden-phrase')('保修电话是多少', reply);
  const privacyAsk = (reply: string) => exchangeFires(screen, 'zh', 'pii')('我要换绑手机号', reply);

  it.each(['不客气，为您服务是小妹的荣幸', '很荣幸为您服务，有问题随时找我'])('"%s" closes', (reply) => {
    expect(closingMissing(reply)).toBe(false);
  });

  it('a plain answer has no closing', () => {
    expect(closingMissing('保修期是一年')).toBe(true);
  });

  it('"不清楚您需要哪个…" asks the customer, it is no flat "I don\'t know"', () => {
    expect(forbidden('您还没下单，小妹不清楚您需要哪个品牌的保修电话')).toBe(false);
    expect(forbidden('这个小妹也不清楚')).toBe(true);
  });

  it('asking for the code a clause after saying it was sent is a credentials ask', () => {
    expect(privacyAsk('验证码已经给您发过去了，麻烦提供一下')).toBe(true);
    expect(privacyAsk('验证码已经给您发过去了，请在页面上输入')).toBe(false);
  });
});
