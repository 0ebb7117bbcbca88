// The apology rule on complaints in real-style wording (issue 8, round 3): weak cues that count only
// together (a plea, effort already spent, "??", capitals), a frowning emoji on its own, waiting with
// no end, and the neutral questions, plain problem reports and requests that must stay quiet. Every
// sentence is written for this test, not copied from the evaluation corpora.
import { describe, expect, it } from 'vitest';
import { screenerFor, type Turn } from '../helpers/wording.js';

/** The findings of the apology rule only. */
async function apologyScreener(file: string, edit?: (yaml: string) => string) {
  const screen = await screenerFor(file, edit);
  return (turns: Turn[], language: 'zh' | 'en') =>
    screen(turns, language).filter((f) => f.ruleId === 'apology');
}

describe('social-en: frustration told in plain words', async () => {
  const screen = await apologyScreener('pipelines/social-en.yaml');
  const answer = 'Hi there, please try the steps on our help page and let us know.';

  it.each([
    'I have tried every option on the recovery page with no luck :(',
    'cannot sign in on my tablet 😩',
    'Been trying since Monday, PLEASE someone respond to me',
    "I've already reinstalled it twice and it won't open, still nothing??",
    'WHY DOES MY PLAYLIST KEEP VANISHING',
    'my sister got her code the same day and I have yet to see mine',
    'paid for the yearly plan and it is all gone after the update!!',
    'any reply at all would be nice!! I need my files back',
    'this login error is a constant headache',
    'nothing I do works, tried all the fixes on your forum',
  ])('"%s" fires apology when the reply neither apologises nor empathises', (complaint) => {
    const findings = screen(
      [
        ['customer', complaint],
        ['agent', answer],
      ],
      'en',
    );
    expect(findings).toHaveLength(1);
  });

  it.each([
    'How do I move my photos to a new phone? Please help',
    'Can you help me change the email on my account??',
    'The app does not load on my old laptop, which version should I install?',
    'Is the outage on your side still going on?',
    'Any update on the new dark mode feature?',
    'Love the new update!! Great job',
    'I lost my phone, how can I get into my account from a new one?',
    'It says try again later when I upload, what does that mean?',
    'Do I still need to verify my number if I use an app?',
    'Thanks so much, it works now 🙂',
  ])('"%s" does not fire apology: a question, a request or a plain report', (neutral) => {
    const findings = screen(
      [
        ['customer', neutral],
        ['agent', answer],
      ],
      'en',
    );
    expect(findings).toEqual([]);
  });

  it('names every cue it counted, and the emoji alone', () => {
    const [two] = screen([['customer', "I've tried everything on the help page, PLEASE"]], 'en');
    expect(two!.message).toBe(
      'Customer showed dissatisfaction by 2 cues together: "I\'ve tried" (dissatisfaction-cue), "PLEASE" (words in capitals) and the agent never replied.',
    );
    expect(two!.text).toBe("I've tried");
    const [emoji] = screen(
      [
        ['customer', 'my saved games are not showing 😞'],
        ['agent', answer],
      ],
      'en',
    );
    expect(emoji!.message).toContain('😞');
    expect(emoji!.message).toContain('enough on its own');
    expect(emoji!.text).toBe('😞');
  });

  it.each([
    'We understand how frustrating this is, let us look into it together.',
    "We get where you're coming from. Here is what we can do.",
    'That was an honest oversight on our part, and a fix is on the way.',
  ])('counts "%s" as the answer (empathy, owning the mistake)', (reply) => {
    expect(
      screen(
        [
          ['customer', "I've tried everything and still can't get in??"],
          ['agent', reply],
        ],
        'en',
      ),
    ).toEqual([]);
  });
});

describe('social-en: how customers complain on Twitter (round 4)', async () => {
  const screen = await apologyScreener('pipelines/social-en.yaml');
  const answer = 'Hi there, please try the steps on our help page and let us know.';
  const reply = (customer: string, agent = answer) =>
    screen(
      [
        ['customer', customer],
        ['agent', agent],
      ],
      'en',
    );

  it.each([
    'thanks for not telling anyone the store would be closed',
    'Gotta love paying for a service that never loads',
    'Are you kidding me, the update wiped my library',
    'Three weeks for a refund is unbelievable',
    'Not impressed with the support so far, zero communication',
    'Honestly a waste of my money this subscription',
    '#StreamboxSucks the app crashed in the middle of the final',
    "I can't stand this new layout",
    "I'm thinking of switching to another provider after this",
    'will never recommend your airline to anyone',
    'why is the refund taking so long',
    "I've been passed around between three departments today",
    'you guys keep moving the settings menu',
    'get your act together, the site has been down all morning',
    'Is it really that hard to send a tracking number',
    'Awaiting a response for my case, it has been a week now',
    'the delivery service here is an absolute shambles',
    'how do you expect people to work with an app that logs them out every hour',
    'Being ignored by your support team is not what I pay for',
    'I want to speak to a manager about this bill',
    'loyal customer since 2012 and this is what I get?!',
    'Been trying to reach someone for hours, come on',
    'all I wanted was to watch the final but nooo',
    'Why did you remove the shuffle button???',
  ])('"%s" fires apology when the reply neither apologises nor empathises', (complaint) => {
    expect(reply(complaint)).toHaveLength(1);
  });

  it.each([
    'This may be a stupid question but how do I export a playlist?',
    'I did a dumb thing and deleted my folder, can I restore it?',
    'How do I switch to the annual plan?',
    'Can I change my email before the order ships?',
    'Would you recommend the basic or the premium plan for a family?',
    'I need to cancel my order, I bought the wrong size',
    'Do you keep a copy of deleted messages?',
    'Loving the new layout, nice work',
    'Where can I see what happened to my order status? Thanks',
    'How do I escalate a feature request to your product team?',
    'I was trying to reach the billing page, which link is it?',
    'omg it works now, thank you!',
  ])('"%s" does not fire apology: a question, modesty, a plain request or praise', (neutral) => {
    expect(reply(neutral)).toEqual([]);
  });

  it.each([
    "We're sad to hear this, let's take a look together.",
    "That's not ideal at all. Could you send us the order number?",
    'We want to make this right for you: DM us the booking reference.',
    "We'd be frustrated too. Here is what we can do.",
    "That's really frustrating, let's get it sorted.",
    'You have every right to be upset. DM us the order number.',
    "That's on us, and the fix is rolling out tonight.",
    'We dropped the ball here. DM us the order number.',
    'Pardon the delay! Try the steps on our help page.',
  ])('counts "%s" as the answer to a complaint', (agent) => {
    expect(reply('the app crashed AGAIN, this is ridiculous', agent)).toEqual([]);
  });

  it.each([
    'To make sure we understand, which device are you on?',
    "We understand you'd like a refund: please fill in the form.",
    "That's great, please try the steps on our help page.",
    'We can see how that would be useful! Post the idea on our forum.',
    'That is not our fault, the courier handles deliveries.',
  ])('does not count "%s" as an apology or empathy', (agent) => {
    expect(reply('the app crashed AGAIN, this is ridiculous', agent)).toHaveLength(1);
  });
});

describe('chat-zh: impatience and broken expectations in chat wording', async () => {
  const screen = await apologyScreener('pipelines/chat-zh.yaml');
  const answer = '亲，这边帮您查询一下哦';

  it.each([
    '能不能快点啊，等着用呢',
    '我还要等多长时间?',
    '早知道就去门店买了',
    '都问了客服了还是没有结果',
    '说好的今天送，还没有消息吗',
    '以后再也不在你们家买了',
    '说明书上的办法全都试过了还是不行',
    '真烦人，刚修好的又坏了',
  ])('"%s" fires apology when the reply has no apology', (complaint) => {
    const findings = screen(
      [
        ['customer', complaint],
        ['agent', answer],
      ],
      'zh',
    );
    expect(findings).toHaveLength(1);
  });

  it.each([
    '在吗',
    '这个怎么办理退货呢?',
    '能帮我改一下收货地址吗??',
    '还没收到货，想问下大概什么时候到',
    '请问可以尽快发货吗',
    '我已经付款了，发票怎么开',
    '你们家的东西很好用，谢谢 😊',
    '不是没收到，只是想问问物流',
    '麻烦您帮我看看这个订单',
    '我想再买一个同款的',
    '订单显示已签收，但是我没收到',
  ])('"%s" does not fire apology: a question, a request or a plain report', (neutral) => {
    const findings = screen(
      [
        ['customer', neutral],
        ['agent', answer],
      ],
      'zh',
    );
    expect(findings).toEqual([]);
  });

  it.each(['亲，您先消消气，小妹马上帮您催', '有做得不够好的地方还请您多多包涵，马上帮您催'])(
    'counts "%s" as the answer (soothing, asking forgiveness)',
    (reply) => {
      expect(
        screen(
          [
            ['customer', '我还要等多长时间?'],
            ['agent', reply],
          ],
          'zh',
        ),
      ).toEqual([]);
    },
  );

  it('a refusal that asks for understanding (请您理解) is no apology', () => {
    expect(
      screen(
        [
          ['customer', '我还要等多长时间?'],
          ['agent', '这个不在价保范围内，请您理解'],
        ],
        'zh',
      ),
    ).toHaveLength(1);
  });
});

describe('chat-zh with weak cues switched on (the bundled pipeline leaves them off)', async () => {
  // Measured on unseen JDDC chats the Chinese cue lexicon added false complaints and found none more,
  // so chat-zh does not use it; a QA manager can switch it on with one line, as here.
  const cues =
    '      cues: { match: { lexicon: customer-zh, categories: [dissatisfaction-cue] }, signs: [negative-emoji, repeated-marks], strong: [negative-emoji] }\n';
  const withCues = (yaml: string) =>
    yaml.replace(/( {6}match: \{ lexicon: customer-zh, categories: \[dissatisfaction\] \}\n)/, `$1${cues}`);
  const screen = await apologyScreener('pipelines/chat-zh.yaml', withCues);
  const bundled = await apologyScreener('pipelines/chat-zh.yaml');
  const answer = '亲，这边帮您查询一下哦';

  it.each([
    '少收到一个配件 ??',
    '钱都付了，居然还要重新下单',
    '在吗在吗 我的快递呢',
    '这个退款还没到账 😤',
    '我买的杯子没收到。。',
  ])('"%s" fires apology with cues on, not with the bundled pipeline', (complaint) => {
    const turns: Turn[] = [
      ['customer', complaint],
      ['agent', answer],
    ];
    expect(screen(turns, 'zh')).toHaveLength(1);
    expect(bundled(turns, 'zh')).toEqual([]);
  });
});
