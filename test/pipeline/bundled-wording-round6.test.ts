// The bundled lexicons on the families round 6 (issue 8) wrote after studying the dev4 and dev5
// splits: stretched cries, accusing questions, wasted effort, boycotts, "not in five days", being
// done with the brand; openers that appreciate or sign on in the brand's voice; closings that invite a
// reply; empathy that the customer's news is unwelcome; condescending references to earlier replies;
// Chinese rhetorical 总不能…吧 and waiting counted from a date. Each family has neighbours that must
// stay quiet. Every sentence is written for this test, not copied from the evaluation corpora.
import { describe, expect, it } from 'vitest';
import { exchangeFires, screenerFor } from '../helpers/wording.js';

const zhAnswer = '您好，这边帮您看一下，请问还有其他可以帮您的吗';
const enAnswer = 'Hi there, please try signing out and back in. Let us know how it goes!';

describe('social-en: complaint families of round 6', async () => {
  const screen = await screenerFor('pipelines/social-en.yaml');
  const apology = exchangeFires(screen, 'en', 'apology');
  const apologyFor = (message: string) => apology(message, enAnswer);

  it.each([
    'all my saved drafts are gone, whyyyy',
    'What did you do to my account overnight? Nothing loads',
    'this update made me waste hours of work',
    'We will boycott your stores until the fees are dropped',
    'what a shame, the old version was so much better',
    'the new layout is a real bummer',
    "I really don't like how the new menu hides my downloads",
    'about done with this service tbh',
    'Surely a company this size can do something about these scam calls',
    'Two weeks and my card is still blocked. Do something!',
    'I need this sorted today, not in five days',
    'bought a season pass and my money is just gone',
    'i cant open my inbox since the update??',
    'when do we get the new editor like everyone else??',
    'losing the dark mode is a really bummer',
    'I have yet to receive the refund you confirmed??',
  ])('"%s" fires apology when the reply has no apology', (complaint) => {
    expect(apologyFor(complaint)).toBe(true);
  });

  it.each([
    'why does the app need my location?',
    'what did you do to fix the outage last time? it worked for me',
    'how do I cut food waste with your meal planner?',
    "I don't like to bother you, but could you check my order?",
    'are you done with my repair yet?',
    'can I do something to speed up the delivery?',
    'the tracker says delivery in five days, is that right?',
    'i cant find the gift card option, where is it?',
    'is the new editor coming to everyone else too?',
    // "yet" as "but" is no sign of time passing: one cue (can't open) is not enough.
    "I can't open the app and yet the website works, which settings should I check?",
  ])('"%s" is not a complaint', (message) => {
    expect(apologyFor(message)).toBe(false);
  });

  it('a fault that recurs is a plain report alone, a complaint with another cue', () => {
    expect(apologyFor('my console keeps freezing when I open the store')).toBe(false);
    expect(apologyFor('the player crashes every time I skip an episode')).toBe(false);
    expect(apologyFor('my console keeps freezing and I already tried a factory reset')).toBe(true);
    // Being told the same thing over and over is still a complaint on its own.
    expect(apologyFor('the app keeps asking me to verify my email')).toBe(true);
  });

  it('data lost and trouble for a long time are cues: a complaint together, a report alone', () => {
    expect(apologyFor('lost all my photos in the update and this has gone on for a long time now')).toBe(
      true,
    );
    expect(apologyFor('I lost my photos after the update, how can I restore them?')).toBe(false);
    expect(apologyFor('it has worked fine for a long time, can I move it to a new phone?')).toBe(false);
  });

  it('reads contractions typed without the apostrophe as with it', () => {
    expect(apologyFor("i can't believe you charged me twice")).toBe(true);
    expect(apologyFor('i cant believe you charged me twice')).toBe(true);
    expect(apologyFor('why doesnt the refund show up yet')).toBe(true);
    expect(apologyFor('im so fed up with this app')).toBe(true);
  });

  it('an unwelcome-news acknowledgement answers a complaint', () => {
    const complaint = 'the app keeps logging me out, so annoying';
    expect(apology(complaint, "That's not what we like to hear! Which device are you on?")).toBe(false);
    expect(apology(complaint, 'Which device are you on?')).toBe(true);
  });
});

describe('social-en: openers and closings of round 6', async () => {
  const screen = await screenerFor('pipelines/social-en.yaml');
  const greeting = exchangeFires(screen, 'en', 'greeting');
  const closing = exchangeFires(screen, 'en', 'closing');
  const question = 'my watch history disappeared';
  const greetingMissing = (reply: string) => greeting(question, `@user1 ${reply}`);
  const closingMissing = (reply: string) => closing(question, `@user1 ${reply}`);

  it.each([
    'Appreciate the screenshots, this looks like a display setting.',
    'We appreciate your feedback on this and have passed it on.',
    'Streamly here! Which show were you watching?',
    "Please write to us with your ticket number and let's see what we can do.",
  ])('"%s" opens the reply', (reply) => {
    expect(greetingMissing(reply)).toBe(false);
  });

  it.each([
    'Click here to reset your password: example.com/reset',
    'Right here is the guide: example.com/guide',
    'Here is the guide that covers it: example.com/guide',
  ])('"%s" is no greeting', (reply) => {
    expect(greetingMissing(reply)).toBe(true);
  });

  it.each([
    'Hi! The guide is at example.com/guide. Tweet back @ us if needed.',
    'Hi! The guide is at example.com/guide. Send us a DM anytime you need a hand.',
    'Hi! All of our routes are on the website. We wish you all the best with the move!',
    'Hi! This message was not from us, it is a phishing attempt. Does that clear it up for you?',
    "Hi! You can switch back in settings. If we got this wrong, we're right here.",
  ])('"%s" closes the reply', (reply) => {
    expect(closingMissing(reply)).toBe(false);
  });

  it.each([
    'Hi! Please send us a DM with your order number.',
    'Hi! Does the error appear on the app or the website?',
  ])('"%s" is no closing', (reply) => {
    expect(closingMissing(reply)).toBe(true);
  });
});

describe('social-en: referring the customer back to earlier replies', async () => {
  const screen = await screenerFor('pipelines/social-en.yaml');
  const said = exchangeFires(screen, 'en', 'forbidden-phrase');
  const forbidden = (reply: string) => said('when will my channel be reviewed?', reply);

  it.each([
    'As we shared in our last reply, we cannot change the date.',
    'The link is below, according to the details previously given to you.',
    'As I explained in my previous tweet, it is held for review.',
  ])('"%s" is forbidden', (reply) => {
    expect(forbidden(reply)).toBe(true);
  });

  it.each([
    'As we shared in the announcement, the servers return tonight.',
    'Thanks for the details you provided, we checked them and the review is done.',
  ])('"%s" is not forbidden', (reply) => {
    expect(forbidden(reply)).toBe(false);
  });
});

describe('chat-zh: complaint families of round 6', async () => {
  const screen = await screenerFor('pipelines/chat-zh.yaml');
  const apology = exchangeFires(screen, 'zh', 'apology');
  const apologyFor = (message: string) => apology(message, zhAnswer);

  it.each([
    '总不能让我自己再花钱去修吧',
    '从上周一提交到现在都周五了还没有审核',
    '一直都是待发货状态，都五天了',
  ])('"%s" fires apology when the reply has no apology', (complaint) => {
    expect(apologyFor(complaint)).toBe(true);
  });

  it.each([
    '总共要付多少钱',
    '到现在为止我还没有付款，可以改地址吗',
    '一直都是在京东买的，很放心',
    '家里白天总不在人，能放快递柜吗',
  ])('"%s" is not a complaint', (message) => {
    expect(apologyFor(message)).toBe(false);
  });
});
