import type { MessageLang } from '../domain/messages.js';
import type { BatchSummary } from '../scoring/summary.js';

export interface ReportMeta {
  /** What was read (file names), for the header. */
  sources: readonly string[];
  generatedAt: string;
  /** Lines that were not items (not JSON, not the item contract). */
  skipped: number;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for HTML content and attributes: agent ids, team and rule names come from the data. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** The report's words in English and Chinese (a QA manager's language; the web app uses the same terms). */
const TEXT = {
  en: {
    htmlLang: 'en',
    title: 'QA screening report',
    header: (items: string, from: string, at: string) => `${items} item(s) from ${from} · generated ${at}`,
    skipped: (n: string) => ` · ${n} line(s) skipped (not items)`,
    totals: 'Totals',
    screened: 'items screened',
    flagged: (p: string) => `flagged for review (${p})`,
    passed: (p: string) => `passed (${p})`,
    fatal: (p: string) => `fatal (${p})`,
    meanScore: 'mean score',
    sampled: 'calibration sample',
    dataQuality: 'with data-quality findings',
    totalsNote: (reordered: string, omitted: string) =>
      `Reordered transcripts: ${reordered} · items that left findings or their conversation out to stay bounded: ${omitted}`,
    scores: 'Score distribution',
    band: (band: string, n: string) => `score ${band}: ${n} item(s)`,
    bandsLabel: 'items per score band',
    perRow: (unit: string) => `${unit} per row`,
    queues: 'Review queues',
    items: 'items',
    rulesTitle: 'Findings per rule',
    findings: 'findings',
    ruleHead: ['rule', 'findings', 'items', 'share of items', 'points (before category caps)'],
    teams: 'Teams',
    /** The head of the team table (`team`) or the agent table (`agent`). */
    peopleHead: (of: 'team' | 'agent') => [
      of,
      of === 'team' ? 'agents' : 'team',
      'items',
      'mean score',
      'passed',
      'fatal',
      'fatal accuracy',
      'non-fatal accuracy',
    ],
    agents: 'Agents (lowest mean score first)',
    accuracyNote:
      'Seed 004: fatal accuracy = 1 − items failed by fatal errors / items; non-fatal accuracy = 1 − non-fatal errors / (rules judged × items).',
    empty: 'Nothing to show.',
  },
  zh: {
    htmlLang: 'zh-CN',
    title: '质检报告',
    header: (items: string, from: string, at: string) => `共 ${items} 条会话，来源 ${from} · 生成于 ${at}`,
    skipped: (n: string) => ` · 跳过 ${n} 行（不是质检结果）`,
    totals: '总览',
    screened: '已质检会话',
    flagged: (p: string) => `送人工复核（${p}）`,
    passed: (p: string) => `合格（${p}）`,
    fatal: (p: string) => `致命差错（${p}）`,
    meanScore: '平均分',
    sampled: '校准抽样',
    dataQuality: '有数据质量问题',
    totalsNote: (reordered: string, omitted: string) =>
      `轮次按时间重新排序的会话：${reordered} · 为控制大小而省略部分命中或对话的会话：${omitted}`,
    scores: '得分分布',
    band: (band: string, n: string) => `得分 ${band}：${n} 条会话`,
    bandsLabel: '各得分段的会话数',
    perRow: (unit: string) => `每行的${unit}`,
    queues: '复核队列',
    items: '会话数',
    rulesTitle: '各规则命中',
    findings: '命中数',
    ruleHead: ['规则', '命中数', '会话数', '会话占比', '扣分（类别封顶前）'],
    teams: '班组',
    peopleHead: (of: 'team' | 'agent') => [
      of === 'team' ? '班组' : '坐席',
      of === 'team' ? '坐席数' : '班组',
      '会话数',
      '平均分',
      '合格',
      '致命',
      '致命差错准确率',
      '非致命差错准确率',
    ],
    agents: '坐席（平均分由低到高）',
    accuracyNote:
      '依据 seed 004：致命差错准确率 = 1 − 因致命差错不合格的会话数 / 会话数；非致命差错准确率 = 1 − 非致命差错数 / （检查规则数 × 会话数）。',
    empty: '无数据。',
  },
} satisfies Record<MessageLang, unknown>;
type ReportText = (typeof TEXT)['en'];

const pct = (n: number, of: number) => (of === 0 ? '0%' : `${Math.round((n / of) * 1000) / 10}%`);
const fmt = (n: number) => n.toLocaleString('en-US');

/** Horizontal bars, one per row, scaled to the largest value: inline SVG, no script, no fonts to fetch. */
function barChart(
  id: string,
  rows: ReadonlyArray<{ label: string; value: number }>,
  unit: string,
  tx: ReportText,
): string {
  if (rows.length === 0) return '<p class="empty">Nothing to show.</p>';
  const max = Math.max(1, ...rows.map((r) => r.value));
  const rowHeight = 26;
  const labelWidth = 180;
  const barWidth = 420;
  const height = rows.length * rowHeight + 8;
  const bars = rows
    .map((r, i) => {
      const y = i * rowHeight + 4;
      const w = Math.max(r.value > 0 ? 2 : 0, Math.round((r.value / max) * barWidth));
      const label = escapeHtml(r.label.length > 28 ? `${r.label.slice(0, 27)}…` : r.label);
      return `<g class="bar" data-label="${escapeHtml(r.label)}" data-value="${r.value}"><title>${escapeHtml(r.label)}: ${fmt(r.value)} ${unit}</title><text x="${labelWidth - 8}" y="${y + 17}" text-anchor="end">${label}</text><rect x="${labelWidth}" y="${y + 3}" width="${w}" height="${rowHeight - 8}" rx="3"></rect><text x="${labelWidth + w + 6}" y="${y + 17}" class="value">${fmt(r.value)}</text></g>`;
    })
    .join('');
  return `<svg id="${id}" class="chart" role="img" aria-label="${escapeHtml(tx.perRow(unit))}" viewBox="0 0 ${labelWidth + barWidth + 80} ${height}" width="${labelWidth + barWidth + 80}" height="${height}">${bars}</svg>`;
}

/** Items per score band as columns, [0,10) … [90,100]. */
function histogram(bands: readonly number[], tx: ReportText): string {
  const max = Math.max(1, ...bands);
  const colWidth = 56;
  const plot = 180;
  const cols = bands
    .map((n, i) => {
      const h = Math.max(n > 0 ? 2 : 0, Math.round((n / max) * plot));
      const x = i * colWidth + 10;
      const band = i === 9 ? '90–100' : `${i * 10}–${i * 10 + 9}`;
      return `<g class="band" data-band="${band}" data-value="${n}"><title>${escapeHtml(tx.band(band, fmt(n)))}</title><rect x="${x}" y="${plot + 20 - h}" width="${colWidth - 12}" height="${h}" rx="3"></rect><text x="${x + (colWidth - 12) / 2}" y="${plot + 14 - h}" text-anchor="middle" class="value">${fmt(n)}</text><text x="${x + (colWidth - 12) / 2}" y="${plot + 36}" text-anchor="middle">${band}</text></g>`;
    })
    .join('');
  const width = bands.length * colWidth + 20;
  return `<svg id="score-chart" class="chart" role="img" aria-label="${escapeHtml(tx.bandsLabel)}" viewBox="0 0 ${width} ${plot + 44}" width="${width}" height="${plot + 44}">${cols}</svg>`;
}

function table(
  id: string,
  head: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
  tx: ReportText,
): string {
  if (rows.length === 0) return `<p class="empty">${escapeHtml(tx.empty)}</p>`;
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${r.map((c) => `<td${typeof c === 'number' ? ' class="num"' : ''}>${escapeHtml(typeof c === 'number' ? fmt(c) : c)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table id="${id}"><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const accuracy = (n: number) => `${(n * 100).toFixed(1)}%`;

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",sans-serif;margin:0;color:#1f2933;background:#f5f7fa}
header{background:#243b53;color:#fff;padding:20px 32px}header h1{margin:0 0 4px;font-size:22px}header p{margin:0;opacity:.8}
main{padding:16px 32px 48px;max-width:1100px}
section{background:#fff;border-radius:8px;padding:16px 20px;margin:16px 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}
h2{font-size:17px;margin:0 0 12px}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{background:#fff;border-radius:8px;padding:12px 16px;min-width:130px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.card .n{font-size:26px;font-weight:600}.card .l{color:#52606d}
.chart text{font-size:12px;fill:#334e68}.chart .value{fill:#52606d}.chart rect{fill:#2f80ed}#score-chart rect{fill:#27ab83}
table{border-collapse:collapse;width:100%}th,td{padding:5px 8px;border-bottom:1px solid #e4e7eb;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
th{background:#f0f4f8;font-weight:600}.empty{color:#7b8794}.note{color:#52606d;font-size:13px}
`;

/**
 * The batch report a QA manager reads: totals, the score distribution, queues, rules, teams and
 * agents, with charts as inline SVG, in English or Chinese. One self-contained file: no script, no
 * fonts, no CDN (a Content-Security-Policy forbids fetching anything), every value from the data escaped.
 */
export function renderHtml(s: BatchSummary, meta: ReportMeta, lang: MessageLang = 'en'): string {
  const tx: ReportText = TEXT[lang];
  const card = (id: string, n: string, label: string) =>
    `<div class="card" id="${id}"><div class="n">${escapeHtml(n)}</div><div class="l">${escapeHtml(label)}</div></div>`;
  const cards = [
    card('total-items', fmt(s.items), tx.screened),
    card('total-flagged', fmt(s.flagged), tx.flagged(pct(s.flagged, s.items))),
    card('total-passed', fmt(s.passed), tx.passed(pct(s.passed, s.items))),
    card('total-fatal', fmt(s.fatal), tx.fatal(pct(s.fatal, s.items))),
    card('total-mean', String(s.meanScore), tx.meanScore),
    card('total-sampled', fmt(s.sampled), tx.sampled),
    card('total-data-quality', fmt(s.dataQuality), tx.dataQuality),
  ].join('');
  const agents = [...s.agents].sort(
    (a, b) => a.meanScore - b.meanScore || a.agentId.localeCompare(b.agentId),
  );
  return `<!doctype html>
<html lang="${tx.htmlLang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${tx.title}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${tx.title}</h1><p>${escapeHtml(tx.header(fmt(s.items), meta.sources.join(', ') || 'stdin', meta.generatedAt))}${meta.skipped > 0 ? escapeHtml(tx.skipped(fmt(meta.skipped))) : ''}</p></header>
<main>
<section id="totals"><h2>${tx.totals}</h2><div class="cards">${cards}</div>
<p class="note">${escapeHtml(tx.totalsNote(fmt(s.reordered), fmt(s.omitted)))}</p></section>
<section id="scores"><h2>${tx.scores}</h2>${histogram(s.scoreBands, tx)}</section>
<section id="queues"><h2>${tx.queues}</h2>${barChart(
    'queue-chart',
    s.queues.map((q) => ({ label: q.queue, value: q.items })),
    tx.items,
    tx,
  )}</section>
<section id="rules"><h2>${tx.rulesTitle}</h2>${barChart(
    'rule-chart',
    s.rules.map((r) => ({ label: r.ruleId, value: r.findings })),
    tx.findings,
    tx,
  )}
${table(
  'rule-table',
  tx.ruleHead,
  s.rules.map((r) => [r.ruleId, r.findings, r.items, pct(r.items, s.items), r.points]),
  tx,
)}</section>
<section id="teams"><h2>${tx.teams}</h2>${barChart(
    'team-chart',
    s.teams.map((t) => ({ label: t.team, value: t.meanScore })),
    tx.meanScore,
    tx,
  )}
${table(
  'team-table',
  tx.peopleHead('team'),
  s.teams.map((t) => [
    t.team,
    t.agents,
    t.items,
    t.meanScore,
    t.passed,
    t.fatalItems,
    accuracy(t.fatalAccuracy),
    accuracy(t.nonFatalAccuracy),
  ]),
  tx,
)}</section>
<section id="agents"><h2>${tx.agents}</h2>
${table(
  'agent-table',
  tx.peopleHead('agent'),
  agents.map((a) => [
    a.agentId,
    a.team ?? '',
    a.items,
    a.meanScore,
    a.passed,
    a.fatalItems,
    accuracy(a.fatalAccuracy),
    accuracy(a.nonFatalAccuracy),
  ]),
  tx,
)}
<p class="note">${escapeHtml(tx.accuracyNote)}</p></section>
</main>
</body>
</html>
`;
}
