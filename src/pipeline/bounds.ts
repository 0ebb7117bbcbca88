import type { Finding, Omitted, ScreenedItem } from '../domain/index.js';
import { QaError } from '../errors.js';

/**
 * Lists at most `perRule` findings of each rule and `perItem` in all, in order (the first spans);
 * the rest are counted per rule with the points they deducted, so nothing found is lost from the
 * item's figures. A 60 KB turn of one filler word makes 20,000 findings: the item lists 50.
 */
export function capFindings(
  findings: readonly Finding[],
  perRule: number,
  perItem: number,
): { listed: Finding[]; omitted: Omitted['rules'] } {
  const listed: Finding[] = [];
  const counts = new Map<string, number>();
  const omitted = new Map<string, { ruleId: string; count: number; points: number }>();
  for (const f of findings) {
    const n = counts.get(f.ruleId) ?? 0;
    counts.set(f.ruleId, n + 1);
    if (n < perRule && listed.length < perItem) {
      listed.push(f);
      continue;
    }
    const o = omitted.get(f.ruleId) ?? { ruleId: f.ruleId, count: 0, points: 0 };
    o.count++;
    o.points = Math.round((o.points + f.points) * 10) / 10;
    omitted.set(f.ruleId, o);
  }
  return { listed, omitted: [...omitted.values()] };
}

export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

function withOmitted(item: ScreenedItem, rules: Omitted['rules'], conversation: boolean): ScreenedItem {
  const count = rules.reduce((sum, r) => sum + r.count, 0);
  if (count === 0 && !conversation) {
    const { omitted: _, ...rest } = item;
    return rest;
  }
  return { ...item, omitted: { findings: count, rules, ...(conversation && { conversation: true }) } };
}

/**
 * Makes the item fit `maxBytes` of JSON: first without its conversation (the review service then
 * reads the transcript from its source), then listing fewer findings per rule (the rest counted in
 * `omitted`). An item that does not fit even with no finding listed is rejected.
 */
export function fitItem(item: ScreenedItem, maxBytes: number): ScreenedItem {
  return fitItemJson(item, maxBytes).item;
}

/** As fitItem, with the item's JSON text: measuring it serialises it, and writers reuse that text. */
export function fitItemJson(item: ScreenedItem, maxBytes: number): { item: ScreenedItem; json: string } {
  const json = JSON.stringify(item);
  // A UTF-8 byte is at most 3 per UTF-16 unit: most items are decided without counting bytes.
  if (json.length * 3 <= maxBytes || Buffer.byteLength(json) <= maxBytes) return { item, json };
  const fitted = fitLarge(item, maxBytes);
  return { item: fitted, json: JSON.stringify(fitted) };
}

function fitLarge(item: ScreenedItem, maxBytes: number): ScreenedItem {
  const { conversation: _, ...bare } = item;
  const withoutConversation = withOmitted(bare, item.omitted?.rules ?? [], item.conversation !== undefined);
  if (jsonBytes(withoutConversation) <= maxBytes) return withoutConversation;
  const rules = new Map((item.omitted?.rules ?? []).map((r) => [r.ruleId, { ...r }]));
  const perRule = new Map<string, number>();
  for (const f of item.findings) perRule.set(f.ruleId, (perRule.get(f.ruleId) ?? 0) + 1);
  for (let cap = Math.max(0, ...perRule.values()) >> 1; ; cap >>= 1) {
    const { listed, omitted } = capFindings(item.findings, cap, Number.MAX_SAFE_INTEGER);
    const merged = new Map([...rules].map(([k, v]) => [k, { ...v }]));
    for (const o of omitted) {
      const m = merged.get(o.ruleId) ?? { ruleId: o.ruleId, count: 0, points: 0 };
      m.count += o.count;
      m.points = Math.round((m.points + o.points) * 10) / 10;
      merged.set(o.ruleId, m);
    }
    const candidate = withOmitted(
      { ...bare, findings: listed },
      [...merged.values()],
      item.conversation !== undefined,
    );
    const bytes = jsonBytes(candidate);
    if (bytes <= maxBytes) return candidate;
    if (cap === 0)
      throw new QaError('QA_ERR_ITEM_TOO_LARGE', `${bytes} bytes with no finding listed, limit ${maxBytes}`);
  }
}
