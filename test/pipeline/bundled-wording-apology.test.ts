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

  // Verdict and feeling words that also name something else: the mailbox's Trash folder, the bins
  // outside, planning for the worst case, a packaging programme, a game.
  it.each([
    'my newsletters keep landing in the trash folder, how do I stop that?',
    'Can I get back an email I deleted from the Trash yesterday?',
    'is there a way to skip the recycle bin when I delete a file?',
    'the garbage truck app does not show my pick up day anymore, which version works?',
    "worst case I'll wipe the laptop, which backup option keeps my settings?",
    'in the worst-case scenario, can the order still be cancelled tomorrow?',
    'can I still choose frustration-free packaging for this order?',
    'my kids play Angry Birds, will their levels carry over to the new tablet?',
  ])('"%s" does not fire apology: the word names something, it is not a verdict', (neutral) => {
    expect(reply(neutral)).toEqual([]);
  });

  it.each([
    'the new editor is total trash',
    'your update turned my phone into garbage',
    'what a load of rubbish',
    'worst customer service I have ever had',
  ])('"%s" still fires apology: a verdict', (complaint) => {
    expect(reply(complaint)).toHaveLength(1);
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

describe('chat-zh: complaint families (issue 8, round 4)', async () => {
  // One or more sentences per family of complaint wording, each with neutral neighbours that share
  // its words and must stay quiet. Written for this test, not taken from any corpus.
  const screen = await apologyScreener('pipelines/chat-zh.yaml');
  const answer = '亲，这边帮您查询一下哦';
  const complains = (text: string) =>
    screen(
      [
        ['customer', text],
        ['agent', answer],
      ],
      'zh',
    ).length > 0;

  it.each([
    // delay and impatience
    ['delay', '为啥到现在还没发货啊'],
    ['delay', '咋还没到'],
    ['delay', '一拖再拖的，还要拖到什么时候'],
    ['delay', '你们这办事效率也太低了'],
    ['delay', '物流五天没更新了'],
    ['delay', '都付款一个多礼拜了'],
    ['delay', '已经超过承诺的时效了还没送'],
    ['delay', '迟迟不给退款'],
    // asking again, being ignored, passed around
    ['asking again', '已经催了三次了'],
    ['asking again', '每次联系客服都说在处理'],
    ['asking again', '反反复复地说同一件事'],
    ['asking again', '打了好几个电话都没用'],
    ['ignored', '发了消息半天没人回'],
    ['ignored', '你们就会互相踢皮球'],
    ['ignored', '这个运费能退吗 在吗 在吗'],
    // still broken
    ['still not', '换了新的还是不能用'],
    ['still not', '重启了好多次依然没反应'],
    // sarcasm and rhetorical questions
    ['sarcasm', '你们可真行'],
    ['sarcasm', '这就是京东的服务?'],
    ['sarcasm', '有没有搞错啊'],
    ['rhetorical', '你们到底是怎么做事的'],
    ['rhetorical', '这又是什么情况'],
    ['rhetorical', '为什么要我自己出运费'],
    ['rhetorical', '意思是让我再买一次?'],
    ['rhetorical', '能不能给个准话'],
    ['empty answer', '说了等于白说'],
    // threats and demands
    ['threat', '再不处理我就去市场监管局投诉'],
    ['threat', '我要打电话给消费者协会'],
    ['threat', '不给退我就去工商局'],
    ['sarcasm', '你们是在耍我吗'],
    ['threat', '叫你们主管来处理'],
    ['demand', '这事必须给我一个交代'],
    ['demand', '耽误的损失谁来承担'],
    ['leaving', '这是最后一次在你们这买东西'],
    // disappointment, feeling cheated, worse than before
    ['disappointment', '真让人寒心'],
    ['disappointment', '早知道这样就不买了，后悔'],
    ['cheated', '感觉被套路了'],
    ['cheated', '这价格根本不值'],
    ['worse', '你们的服务越来越敷衍了'],
    ['quality', '这做工也太差了吧'],
    ['quality', '才穿了一次就起球了'],
    ['misdescribed', '跟详情页写的根本不一样'],
    ['never before', '在你们家买了这么久，以前从没碰到过这样的问题'],
    ['never before', '之前买都没有这样的情况'],
    // blame, money
    ['blame', '明明是你们的失误'],
    ['blame', '仓库又把尺码发错了'],
    ['blame', '给我发的是别人用过的'],
    ['money', '莫名其妙多扣了我的钱'],
    ['money', '钱都付了还没发货'],
    // courier behaviour
    ['courier', '没经过我同意就放到驿站了'],
    ['courier', '包裹被人冒领了'],
    ['courier', '快递员擅自把包裹放门口了'],
    // giving up, emotion
    ['giving up', '算了算了，懒得跟你们说'],
    ['giving up', '真是受够了'],
    ['emotion', '心里很不爽'],
    ['emotion', '你们把我气炸了'],
    // no notice, sold without stock, the agent's attitude, broken appointments, effort wasted
    ['no notice', '连条短信都没有就把订单取消了'],
    ['no notice', '改了时间也不告诉我一声'],
    ['out of stock', '没货还让我付款'],
    ['attitude', '你这是什么态度'],
    ['attitude', '换个能解决问题的客服来'],
    ['empty answer', '问了等于没问'],
    ['appointment', '约好的今天上午，到中午都没来'],
    ['appointment', '安装师傅又放我鸽子'],
    ['effort', '退个货这么费劲'],
    ['effort', '为这点事折腾了一整天'],
    ['exasperation', '啥意思啊这是'],
    // dismay, broken word, deadlines demanded, "if this goes on"
    ['dismay', '不是吧，又改时间了'],
    ['dismay', '怎么会这样'],
    ['broken word', '说话不算数的吗'],
    ['broken word', '你们不是承诺过三天到吗'],
    ['demand', '今天必须给我处理好'],
    ['demand', '假一赔十，给我赔'],
    ['threat', '再这样的话我就去投诉'],
    ['delay', '又得等一个礼拜'],
  ])('%s: "%s" fires apology', (_family, text) => expect(complains(text)).toBe(true));

  it.each([
    '请问什么时候发货',
    '怎么回事?',
    '请问这是什么情况',
    '为什么不能用优惠券呢',
    '物流信息在哪里看',
    '超过七天不发货会怎么样',
    '我的白条已经逾期了，怎么还款',
    '已经超期了还能退吗',
    '需要申请两次是吧',
    '我能问几次问题',
    '那还是不退了，我留着用',
    '换货还是不换呢',
    '在吗在吗',
    '有人吗有人吗 我想问下发票',
    '需要我重新下单吗',
    '你们这个送货上门吗',
    '你们不送上门吗',
    '是不是我签收的',
    '这个是正品吗',
    '京东自营没有假货吧',
    '怎么申请赔偿',
    '运费险怎么理赔',
    '你们的领导是谁，我想表扬一下这位客服',
    '质量怎么样，好不好',
    '这个东西不好买，你们有货真好',
    '快递次日达吗',
    '如果你们发错了怎么办',
    '钱付了，没问题吧',
    '这是我第一次在京东买',
    '我不着急，慢慢来',
    '没有什么不满的，挺好',
    '可以互相推荐吗',
    '效率挺高的，谢谢',
    '你们这态度很好，给你点赞',
    '这么麻烦您，真不好意思',
    '这么难得的款式居然有货',
    '约好的时间是明天上午吗',
    '退款退到工商银行卡了吗',
    '你们真厉害我很满意',
    '这个游戏好玩我很喜欢',
    '蜗牛霜有货吗',
    '重启以后如果还是不行怎么办',
    '我没有私自拆开过包装',
    '应该不会吧，我再看看',
    '今天可以送到吗',
    '再这样操作一次就可以了吗',
  ])('"%s" does not fire apology: a question, a request or a plain report', (text) =>
    expect(complains(text)).toBe(false),
  );

  it.each(['是我们的疏忽，已经给您补发了', '确实是小妹这边的失误，马上为您处理'])(
    'counts "%s" as the answer (owning the mistake)',
    (reply) => {
      expect(
        screen(
          [
            ['customer', '仓库又把尺码发错了'],
            ['agent', reply],
          ],
          'zh',
        ),
      ).toEqual([]);
    },
  );
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
