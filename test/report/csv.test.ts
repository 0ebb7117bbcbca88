import { describe, expect, it } from 'vitest';
import type { ScreenedItem } from '../../src/domain/index.js';
import { CSV_COLUMNS, csvCell, renderCsv } from '../../src/report/csv.js';
import { batchSummary } from '../../src/scoring/summary.js';

describe('CSV report', () => {
  it('quotes what needs quoting and never lets a cell be read as a formula', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(undefined)).toBe('');
  });

  it('is one table, a row per figure, that a spreadsheet can filter by scope', () => {
    const s = batchSummary();
    s.add({
      conversationId: 'c',
      channel: 'chat',
      language: 'zh',
      agentId: '=cmd',
      agentTeam: 'team, one',
      score: 90,
      passed: true,
      fatal: false,
      findings: [
        {
          ruleId: 'greeting',
          type: 'required-phrase',
          category: 'c',
          severity: 'minor',
          points: 2,
          message: 'm',
        },
      ],
      bonuses: [],
      deducted: 2,
      priority: 10,
      queue: 'review',
      sampled: false,
      scheme: 's',
      itemVersion: 2,
      pipeline: { id: 'p', version: '1' },
      stats: { turns: 2, opportunities: 7, nonFatalErrors: 1 },
      screenedAt: '2026-11-23T00:00:00.000Z',
    } satisfies ScreenedItem);
    const rows = renderCsv(s.result()).trimEnd().split('\r\n');
    expect(rows[0]).toBe(CSV_COLUMNS.join(','));
    expect(rows).toContain('total,all,,1,90,1,0,,,,');
    expect(rows).toContain('score_band,90-100,,1,,,,,,,');
    expect(rows).toContain('rule,greeting,,1,,,,,,1,2');
    expect(rows).toContain(`agent,'=cmd,"team, one",1,90,1,0,1,0.8571,,`);
    expect(rows.every((r) => r.split(',').length >= CSV_COLUMNS.length)).toBe(true);
  });
});
