import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, get, type Me, setCsrf } from './api';
import { type Key, lang, setLang, t } from './i18n';
import { AgentPage } from './pages/Agent';
import { AppealsPage } from './pages/Appeals';
import { CalibrationPage } from './pages/Calibration';
import { ItemPageView } from './pages/Item';
import { OpsPage } from './pages/Ops';
import { QueuePage } from './pages/Queue';
import { ReportsPage } from './pages/Reports';
import { RulesPage } from './pages/Rules';
import { go, route } from './router';
import { signal, useSignal } from './state';
import './style.css';

export const me = signal<Me | null>(null);

function Login({ onDone }: { onDone: (m: Me) => void }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  async function submit(e: Event) {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    setBusy(true);
    setError('');
    try {
      const r = await api<{ csrfToken: string }>('POST', '/api/login', {
        username: String(form.get('username') ?? ''),
        password: String(form.get('password') ?? ''),
      });
      setCsrf(r.csrfToken);
      onDone(await get<Me>('/api/me'));
    } catch (err) {
      setError(err instanceof ApiError ? `${t('loginFailed')}: ${err.message}` : t('loginFailed'));
    } finally {
      setBusy(false);
    }
  }
  return (
    <main id="main" class="login">
      <h1>{t('appName')}</h1>
      <form onSubmit={submit} aria-describedby={error ? 'login-error' : undefined}>
        <label>
          {t('username')}
          <input name="username" autocomplete="username" required autofocus />
        </label>
        <label>
          {t('password')}
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <button type="submit" disabled={busy}>
          {t('login')}
        </button>
        {error && (
          <p id="login-error" role="alert" class="error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}

const NAV: Array<{ hash: string; key: Key; roles: string[] }> = [
  { hash: '#/queue', key: 'navQueue', roles: ['reviewer', 'supervisor', 'admin'] },
  { hash: '#/mine', key: 'navMine', roles: ['agent'] },
  { hash: '#/appeals', key: 'navAppeals', roles: ['supervisor', 'admin'] },
  { hash: '#/calibration', key: 'navCalibration', roles: ['supervisor', 'admin'] },
  { hash: '#/rules', key: 'navRules', roles: ['supervisor', 'admin'] },
  { hash: '#/reports', key: 'navReports', roles: ['supervisor', 'admin'] },
  { hash: '#/ops', key: 'navOps', roles: ['supervisor', 'admin'] },
];

function home(m: Me) {
  return m.user.role === 'agent' ? '#/mine' : '#/queue';
}

function App() {
  useSignal(lang);
  const r = useSignal(route);
  const m = useSignal(me);
  const [checked, setChecked] = useState(false);

  useEffect(() => {
    get<Me>('/api/me')
      .then((x) => {
        setCsrf(x.csrfToken);
        me.set(x);
      })
      .catch(() => me.set(null))
      .finally(() => setChecked(true));
  }, []);

  if (!checked) return <p class="loading">{t('loading')}</p>;
  if (!m)
    return (
      <>
        <LangSwitch />
        <Login
          onDone={(x) => {
            me.set(x);
            if (!location.hash || location.hash === '#/' || location.hash === '#/login') go(home(x));
          }}
        />
      </>
    );

  const [page = '', arg] = r.path;
  let body: preact.JSX.Element;
  switch (page) {
    case 'item':
      body = <ItemPageView key={arg} id={Number(arg)} me={m} query={r.query} onMe={(x) => me.set(x)} />;
      break;
    case 'mine':
      body = <AgentPage me={m} />;
      break;
    case 'appeals':
      body = <AppealsPage />;
      break;
    case 'calibration':
      body = <CalibrationPage />;
      break;
    case 'rules':
      body = <RulesPage />;
      break;
    case 'reports':
      body = <ReportsPage />;
      break;
    case 'ops':
      body = <OpsPage />;
      break;
    case 'queue':
      body = <QueuePage query={r.query} />;
      break;
    default:
      body = m.user.role === 'agent' ? <AgentPage me={m} /> : <QueuePage query={r.query} />;
  }
  const current = `#/${page}`;
  return (
    <>
      <button type="button" class="skip" onClick={() => document.getElementById('main')?.focus()}>
        {t('skipToContent')}
      </button>
      <header class="top">
        <strong class="brand">{t('appName')}</strong>
        <nav aria-label="main">
          {NAV.filter((n) => n.roles.includes(m.user.role)).map((n) => (
            <a href={n.hash} aria-current={current === n.hash ? 'page' : undefined}>
              {t(n.key)}
            </a>
          ))}
        </nav>
        <span class="who">
          {m.user.username} · {m.user.role}
          {m.quota && ` · ${t('quota', { today: m.quota.today, daily: m.quota.daily })}`}
        </span>
        <LangSwitch />
        <button
          type="button"
          onClick={async () => {
            await api('POST', '/api/logout').catch(() => undefined);
            me.set(null);
            go('#/login');
          }}
        >
          {t('logout')}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {body}
      </main>
    </>
  );
}

function LangSwitch() {
  const l = useSignal(lang);
  return (
    <button
      type="button"
      class="lang"
      lang={l === 'zh' ? 'en' : 'zh-CN'}
      title={t('language')}
      onClick={() => setLang(l === 'zh' ? 'en' : 'zh')}
    >
      {t('switchLanguage')}
    </button>
  );
}

setLang(lang.get());
render(<App />, document.getElementById('app')!);
