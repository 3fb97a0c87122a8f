import type { IncomingMessage, ServerResponse } from 'node:http';

import { readText } from '../http-util.js';
import { FaultSpecError, type IdentityFaults, type IdentityStats, parseFaults } from './faults.js';
import { MAX_BODY_BYTES, sendJson } from './http-util.js';

export const ADMIN_PREFIX = '/_devhost/';

/** What the admin routes can change on a running identity server. */
export interface IdentityControls {
  faults(): IdentityFaults;
  setFaults(change: Partial<IdentityFaults>): Promise<IdentityFaults>;
  resetFaults(): Promise<IdentityFaults>;
  stats(): IdentityStats;
  resetStats(): IdentityStats;
  rotateKeys(): Promise<{ kid: string; retiredKid: string }>;
  setTokenLifetime(seconds: number): void;
}

/**
 * Test routes, bound to loopback only:
 * `GET|POST|DELETE /_devhost/faults`, `GET /_devhost/stats`, `POST /_devhost/stats/reset`,
 * `POST /_devhost/keys/rotate`, `POST /_devhost/token-lifetime {"seconds":600}`.
 */
export async function handleAdmin(
  controls: IdentityControls,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const route = `${req.method ?? 'GET'} ${path.slice(ADMIN_PREFIX.length - 1)}`;
  try {
    switch (route) {
      case 'GET /faults':
        return sendJson(res, 200, controls.faults());
      case 'POST /faults': {
        const change = parseFaults(await readJson(req));
        if (change.refused !== true) return sendJson(res, 200, await controls.setFaults(change));
        // Refusing closes every connection, this one too: answer first, then stop listening.
        res.once('finish', () => void controls.setFaults(change));
        return sendJson(res, 200, { ...controls.faults(), ...change });
      }
      case 'DELETE /faults':
        return sendJson(res, 200, await controls.resetFaults());
      case 'GET /stats':
        return sendJson(res, 200, controls.stats());
      case 'POST /stats/reset':
        return sendJson(res, 200, controls.resetStats());
      case 'POST /keys/rotate':
        return sendJson(res, 200, await controls.rotateKeys());
      case 'POST /token-lifetime': {
        const seconds = ((await readJson(req)) as { seconds?: unknown } | null)?.seconds;
        if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1) {
          throw new FaultSpecError('Expected {"seconds": <positive integer>}.');
        }
        controls.setTokenLifetime(seconds);
        return sendJson(res, 200, { seconds });
      }
      default:
        return sendJson(res, 404, problem(404, `No admin route ${route}.`));
    }
  } catch (error) {
    if (!(error instanceof FaultSpecError) && !(error instanceof SyntaxError)) throw error;
    sendJson(res, 400, problem(400, error.message), { 'content-type': 'application/problem+json' });
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const text = await readText(req, MAX_BODY_BYTES);
  return text === '' ? {} : (JSON.parse(text) as unknown);
}

function problem(status: number, detail: string): Record<string, unknown> {
  return { type: 'about:blank', title: status === 404 ? 'Not Found' : 'Bad Request', status, detail };
}
