import { memo } from 'preact/compat';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { DEFAULT_KEYS, KEY_ACTIONS, type KeyAction, type Keys } from '../../../src/review/keys';
import {
  ApiError,
  api,
  type Conversation,
  type FindingView,
  get,
  type ItemDetail,
  type Me,
  type Preview,
  type RuleInfo,
  type Turn,
} from '../api';
import { dateTime, type Key, lang, t } from '../i18n';
import { findingMessage } from '../messages';
import { useSignal } from '../state';
import { ErrorNote, Loading, ScoreBadge, useLoad, useRenderTime } from '../ui';
import { claimNext } from './Queue';

const REASONS = [
  'false_positive',
  'allowed_context',
  'transcription_error',
  'wrong_speaker',
  'policy_exception',
  'other',
] as const;
type Reason = (typeof REASONS)[number];

/**
 * The reject reason a reviewer last gave for a rule: a rule tends to be wrong the same way ("allowed
 * in this context" for a phrase the team tolerates), so the next finding of that rule starts from it.
 * The server derives it from the verdicts the reviewer saved (`rejectReasons` on the item), so it
 * follows them from browser to browser; this page adds the ones given since it loaded.
 */
function asReason(saved: string | undefined): Reason {
  return REASONS.find((r) => r === saved) ?? REASONS[0];
}

/** A gap at least this long in a call is drawn and labelled as silence. */
const SILENCE_MS = 2000;

interface Selected {
  turnIndex: number;
  start: number;
  end: number;
  text: string;
}

export function ItemPageView({
  id,
  me,
  query,
  onMe,
}: {
  id: number;
  me: Me;
  query: URLSearchParams;
  onMe: (m: Me) => void;
}) {
  const loaded = useLoad(() => get<ItemDetail>(`/api/items/${id}`), [id]);
  const item = loaded.data;
  useRenderTime(!!item, 'Item');
  const staff = me.user.role !== 'agent';
  const rules = useLoad(
    () => (staff ? get<RuleInfo[]>(`/api/items/${id}/rules`) : Promise.resolve([])),
    [id, staff],
  );
  const reviewParam = Number(query.get('review')) || undefined;
  const myReview = item?.reviews.find(
    (r) => r.reviewerId === me.user.id && r.status === 'open' && (!reviewParam || r.id === reviewParam),
  );

  if (loaded.error) return <ErrorNote error={loaded.error} />;
  if (!item) return <Loading when />;
  return (
    <ItemBody
      key={`${item.id}:${myReview?.id ?? 'ro'}:${item.status}:${item.appeal?.status ?? ''}`}
      item={item}
      me={me}
      onMe={onMe}
      reviewId={myReview?.id}
      initialVerdicts={myReview?.verdicts ?? []}
      leaseExpiresAt={myReview?.leaseExpiresAt}
      rules={rules.data ?? []}
      reload={loaded.reload}
    />
  );
}

function ItemBody(props: {
  item: ItemDetail;
  me: Me;
  onMe: (m: Me) => void;
  reviewId: number | undefined;
  initialVerdicts: Array<{ findingId: number; verdict: 'confirmed' | 'rejected'; reason: string | null }>;
  leaseExpiresAt: string | undefined;
  rules: RuleInfo[];
  reload: () => void;
}) {
  const { item, me, reviewId, reload } = props;
  const editing = reviewId !== undefined;
  const [findings, setFindings] = useState<FindingView[]>(() => ordered(item.findings));
  const [lastReasons, setLastReasons] = useState<Record<string, string>>(() => ({ ...item.rejectReasons }));
  const [verdicts, setVerdicts] = useState(
    () => new Map(props.initialVerdicts.map((v) => [v.findingId, { verdict: v.verdict, reason: v.reason }])),
  );
  const [current, setCurrent] = useState(0);
  // Reasons picked (1–6 or the box) for findings, by id; the others start from lastReasons.
  const [picked, setPicked] = useState<ReadonlyMap<number, Reason>>(() => new Map());
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<Error | undefined>();
  const [submitted, setSubmitted] = useState<Preview | null>(null);
  const [selection, setSelection] = useState<Selected | null>(null);
  const [adding, setAdding] = useState<Selected | null>(null);
  const [help, setHelp] = useState(false);
  const [status, setStatus] = useState('');
  const commentRef = useRef<HTMLTextAreaElement>(null);
  const addRuleRef = useRef<HTMLSelectElement>(null);

  // The live score: what submitting now would give, by the pipeline's own scheme (server-side).
  useEffect(() => {
    if (!editing) return;
    get<{ preview: Preview }>(`/api/reviews/${reviewId}/preview`).then(
      (r) => setPreview(r.preview),
      (e: Error) => setError(e),
    );
  }, [reviewId]);

  // Keep the lease while the page is open: renew at half of what is left.
  useEffect(() => {
    if (!editing || !props.leaseExpiresAt) return;
    let expires = Date.parse(props.leaseExpiresAt);
    let timer = 0;
    const schedule = () => {
      timer = window.setTimeout(
        async () => {
          try {
            const r = await api<{ leaseExpiresAt: string }>('POST', `/api/reviews/${reviewId}/renew`);
            expires = Date.parse(r.leaseExpiresAt);
            schedule();
          } catch (e) {
            setError(e as Error);
          }
        },
        Math.max(5_000, (expires - Date.now()) / 2),
      );
    };
    schedule();
    return () => window.clearTimeout(timer);
  }, [reviewId]);

  // Text selected inside one turn: the span a missed finding gets.
  useEffect(() => {
    const onSel = () => setSelection(selectedSpan());
    document.addEventListener('selectionchange', onSel);
    return () => document.removeEventListener('selectionchange', onSel);
  }, []);

  const focused = findings[current];
  useEffect(() => {
    if (!focused) return;
    const mark =
      document.getElementById(`mark-${focused.id}`) ?? document.getElementById(`turn-${focused.turnIndex}`);
    mark?.scrollIntoView({ block: 'center' });
    document.getElementById(`finding-${focused.id}`)?.focus({ preventScroll: true });
  }, [current, focused?.id]);
  // Each finding starts from the reason this reviewer last gave for its rule. Derived as the page
  // renders, not set by an effect after focus moves: a reason key pressed right after the focus
  // moved would otherwise be overwritten when the effect ran.
  const reasonOf = (f: FindingView) => picked.get(f.id) ?? asReason(lastReasons[f.ruleId]);
  const reason = focused ? reasonOf(focused) : REASONS[0];
  const pick = (r: Reason) => {
    if (focused) setPicked((m) => new Map(m).set(focused.id, r));
  };

  const machine = findings.filter((f) => f.origin === 'machine');
  const undecided = machine.filter((f) => !verdicts.has(f.id)).length;

  async function decide(f: FindingView | undefined, verdict: 'confirmed' | 'rejected') {
    if (!editing || !f || f.origin !== 'machine') return;
    setError(undefined);
    try {
      const r = await api<{ preview: Preview; reason: string | null }>(
        'PUT',
        `/api/reviews/${reviewId}/verdicts/${f.id}`,
        verdict === 'rejected' ? { verdict, reason: reasonOf(f) } : { verdict },
      );
      setVerdicts((m) => new Map(m).set(f.id, { verdict, reason: r.reason }));
      if (verdict === 'rejected') setLastReasons((m) => ({ ...m, [f.ruleId]: reasonOf(f) }));
      setPreview(r.preview);
      setStatus(`${f.ruleId}: ${t(verdict)}`);
      const i = findings.indexOf(f);
      if (i >= 0 && i < findings.length - 1) setCurrent(i + 1);
    } catch (e) {
      setError(e as Error);
    }
  }

  async function submit() {
    if (!editing) return;
    setError(undefined);
    try {
      const r = await api<Preview>('POST', `/api/reviews/${reviewId}/submit`);
      setSubmitted(r);
      setStatus(`${t('submitted')}: ${t('finalScore')} ${r.score}`);
    } catch (e) {
      setError(e as Error);
    }
  }

  async function addFinding(form: HTMLFormElement) {
    if (!editing || !adding) return;
    const data = new FormData(form);
    const note = String(data.get('note') ?? '').trim();
    try {
      const r = await api<{ finding: FindingView; preview: Preview }>(
        'POST',
        `/api/reviews/${reviewId}/findings`,
        {
          ruleId: String(data.get('ruleId')),
          turnIndex: adding.turnIndex,
          start: adding.start,
          end: adding.end,
          ...(note && { note }),
        },
      );
      const next = ordered([...findings, r.finding]);
      setFindings(next);
      setCurrent(next.findIndex((f) => f.id === r.finding.id));
      setPreview(r.preview);
      setAdding(null);
      setStatus(`${t('added')}: ${r.finding.ruleId}`);
      window.getSelection()?.removeAllRanges();
    } catch (e) {
      setError(e as Error);
    }
  }

  async function removeFinding(f: FindingView) {
    try {
      const r = await api<{ preview: Preview }>('DELETE', `/api/reviews/${reviewId}/findings/${f.id}`);
      setFindings(findings.filter((x) => x.id !== f.id));
      setCurrent(0);
      setPreview(r.preview);
    } catch (e) {
      setError(e as Error);
    }
  }

  async function nextItem() {
    try {
      if (!(await claimNext())) setStatus(t('queueEmpty'));
    } catch (e) {
      setError(e as Error);
    }
  }

  function startAdding() {
    const s = selection ?? selectedSpan();
    if (!editing || !s) return;
    setAdding(s);
    requestAnimationFrame(() => addRuleRef.current?.focus());
  }

  // Keyboard first: one key per action, never while typing in a field.
  const keys = useRef<(e: KeyboardEvent) => void>(() => undefined);
  keys.current = (e: KeyboardEvent) => {
    const el = e.target as HTMLElement;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (el.closest('input, textarea, select, [contenteditable]')) {
      if (e.key === 'Escape') (el as HTMLElement).blur();
      return;
    }
    const k = e.key;
    const my = me.keys;
    if (k === '?') setHelp((h) => !h);
    else if (k === 'Escape') {
      setHelp(false);
      setAdding(null);
    } else if (k === my.next) setCurrent((c) => Math.min(findings.length - 1, c + 1));
    else if (k === my.previous) setCurrent((c) => Math.max(0, c - 1));
    else if (k === my.confirm && !submitted) void decide(focused, 'confirmed');
    else if (k === my.reject && !submitted) void decide(focused, 'rejected');
    else if (/^[1-6]$/.test(k)) pick(REASONS[Number(k) - 1]!);
    else if (k === my.add && !submitted) startAdding();
    else if (k === my.submit && !submitted) void submit();
    else if (k === my.nextItem) void nextItem();
    else if (k === my.comment) commentRef.current?.focus();
    else return;
    e.preventDefault();
  };
  // Listening from the commit that first shows the findings (a layout effect, not an effect run
  // after paint): a key pressed as soon as the page appears is not lost.
  useLayoutEffect(() => {
    const h = (e: KeyboardEvent) => keys.current(e);
    window.addEventListener('keydown', h);
    return () => window.removeEventListener('keydown', h);
  }, []);

  const byTurn = useMemo(() => {
    const m = new Map<number, FindingView[]>();
    for (const f of findings)
      if (f.turnIndex !== null) m.set(f.turnIndex, [...(m.get(f.turnIndex) ?? []), f]);
    return m;
  }, [findings]);
  const outcome = (f: FindingView) =>
    editing ? (verdicts.get(f.id)?.verdict ?? (f.origin === 'reviewer' ? 'confirmed' : null)) : f.final;
  const general = findings.filter((f) => f.turnIndex === null);

  return (
    <div class="item-page">
      <header class="item-head">
        <h1>
          {t('item')} {item.conversationId}
        </h1>
        <dl class="facts">
          <div>
            <dt>{t('agent')}</dt>
            <dd>{item.agentId}</dd>
          </div>
          <div>
            <dt>{t('team')}</dt>
            <dd>{item.agentTeam ?? '—'}</dd>
          </div>
          <div>
            <dt>{t('queue')}</dt>
            <dd>{item.queue}</dd>
          </div>
          <div>
            <dt>{t('screened')}</dt>
            <dd>{dateTime(item.screenedAt)}</dd>
          </div>
          <div>
            <dt>{t('machineScore')}</dt>
            <dd data-testid="machine-score">
              <ScoreBadge {...item.machine} />
            </dd>
          </div>
          {item.final && !submitted && (
            <div>
              <dt>{t('finalScore')}</dt>
              <dd data-testid="final-score">
                <ScoreBadge score={item.final.score} passed={item.final.passed} fatal={item.final.fatal} />
              </dd>
            </div>
          )}
          {editing && preview && !submitted && (
            <div class="live">
              <dt>{t('liveScore')}</dt>
              <dd data-testid="live-score" aria-live="polite">
                <ScoreBadge {...preview} />
              </dd>
            </div>
          )}
          {submitted && (
            <div class="live">
              <dt>
                {t('submitted')} · {t('finalScore')}
              </dt>
              <dd data-testid="final-score" aria-live="polite">
                <ScoreBadge {...submitted} />
              </dd>
            </div>
          )}
        </dl>
        <p class="keys-hint">
          <button type="button" class="link" onClick={() => setHelp(!help)} aria-expanded={help}>
            {t('keysHelp')} (?)
          </button>
        </p>
      </header>
      {help && (
        <KeyHelp
          keys={me.keys}
          onSaved={(keys) => props.onMe({ ...me, keys })}
          onClose={() => setHelp(false)}
        />
      )}
      <ErrorNote error={error} />
      {editing && undecided > 0 && error instanceof ApiError && error.code === 'QA_ERR_REVIEW_INCOMPLETE' && (
        <p class="note">{t('submitNeedsVerdicts', { n: undecided })}</p>
      )}
      <p class="visually-hidden" role="status" aria-live="polite">
        {status}
      </p>
      {!editing && me.user.role !== 'agent' && <p class="note">{t('readOnly')}</p>}

      <div class="item-grid">
        <section class="transcript" aria-label={t('conversation')}>
          <h2>
            {t('conversation')}
            {item.conversation && (
              <span class="muted"> · {t('turns', { n: item.conversation.turns.length })}</span>
            )}
          </h2>
          {!item.conversation && <p class="note">{t('noConversation')}</p>}
          {item.conversation && isCall(item.conversation) && <CallBar conversation={item.conversation} />}
          {item.conversation && (
            <Transcript
              conversation={item.conversation}
              byTurn={byTurn}
              focusedId={focused?.id}
              focusedTurn={focused?.turnIndex ?? undefined}
              outcome={outcome}
              labels={item.categoryLabels}
              onPick={(f) => setCurrent(findings.indexOf(f))}
            />
          )}
        </section>

        <aside class="side" aria-label={t('findings')}>
          <h2>
            {t('findings')} <span class="muted">({findings.length})</span>
          </h2>
          {editing && !submitted && (
            <div class="reason">
              <label>
                {t('rejectReason')}
                <select
                  value={reason}
                  onChange={(e) => pick((e.target as HTMLSelectElement).value as Reason)}
                >
                  {REASONS.map((r, i) => (
                    <option value={r}>
                      {i + 1}. {t(`reason_${r}` as Key)}
                    </option>
                  ))}
                </select>
              </label>
            </div>
          )}
          {general.length > 0 && <p class="muted">{t('wholeConversation')}</p>}
          <ol class="findings">
            {findings.map((f, i) => {
              const o = outcome(f);
              const v = verdicts.get(f.id);
              return (
                // biome-ignore lint/a11y/useKeyWithClickEvents: j/k reach every finding from the keyboard; a click is the mouse's way there
                <li
                  id={`finding-${f.id}`}
                  tabIndex={-1}
                  class={`finding sev-${f.severity}${i === current ? ' current' : ''}${o ? ` ${o}` : ''}`}
                  data-finding={f.id}
                  data-rule={f.ruleId}
                  aria-current={i === current ? 'true' : undefined}
                  onClick={() => setCurrent(i)}
                >
                  <div class="f-head">
                    <span class="rule">{f.ruleId}</span>
                    <span class={`sev ${f.severity}`}>{f.severity}</span>
                    <span class="pts">−{f.points}</span>
                  </div>
                  <p class="msg">{findingMessage(f, item.categoryLabels)}</p>
                  {f.note && <p class="note">{f.note}</p>}
                  <p class="outcome" data-testid="outcome">
                    {f.origin === 'reviewer' ? `${t('added')} · ` : ''}
                    {o ? t(o) : t('undecided')}
                    {v?.reason ? ` · ${t(`reason_${v.reason}` as Key)}` : ''}
                  </p>
                  {editing && !submitted && f.origin === 'machine' && (
                    <div class="actions">
                      <button
                        type="button"
                        onClick={() => void decide(f, 'confirmed')}
                        aria-label={`${t('confirm')} ${f.ruleId}`}
                      >
                        {t('confirm')} (c)
                      </button>
                      <button
                        type="button"
                        onClick={() => void decide(f, 'rejected')}
                        aria-label={`${t('reject')} ${f.ruleId}`}
                      >
                        {t('reject')} (x)
                      </button>
                    </div>
                  )}
                  {editing && !submitted && f.origin === 'reviewer' && f.reviewId === reviewId && (
                    <div class="actions">
                      <button type="button" onClick={() => void removeFinding(f)}>
                        {t('remove')}
                      </button>
                    </div>
                  )}
                </li>
              );
            })}
          </ol>

          {editing && !submitted && (
            <section class="add" aria-label={t('addFinding')}>
              {!adding && (
                <>
                  <button type="button" onClick={startAdding} disabled={!selection}>
                    {t('addFinding')} (a)
                  </button>
                  <p class="muted">{t('addFindingHint')}</p>
                </>
              )}
              {adding && (
                <form
                  class="add-form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void addFinding(e.target as HTMLFormElement);
                  }}
                >
                  <p>
                    {t('selection')}: <q data-testid="selection">{adding.text}</q>
                  </p>
                  <label>
                    {t('rule')}
                    <select name="ruleId" ref={addRuleRef} required>
                      {props.rules.map((r) => (
                        <option value={r.id}>
                          {r.id} · {r.severity} · −{r.points}
                        </option>
                      ))}
                    </select>
                  </label>
                  <label>
                    {t('note')}
                    <input name="note" maxLength={2000} />
                  </label>
                  <button type="submit" class="primary">
                    {t('addFinding')}
                  </button>
                  <button type="button" onClick={() => setAdding(null)}>
                    {t('cancel')}
                  </button>
                </form>
              )}
            </section>
          )}

          {editing && !submitted && (
            <p>
              <button type="button" class="primary" onClick={() => void submit()}>
                {t('submit')} (s)
              </button>
            </p>
          )}
          {(submitted || (me.user.role !== 'agent' && !editing)) && (
            <p>
              <button type="button" class="primary" onClick={() => void nextItem()}>
                {t('nextItem')} (n)
              </button>
            </p>
          )}

          {me.user.role === 'agent' && <AppealPanel item={item} reload={reload} />}
          {me.user.role === 'supervisor' && item.appeal?.status === 'open' && (
            <RulingPanel item={item} findings={findings} reload={reload} />
          )}
          {me.user.role !== 'agent' && item.appeal && item.appeal.status !== 'open' && (
            <AppealSummary item={item} />
          )}
          <Comments item={item} me={me} textRef={commentRef} />
        </aside>
      </div>
    </div>
  );
}

function ordered(fs: FindingView[]): FindingView[] {
  return [...fs].sort(
    (a, b) => (a.turnIndex ?? -1) - (b.turnIndex ?? -1) || (a.start ?? 0) - (b.start ?? 0) || a.id - b.id,
  );
}

function isCall(c: Conversation): boolean {
  return c.turns.some((x) => x.startMs !== undefined && x.endMs !== undefined);
}

/** The selection as a span of one turn's masked text, or null when it is empty or crosses turns. */
function selectedSpan(): Selected | null {
  const sel = window.getSelection();
  if (!sel || sel.isCollapsed || sel.rangeCount === 0) return null;
  const range = sel.getRangeAt(0);
  const a = (
    range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentElement
  ) as Element | null;
  const b = (
    range.endContainer.nodeType === 1 ? range.endContainer : range.endContainer.parentElement
  ) as Element | null;
  const box = a?.closest('.turn-text');
  if (!box || box !== b?.closest('.turn-text')) return null;
  const offset = (node: Node, off: number) => {
    const r = document.createRange();
    r.setStart(box, 0);
    r.setEnd(node, off);
    return r.toString().length;
  };
  const start = offset(range.startContainer, range.startOffset);
  const end = offset(range.endContainer, range.endOffset);
  if (end <= start) return null;
  const text = box.textContent ?? '';
  return { turnIndex: Number((box as HTMLElement).dataset.turn), start, end, text: text.slice(start, end) };
}

function clock(ms: number): string {
  const s = ms / 1000;
  const m = Math.floor(s / 60);
  return `${String(m).padStart(2, '0')}:${(s % 60).toFixed(1).padStart(4, '0')}`;
}

/** Merged intervals [start, end) sorted by start. */
function merge(xs: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...xs].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

function intersect(a: Array<[number, number]>, b: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i]![0], b[j]![0]);
    const e = Math.min(a[i]![1], b[j]![1]);
    if (s < e) out.push([s, e]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

/** Overlaps (agent and customer at once) and silences (nobody speaking ≥ SILENCE_MS) of a call. */
export function callShape(turns: Turn[]) {
  const spans = (who: (s: Turn['speaker']) => boolean) =>
    merge(
      turns
        .filter((x) => who(x.speaker) && x.startMs !== undefined && x.endMs !== undefined)
        .map((x) => [x.startMs!, x.endMs!] as [number, number]),
    );
  const agent = spans((s) => s === 'agent' || s === 'bot');
  const customer = spans((s) => s === 'customer');
  const all = merge([...agent, ...customer]);
  const silences: Array<[number, number]> = [];
  let prev = 0;
  for (const [s, e] of all) {
    if (s - prev >= SILENCE_MS) silences.push([prev, s]);
    prev = Math.max(prev, e);
  }
  const total = Math.max(prev, 1);
  return { agent, customer, overlaps: intersect(agent, customer), silences, total };
}

function CallBar({ conversation }: { conversation: Conversation }) {
  const shape = useMemo(() => callShape(conversation.turns), [conversation]);
  const x = (ms: number) => (ms / shape.total) * 1000;
  const w = (a: number, b: number) => Math.max(0.5, ((b - a) / shape.total) * 1000);
  const lane = (spans: Array<[number, number]>, y: number, cls: string) =>
    spans.map(([a, b]) => <rect class={cls} x={x(a)} y={y} width={w(a, b)} height={14} />);
  return (
    <figure class="callbar">
      <figcaption>
        {t('callTimeline')} · {clock(shape.total)} · <span class="lg agent">{t('legendAgent')}</span>{' '}
        <span class="lg customer">{t('legendCustomer')}</span>{' '}
        <span class="lg overlap">
          {t('legendOverlap')} ({shape.overlaps.length})
        </span>{' '}
        <span class="lg silence">
          {t('legendSilence')} ({shape.silences.length})
        </span>
      </figcaption>
      <svg
        viewBox="0 0 1000 52"
        preserveAspectRatio="none"
        role="img"
        aria-label={t('callTimeline')}
        data-testid="callbar"
      >
        {lane(shape.agent, 2, 'agent')}
        {lane(shape.customer, 18, 'customer')}
        {shape.overlaps.map(([a, b]) => (
          <rect class="overlap" x={x(a)} y={0} width={w(a, b)} height={34}>
            <title>{t('overlap', { s: `${((b - a) / 1000).toFixed(1)} s` })}</title>
          </rect>
        ))}
        {shape.silences.map(([a, b]) => (
          <rect class="silence" x={x(a)} y={36} width={w(a, b)} height={14}>
            <title>{t('silence', { s: `${((b - a) / 1000).toFixed(1)} s` })}</title>
          </rect>
        ))}
      </svg>
    </figure>
  );
}

/** One empty list for every turn without findings, so memoised rows compare equal. */
const NO_FINDINGS: FindingView[] = [];

/** Turns shown at once on first render; the rest follow a chunk per task, so a long call never blocks input. */
const FIRST_TURNS = 120;
const TURN_CHUNK = 250;

interface TurnMeta {
  time: string;
  silenceMs: number;
  overlapMs: number;
}

/** Per turn: its time label, the silence before it and how long it overlaps the other side (calls). */
function turnMetas(conversation: Conversation): TurnMeta[] {
  const start = Date.parse(conversation.startedAt);
  let lastEnd = 0;
  const lastEndBy = new Map<string, number>();
  return conversation.turns.map((turn, i) => {
    if (turn.startMs !== undefined && turn.endMs !== undefined) {
      const silenceMs = i > 0 && turn.startMs - lastEnd >= SILENCE_MS ? turn.startMs - lastEnd : 0;
      let overlapMs = 0;
      for (const [who, end] of lastEndBy)
        if (who !== turn.speaker && end > turn.startMs)
          overlapMs = Math.max(overlapMs, Math.min(end, turn.endMs) - turn.startMs);
      lastEnd = Math.max(lastEnd, turn.endMs);
      lastEndBy.set(turn.speaker, Math.max(lastEndBy.get(turn.speaker) ?? 0, turn.endMs));
      return { time: `${clock(turn.startMs)}–${clock(turn.endMs)}`, silenceMs, overlapMs };
    }
    const off = turn.at ? Date.parse(turn.at) - start : Number.NaN;
    const time = Number.isFinite(off) ? `+${clock(Math.max(0, off)).replace(/\.\d$/, '')}` : '';
    return { time, silenceMs: 0, overlapMs: 0 };
  });
}

function Transcript(props: {
  conversation: Conversation;
  byTurn: Map<number, FindingView[]>;
  focusedId: number | undefined;
  focusedTurn: number | undefined;
  outcome: (f: FindingView) => string | null;
  labels: Record<string, string>;
  onPick: (f: FindingView) => void;
}) {
  const { conversation, byTurn } = props;
  const metas = useMemo(() => turnMetas(conversation), [conversation]);
  const total = conversation.turns.length;
  const [shown, setShown] = useState(Math.min(total, FIRST_TURNS));
  // Moving to a finding further down shows every turn up to it at once.
  const upTo = Math.max(shown, Math.min(total, (props.focusedTurn ?? -1) + 1));
  useEffect(() => {
    if (upTo >= total) {
      requestAnimationFrame(() => {
        document.body.dataset.renderAllTurns = String(Math.round(performance.now()));
      });
      return;
    }
    const timer = window.setTimeout(() => setShown(Math.min(total, upTo + TURN_CHUNK)), 0);
    return () => window.clearTimeout(timer);
  }, [upTo, total]);
  const language = useSignal(lang);
  return (
    <ol class="turns" aria-busy={upTo < total}>
      {conversation.turns.slice(0, upTo).map((turn, i) => {
        const fs = byTurn.get(i) ?? NO_FINDINGS;
        return (
          <TurnRow
            key={i}
            turn={turn}
            i={i}
            meta={metas[i]!}
            fs={fs}
            focusedId={fs.some((f) => f.id === props.focusedId) ? props.focusedId : undefined}
            outcomes={fs.map((f) => props.outcome(f) ?? 'open').join(' ')}
            language={language}
            outcome={props.outcome}
            labels={props.labels}
            onPick={props.onPick}
          />
        );
      })}
    </ol>
  );
}

/** One turn; re-rendered only when its own findings, their outcomes or the focus on them change. */
const TurnRow = memo(
  function TurnRow(p: {
    turn: Turn;
    i: number;
    meta: TurnMeta;
    fs: FindingView[];
    focusedId: number | undefined;
    outcomes: string;
    language: string;
    outcome: (f: FindingView) => string | null;
    labels: Record<string, string>;
    onPick: (f: FindingView) => void;
  }) {
    const { turn, i, meta, fs } = p;
    const whole = fs.filter((f) => f.start === null || f.end === null);
    const silence = t('silence', { s: `${(meta.silenceMs / 1000).toFixed(1)} s` });
    return (
      <>
        {meta.silenceMs > 0 && <li class="gap silence">{silence}</li>}
        <li
          id={`turn-${i}`}
          class={`turn ${turn.speaker}${whole.length ? ' flagged' : ''}${whole.some((f) => f.id === p.focusedId) ? ' current' : ''}`}
        >
          <div class="meta">
            <span class="idx">{i + 1}</span>
            <time title={turn.at ?? ''}>{meta.time}</time>
            <span class="who">{t(`speaker_${turn.speaker}` as Key)}</span>
            {meta.overlapMs > 0 && (
              <span class="badge overlap">
                {t('overlap', { s: `${(meta.overlapMs / 1000).toFixed(1)} s` })}
              </span>
            )}
          </div>
          <p class="turn-text" data-turn={i}>
            {segments(turn.text, fs).map((seg) =>
              seg.fs.length === 0 ? (
                seg.text
              ) : (
                // biome-ignore lint/a11y/useKeyWithClickEvents: j/k reach every finding from the keyboard; a click is the mouse's way there
                <mark
                  id={seg.first ? `mark-${seg.first}` : undefined}
                  class={`hl sev-${worst(seg.fs)}${seg.fs.some((f) => f.id === p.focusedId) ? ' current' : ''} ${seg.fs.map((f) => p.outcome(f) ?? 'open').join(' ')}`}
                  data-findings={seg.fs.map((f) => f.id).join(' ')}
                  title={seg.fs
                    .map((f) => `${f.ruleId} · ${f.severity} · −${f.points} · ${findingMessage(f, p.labels)}`)
                    .join('\n')}
                  onClick={() => p.onPick(seg.fs[0]!)}
                >
                  {seg.text}
                </mark>
              ),
            )}
          </p>
        </li>
      </>
    );
  },
  (a, b) =>
    a.turn === b.turn &&
    a.fs === b.fs &&
    a.focusedId === b.focusedId &&
    a.outcomes === b.outcomes &&
    a.meta === b.meta &&
    a.language === b.language,
);

const SEVERITY_ORDER = ['fatal', 'major', 'minor', 'info'] as const;
function worst(fs: FindingView[]) {
  return SEVERITY_ORDER.find((s) => fs.some((f) => f.severity === s)) ?? 'info';
}

/** A turn's text cut at every finding boundary; each piece lists the findings covering it. */
function segments(text: string, fs: FindingView[]) {
  const spans = fs.filter((f) => f.start !== null && f.end !== null && f.start < f.end);
  if (spans.length === 0) return [{ text, fs: [] as FindingView[], first: undefined as number | undefined }];
  const cuts = new Set([0, text.length]);
  for (const f of spans) {
    cuts.add(Math.min(text.length, f.start!));
    cuts.add(Math.min(text.length, f.end!));
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const seen = new Set<number>();
  const out: Array<{ text: string; fs: FindingView[]; first: number | undefined }> = [];
  for (let i = 0; i < sorted.length - 1; i++) {
    const a = sorted[i]!;
    const b = sorted[i + 1]!;
    const covering = spans.filter((f) => f.start! <= a && f.end! >= b);
    const fresh = covering.find((f) => !seen.has(f.id));
    for (const f of covering) seen.add(f.id);
    out.push({ text: text.slice(a, b), fs: covering, first: fresh?.id });
  }
  return out;
}

const KEY_LABELS: Record<KeyAction, Key> = {
  next: 'key_next',
  previous: 'key_prev',
  confirm: 'key_confirm',
  reject: 'key_reject',
  add: 'key_add',
  submit: 'key_submit',
  nextItem: 'key_nextItem',
  comment: 'key_comment',
};

/** The keys, as this user has them; they can move them (kept on the server, per user). */
function KeyHelp({
  keys,
  onSaved,
  onClose,
}: {
  keys: Keys;
  onSaved: (k: Keys) => void;
  onClose: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<Keys>(keys);
  const [error, setError] = useState<Error | undefined>();
  const [saved, setSaved] = useState(false);
  async function save(next: Keys) {
    setError(undefined);
    try {
      const r = await api<{ keys: Keys }>('PUT', '/api/me/keys', next);
      onSaved(r.keys);
      setDraft(r.keys);
      setEditing(false);
      setSaved(true);
    } catch (e) {
      setError(e as Error);
    }
  }
  const row = (a: KeyAction): [string, Key] => [keys[a], KEY_LABELS[a]];
  const rows: Array<[string, Key]> = [
    ...(['next', 'previous', 'confirm', 'reject'] as const).map(row),
    ['1–6', 'key_reason'],
    ...(['add', 'submit', 'nextItem', 'comment'] as const).map(row),
    ['?', 'key_help'],
  ];
  return (
    <section class="keyhelp" aria-label={t('keysHelp')}>
      <h2>{t('keysHelp')}</h2>
      {editing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save(draft);
          }}
        >
          <p class="note">{t('keysRule')}</p>
          {KEY_ACTIONS.map((a) => (
            <label key={a}>
              {t(KEY_LABELS[a])}{' '}
              <input
                name={a}
                value={draft[a]}
                maxLength={1}
                size={2}
                required
                onInput={(e) =>
                  setDraft({ ...draft, [a]: (e.target as HTMLInputElement).value.toLowerCase() })
                }
              />
            </label>
          ))}
          <button type="submit">{t('saveKeys')}</button>
          <button type="button" onClick={() => void save({ ...DEFAULT_KEYS })}>
            {t('defaultKeys')}
          </button>
        </form>
      ) : (
        <dl>
          {rows.map(([k, d]) => (
            <div>
              <dt>
                <kbd>{k}</kbd>
              </dt>
              <dd>{t(d)}</dd>
            </div>
          ))}
        </dl>
      )}
      <ErrorNote error={error} />
      {saved && !editing && <p role="status">{t('keysSaved')}</p>}
      {!editing && (
        <button
          type="button"
          onClick={() => {
            setSaved(false);
            setEditing(true);
          }}
        >
          {t('editKeys')}
        </button>
      )}
      <button type="button" onClick={onClose}>
        {t('close')}
      </button>
    </section>
  );
}

function Comments({
  item,
  me,
  textRef,
}: {
  item: ItemDetail;
  me: Me;
  textRef: { current: HTMLTextAreaElement | null };
}) {
  const [list, setList] = useState(item.comments);
  const [error, setError] = useState<Error | undefined>();
  if (me.user.role === 'agent' && list.length === 0) return null;
  return (
    <section class="comments" aria-label={t('comments')}>
      <h2>{t('comments')}</h2>
      <ul>
        {list.map((c) => (
          <li>
            <b>{c.user}</b> <span class="muted">{dateTime(c.createdAt)}</span>
            <p>{c.body}</p>
          </li>
        ))}
      </ul>
      {me.user.role !== 'agent' && (
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            const form = e.target as HTMLFormElement;
            const body = String(new FormData(form).get('body') ?? '').trim();
            if (!body) return;
            try {
              const c = await api<(typeof list)[number]>('POST', `/api/items/${item.id}/comments`, { body });
              setList([...list, c]);
              form.reset();
            } catch (err) {
              setError(err as Error);
            }
          }}
        >
          <label>
            {t('addComment')} (m)
            <textarea name="body" ref={textRef} rows={2} maxLength={5000} />
          </label>
          <button type="submit">{t('comment')}</button>
          <ErrorNote error={error} />
        </form>
      )}
    </section>
  );
}

function AppealSummary({ item }: { item: ItemDetail }) {
  const a = item.appeal!;
  return (
    <section class="appeal" aria-label={t('appealStatus')}>
      <h2>{t('appealStatus')}</h2>
      <p data-testid="appeal-status">
        {t(`appeal_${a.status}` as Key)}
        {a.ruling && a.ruling.scoreAfter !== null && (
          <>
            {' '}
            · {t('scoreBefore')} {a.ruling.scoreBefore} → {t('scoreAfter')} <b>{a.ruling.scoreAfter}</b>
          </>
        )}
      </p>
      <p class="quote">{a.reason}</p>
      {a.ruling?.note && <p class="note">{a.ruling.note}</p>}
    </section>
  );
}

function AppealPanel({ item, reload }: { item: ItemDetail; reload: () => void }) {
  const [error, setError] = useState<Error | undefined>();
  if (item.appeal) return <AppealSummary item={item} />;
  return (
    <section class="appeal" aria-label={t('appeal')}>
      <h2>{t('appeal')}</h2>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          const reason = String(new FormData(e.target as HTMLFormElement).get('reason') ?? '').trim();
          if (!reason) return;
          try {
            await api('POST', `/api/items/${item.id}/appeals`, { reason });
            reload();
          } catch (err) {
            setError(err as Error);
          }
        }}
      >
        <label>
          {t('appealReason')}
          <textarea name="reason" rows={3} maxLength={5000} required />
        </label>
        <button type="submit" class="primary">
          {t('sendAppeal')}
        </button>
        <ErrorNote error={error} />
      </form>
    </section>
  );
}

function RulingPanel({
  item,
  findings,
  reload,
}: {
  item: ItemDetail;
  findings: FindingView[];
  reload: () => void;
}) {
  const contested = findings.filter((f) => f.final === 'confirmed');
  const [error, setError] = useState<Error | undefined>();
  const a = item.appeal!;
  return (
    <section class="appeal" aria-label={t('ruling')}>
      <h2>
        {t('ruling')} · {t('appealStatus')} #{a.id}
      </h2>
      <p class="quote">{a.reason}</p>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          const data = new FormData(e.target as HTMLFormElement);
          const decisions = contested.map((f) => ({
            findingId: f.id,
            decision: data.get(`d-${f.id}`) === 'overturn' ? 'overturn' : 'uphold',
          }));
          const note = String(data.get('note') ?? '').trim();
          try {
            await api('POST', `/api/appeals/${a.id}/ruling`, { decisions, ...(note && { note }) });
            reload();
          } catch (err) {
            setError(err as Error);
          }
        }}
      >
        {contested.map((f) => (
          <fieldset>
            <legend>
              {f.ruleId} · {f.severity} · −{f.points}
            </legend>
            <label>
              <input type="radio" name={`d-${f.id}`} value="uphold" checked />
              {t('uphold')}
            </label>
            <label>
              <input type="radio" name={`d-${f.id}`} value="overturn" />
              {t('overturn')}
            </label>
          </fieldset>
        ))}
        <label>
          {t('note')}
          <input name="note" maxLength={5000} />
        </label>
        <button type="submit" class="primary">
          {t('sendRuling')}
        </button>
        <ErrorNote error={error} />
      </form>
    </section>
  );
}
