#!/usr/bin/env node
// Converts JDDC 2019 chat logs (tab-separated: session_id, user_id, waiter_send, is_transfer, is_repeat,
// sku, content; the format of data/chat_0.1per.txt in EndlessLethe/jddc2019-3th-retrieve-model) to the
// qa-screen transcript contract, one JSON object per line, as shared/data/jddc-dev/chat-zh.jsonl was made:
//   node scripts/convert-jddc.mjs chat_0.1per.txt > /tmp/jddc.jsonl
//   node bin/qa-screen.js eval -p pipelines/chat-zh.yaml -i /tmp/jddc.jsonl -l eval/labels/jddc-sample.fresh-b.json
// The corpus has no timestamps: conversations start 15 minutes apart and turns are placed 20 s apart, so
// timing rules say nothing about it. Consecutive messages of one speaker become one turn.
import { readFileSync } from 'node:fs';

const [, , input] = process.argv;
if (!input) {
  process.stderr.write('usage: node scripts/convert-jddc.mjs CHAT.tsv > OUT.jsonl\n');
  process.exit(2);
}

const sessions = new Map();
for (const line of readFileSync(input, 'utf8').split('\n')) {
  const columns = line.replace(/\r$/, '').split('\t');
  if (columns.length < 7) continue;
  const [id, user, waiterSend] = columns;
  const text = columns.slice(6).join(' ').trim();
  if (text === '' || text === 'nan') continue;
  if (!sessions.has(id)) sessions.set(id, { user, turns: [] });
  const session = sessions.get(id);
  const speaker = waiterSend === '1' ? 'agent' : 'customer';
  const last = session.turns.at(-1);
  if (last?.speaker === speaker) last.text += ` ${text}`;
  else session.turns.push({ speaker, text });
}

const DAY_START = Date.parse('2019-03-06T14:00:00+08:00');
const CHINA = 8 * 3600_000;
// ISO 8601 in China time, as the JDDC transcripts of shared/data carry it.
const chinaTime = (ms) => `${new Date(ms + CHINA).toISOString().slice(0, 19)}+08:00`;

let index = 0;
for (const [id, session] of sessions) {
  const started = DAY_START + index++ * 15 * 60_000;
  const turns = session.turns.map((turn, i) => ({ ...turn, at: chinaTime(started + i * 20_000) }));
  process.stdout.write(
    `${JSON.stringify({
      conversationId: `jddc-${id}`,
      channel: 'chat',
      language: 'zh',
      tenant: 'jd',
      agent: { id: 'jd-agent' },
      customer: { id: session.user },
      startedAt: chinaTime(started),
      endedAt: chinaTime(started + Math.max(0, turns.length - 1) * 20_000),
      turns,
    })}\n`,
  );
}
