// The bundled lexicons on real-style wording (issue 8, second round of tuning). Every sentence here
// is written for this test, in the manner of real chats and social-care threads, not copied from
// the evaluation corpora. Each case screens a short conversation with the bundled pipeline and
// checks one rule only: whether it fires.
import { describe, expect, it } from 'vitest';
import { fires, screenerFor, type Turn } from '../helpers/wording.js';

describe('social-en: complaints in real wording need an apology or empathy', async () => {
  const screen = await screenerFor('pipelines/social-en.yaml');
  const answer = 'Hi there, please try signing out and back in. Let us know how it goes!';

  it.each([
    'how is it even legal to charge me twice for one month?',
    'so where am I supposed to go now, your page just loops',
    'the app is broken again after the update',
    'opened a ticket three weeks back and never got a reply',
    'still waiting on a response from your team, nothing yet',
    'my channel was taken down for no reason at all',
    'one more outage like this and I will stop being a customer',
    'nobody seems to know what is going on with my refund',
    'what a really dumb change to the search bar',
    'heeeelp my library is empty',
    'I expect a quick answer this time',
    'I want my money back, I never agreed to renew',
    'the site still says my payment failed',
    'you said it would be fixed by Friday and it is Monday',
    'the technician never showed up for the appointment',
    'I have emailed your team three times about this',
    'spent two hours on the phone and got nowhere',
    'is anyone even reading these messages',
    'so much for next-day delivery',
    'ugh, the login loop again smh',
    'I will be filing a chargeback with my bank',
  ])('"%s" fires apology when the reply neither apologises nor empathises', (complaint) => {
    expect(
      fires(
        screen(
          [
            ['customer', complaint],
            ['agent', answer],
          ],
          'en',
        ),
        'apology',
      ),
    ).toBe(true);
  });

  it.each([
    'please help, how do I change the email on my account?',
    'the bike disappeared from my garage after I logged out',
    'I did a dumb thing and deleted my save, can I get it back?',
    'why did you move the shuffle button? just curious',
    'I am still getting the same message, what should I try next?',
    'the tips you sent did nothing wrong, it works now, thanks',
    'beware of scammers sending fake texts in your name',
  ])('"%s" is a question or a plain report, not a complaint', (message) => {
    expect(
      fires(
        screen(
          [
            ['customer', message],
            ['agent', answer],
          ],
          'en',
        ),
        'apology',
      ),
    ).toBe(false);
  });

  it.each([
    'Oh no, that is not what we want! Please try signing out and back in.',
    'We hate to hear that. Please try signing out and back in.',
    "That's not the kind of experience we want for you. Please try signing out and back in.",
    'We totally get how annoying that is. Please try signing out and back in.',
  ])('empathy counts as the expected response: "%s"', (reply) => {
    const findings = screen(
      [
        ['customer', 'the app is broken again after the update'],
        ['agent', reply],
      ],
      'en',
    );
    expect(fires(findings, 'apology')).toBe(false);
  });
});

describe('social-en: openers and closings', async () => {
  const screen = await screenerFor('pipelines/social-en.yaml');
  const q: Turn = ['customer', 'my order has not shipped yet'];

  it.each([
    'Hi! Your order ships tomorrow. DM us if we can do anything else.',
    'Hi! Your order ships tomorrow. Call us at any time if you need help with it.',
    'Hi! Your order ships tomorrow. Shoot us a DM and we will be glad to track it with you.',
    "Hi! Your order ships tomorrow. We'll wait for your reply.",
    'Hi! Your order ships tomorrow. Keep u posted!',
    'Hi! Your order ships tomorrow. Happy shopping!',
  ])('"%s" closes the conversation', (reply) => {
    expect(fires(screen([q, ['agent', reply]], 'en'), 'closing')).toBe(false);
  });

  it('a redirect alone is not a closing', () => {
    const findings = screen([q, ['agent', 'Hi! Please open a ticket on our help site.']], 'en');
    expect(fires(findings, 'closing')).toBe(true);
  });

  it('"send us the details so we can help" is the purpose of a request, not an offer of help', () => {
    const findings = screen([q, ['agent', 'Send us your order number so we can help. Let us know!']], 'en');
    expect(fires(findings, 'greeting')).toBe(true);
  });

  it('"we can help with that" offers help', () => {
    const findings = screen([q, ['agent', 'We can help with that. Let us know the order number!']], 'en');
    expect(fires(findings, 'greeting')).toBe(false);
  });

  it('"you have reached the right place" welcomes the customer', () => {
    const findings = screen(
      [q, ['agent', "You've reached the right place. What is the order number?"]],
      'en',
    );
    expect(fires(findings, 'greeting')).toBe(false);
  });
});

describe('social-en: refusals that point to the right channel, company mailboxes', async () => {
  const screen = await screenerFor('pipelines/social-en.yaml');
  const q: Turn = ['customer', 'can you change my loan due date?'];

  it('"we cannot help with that here" with a way forward is not shirking', () => {
    const reply =
      'Hi, we are unable to assist with loan questions over social media. For customer service, please call the number on your statement. Take care!';
    expect(fires(screen([q, ['agent', reply]], 'en'), 'forbidden-phrase')).toBe(false);
  });

  it('a refusal that leaves the customer to read a page alone still is', () => {
    const reply =
      'Hi, we cannot change that for you, you will need to go through the steps in this article: https://help.example/a/123. Take care!';
    expect(fires(screen([q, ['agent', reply]], 'en'), 'forbidden-phrase')).toBe(true);
  });

  it.each([
    'As I already explained, the due date is fixed. Take care!',
    'We have already told you the due date is fixed. Take care!',
    'Please read our previous reply about the due date. Take care!',
  ])('"%s" is impatience', (reply) => {
    expect(fires(screen([q, ['agent', reply]], 'en'), 'forbidden-phrase')).toBe(true);
  });

  it('a bare refusal still is', () => {
    const reply = 'Hi, we cannot help with that. Take care!';
    expect(fires(screen([q, ['agent', reply]], 'en'), 'forbidden-phrase')).toBe(true);
  });

  it('an abuse@ or security@ address is the company’s, not customer data', () => {
    const reply = 'Hi! Please forward that text to abuse@bank.example or security@bank.example. Take care!';
    expect(fires(screen([q, ['agent', reply]], 'en'), 'pii')).toBe(false);
  });
});

describe('chat-zh: complaints in real wording', async () => {
  const screen = await screenerFor('pipelines/chat-zh.yaml');
  const answer = '您好，这边帮您看一下物流，请问还有其他可以帮您的吗';

  it.each([
    '我前天就申请退款了，到现在也没反应',
    '怎么还没退款，都过了好几天了',
    '我同事跟我一起买的早就收到了，我的还在路上',
    '就是我自己弄不了才来找你们的',
    '快递员电话一直不接',
    '同一个问题问了好几次了',
    '快递老是放驿站，从来不送上门',
    '那算了，我不买了',
    '之前说周三到，现在又说下周',
    '这个是急件，明天要用',
    '不是说买了一个月内都能申请价保的吗',
    '搞不明白你们这个规则',
    '约好今天上午，师傅到现在都没来',
    '你们客服之前答应我三天内退款，结果还没到',
    '这是我第三次联系你们了',
    '我都催了好几次了',
    '到底什么时候才能发货啊',
    '这还叫什么服务',
    '什么垃圾质量，用一天就坏',
    '包装太差了，里面都压坏了',
  ])('"%s" fires apology when the reply has no apology', (complaint) => {
    expect(
      fires(
        screen(
          [
            ['customer', complaint],
            ['agent', answer],
          ],
          'zh',
        ),
        'apology',
      ),
    ).toBe(true);
  });

  it.each([
    '您好，麻烦问下空调安装要收费吗',
    '要是不行的话就算了吧，谢谢',
    '请问这个什么时候发货',
    '能保证给我开公司发票吗，不需要另外付钱吧',
    // 垃圾 as what the shop sells or the phone cleans up, not a verdict.
    '我买的垃圾袋什么时候能发货',
    '这款垃圾桶有没有带盖子的',
    '手机自带的清理垃圾功能在哪里',
    // 不好 + a verb is "hard to …"; a condition asked before anything went wrong.
    '小区快递不好送的话，我可以自己去驿站拿',
    '这个外包装不好拆，有没有什么技巧',
    '要是做工差的话，七天内能退吗',
  ])('"%s" is not a complaint', (message) => {
    expect(
      fires(
        screen(
          [
            ['customer', message],
            ['agent', answer],
          ],
          'zh',
        ),
        'apology',
      ),
    ).toBe(false);
  });
});

describe('chat-zh: "not too sure" as the answer', async () => {
  const screen = await screenerFor('pipelines/chat-zh.yaml');
  const q: Turn = ['customer', '下个月还会降价吗'];

  it('a flat "we are not too sure either" is not-knowing', () => {
    const findings = screen([q, ['agent', '您好，这边也不是很清楚呢。请问还有其他可以帮您的吗']], 'zh');
    expect(findings.some((f) => f.ruleId === 'forbidden-phrase')).toBe(true);
  });

  it('with an offer to find out it is not', () => {
    const findings = screen(
      [q, ['agent', '您好，这边也不是很清楚，马上帮您问一下采销。请问还有其他可以帮您的吗']],
      'zh',
    );
    expect(findings.some((f) => f.ruleId === 'forbidden-phrase')).toBe(false);
  });
});

describe('chat-zh: shirking and impatience in more wordings', async () => {
  const screen = await screenerFor('pipelines/chat-zh.yaml');
  const q: Turn = ['customer', '快递三天没动了'];
  const close = '请问还有其他可以帮您的吗';

  it.each([
    '您好，那是物流那边的事情。',
    '您好，您自己去联系一下快递吧。',
    '您好，这种事我们不管的。',
    '您好，我有什么办法呢。',
    '您好，都跟您说了好几遍了。',
    '您好，不是跟您说过了吗。',
    '您好，您没看我上面发的吗。',
  ])('"%s" is a forbidden phrase', (reply) => {
    expect(fires(screen([q, ['agent', `${reply}${close}`]], 'zh'), 'forbidden-phrase')).toBe(true);
  });

  it.each([
    '您好，请问是这个物流的问题吗？',
    '您好，这是快递的问题，小妹马上帮您催一下。',
    '您好，如果着急的话，您也可以自己联系一下快递。',
    '您好，不是这个意思哦，我们会帮您跟进。',
  ])('"%s" is not', (reply) => {
    expect(fires(screen([q, ['agent', `${reply}${close}`]], 'zh'), 'forbidden-phrase')).toBe(false);
  });
});

describe('chat-zh: empathy counts as the expected response', async () => {
  const screen = await screenerFor('pipelines/chat-zh.yaml');
  it.each(['让您着急了，小妹马上帮您催一下', '您的心情我们非常理解，马上帮您催一下'])('"%s"', (reply) => {
    const findings = screen(
      [
        ['customer', '都等了三天了还没发货'],
        ['agent', reply],
      ],
      'zh',
    );
    expect(fires(findings, 'apology')).toBe(false);
  });
  it('without it the same complaint is flagged', () => {
    const findings = screen(
      [
        ['customer', '都等了三天了还没发货'],
        ['agent', '小妹马上帮您催一下'],
      ],
      'zh',
    );
    expect(fires(findings, 'apology')).toBe(true);
  });
});
