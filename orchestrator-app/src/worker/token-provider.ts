import { ManagedIdentityCredential, type TokenCredential } from '@azure/identity';

import { TokenAcquisitionError } from '../errors.js';

/** Gives a bearer token for one scope. Tokens are returned to the caller only, never stored elsewhere. */
export interface TokenProvider {
  /** Resolves a token string for the scope; rejects with `TokenAcquisitionError`. */
  getToken(): Promise<string>;
}

/**
 * Wraps a credential with single-flight acquisition (concurrent callers share one request) and a
 * time limit of its own, because `getToken()` ignores its abort signal. Caching is the credential's:
 * each call asks it again, so an expiring token is renewed on the next attempt.
 */
export function createTokenProvider(
  credential: TokenCredential,
  scope: string,
  timeoutMs: number,
): TokenProvider {
  let inFlight: Promise<string> | undefined;

  const acquire = async (): Promise<string> => {
    try {
      const token = await credential.getToken(scope);
      if (!token?.token)
        throw new TokenAcquisitionError(`The credential returned no token for scope ${scope}.`);
      return token.token;
    } catch (error) {
      if (error instanceof TokenAcquisitionError) throw error;
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new TokenAcquisitionError(`Managed identity gave no token for scope ${scope} (${reason}).`, {
        cause: error,
      });
    }
  };

  return {
    async getToken() {
      inFlight ??= acquire().finally(() => {
        inFlight = undefined;
      });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(
            new TokenAcquisitionError(
              `No token for scope ${scope} within TOKEN_TIMEOUT_MS (${timeoutMs} ms).`,
            ),
          );
        }, timeoutMs);
      });
      try {
        return await Promise.race([inFlight, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

let shared: { credential: ManagedIdentityCredential; clientId: string | undefined } | undefined;

/**
 * The process-wide managed identity credential; a user-assigned identity when `clientId` is given.
 * One instance per process keeps one token cache and one identity endpoint conversation.
 */
export function sharedManagedIdentityCredential(clientId: string | undefined): ManagedIdentityCredential {
  if (!shared || shared.clientId !== clientId) {
    shared = {
      credential: clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential(),
      clientId,
    };
  }
  return shared.credential;
}
