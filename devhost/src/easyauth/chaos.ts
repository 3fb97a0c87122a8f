// A test switch of the Easy Auth proxy: after a request passed authentication, answer some share of
// them with 429 or 503 or reset the connection instead of forwarding, as an overloaded or flaky
// front end would. Off unless a test turns it on.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface ProxyChaos {
  /** Share of requests answered 429 with `Retry-After` (0..1). */
  throttleRate: number;
  /** Share answered 503 with `Retry-After` (0..1). */
  unavailableRate: number;
  /** Share whose connection is destroyed without an answer (0..1). */
  resetRate: number;
  /** `Retry-After` seconds on the 429 and 503 answers; default 1. */
  retryAfterSeconds?: number;
  /** Seed of the decisions, so a failing run can be repeated; default 1. */
  seed?: number;
}

export interface ChaosStats {
  /** Requests the chaos switch looked at while on. */
  seen: number;
  throttled: number;
  unavailable: number;
  reset: number;
}

/** A chaos setting is not valid. */
export class ChaosSpecError extends Error {
  override name = 'ChaosSpecError';
}

export interface Chaos {
  set(spec: ProxyChaos | null): void;
  stats(): ChaosStats;
  /** Answers or drops the request and returns true when chaos strikes; false lets it through. */
  strike(req: IncomingMessage, res: ServerResponse): boolean;
}

const EMPTY: ChaosStats = { seen: 0, throttled: 0, unavailable: 0, reset: 0 };

function checkRate(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new ChaosSpecError(`${name} must be a share from 0 to 1, got ${JSON.stringify(value)}.`);
  }
}

/** mulberry32: small and seedable, enough to spread faults evenly. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function answer(res: ServerResponse, status: 429 | 503, retryAfter: number): void {
  const body = JSON.stringify({
    type: 'about:blank',
    title: status === 429 ? 'Too Many Requests' : 'Service Unavailable',
    status,
    detail: 'injected by the devhost chaos switch',
  });
  res
    .writeHead(status, {
      'content-type': 'application/problem+json',
      'retry-after': String(retryAfter),
      'content-length': Buffer.byteLength(body),
    })
    .end(body);
}

/** The chaos switch of one proxy, off until `set` is called with a spec. */
export function createChaos(initial?: ProxyChaos): Chaos {
  let spec: ProxyChaos | null = null;
  let random = seeded(1);
  const stats: ChaosStats = { ...EMPTY };

  const chaos: Chaos = {
    set(next) {
      if (next) {
        checkRate('throttleRate', next.throttleRate);
        checkRate('unavailableRate', next.unavailableRate);
        checkRate('resetRate', next.resetRate);
        if (next.throttleRate + next.unavailableRate + next.resetRate > 1)
          throw new ChaosSpecError('The chaos rates add up to more than 1.');
      }
      spec = next;
      random = seeded(next?.seed ?? 1);
    },
    stats: () => ({ ...stats }),
    strike(req, res) {
      if (!spec) return false;
      stats.seen += 1;
      const roll = random();
      const retryAfter = spec.retryAfterSeconds ?? 1;
      if (roll < spec.throttleRate) {
        stats.throttled += 1;
        req.resume();
        answer(res, 429, retryAfter);
        return true;
      }
      if (roll < spec.throttleRate + spec.unavailableRate) {
        stats.unavailable += 1;
        req.resume();
        answer(res, 503, retryAfter);
        return true;
      }
      if (roll < spec.throttleRate + spec.unavailableRate + spec.resetRate) {
        stats.reset += 1;
        req.socket.destroy();
        return true;
      }
      return false;
    },
  };
  if (initial) chaos.set(initial);
  return chaos;
}
