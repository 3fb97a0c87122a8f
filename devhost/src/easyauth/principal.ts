import type { JWTPayload } from 'jose';

import { callerApp } from './authenticate.js';

const NAME_TYPE = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name';
const ROLE_TYPE = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role';

// App Service hands the app the claim types .NET maps these JWT claims to; the rest keep their names.
const MAPPED_TYPES: Record<string, string> = {
  oid: 'http://schemas.microsoft.com/identity/claims/objectidentifier',
  tid: 'http://schemas.microsoft.com/identity/claims/tenantid',
  sub: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier',
  idp: 'http://schemas.microsoft.com/identity/claims/identityprovider',
  scp: 'http://schemas.microsoft.com/identity/claims/scope',
};

/** Client-sent headers only Easy Auth may set: `X-MS-CLIENT-PRINCIPAL*` and `X-MS-TOKEN-*`. */
export function isReservedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('x-ms-client-principal') || lower.startsWith('x-ms-token-');
}

/** A claim of `X-MS-CLIENT-PRINCIPAL`. */
export interface PrincipalClaim {
  typ: string;
  val: string;
}

/** The `X-MS-CLIENT-PRINCIPAL*` headers App Service injects for a validated token. */
export function principalHeaders(claims: JWTPayload): Record<string, string> {
  const list: PrincipalClaim[] = [];
  for (const [name, value] of Object.entries(claims)) {
    const typ = MAPPED_TYPES[name] ?? name;
    for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
      list.push({ typ, val: typeof item === 'string' ? item : JSON.stringify(item) });
    }
  }
  const principal = { auth_typ: 'aad', claims: list, name_typ: NAME_TYPE, role_typ: ROLE_TYPE };

  const id = typeof claims.oid === 'string' ? claims.oid : (claims.sub ?? '');
  const name = [claims.name, claims.preferred_username, callerApp(claims), id].find(
    (candidate): candidate is string => typeof candidate === 'string' && candidate !== '',
  );
  return {
    'X-MS-CLIENT-PRINCIPAL': Buffer.from(JSON.stringify(principal)).toString('base64'),
    'X-MS-CLIENT-PRINCIPAL-ID': id,
    'X-MS-CLIENT-PRINCIPAL-NAME': name ?? id,
    'X-MS-CLIENT-PRINCIPAL-IDP': 'aad',
  };
}
