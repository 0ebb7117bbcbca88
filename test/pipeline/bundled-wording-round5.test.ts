// The bundled lexicons on wording probed after round 4 (issue 8): families written from how customers
// complain and agents apologise, each with neighbours that must stay quiet. Every sentence is written
// for this test, not copied from the evaluation corpora.
import { describe, expect, it } from 'vitest';
import { exchangeFires, screenerFor } from '../helpers/wording.js';

const zhAnswer = '您好，这边帮您看一下，请问还有其他可以帮您的吗';
const enAnswer = 'Hi there, please try signing out and back in. Let us know how it goes!';

describe('chat-zh: more complaint families', async () => {
  const screen = await screenerFor('pipelines/chat-zh.yaml');
  const apology = exchangeFires(screen, 'zh', 'apology');
  const apologyFor = (message: string) => apology(message, zhAnswer);

  it.each([
    '同一件事我跟你们说了四遍了',
    '你们平时就是这样对待顾客的吗',
    '送货的不肯上楼，还叫我自己下去搬',
    '为什么我申请的退款还没到账',
    '我都等了足足三天了',
    '说好补寄的配件到现在都没寄',
    '怎么又把我的颜色发错了',
    '耳机戴了没几天就不响了，一碰就断', // 就断 after days of use
    '为啥每次下单都是这样',
    '这什么破系统，一直登不上',
    '屏幕有划痕你们也不管吗',
    '买的赠品怎么没有给',
  ])('"%s" fires apology when the reply has no apology', (complaint) => {
    expect(apologyFor(complaint)).toBe(true);
  });

  it.each([
    '那我可以让我自己去门店取吗',
    '每次买都很快，这次也辛苦了',
    '戴了两天感觉挺舒服的',
    '你们管不管上门安装',
    '为什么不能用这张券呢',
    '又想再买一件同款，还有货吗',
    '我又弄丢了登录密码，怎么找回',
    '每次下单都这样填地址吗',
  ])('"%s" is not a complaint', (message) => {
    expect(apologyFor(message)).toBe(false);
  });

  it('an A-not-A question does not negate what follows ("能不能负点责")', () => {
    expect(apologyFor('出了问题你们能不能负点责任')).toBe(true);
    // A real negator still does.
    expect(apologyFor('我不是想投诉，就是问问进度')).toBe(false);
  });
});

describe('chat-zh: apologies and empathy in more wordings', async () => {
  const screen = await screenerFor('pipelines/chat-zh.yaml');
  const apology = exchangeFires(screen, 'zh', 'apology');
  const flagged = (reply: string) => apology('都等了一个星期了还没到，太慢了', reply);

  it.each([
    '对此我们深感歉意，马上帮您催促',
    '这边郑重向您道歉，已经为您加急',
    '对不住了亲，马上帮您催一下',
    '这次确实是我们这边的问题，已经给您补发',
    '给您带来不好的购物体验了，这边马上处理',
    '亲先别着急，我这边马上帮您处理',
    '辛苦您耐心等待了，已经在帮您催了',
    '让您受委屈了，这边给您申请补偿',
  ])('"%s" answers the complaint', (reply) => {
    expect(flagged(reply)).toBe(false);
  });

  it.each(['这不是我们的问题，请您联系快递', '已经为您催促，会给您带来更好的体验'])(
    '"%s" is no apology',
    (reply) => {
      expect(flagged(reply)).toBe(true);
    },
  );
});

describe('chat-zh: closings that end the session in so many words', async () => {
  const screen = await screenerFor('pipelines/chat-zh.yaml');
  const closing = exchangeFires(screen, 'zh', 'closing');
  const closingMissing = (last: string) => closing('好的，知道了', last);
  it.each(['好的，期待您的再次光临哦', '那本次服务就先到这里了，感谢您'])('"%s" closes', (last) => {
    expect(closingMissing(last)).toBe(false);
  });
  it('a plain answer does not', () => {
    expect(closingMissing('好的，已经帮您备注了')).toBe(true);
  });
});

describe('social-en: more complaint families', async () => {
  const screen = await screenerFor('pipelines/social-en.yaml');
  const apology = exchangeFires(screen, 'en', 'apology');
  const apologyFor = (message: string) => apology(message, enAnswer);

  it.each([
    'why is the refund still pending after a month?',
    'the service has been out the whole weekend',
    'I need my replacement today, not next week',
    'we were told a technician would call and no one has ever called',
    'this is the fourth time today the stream has cut out',
    'I was promised a refund on Monday',
    'twelve years with you and this is how you treat loyal customers',
    'could somebody actually read my messages',
    'zero response to my ticket so far',
    'they cancelled my booking without any notice',
    'the replacement you sent is defective as well',
  ])('"%s" fires apology when the reply neither apologises nor empathises', (complaint) => {
    expect(apologyFor(complaint)).toBe(true);
  });

  it.each([
    'second time ordering from you and loving it',
    'the replacement is on its way, thanks for sorting it',
    'can you actually ship to Hawaii?',
    'why was I billed twice this month?', // a plain question about a problem (LABELLING.md)
    'I was told delivery takes three days, is that right?',
    'it installed without any problems this time',
    'I was told to contact you about upgrading, what are my options?',
  ])('"%s" is not a complaint', (message) => {
    expect(apologyFor(message)).toBe(false);
  });
});

describe('social-en: empathy in more wordings', async () => {
  const screen = await screenerFor('pipelines/social-en.yaml');
  const apology = exchangeFires(screen, 'en', 'apology');
  const flagged = (reply: string) => apology('still waiting on my refund, this is ridiculous', reply);

  it.each([
    'That sounds really frustrating. Can you DM us your order number?',
    'We can only imagine how annoying that is. Send us a DM and we will check.',
    'This is not the service you deserve. Please DM us the details.',
    'We know it has been a long wait. Please DM us your order number.',
  ])('"%s" answers the complaint', (reply) => {
    expect(flagged(reply)).toBe(false);
  });

  it('a reply that only asks for details does not', () => {
    expect(flagged('Please DM us your order number.')).toBe(true);
  });
});

describe('chat-zh: more forbidden wordings by the agent', async () => {
  const screen = await screenerFor('pipelines/chat-zh.yaml');
  const said = exchangeFires(screen, 'zh', 'forbidden-phrase');
  const forbidden = (reply: string) => said('请问这个订单怎么还没有物流信息', reply);
  it.each([
    '你自己不会看下单页面吗',
    '您怎么这么磨叽',
    '你到底退不退',
    '反正就这么回事了',
    '别的我们都管不了',
    '你就自己去官网查',
  ])('"%s" is forbidden', (reply) => {
    expect(forbidden(reply)).toBe(true);
  });
  it.each([
    '您可以自己去官网查看物流，我也帮您催一下',
    '别的我不太清楚，我帮您问一下专员',
    '反正也不远，我帮您联系快递送上门',
  ])('"%s" is not', (reply) => {
    expect(forbidden(reply)).toBe(false);
  });
});

describe('social-en: more forbidden wordings by the agent', async () => {
  const screen = await screenerFor('pipelines/social-en.yaml');
  const said = exchangeFires(screen, 'en', 'forbidden-phrase');
  const forbidden = (reply: string) => said('my order has not arrived', reply);
  it.each([
    'That is your own fault for picking the wrong address.',
    'Take it up with the courier, not us.',
    "It's just the way it is.",
    'We cannot do anything about that.',
    'Just google it.',
    'Deal with it.',
    'No idea.',
  ])('"%s" is forbidden', (reply) => {
    expect(forbidden(reply)).toBe(true);
  });
  it.each([
    "I'm not sure, let me check with the team and get back to you.",
    'Not sure what you mean, could you tell us a bit more?',
    "We can't change it here, but we can help by phone: please call us.",
    "That's the way it is in the app for now, but we'll pass your idea on.",
  ])('"%s" is not', (reply) => {
    expect(forbidden(reply)).toBe(false);
  });
});
