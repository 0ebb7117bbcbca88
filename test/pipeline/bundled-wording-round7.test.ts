// The bundled lexicons on the families round 7 (issue 8) added from probing with our own sentences
// how care agents and customers commonly write, with no split studied: informal hellos, good wishes
// and thanks for the custom, empathy without a subject or with several adverbs, owning that something
// should not have happened; Chinese rating requests and polite leave-taking, owning that the service
// fell short, regret, impatience at the end of a turn. Each family has neighbours that must stay quiet.
// Every sentence is written for this test, not copied from the evaluation corpora.
import { describe, expect, it } from 'vitest';
import { exchangeFires, screenerFor } from '../helpers/wording.js';

describe('social-en: openers, closings and empathy of round 7', async () => {
  const screen = await screenerFor('pipelines/social-en.yaml');
  const greetingMissing = (reply: string) =>
    exchangeFires(screen, 'en', 'greeting')('Is the store app down?', reply);
  const closingMissing = (reply: string) =>
    exchangeFires(screen, 'en', 'closing')('Is the store app down?', reply);
  const apologyMissing = (reply: string) =>
    exchangeFires(screen, 'en', 'apology')('This is ridiculous, my parcel is two weeks late!', reply);

  it.each([
    'Hiya, could you send us a DM with the tracking code?',
    'morning! could you tell us which store you ordered from?',
    'acmehelp Evening! which browser are you on?',
  ])('"%s" opens with a greeting', (reply) => {
    expect(greetingMissing(reply)).toBe(false);
  });

  it.each([
    'This morning the store app was down for an hour, could you retry?',
    'Evening deliveries run until 9pm, which slot did you book?',
    'The morning update fixed that, which version are you on?',
  ])('"%s" has no greeting', (reply) => {
    expect(greetingMissing(reply)).toBe(true);
  });

  it.each([
    'It is back up now. Safe travels!',
    'It is back up now, take it easy!',
    'It is back up now. Thanks for shopping with us!',
  ])('"%s" closes', (reply) => {
    expect(closingMissing(reply)).toBe(false);
  });

  it.each(['It is back up now.', 'It was down for an hour while we travel-tested the update.'])(
    '"%s" has no closing',
    (reply) => {
      expect(closingMissing(reply)).toBe(true);
    },
  );

  it.each([
    'Oh dear, let us get this sorted. DM us the order number.',
    "That's the worst, we'll chase the courier now.",
    'Totally understand the frustration, DM us the order number.',
    'We can definitely understand how annoying that is. DM us?',
    'That should not have happened. DM us the order number.',
    "That shouldn't be happening, send us a DM.",
    'We hate that this happened, DM us the order number.',
    'Not cool at all, let us chase it for you.',
    'We feel you! DM us the order number.',
  ])('"%s" answers the complaint with empathy', (reply) => {
    expect(apologyMissing(reply)).toBe(false);
  });

  it.each([
    // A bare interjection: reviewers did not count "yikes, what's going on?" as empathy.
    "Yikes, what's going on? DM us the order number.",
    'To make sure we fully understand, which courier was it?',
    "This shouldn't happen if you update the app. DM us?",
    'We will look into it, DM us the order number.',
  ])('"%s" gives no apology or empathy', (reply) => {
    expect(apologyMissing(reply)).toBe(true);
  });
});

describe('chat-zh: closings, apologies and complaints of round 7', async () => {
  const screen = await screenerFor('pipelines/chat-zh.yaml');
  const closingMissing = (reply: string) => exchangeFires(screen, 'zh', 'closing')('我的快递到哪里了', reply);
  const apologyMissing = (reply: string) =>
    exchangeFires(screen, 'zh', 'apology')('都等了五天还没发货，太过分了', reply);
  const complaint = (message: string) =>
    exchangeFires(screen, 'zh', 'apology')(message, '您好，这边帮您看一下，请问还有其他可以帮您的吗');

  it.each(['已经到站点了，麻烦您稍后点一下满意哦', '明天上午送到，那就不打扰您了'])(
    '"%s" closes',
    (reply) => {
      expect(closingMissing(reply)).toBe(false);
    },
  );

  it.each(['明天上午送到', '我们一定会给个满意的答复'])('"%s" has no closing', (reply) => {
    expect(closingMissing(reply)).toBe(true);
  });

  it.each([
    '是我们做得不好，马上给您加急',
    '很遗憾给您带来这样的体验，我马上催仓库',
    '委屈您了，我这就联系仓库',
  ])('"%s" answers the complaint', (reply) => {
    expect(apologyMissing(reply)).toBe(false);
  });

  it.each(['不是我们做得不好，是仓库那边的原因', '我帮您催一下仓库'])(
    '"%s" gives no apology or empathy',
    (reply) => {
      expect(apologyMissing(reply)).toBe(true);
    },
  );

  it.each(['订单都下了好几天了，能不能快点', '问了半天烦不烦啊', '你们这售后真是没谁了'])(
    '"%s" is a complaint',
    (message) => {
      expect(complaint(message)).toBe(true);
    },
  );

  it.each(['能不能快递到公司地址', '这件衣服好看得没谁了'])('"%s" is not a complaint', (message) => {
    expect(complaint(message)).toBe(false);
  });
});

describe('forbidden replies of round 7', async () => {
  const zhScreen = await screenerFor('pipelines/chat-zh.yaml');
  const enScreen = await screenerFor('pipelines/social-en.yaml');
  const zhForbidden = (reply: string) =>
    exchangeFires(zhScreen, 'zh', 'forbidden-phrase')('退款到底什么时候到', reply);
  const enForbidden = (reply: string) =>
    exchangeFires(enScreen, 'en', 'forbidden-phrase')('Where is my refund?', reply);

  it.each([
    '跟您讲了好几遍了，三到五个工作日',
    '这个我之前已经回答过了',
    '有本事你就去投诉',
    '您爱怎么投诉怎么投诉',
    '急也没用，等着',
    '您怎么又来问了',
    '跟你讲不明白',
    '不可以就是不可以',
    '您脑子是不是有问题',
    '规定如此，您看着办吧',
    '我们只管发货，其他的一概不管',
  ])('"%s" is forbidden', (reply) => {
    expect(zhForbidden(reply)).toBe(true);
  });

  it.each([
    '我再跟您讲一遍退款的流程',
    '您的投诉我们已经收到，会有专人跟进',
    '我们就把您的投诉转给专员处理',
    '您先别急，我帮您催一下财务',
    '不能叠加优惠券的话就是原价哦',
    '我们只负责配送这一段，其他环节我帮您联系商家',
  ])('"%s" is not forbidden', (reply) => {
    expect(zhForbidden(reply)).toBe(false);
  });

  it.each([
    'We have explained this many times: 5 to 7 days.',
    'It is what it is.',
    "That's simply how the system works.",
    'Go complain to someone else.',
    'Take it up with your bank.',
    'You have to be patient.',
    'Queue like everyone else.',
    'Please stop tweeting us.',
  ])('"%s" is forbidden', (reply) => {
    expect(enForbidden(reply)).toBe(true);
  });

  it.each([
    'It is what it is, but we can add a credit. DM us?',
    "That's how it works: open Settings, then Refunds.",
    'Take it up with your bank and DM us, we will refund the fee too.',
    'Thanks for your patience, it is on its way.',
  ])('"%s" is not forbidden', (reply) => {
    expect(enForbidden(reply)).toBe(false);
  });
});
