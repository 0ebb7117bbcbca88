#!/usr/bin/env node
// The README's screenshots of the reviewer web app, from the bundled samples:
//   npm run build && node scripts/screenshots.mjs [outDir]   (default docs/screenshots)
// Screens samples/chat-zh.jsonl and samples/chat-en.jsonl with their pipelines, stores the items in
// an in-memory PGlite review database, reviews them through the service (one rule's hits rejected
// so it shows as noisy; review dates spread over the last days so the precision chart has a line),
// then drives Debian's headless Chromium through the pages: the item page with English and Chinese
// data (UI in the same language), and the rule-quality page in both languages. Chinese text needs a
// CJK font on the machine (Debian: apt-get install -y fonts-wqy-microhei), else it renders as boxes.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { loadPipeline } from '../dist/src/config/load.js';
import { hasTurns, parseTranscript } from '../dist/src/pipeline/parse.js';
import { createScreener } from '../dist/src/pipeline/screen.js';
import { createReviewApp } from '../dist/src/review/app.js';
import { createUser } from '../dist/src/review/auth.js';
import { openDb } from '../dist/src/review/db.js';
import { ingestItem } from '../dist/src/review/ingest.js';
import { reviewSettings } from '../dist/src/review/settings.js';
import { launchChromium } from './chromium.mjs';

const outDir = process.argv[2] ?? 'docs/screenshots';
const PASSWORD = 'screenshot-password-1';
/** The rule whose hits the scripted reviewers reject: it ends up noisy on the rule-quality page. */
const NOISY_RULE = 'first-response';

async function screenFile(pipelineFile, samples) {
  const screener = createScreener(await loadPipeline(pipelineFile), {
    now: () => new Date(),
  });
  const items = [];
  for (const line of readFileSync(samples, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const parsed = parseTranscript(line, 1024 * 1024);
    if (parsed.ok && hasTurns(parsed.transcript)) items.push(screener.screen(parsed.transcript));
  }
  return items;
}

const settings = reviewSettings({
  REVIEW_PIPELINES: 'pipelines',
  REVIEW_NOISY_MIN_REVIEWED: '3',
  REVIEW_NOISY_WINDOW: '50',
});
const db = await openDb({});
const app = await createReviewApp(settings, pino({ level: 'silent' }), db);
const zh = await screenFile('pipelines/chat-zh.yaml', 'samples/chat-zh.jsonl');
const en = await screenFile('pipelines/chat-en.yaml', 'samples/chat-en.jsonl');
// Four copies of each sample (new conversation ids) so the rule table has something to count; the
// -0 copies are stored after the scripted reviews, so they wait in the queue for the item page.
const copy = (item, n) => ({ ...structuredClone(item), conversationId: `${item.conversationId}-${n}` });
const reviewed = [...zh, ...en].flatMap((item) => [1, 2, 3].map((n) => copy(item, n)));
const queued = [...zh, ...en].map((item) => copy(item, 0));
const store = (items) =>
  db.transaction(async (tx) => {
    for (const item of items) await ingestItem(tx, item, { catalog: app.catalog, calibrationReviewers: 2 });
  });
await store(reviewed);
for (const [username, role] of [
  ['ana', 'reviewer'],
  ['bo', 'reviewer'],
  ['sam', 'supervisor'],
]) {
  await createUser(db, { username, password: PASSWORD, role }, null);
}
const actor = async (username) => (await app.auth.login(username, PASSWORD, `script-${username}`)).actor;

// Reviews through the service.
const bo = await actor('bo');
for (;;) {
  const claim = await app.service.claim(bo, {});
  if (!claim) break;
  const item = await app.service.getItem(bo, claim.itemId);
  for (const f of item.findings.filter((x) => x.origin === 'machine')) {
    const reject = f.ruleId === NOISY_RULE || (f.ruleId === 'closing' && claim.itemId % 2 === 0);
    await app.service.setVerdict(
      bo,
      claim.reviewId,
      f.id,
      reject ? { verdict: 'rejected', reason: 'false_positive' } : { verdict: 'confirmed' },
    );
  }
  await app.service.submit(bo, claim.reviewId);
}
// Spread the review dates over the last five days: one point a day on the precision chart.
await db.query(
  `UPDATE items SET reviewed_at = now() - make_interval(days => (id % 5)) WHERE reviewed_at IS NOT NULL`,
);

await store(queued);

const address = await app.server.listen({ host: '127.0.0.1', port: 0 });
const browser = await launchChromium({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 });
const page = browser.pages()[0] ?? (await browser.newPage());
mkdirSync(outDir, { recursive: true });

async function signIn(username, lang) {
  await browser.clearCookies();
  await page.goto('about:blank');
  await page.goto(`${address}/`);
  await page.evaluate((l) => localStorage.setItem('qa-lang', l), lang);
  await page.reload();
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.locator('form button[type=submit]').click();
  await page.locator('header.top').waitFor();
}

for (const [lang, prefix] of [
  ['en', 'chat-en-'],
  ['zh', 'chat-zh-'],
]) {
  await signIn('ana', lang);
  // The queued copy of the sample with the most findings in this language.
  const pick = queued
    .filter((i) => i.conversationId.startsWith(prefix) && i.conversation)
    .sort((a, b) => b.findings.length - a.findings.length)[0];
  await page.locator('input[name=agent]').fill(pick.agentId);
  await page.locator('form.filters button[type=submit]').click();
  await page.locator('form.filters button.primary').click();
  await page.locator('li.finding').first().waitFor();
  await page.locator('body').press('c');
  await page.locator('li.finding.confirmed').first().waitFor();
  await page.screenshot({ path: join(outDir, `item-${lang}.png`) });
  console.log(`wrote ${join(outDir, `item-${lang}.png`)} (${pick.conversationId})`);

  await signIn('sam', lang);
  await page.goto(`${address}/#/rules`);
  await page.locator('figure.chart svg').first().waitFor();
  await page.locator('tr.noisy').first().waitFor();
  await page.screenshot({ path: join(outDir, `rules-${lang}.png`), fullPage: true });
  console.log(`wrote ${join(outDir, `rules-${lang}.png`)}`);
}

await browser.close();
await app.close();
