#!/usr/bin/env node
// Converts the IBM Twitter customer-care dev split (shared/data/ibm-twitter-care/dev.json) to the
// qa-screen transcript contract, one JSON object per line, for realism checks:
//   node scripts/convert-twitter-care.mjs ../shared/data/ibm-twitter-care/dev.json > out/twitter-care.jsonl
//   node bin/qa-screen.js screen -p pipelines/chat-en.yaml -i out/twitter-care.jsonl --agents > out/twitter-care.items.jsonl
import { readFileSync } from 'node:fs';

const [, , input = '../shared/data/ibm-twitter-care/dev.json'] = process.argv;
const dialogs = JSON.parse(readFileSync(input, 'utf8'));

function durationMs(hms) {
  const [h, m, s] = hms.split(':').map(Number);
  return ((h * 60 + m) * 60 + s) * 1000;
}

// A tweet id (snowflake) carries its posting time: milliseconds since the Twitter epoch, shifted by 22 bits.
function tweetTimeMs(id) {
  return /^\d+$/.test(id ?? '') ? Number((BigInt(id) >> 22n) + 1288834974657n) : undefined;
}

for (const d of dialogs) {
  const header = d.dialogHeader;
  const started = Date.parse(header.conversationDateTime);
  // The agent's final reply has no datetime; its tweet id dates it. The header's duration is wrong in
  // some dialogs (negative, or shorter than the thread), which put the final reply before earlier turns
  // and made the screener's time order move it (e.g. into the greeting window).
  const ended = tweetTimeMs(d.agentURL.tweet_ID) ?? started + durationMs(header.duration);
  const turns = d.dialogContent.map((c) => ({
    speaker: 'agent' in c ? 'agent' : 'customer',
    text: c.message,
    at: c.datetime,
    tweetId: c.tweet_ID,
  }));
  // The agent's final reply ended the conversation.
  turns.push({
    speaker: 'agent',
    text: d.agentURL.url_utterance,
    at: new Date(ended).toISOString(),
    tweetId: d.agentURL.tweet_ID,
  });
  process.stdout.write(
    `${JSON.stringify({
      conversationId: `twcs-${header.sessionID}`,
      channel: 'chat',
      language: 'en',
      tenant: header.company,
      agent: { id: header.company, team: header.company },
      startedAt: header.conversationDateTime,
      endedAt: new Date(ended).toISOString(),
      turns,
    })}\n`,
  );
}
