import type { HttpRequest, HttpResponseInit } from '@azure/functions';

import { problem } from './problem.js';

/** The caller as Easy Auth describes it in `X-MS-CLIENT-PRINCIPAL`. */
export interface Principal {
  roles: ReadonlySet<string>;
  objectId: string | undefined;
  appId: string | undefined;
}

interface Claim {
  typ: string;
  val: string;
}

/**
 * Parses the base64 `X-MS-CLIENT-PRINCIPAL` header. Returns undefined when it is absent or malformed,
 * so callers fail closed. Roles are the claims typed `role_typ` or `roles`.
 */
export function parsePrincipal(header: string | null | undefined): Principal | undefined {
  if (!header) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { claims, role_typ: roleType } = parsed as { claims?: unknown; role_typ?: unknown };
  if (!Array.isArray(claims)) return undefined;
  const valid = claims.filter(
    (c): c is Claim => typeof (c as Claim)?.typ === 'string' && typeof (c as Claim)?.val === 'string',
  );
  const roleTypes = new Set(['roles', ...(typeof roleType === 'string' ? [roleType] : [])]);
  const first = (...types: string[]): string | undefined =>
    types.map((t) => valid.find((c) => c.typ === t)?.val).find((v) => v !== undefined);
  return {
    roles: new Set(valid.filter((c) => roleTypes.has(c.typ)).map((c) => c.val)),
    objectId: first('oid', 'http://schemas.microsoft.com/identity/claims/objectidentifier'),
    appId: first('azp', 'appid'),
  };
}

/** Either the caller, or the 401/403 problem to answer with. */
export type Authorization = { ok: true; principal: Principal } | { ok: false; response: HttpResponseInit };

/** Lets the request through when its principal holds one of `roles`; 401 without a principal, 403 without a role. */
export function authorize(request: HttpRequest, roles: readonly string[]): Authorization {
  const principal = parsePrincipal(request.headers.get('x-ms-client-principal'));
  if (!principal) {
    const response = problem(401, 'No valid X-MS-CLIENT-PRINCIPAL: call through Easy Auth with a token.');
    return {
      ok: false,
      response: {
        ...response,
        headers: { ...(response.headers as Record<string, string>), 'www-authenticate': 'Bearer' },
      },
    };
  }
  if (!roles.some((role) => principal.roles.has(role))) {
    return { ok: false, response: problem(403, `The caller holds none of the roles ${roles.join(', ')}.`) };
  }
  return { ok: true, principal };
}
