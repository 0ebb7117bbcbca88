import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from './api';
import { type Key, t } from './i18n';

/** Loads once per `deps` change; `reload` runs it again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: ApiError | Error; loading: boolean }>({
    loading: true,
  });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: Error) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, n]);
  return { ...state, reload: () => setN((x) => x + 1) };
}

export function ErrorNote({ error }: { error: Error | ApiError | undefined }) {
  if (!error) return null;
  const key: Key | null =
    error instanceof ApiError
      ? error.status === 403
        ? 'forbidden'
        : error.status === 404
          ? 'notFound'
          : null
      : null;
  return (
    <p role="alert" class="error">
      {key ? t(key) : `${t('error')}: ${error.message}`}
      {error instanceof ApiError && <span class="code"> ({error.code})</span>}
    </p>
  );
}

export function Loading({ when, children }: { when: boolean; children?: ComponentChildren }) {
  return when ? (
    <p class="loading" aria-live="polite">
      {t('loading')}
    </p>
  ) : (
    <>{children}</>
  );
}

export function ScoreBadge({ score, passed, fatal }: { score: number; passed: boolean; fatal: boolean }) {
  return (
    <span class={`score ${passed ? 'pass' : 'fail'}`}>
      <b>{score}</b> {passed ? t('passed') : t('failed')}
      {fatal && <span class="sev fatal"> {t('fatal')}</span>}
    </span>
  );
}

export type Period = 'day' | 'week' | 'month';

/** The day/week/month a report or a precision timeline groups by. */
export function PeriodField({ value, onChange }: { value: Period; onChange: (p: Period) => void }) {
  return (
    <label>
      {t('period')}
      <select value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value as Period)}>
        {(['day', 'week', 'month'] as const).map((p) => (
          <option value={p}>{t(p)}</option>
        ))}
      </select>
    </label>
  );
}

/**
 * Time to first render: once the page has its data and the browser has painted it, the time since
 * navigation started goes on <body data-render-NAME>; the e2e suite reads and prints it.
 */
export function useRenderTime(ready: boolean, name: string) {
  useEffect(() => {
    if (!ready) return;
    requestAnimationFrame(() => {
      document.body.dataset[`render${name}`] = String(Math.round(performance.now()));
    });
  }, [ready]);
}
