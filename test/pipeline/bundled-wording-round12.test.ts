// The bundled English opener after round 12 (issue 8): acknowledging bad news ("that's not what we
// like to hear") is empathy, not a greeting; being glad to hear from the customer still welcomes them.
// Every sentence is written for this test, not copied from the evaluation corpora.
import { describe, expect, it } from 'vitest';
import { exchangeFires, screenerFor } from '../helpers/wording.js';

describe('social-en: hearing in the first reply', async () => {
  const screen = await screenerFor('pipelines/social-en.yaml');
  const greetingMissing = (reply: string) =>
    exchangeFires(screen, 'en', 'greeting')('My smart speaker keeps dropping the wifi.', reply);

  it.each([
    "That's not what we like to hear! Which model is it?",
    'Not what we want to hear at all. Which model is it?',
  ])('"%s" has no greeting', (reply) => {
    expect(greetingMissing(reply)).toBe(true);
  });

  it.each([
    'Always happy to hear from you! Which model is it?',
    "We'd like to hear from you about this: which model is it?",
    'Happy to help! Which model is it?',
  ])('"%s" opens with a greeting', (reply) => {
    expect(greetingMissing(reply)).toBe(false);
  });
});
