import { dataDirOfLocalIssuer, loadRegistrations, readClientSecret } from '../identity/index.js';

/** The local issuer refused or could not be asked for an operator token. */
export class OperatorTokenError extends Error {
  override name = 'OperatorTokenError';
}

export interface OperatorTokenOptions {
  /** The issuer origin (`http://127.0.0.1:7075`) or the tenant issuer (`.../{tenant}/v2.0`). */
  issuerUrl: string;
  /** e.g. `api://batch-orchestrator/.default`. */
  scope: string;
  /**
   * The devhost data folder whose operator secret to use. Default: the folder of the identity server
   * at `issuerUrl` when it runs in this process, else `$DEVHOST_DATA`, else `.devhost`.
   */
  dataDir?: string;
  /** Default: the operator of devhost/local-registrations.json. */
  clientId?: string;
  registrationsPath?: string;
}

/**
 * A client_credentials token for the local operator client, with the secret devhost generated in the
 * data folder. The local counterpart of `az account get-access-token --scope <api>/.default`.
 * Tokens are reused in this process until five minutes before they expire.
 */
export async function getOperatorToken(options: OperatorTokenOptions): Promise<string> {
  // Keyed by the resolved data folder: a new folder behind the same origin means new signing keys.
  const resolved = { ...options, dataDir: resolveDataDir(options) };
  const key = JSON.stringify([
    resolved.issuerUrl,
    resolved.scope,
    resolved.dataDir,
    resolved.clientId,
    resolved.registrationsPath,
  ]);
  let getter = shared.get(key);
  if (!getter) {
    getter = cachedOperatorToken(resolved);
    shared.set(key, getter);
  }
  return getter();
}

function resolveDataDir(options: OperatorTokenOptions): string {
  return options.dataDir ?? dataDirOfLocalIssuer(options.issuerUrl) ?? process.env.DEVHOST_DATA ?? '.devhost';
}

// Callers such as the dashboard ask for a token per request: reuse it until shortly before expiry.
const shared = new Map<string, () => Promise<string>>();

/** Like getOperatorToken, with the lifetime the issuer granted. */
export async function requestOperatorToken(
  options: OperatorTokenOptions,
): Promise<{ accessToken: string; expiresInSeconds: number }> {
  const registrations = loadRegistrations(options.registrationsPath);
  const clientId = options.clientId ?? registrations.operator.clientId;
  const secret = await readClientSecret(resolveDataDir(options), clientId).catch((cause: unknown) => {
    throw new OperatorTokenError((cause as Error).message, { cause });
  });
  const url = new URL(options.issuerUrl);
  const issuer =
    url.pathname.replace(/\/+$/, '') === ''
      ? `${url.origin}/${registrations.tenantId}/v2.0`
      : url.href.replace(/\/+$/, '');

  const discovery = (await askIssuer(`${issuer}/.well-known/openid-configuration`)) as {
    token_endpoint?: unknown;
  };
  if (typeof discovery.token_endpoint !== 'string') {
    throw new OperatorTokenError(`${issuer} publishes no token_endpoint: is it the devhost issuer?`);
  }
  const answer = (await askIssuer(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: secret,
      scope: options.scope,
    }).toString(),
  })) as { access_token?: unknown; expires_in?: unknown };
  if (typeof answer.access_token !== 'string')
    throw new OperatorTokenError('The token endpoint sent no access_token.');
  return {
    accessToken: answer.access_token,
    expiresInSeconds: typeof answer.expires_in === 'number' ? answer.expires_in : 3600,
  };
}

/** A token getter that asks again only when the token has less than five minutes left. */
export function cachedOperatorToken(
  options: OperatorTokenOptions,
  now: () => number = Date.now,
): () => Promise<string> {
  let cached: { token: string; refreshAt: number } | undefined;
  let pending: Promise<string> | undefined;
  return () => {
    if (cached && now() < cached.refreshAt) return Promise.resolve(cached.token);
    pending ??= requestOperatorToken(options)
      .then(({ accessToken, expiresInSeconds }) => {
        cached = { token: accessToken, refreshAt: now() + Math.max(0, expiresInSeconds - 300) * 1000 };
        return accessToken;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

async function askIssuer(url: string, init: RequestInit = {}): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  } catch (cause) {
    throw new OperatorTokenError(`Cannot reach the local issuer at ${url}: is devhost running?`, { cause });
  }
  const body = (await response.json().catch(() => ({}))) as { error?: string; error_description?: string };
  if (!response.ok) {
    throw new OperatorTokenError(
      `The local issuer answered ${response.status} ${body.error ?? ''}: ${body.error_description ?? ''}`.trim(),
    );
  }
  return body;
}
