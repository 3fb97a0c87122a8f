/**
 * Test switches of the managed-identity endpoint, changeable while the server runs (in process
 * through `IdentityServer.setFaults`, from outside through `POST /_devhost/faults`).
 */
export interface IdentityFaults {
  /** Delay before every managed-identity answer. */
  latencyMs: number;
  /** Answer managed-identity requests with this status (500, 429, 503, ...) instead of a token. */
  errorStatus: number | null;
  /** `Retry-After` seconds sent with `errorStatus`; none when null. */
  retryAfterSeconds: number | null;
  /** How many requests `errorStatus` applies to before it clears itself; null: until changed. */
  errorCount: number | null;
  /** Stop listening: callers get connection refused until cleared or `refusedForMs` passes. */
  refused: boolean;
  refusedForMs: number | null;
  /** Role values left out of managed-identity tokens although assigned. */
  withoutRoles: string[];
}

export interface IdentityStats {
  /** Every request to the managed-identity endpoint, answered or failed. */
  managedIdentityRequests: number;
  managedIdentityTokens: number;
  /** Requests to the token endpoint (`client_credentials`). */
  tokenRequests: number;
  tokenEndpointTokens: number;
  faultsInjected: number;
}

export const NO_FAULTS: IdentityFaults = {
  latencyMs: 0,
  errorStatus: null,
  retryAfterSeconds: null,
  errorCount: null,
  refused: false,
  refusedForMs: null,
  withoutRoles: [],
};

/** The body of a fault change is not valid. */
export class FaultSpecError extends Error {
  override name = 'FaultSpecError';
}

/** Checks a partial fault change as received over HTTP; unknown fields are refused. */
export function parseFaults(value: unknown): Partial<IdentityFaults> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FaultSpecError('Expected a JSON object of fault fields, e.g. {"errorStatus":500}.');
  }
  const result: Partial<IdentityFaults> = {};
  for (const [field, raw] of Object.entries(value)) {
    switch (field) {
      case 'latencyMs':
        result.latencyMs = nonNegative(field, raw);
        break;
      case 'errorStatus':
        result.errorStatus = raw === null ? null : status(raw);
        break;
      case 'retryAfterSeconds':
      case 'errorCount':
      case 'refusedForMs':
        result[field] = raw === null ? null : nonNegative(field, raw);
        break;
      case 'refused':
        if (typeof raw !== 'boolean')
          throw new FaultSpecError(`"refused" must be a boolean, got ${String(raw)}.`);
        result.refused = raw;
        break;
      case 'withoutRoles':
        if (!Array.isArray(raw) || !raw.every((role) => typeof role === 'string')) {
          throw new FaultSpecError('"withoutRoles" must be a list of role values.');
        }
        result.withoutRoles = raw;
        break;
      default:
        throw new FaultSpecError(`Unknown fault field "${field}".`);
    }
  }
  return result;
}

function nonNegative(field: string, raw: unknown): number {
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0) {
    throw new FaultSpecError(`"${field}" must be a number >= 0, got ${JSON.stringify(raw)}.`);
  }
  return raw;
}

function status(raw: unknown): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 400 || raw > 599) {
    throw new FaultSpecError(
      `"errorStatus" must be an HTTP error status 400-599, got ${JSON.stringify(raw)}.`,
    );
  }
  return raw;
}
