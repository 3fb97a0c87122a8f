// Serves the built front-end (devhost/dist/dashboard-ui) with strict headers.
import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

/** Nothing is loaded from anywhere but this server. */
export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; " +
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Dashboard not built</title>
<p>The dashboard's front-end has not been built. Run <code>npm run build</code> (or
<code>npm run build -w devhost</code>) and reload.</p>`;

/** Serves `pathname` from `root`; answers 404 for anything outside it or missing. */
export async function serveStatic(root: string, pathname: string, res: ServerResponse): Promise<void> {
  let relative: string;
  try {
    relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
  } catch {
    res.writeHead(400, SECURITY_HEADERS).end();
    return;
  }
  const file = normalize(join(root, relative));
  if (!file.startsWith(normalize(root + sep)) && file !== normalize(root)) {
    res.writeHead(404, SECURITY_HEADERS).end();
    return;
  }

  try {
    if (!(await stat(file)).isFile()) throw new Error('not a file');
    const body = await readFile(file);
    const immutable = relative.startsWith('assets/');
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    res.end(body);
  } catch {
    if (relative === 'index.html') {
      res.writeHead(503, { ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8' }).end(NOT_BUILT);
      return;
    }
    res.writeHead(404, { ...SECURITY_HEADERS, 'content-type': 'text/plain' }).end('Not found');
  }
}
