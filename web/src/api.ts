import type { Keys } from '../../src/review/keys';

/** The review API as the pages call it: JSON, the session cookie, the CSRF token on every write. */

let csrfToken = '';
export function setCsrf(token: string) {
  csrfToken = token;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

export async function api<T = unknown>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  url: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  const res = await fetch(url, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (!res.ok) {
    let e: { code?: string; message?: string; details?: string[] } | undefined;
    try {
      e = ((await res.json()) as { error?: typeof e }).error;
    } catch {
      e = undefined;
    }
    throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? res.statusText, e?.details);
  }
  return (await res.json()) as T;
}

export const get = <T = unknown>(url: string) => api<T>('GET', url);

/** A query string from the set fields only. */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

// ---- response shapes the pages read (the server's zod schemas and service views are the source) ----

export type Role = 'reviewer' | 'supervisor' | 'agent' | 'admin';
export interface User {
  id: number;
  username: string;
  role: Role;
  agentId: string | null;
  team: string | null;
}
export interface Me {
  user: User;
  /** This user's keys on the item page (the defaults unless moved). */
  keys: Keys;
  csrfToken: string;
  quota: { daily: number; today: number; remaining: number } | null;
  openReviews: number;
}
export interface QueueRow {
  queue: string;
  unclaimed: number;
  claimed: number;
  fatal: number;
  calibration: number;
  oldestUnclaimedAt: string | null;
  oldestUnclaimedAgeSeconds: number | null;
}
export interface ItemSummary {
  id: number;
  conversationId: string;
  agentId: string;
  agentTeam: string | null;
  queue: string;
  status: string;
  channel: string;
  language: string;
  calibration: boolean;
  machine: { score: number; passed: boolean; fatal: boolean };
  final: { score: number; passed: boolean; fatal: boolean; reviewedAt: string } | null;
  rules: string[];
  screenedAt: string;
  claimed?: boolean;
}
export interface ItemPage {
  total: number;
  limit: number;
  offset: number;
  items: ItemSummary[];
}
export type Severity = 'fatal' | 'major' | 'minor' | 'info';
export interface FindingView {
  id: number;
  origin: 'machine' | 'reviewer';
  reviewId: number | null;
  ruleId: string;
  category: string;
  severity: Severity;
  points: number;
  turnIndex: number | null;
  start: number | null;
  end: number | null;
  message: string;
  /** The message's template and parameters (src/domain/messages.ts); null on reviewers' findings and older items. */
  messageId: string | null;
  params: Record<string, unknown> | null;
  note: string | null;
  atMs: number | null;
  final: 'confirmed' | 'rejected' | null;
}
export interface Turn {
  speaker: 'agent' | 'customer' | 'bot' | 'system';
  text: string;
  at?: string;
  startMs?: number;
  endMs?: number;
}
export interface Conversation {
  startedAt: string;
  endedAt?: string;
  turns: Turn[];
}
export interface ReviewView {
  id: number;
  kind: 'primary' | 'calibration';
  reviewerId: number;
  reviewer: string | null;
  status: string;
  leaseExpiresAt: string;
  score: number | null;
  passed: boolean | null;
  fatal: boolean | null;
  verdicts: Array<{ findingId: number; verdict: 'confirmed' | 'rejected'; reason: string | null }>;
}
export interface AppealView {
  id: number;
  itemId: number;
  reason: string;
  status: 'open' | 'upheld' | 'overturned' | 'partial';
  createdAt: string;
  ruling: {
    note: string | null;
    scoreBefore: number | null;
    scoreAfter: number | null;
    decisions: Array<{ findingId: number; decision: string }>;
  } | null;
}
export interface ItemDetail extends ItemSummary {
  conversation: Conversation | null;
  findings: FindingView[];
  /** Labels of the lexicon categories the findings' messages name, by category id. */
  categoryLabels: Record<string, string>;
  /** The reject reason the current reviewer last gave for each of the findings' rules (any item). */
  rejectReasons: Record<string, string>;
  reviews: ReviewView[];
  comments: Array<{ id: number; user: string; body: string; createdAt: string }>;
  appeal: AppealView | null;
}
export interface Preview {
  score: number;
  passed: boolean;
  fatal: boolean;
  deducted: number;
}
export interface RuleInfo {
  id: string;
  category: string;
  severity: Severity;
  points: number;
}
