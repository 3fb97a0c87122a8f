/** One claim as Easy Auth forwards it. */
export interface PrincipalClaim {
  typ: string;
  val: string;
}

/** The caller as Easy Auth authenticated it, decoded from `X-MS-CLIENT-PRINCIPAL`. */
export interface ClientPrincipal {
  authType: string;
  claims: readonly PrincipalClaim[];
  /** App roles: claims whose type is the principal's `role_typ` or `roles`. */
  roles: ReadonlySet<string>;
  /** The calling application's client id (`azp`, else `appid`), lower-cased. */
  callerAppId: string | undefined;
  /** The caller's object id (`oid`, else the long object-identifier claim type), lower-cased. */
  objectId: string | undefined;
}

/** The header is absent or cannot be trusted; the caller gets 401 and never the reason's details. */
export class PrincipalError extends Error {
  override readonly name = 'PrincipalError';
  /** A short reason safe to log (never the header value). */
  readonly reason: string;

  constructor(reason: string, options?: ErrorOptions) {
    super(`X-MS-CLIENT-PRINCIPAL rejected: ${reason}`, options);
    this.reason = reason;
  }
}

/** Larger headers are refused before decoding; Easy Auth's own principals are a few KiB. */
export const MAX_PRINCIPAL_HEADER_LENGTH = 16 * 1024;
const MAX_CLAIMS = 500;
const MAX_CLAIM_LENGTH = 4096;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const OBJECT_ID_LONG = 'http://schemas.microsoft.com/identity/claims/objectidentifier';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new PrincipalError(`${field} is not a string`);
  return value;
}

function decode(header: string): unknown {
  if (header.length > MAX_PRINCIPAL_HEADER_LENGTH) throw new PrincipalError('header too large');
  const trimmed = header.trim();
  if (!BASE64.test(trimmed) || trimmed.length % 4 !== 0) throw new PrincipalError('not base64');

  const json = Buffer.from(trimmed, 'base64').toString('utf8');
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new PrincipalError('not JSON', { cause: error });
  }
}

function readClaims(raw: unknown): PrincipalClaim[] {
  if (!Array.isArray(raw)) throw new PrincipalError('claims is not an array');
  if (raw.length > MAX_CLAIMS) throw new PrincipalError('too many claims');
  return raw.map((claim) => {
    if (!isRecord(claim) || typeof claim.typ !== 'string' || typeof claim.val !== 'string') {
      throw new PrincipalError('a claim is not {typ, val} strings');
    }
    if (claim.typ.length > MAX_CLAIM_LENGTH || claim.val.length > MAX_CLAIM_LENGTH) {
      throw new PrincipalError('a claim is too long');
    }
    return { typ: claim.typ, val: claim.val };
  });
}

/** The single value of the first claim type present; two different values of it are a forgery sign. */
function single(claims: readonly PrincipalClaim[], types: readonly string[]): string | undefined {
  for (const type of types) {
    const values = new Set(claims.filter((c) => c.typ === type).map((c) => c.val.toLowerCase()));
    if (values.size > 1) throw new PrincipalError(`conflicting ${type} claims`);
    const [value] = values;
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * Decodes and checks an `X-MS-CLIENT-PRINCIPAL` header value: base64 of
 * `{auth_typ, claims:[{typ,val}], name_typ, role_typ}`. Only the Microsoft provider (`aad`) is
 * accepted. When `X-MS-CLIENT-PRINCIPAL-ID` is given it must match the object id claim. Throws
 * {@link PrincipalError} for anything absent, malformed or inconsistent.
 */
export function parseClientPrincipal(
  header: string | null | undefined,
  principalId?: string | null,
): ClientPrincipal {
  if (header === null || header === undefined || header.trim() === '')
    throw new PrincipalError('header missing');

  const body = decode(header);
  if (!isRecord(body)) throw new PrincipalError('not a JSON object');
  const authType = optionalString(body, 'auth_typ');
  if (authType?.toLowerCase() !== 'aad') throw new PrincipalError('auth_typ is not aad');
  const roleType = optionalString(body, 'role_typ');
  optionalString(body, 'name_typ');
  const claims = readClaims(body.claims);

  const roleTypes = new Set(['roles', ...(roleType ? [roleType] : [])]);
  const roles = new Set(claims.filter((c) => roleTypes.has(c.typ)).map((c) => c.val));
  const callerAppId = single(claims, ['azp', 'appid']);
  const objectId = single(claims, ['oid', OBJECT_ID_LONG]);
  if (principalId && objectId !== undefined && principalId.trim().toLowerCase() !== objectId) {
    throw new PrincipalError('X-MS-CLIENT-PRINCIPAL-ID does not match the object id claim');
  }

  return { authType, claims, roles, callerAppId, objectId };
}
