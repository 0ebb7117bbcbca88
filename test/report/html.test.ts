// biome-ignore-all lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text: what a reader sees.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScreenedItem } from '../../src/domain/index.js';
import { escapeHtml, renderHtml } from '../../src/report/html.js';
import { batchSummary } from '../../src/scoring/summary.js';
import { launchChromium } from '../helpers/chromium.js';

const HOSTILE_AGENT = '<img src=x onerror="window.pwned=1">';
const HOSTILE_TEAM = '"><script>window.pwned=2</script>';

function item(i: number): ScreenedItem {
  const agents = ['a-1', 'a-2', HOSTILE_AGENT];
  const score = [95, 72, 88, 100, 45][i % 5]!;
  return {
    conversationId: `c-${i}`,
    channel: 'chat',
    language: 'zh',
    agentId: agents[i % 3]!,
    agentTeam: i % 3 === 2 ? HOSTILE_TEAM : 'online-1',
    score,
    passed: score >= 80,
    fatal: score < 50,
    findings:
      score < 100
        ? [
            {
              ruleId: i % 2 ? 'greeting' : 'forbidden-phrase',
              type: 'phrase',
              category: 'c',
              severity: 'minor',
              points: 2,
              message: 'm',
            },
          ]
        : [],
    bonuses: [],
    deducted: 100 - score,
    priority: 0,
    queue: score < 50 ? 'fatal' : score < 80 ? 'low-score' : score < 100 ? 'review' : 'clean',
    sampled: false,
    scheme: 's',
    itemVersion: 2,
    pipeline: { id: 'p', version: '1' },
    stats: { turns: 4, opportunities: 7, nonFatalErrors: score < 100 ? 1 : 0 },
    screenedAt: '2026-11-23T00:00:00.000Z',
  };
}

let context: BrowserContext;
let requests: string[];
let file: string;
let zhFile: string;
const N = 50;

beforeAll(async () => {
  const summary = batchSummary();
  for (let i = 0; i < N; i++) summary.add(item(i));
  const dir = mkdtempSync(join(tmpdir(), 'qa-report-'));
  file = join(dir, 'report.html');
  zhFile = join(dir, 'report-zh.html');
  const meta = { sources: ['items.jsonl'], generatedAt: '2026-11-23T08:00:00Z', skipped: 2 };
  writeFileSync(file, renderHtml(summary.result(), meta));
  writeFileSync(zhFile, renderHtml(summary.result(), meta, 'zh'));
  context = await launchChromium();
  requests = [];
  context.on('request', (r) => requests.push(r.url()));
}, 60_000);

afterAll(async () => {
  await context?.close();
});

describe('the HTML report, rendered in headless Chromium', () => {
  it('shows the totals, a score chart with one column per band, and bars per queue and rule', async () => {
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    expect(await page.title()).toBe('QA screening report');
    expect(await page.locator('header').innerText()).toContain('50 item(s) from items.jsonl');
    expect(await page.locator('header').innerText()).toContain('2 line(s) skipped');
    expect(await page.locator('#total-items .n').innerText()).toBe('50');
    expect(await page.locator('#total-fatal .n').innerText()).toBe('10');
    expect(await page.locator('#total-mean .n').innerText()).toBe('80');

    // Ten columns; the tallest is the 90–100 band (scores 95 and 100: 20 items).
    const bands = await page.locator('#score-chart g.band').evaluateAll((gs) =>
      gs.map((g) => ({
        band: g.getAttribute('data-band'),
        value: Number(g.getAttribute('data-value')),
        height: (g.querySelector('rect') as unknown as { getBBox(): { height: number } }).getBBox().height,
      })),
    );
    expect(bands).toHaveLength(10);
    expect(bands.reduce((sum, b) => sum + b.value, 0)).toBe(N);
    const tallest = bands.reduce((a, b) => (b.height > a.height ? b : a));
    expect(tallest).toMatchObject({ band: '90–100', value: 20 });
    expect(bands.find((b) => b.band === '0–9')!.height).toBe(0);

    const queues = await page
      .locator('#queue-chart g.bar')
      .evaluateAll((gs) =>
        gs.map((g) => [g.getAttribute('data-label'), Number(g.getAttribute('data-value'))]),
      );
    expect(queues).toEqual([
      ['review', 20],
      ['clean', 10],
      ['fatal', 10],
      ['low-score', 10],
    ]);
    // Every chart is laid out and visible.
    for (const chart of await page.locator('svg.chart').all()) {
      const box = await chart.boundingBox();
      expect(box!.width).toBeGreaterThan(100);
      expect(box!.height).toBeGreaterThan(20);
    }
    await page.close();
  });

  it('lists teams and agents, lowest mean score first, with seed 004 accuracy', async () => {
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    const agents = await page
      .locator('#agent-table tbody tr')
      .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    expect(agents).toHaveLength(3);
    expect(agents.map((a) => a[0])).toContain(HOSTILE_AGENT);
    const means = agents.map((a) => Number(a[3]));
    expect([...means].sort((a, b) => a - b)).toEqual(means);
    expect(await page.locator('#team-table tbody tr').count()).toBe(2);
    await page.close();
  });

  it('reads in Chinese for a Chinese QA manager, with the same figures', async () => {
    const page = await context.newPage();
    await page.goto(pathToFileURL(zhFile).href);
    expect(await page.title()).toBe('质检报告');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    const header = await page.locator('header').innerText();
    expect(header).toContain('共 50 条会话，来源 items.jsonl');
    expect(header).toContain('跳过 2 行');
    expect(await page.locator('#total-fatal .l').innerText()).toBe('致命差错（20%）');
    expect(await page.locator('#total-fatal .n').innerText()).toBe('10');
    expect(await page.locator('#agent-table thead th').allInnerTexts()).toEqual([
      '坐席',
      '班组',
      '会话数',
      '平均分',
      '合格',
      '致命',
      '致命差错准确率',
      '非致命差错准确率',
    ]);
    expect(await page.locator('#team-table thead th').first().innerText()).toBe('班组');
    expect(await page.locator('#team-table thead th').nth(1).innerText()).toBe('坐席数');
    // Nothing left in English but what the data says (rule, queue and agent ids such as low-score).
    const text = await page.locator('main').innerText();
    expect(text).not.toMatch(/\b(items?|mean|passed|flagged|accuracy|Totals|Teams|Agents|generated)\b/i);
    expect(await page.locator('#agent-table tbody tr').count()).toBe(3);
    await page.close();
  });

  it('is self-contained and inert: nothing fetched, no script run, text from the data shown as text', async () => {
    const page = await context.newPage();
    requests.length = 0;
    await page.goto(pathToFileURL(file).href);
    await page.waitForLoadState('networkidle');
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator('img, script, link, iframe').count()).toBe(0);
    expect(await page.locator('#team-table').innerText()).toContain(HOSTILE_TEAM);
    await page.close();
  });
});

describe('escapeHtml', () => {
  it('escapes what could open a tag or leave an attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;');
  });
});
