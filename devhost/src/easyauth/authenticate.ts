import type { IncomingHttpHeaders } from 'node:http';

import { errors, type JWTPayload, jwtVerify, type JWTVerifyGetKey } from 'jose';

import { IssuerUnavailableError } from './issuer-keys.js';
import type { EasyAuthPolicy } from './policy.js';

/** Why a request was turned away; the status is what the caller gets. */
export interface Rejection {
  kind: 'rejected';
  status: 400 | 401 | 403 | 503;
  /** RFC 6750 error code for `WWW-Authenticate`. */
  error?: 'invalid_request' | 'invalid_token';
  reason: string;
  /** Token facts safe to log (never the token). */
  facts?: { kid?: string; azp?: string; oid?: string };
}

export type AuthOutcome = { kind: 'anonymous' } | { kind: 'authenticated'; claims: JWTPayload } | Rejection;

export interface AuthenticateOptions {
  policy: EasyAuthPolicy;
  keys: JWTVerifyGetKey;
  /** Allowed clock difference for `exp` and `nbf`. */
  clockSkewSeconds: number;
  now: () => number;
}

// base64url header.payload.signature; an empty signature (alg none) reaches jose and is refused there.
const BEARER = /^Bearer +([\w-]+\.[\w-]+\.[\w-]*)$/i;

/** Validates the bearer token of a request the way Easy Auth's Microsoft provider does. */
export async function authenticate(
  headers: IncomingHttpHeaders,
  distinct: NodeJS.Dict<string[]>,
  options: AuthenticateOptions,
): Promise<AuthOutcome> {
  const values = distinct.authorization ?? [];
  if (values.length > 1) return reject(400, 'invalid_request', 'more than one Authorization header');
  const value = headers.authorization;
  if (value === undefined) return { kind: 'anonymous' };
  const token = BEARER.exec(value.trim())?.[1];
  if (token === undefined) return reject(401, 'invalid_token', 'Authorization is not a single Bearer JWT');

  const { policy } = options;
  let claims: JWTPayload;
  let kid: string | undefined;
  try {
    const verified = await jwtVerify(token, options.keys, {
      algorithms: ['RS256'],
      issuer: policy.openIdIssuer,
      audience: policy.allowedAudiences,
      clockTolerance: options.clockSkewSeconds,
      requiredClaims: ['exp'],
      currentDate: new Date(options.now()),
    });
    claims = verified.payload;
    kid = verified.protectedHeader.kid;
  } catch (error) {
    return verificationFailure(error);
  }

  const facts = { kid, azp: callerApp(claims), oid: stringClaim(claims, 'oid') };
  if (policy.allowedApplications.length > 0 && !policy.allowedApplications.includes(facts.azp ?? '')) {
    return { ...reject(403, undefined, 'calling application is not in allowedApplications'), facts };
  }
  if (policy.allowedPrincipals.length > 0 && !policy.allowedPrincipals.includes(facts.oid ?? '')) {
    return { ...reject(403, undefined, 'caller object id is not in allowedPrincipals'), facts };
  }
  return { kind: 'authenticated', claims };
}

/** The calling application: `azp` in v2 tokens, `appid` in v1. */
export function callerApp(claims: JWTPayload): string | undefined {
  return stringClaim(claims, 'azp') ?? stringClaim(claims, 'appid');
}

function verificationFailure(error: unknown): Rejection {
  if (error instanceof IssuerUnavailableError || error instanceof errors.JWKSTimeout) {
    return reject(503, undefined, 'the issuer signing keys are unavailable');
  }
  if (error instanceof errors.JWTExpired) return reject(401, 'invalid_token', 'token expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    const reason = error.claim === 'nbf' ? 'token not yet valid' : `claim ${error.claim} is not accepted`;
    return reject(401, 'invalid_token', reason);
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return reject(401, 'invalid_token', 'signing algorithm not allowed');
  if (error instanceof errors.JWKSNoMatchingKey)
    return reject(401, 'invalid_token', 'signing key (kid) unknown');
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return reject(401, 'invalid_token', 'bad signature');
  if (error instanceof errors.JOSEError)
    return reject(401, 'invalid_token', `malformed token (${error.code})`);
  if (error instanceof Error && error.name === 'TypeError')
    return reject(401, 'invalid_token', 'malformed token');
  throw error;
}

function reject(status: Rejection['status'], error: Rejection['error'], reason: string): Rejection {
  return error === undefined
    ? { kind: 'rejected', status, reason }
    : { kind: 'rejected', status, error, reason };
}

function stringClaim(claims: JWTPayload, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' ? value : undefined;
}
