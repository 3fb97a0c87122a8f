import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';

/** The issuer's discovery document could not be fetched or does not name this issuer. */
export class IssuerUnavailableError extends Error {
  override name = 'IssuerUnavailableError';
}

export interface IssuerKeyOptions {
  /** Least time between two JWKS fetches caused by an unknown `kid`; default 30 s. */
  cooldownMs?: number;
  /** How long fetched keys are used before they are fetched again; default 10 min. */
  cacheMaxAgeMs?: number;
}

/**
 * Signing keys of an OIDC issuer: discovery once (again after a failure), then the JWKS it names,
 * cached and fetched again when a token carries an unknown `kid` (rate-limited by the cooldown).
 */
export function issuerKeys(openIdIssuer: string, options: IssuerKeyOptions = {}): JWTVerifyGetKey {
  let keys: Promise<JWTVerifyGetKey> | undefined;

  const discover = async (): Promise<JWTVerifyGetKey> => {
    const url = `${openIdIssuer}/.well-known/openid-configuration`;
    let doc: { issuer?: unknown; jwks_uri?: unknown };
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) throw new Error(`status ${response.status}`);
      doc = (await response.json()) as typeof doc;
    } catch (cause) {
      throw new IssuerUnavailableError(`Cannot read OIDC metadata at ${url}: is the issuer running?`, {
        cause,
      });
    }
    if (doc.issuer !== openIdIssuer || typeof doc.jwks_uri !== 'string') {
      throw new IssuerUnavailableError(
        `${url} names issuer ${String(doc.issuer)}, expected ${openIdIssuer}.`,
      );
    }
    return createRemoteJWKSet(new URL(doc.jwks_uri), {
      cooldownDuration: options.cooldownMs ?? 30_000,
      cacheMaxAge: options.cacheMaxAgeMs ?? 600_000,
      timeoutDuration: 5000,
    });
  };

  return async (header, token) => {
    keys ??= discover().catch((error: unknown) => {
      keys = undefined;
      throw error;
    });
    return (await keys)(header, token);
  };
}
