// The dashboard's routes live in the URL hash, so any view can be shared as a link and the static
// server needs no fallback: `#/?status=Running` (list), `#/instances/<id>?tab=history` (detail),
// `#/runs?status=running` (the run API's runs).

export type DetailTab = 'overview' | 'history' | 'timeline';

export type Route =
  | { view: 'list'; params: URLSearchParams }
  | { view: 'runs'; params: URLSearchParams }
  | { view: 'instance'; id: string; tab: DetailTab };

const TABS: readonly DetailTab[] = ['overview', 'history', 'timeline'];

export function parseRoute(hash: string): Route {
  const body = hash.replace(/^#/, '');
  const [path = '', query = ''] = body.split(/\?(.*)/s);
  const params = new URLSearchParams(query);
  if (path === '/runs') return { view: 'runs', params };
  const match = /^\/instances\/(.+)$/.exec(path);
  if (match?.[1]) {
    let id: string;
    try {
      id = decodeURIComponent(match[1]);
    } catch {
      id = match[1];
    }
    const tab = params.get('tab') ?? '';
    return { view: 'instance', id, tab: TABS.includes(tab as DetailTab) ? (tab as DetailTab) : 'overview' };
  }
  return { view: 'list', params };
}

export function listHash(params: URLSearchParams): string {
  const query = params.toString();
  return query ? `#/?${query}` : '#/';
}

export function instanceHash(id: string, tab: DetailTab = 'overview'): string {
  return `#/instances/${encodeURIComponent(id)}${tab === 'overview' ? '' : `?tab=${tab}`}`;
}

export function runsHash(params: URLSearchParams): string {
  const query = params.toString();
  return query ? `#/runs?${query}` : '#/runs';
}
