// The bundled greeting, closing, forbidden-phrase and pii wording (issue 8, third round: what did
// not generalise to unseen conversations). Every sentence is written for this test in the manner of
// real chats and social-care threads, not copied from the evaluation corpora. Each case screens a
// short conversation with the bundled pipeline and checks one rule only: whether it fires.
import { describe, expect, it } from 'vitest';
import { exchangeFires, fires, screenerFor } from '../helpers/wording.js';

describe('social-en: openers', async () => {
  const screen = await screenerFor('pipelines/social-en.yaml');
  const greets = (reply: string) =>
    !fires(
      screen(
        [
          ['customer', 'my game will not launch'],
          ['agent', reply],
        ],
        'en',
      ),
      'greeting',
    );

  it.each([
    "@pixel_fan42 Let's get this sorted. Which console are you playing on?",
    '@pixel_fan42 Let us help! Try clearing the cache first.',
    "@pixel_fan42 Send us the error text and we'll see what we can do.",
    '@pixel_fan42 We are here for you. Try the steps in this article.',
    '@pixel_fan42 We want to make sure you can play again: reinstall the launcher.',
    '@pixel_fan42 Thank you for your patience. The servers are back up now.',
    '@pixel_fan42 Hallo! Bitte starte das Spiel neu.',
    '@pixel_fan42 Thanks for flagging this, the team is on it.',
    // Round 4: how support accounts open in real wording.
    '@pixel_fan42 Thanks for the details. Reinstall the launcher from the store page.',
    '@pixel_fan42 Thanks for the screenshot, that error means the disk is full.',
    "@pixel_fan42 Help's here! Start by reinstalling the launcher.",
    "@pixel_fan42 We've got you. Reinstall the launcher and try again.",
    '@pixel_fan42 We can look into this for you if you open a ticket on our site.',
    "@pixel_fan42 We'd be happy to check on that. Which region are you in?",
    '@pixel_fan42 Can we help? Tell us which error code you see.',
    '@pixel_fan42 Olá! Tente reinstalar o aplicativo.',
  ])('greets: %s', (reply) => expect(greets(reply)).toBe(true));

  it.each([
    '@pixel_fan42 Sorry about that! Reinstall the launcher. Thanks for your patience!',
    '@pixel_fan42 Please let us know which console you play on.',
    '@pixel_fan42 Reinstall the launcher from the store page. Thanks for the details.',
    '@pixel_fan42 Please open a ticket on our site so we can look into that.',
    '@pixel_fan42 Send the crash log to our support page and we will look into it.',
    '@pixel_fan42 You may want to check your firewall settings first.',
    '@pixel_fan42 We got your message. The servers restart at noon.',
  ])('does not greet: %s', (reply) => expect(greets(reply)).toBe(false));
});

describe('social-en: closings', async () => {
  const screen = await screenerFor('pipelines/social-en.yaml');
  const closes = (reply: string) =>
    !fires(
      screen(
        [
          ['customer', 'my refund never came'],
          ['agent', reply],
        ],
        'en',
      ),
      'closing',
    );

  it.each([
    'Hi! Refunds take five days. If it still has not arrived by Monday, DM us your order number.',
    "Hi! Refunds take five days. If the credit doesn't show up after that, please contact us here.",
    'Hi! Refunds take five days. If you need anything else, chat with us any time.',
    'Hi! The refund is on its way, tell us if anything changes and we will see what we can do.',
    'Hi! Refunds take five days for security reasons. Thanks.',
    'Hallo! Die Erstattung dauert fünf Tage. Bei weiteren Fragen sind wir für dich da.',
    // Round 4: good wishes and open invitations in real wording.
    'Hi! Refunds take five days. Good luck with the new order!',
    'Hi! Refunds take five days. Hope this gets sorted quickly for you.',
    'Hi! Refunds take five days. Happy to help! ^TK',
    'Hi! Tell us more about what happened with the order. Let us know!',
    'Hi! Refunds take five days. Have an awesome weekend!',
    "Hi! Refunds take five days. We're only a tweet away.",
    'Hola, el reembolso tarda cinco días. ¡Saludos!',
    'Bonjour, le remboursement prend cinq jours. Bonne journée !',
  ])('closes: %s', (reply) => expect(closes(reply)).toBe(true));

  it.each([
    'Hi! Which email address did you order with? Let us know.',
    "Hi! We're happy to help you track it: what's the order number?",
    'Hi! You will have a new one by Friday.',
    "Hi! Refunds take five days. If you don't have the receipt, contact the store where you bought it.",
    'Hi! If you are outside the US, contact your local support team through the help page.',
    'Hi! Refunds take five days for security reasons.',
  ])('does not close: %s', (reply) => expect(closes(reply)).toBe(false));
});

describe('social-en: forbidden phrases and code asks', async () => {
  const screen = await screenerFor('pipelines/social-en.yaml');
  const said = (reply: string, rule: string) =>
    fires(
      screen(
        [
          ['customer', 'my card was charged twice'],
          ['agent', reply],
        ],
        'en',
      ),
      rule,
    );

  it.each([
    "Hi there. There's nothing more we can do about that charge.",
    "Hi there. That isn't something we can help with.",
    "Hi there. We don't know.",
    'Hi there. As mentioned above, the charge is correct.',
  ])('forbidden: %s', (reply) => expect(said(reply, 'forbidden-phrase')).toBe(true));

  it.each([
    "Hi there. We don't have an update on that yet, but we'll keep you posted.",
    "Hi there. That isn't something we can help with here, but please call us on the number in the app.",
    "Hi there, I don't know if you've tried removing the card and adding it again?",
  ])('not forbidden: %s', (reply) => expect(said(reply, 'forbidden-phrase')).toBe(false));

  it('asking for the one-time code the customer received is a privacy ask; warning about it is not', () => {
    expect(said('Hi there. Please DM us the code you just received so we can unlock it.', 'pii')).toBe(true);
    expect(said('Hi there. Enter the code we sent on the sign-in page.', 'pii')).toBe(false);
    expect(said('Hi there. We will never ask you to send us the code you received.', 'pii')).toBe(false);
  });
});

describe('chat-zh: openers and closings', async () => {
  const screen = await screenerFor('pipelines/chat-zh.yaml');

  it('在的 + a casual "what is it" answers "有人吗" and opens', () => {
    const f = screen(
      [
        ['customer', '有人吗'],
        ['agent', '在的呢 亲 怎么啦'],
        ['customer', '快递到哪了'],
      ],
      'zh',
    );
    expect(fires(f, 'greeting')).toBe(false);
    const plain = screen(
      [
        ['customer', '有人吗'],
        ['agent', '在的'],
        ['customer', '快递到哪了'],
      ],
      'zh',
    );
    expect(fires(plain, 'greeting')).toBe(true);
  });

  it('a question about when something can be done is not an offer of help', () => {
    const f = screen(
      [
        ['customer', '退款呢'],
        ['agent', '这边看下什么时候可以帮您安排退款'],
      ],
      'zh',
    );
    expect(fires(f, 'greeting')).toBe(true);
  });

  it.each(['请问还有能为您效劳的吗', '还有可以帮到您的地方吗?', '您还有需要小妹协助的呢'])(
    'an offer of further help without 什么/其他 closes: %s',
    (offer) => {
      const f = screen(
        [
          ['customer', '发票开了吗'],
          ['agent', '您好，已经开好了'],
          ['agent', offer],
        ],
        'zh',
      );
      expect(fires(f, 'closing')).toBe(false);
    },
  );

  it('a mention of what is left to do is not an offer', () => {
    const f = screen(
      [
        ['customer', '发票开了吗'],
        ['agent', '您好，还有两张要处理的发票明天开'],
      ],
      'zh',
    );
    expect(fires(f, 'closing')).toBe(true);
  });

  it('a stray punctuation turn after the closing does not hide it', () => {
    const f = screen(
      [
        ['customer', '好的谢谢'],
        ['agent', '不客气，还有其他可以帮您的吗?'],
        ['customer', '没了'],
        ['agent', '。'],
      ],
      'zh',
    );
    expect(fires(f, 'closing')).toBe(false);
  });
});

describe('chat-zh: forbidden phrases in chat wording', async () => {
  const screen = await screenerFor('pipelines/chat-zh.yaml');
  const said = (reply: string) =>
    fires(
      screen(
        [
          ['customer', '我的包裹怎么还没到'],
          ['agent', '您好'],
          ['agent', reply],
        ],
        'zh',
      ),
      'forbidden-phrase',
    );

  it.each([
    '这种情况不归我们这边负责的',
    '这个我们这边真的处理不了',
    '那您自己找快递去吧',
    '那就没办法了呢',
    '这个小妹就不太清楚了哦',
    '这个我也说不准',
    '我都已经跟您说过了',
    '上面已经回复过您了',
    '您到底想要怎么处理',
    '别催了，催也没用的',
    '我怎么知道呢',
    '您是看不懂吗',
    '这是您自己操作失误的问题',
    '规定就是这样的',
    '不存在这种情况的',
  ])('forbidden: %s', (reply) => expect(said(reply)).toBe(true));

  it.each([
    '这个不归我们这边负责，小妹帮您转给商家跟进哦',
    '这边没办法帮您改地址呢，您可以联系配送员协商一下',
    '这个不太清楚您说的是哪一单，麻烦提供下订单号',
    '刚才跟您说的那个订单已经出库了哦',
    '之前给您的优惠券还可以用哦',
    '已经给您申请好退款了呢',
    '具体送达时间不确定的呢，到了站点会有短信',
    '您不要着急哦，小妹马上帮您催一下',
    '不知道您还有什么需要呢',
    '这款傻瓜相机很好上手的呢',
    '是您自己去站点取还是送货上门呢',
    '系统就是这样显示的，稍后会自动更新',
  ])('not forbidden: %s', (reply) => expect(said(reply)).toBe(false));
});

describe('chat-zh: forbidden phrases, round 4 wordings (issue 8)', async () => {
  const screen = await screenerFor('pipelines/chat-zh.yaml');
  const exchange = exchangeFires(screen, 'zh', 'forbidden-phrase');
  const said = (reply: string) => exchange('退款怎么还没到账', reply);

  it.each([
    // shirking: sent elsewhere, not ours, not handled, cannot be changed
    '这种问题您只能去问厂家',
    '这个不是我们这边的责任哦',
    '这不属于我们的售后范围',
    '这个我们不管的哦',
    '这个真的帮不了你',
    '设置是系统定的，小妹也改不了',
    '这是您自己选错了规格',
    // not-knowing: a flat "we cannot know"
    '这个小妹也无从得知呢',
    '这个问题我回答不了',
    // impatience: said already, asked already, look it up yourself
    '我刚才讲过了',
    '都跟您说了不能取消',
    '这个问题您已经问过了',
    '我已经解释好几遍了',
    '您自己查物流',
    '这边没法操作的呢',
    '那你要怎么样',
    '您的问题太多了',
    '麻烦看仔细了再问',
    '这么简单的都不会吗',
  ])('forbidden: %s', (reply) => expect(said(reply)).toBe(true));

  it.each([
    '这种问题需要厂家检测，小妹帮您联系厂家哦',
    '不是我们的原因也没关系，小妹帮您催一下快递',
    '这个我们不管怎样都会给您处理好的',
    '小妹改不了地址，建议您联系配送员',
    '是您自己选的规格吗?',
    '这个暂时无从查询，小妹帮您登记，有结果短信通知您',
    '刚才讲的那个方案您看可以吗',
    '您可以自己查物流，路径是我的-订单-查看物流',
    '我说过会帮您跟进的，请放心',
    '这边没法直接操作，您可以在订单详情里申请',
    '那您想怎么样处理呢',
    '这个也不会影响使用的',
  ])('not forbidden: %s', (reply) => expect(said(reply)).toBe(false));
});

describe('chat-zh: privacy asks', async () => {
  const screen = await screenerFor('pipelines/chat-zh.yaml');
  const asks = (reply: string) =>
    fires(
      screen(
        [
          ['customer', '我要提现'],
          ['agent', '您好'],
          ['agent', reply],
        ],
        'zh',
      ),
      'pii',
    );

  it.each([
    '稍后会有短信，请您收到校验码之后和小妹核对一下',
    '动态码发到您手机了，念给我听一下',
    '麻烦告诉我一下您的登录密码',
    '方便说下您在哪里上班吗',
  ])('asks: %s', (reply) => expect(asks(reply)).toBe(true));

  it.each([
    '请在页面上输入验证码就可以了哦',
    '验证码请不要透露给任何人，包括客服',
    '您可以在设置里重置支付密码哦',
    '全球购订单需要清关，麻烦登记一下证件号码',
  ])('does not ask: %s', (reply) => expect(asks(reply)).toBe(false));
});
