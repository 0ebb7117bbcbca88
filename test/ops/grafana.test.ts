import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/ops/metrics.js';
import { createReviewMetrics } from '../../src/review/metrics.js';

/** The Grafana dashboard in the repo only queries metrics the worker and the review service register. */
describe('ops/grafana/qa-screen.json', () => {
  const dashboard = JSON.parse(readFileSync('ops/grafana/qa-screen.json', 'utf8')) as {
    uid: string;
    panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
  };

  it('every panel queries registered metric names (histograms by their _bucket series)', async () => {
    const worker = createMetrics().registry;
    const review = createReviewMetrics({} as never, {} as never).registry;
    const known = new Set<string>();
    for (const registry of [worker, review]) {
      for (const m of registry.getMetricsAsArray()) {
        const name = (m as unknown as { name: string }).name;
        known.add(name);
        known.add(`${name}_bucket`);
      }
    }
    const used = dashboard.panels.flatMap((p) =>
      p.targets.flatMap((t) => [...t.expr.matchAll(/\bqa_[a-z_]+/g)].map((x) => x[0])),
    );
    expect(used.length).toBeGreaterThanOrEqual(dashboard.panels.length);
    for (const name of used) expect(known, name).toContain(name);
    // The ops page's three: screened per minute, dead letters, queue depth and age.
    for (const m of [
      'qa_screen_items_total',
      'qa_screen_dead_letters_total',
      'qa_review_queue_depth',
      'qa_review_oldest_unclaimed_seconds',
    ]) {
      expect(used).toContain(m);
    }
  });
});
