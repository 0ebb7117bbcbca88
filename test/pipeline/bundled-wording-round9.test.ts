// Round 9 (issue 8): the English apology rule also triggers on a learned model of the customer's turn
// (lexicons/en/complaint-model.yaml, trained by scripts/train-turn-model.mjs on eval/labels/twcs.turns.json).
// It finds complaints told without any word the lexicons list; the neighbours must stay quiet. Every
// sentence is written for this test, not copied from the evaluation corpora.
import { describe, expect, it } from 'vitest';
import { exchangeFires, screenerFor } from '../helpers/wording.js';

describe('social-en: complaints only the learned model finds', async () => {
  const screen = await screenerFor('pipelines/social-en.yaml');
  const complaint = (message: string) =>
    exchangeFires(screen, 'en', 'apology')(message, 'Please send us a DM with your order number.');
  const finding = (message: string) =>
    screen(
      [
        ['customer', message],
        ['agent', 'Please send us a DM with your order number.'],
      ],
      'en',
    ).find((f) => f.ruleId === 'apology');

  it.each([
    'So I pay every month for a service that works maybe half the time',
    'We are going to cancel if the customer service does not improve',
    'you guys are going to lose a customer over this',
  ])('"%s" is a complaint, and the finding says the model found it', (message) => {
    expect(complaint(message)).toBe(true);
    expect(finding(message)?.message).toMatch(
      /\(dissatisfaction: a learned model's (0\.9[5-9]|1\.00), from "/,
    );
  });

  it.each([
    'What number do I call to reach customer service on Sundays?',
    'Thanks, I am going to try that tonight',
    'Can I still use my old gift card for the new service?',
    'I would like to change the delivery address for my order please',
  ])('"%s" is not a complaint', (message) => {
    expect(complaint(message)).toBe(false);
  });
});
