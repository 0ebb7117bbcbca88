import { signal } from './state';

/** Hash routes (#/item/12?review=3): the server serves one index.html and needs no route table. */
export interface Route {
  path: string[];
  query: URLSearchParams;
}

function parse(): Route {
  const raw = location.hash.replace(/^#\/?/, '');
  const [p = '', q = ''] = raw.split('?');
  return { path: p.split('/').filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(q) };
}

export const route = signal<Route>(parse());
window.addEventListener('hashchange', () => route.set(parse()));

export function go(hash: string) {
  if (location.hash === hash) route.set(parse());
  else location.hash = hash;
}
