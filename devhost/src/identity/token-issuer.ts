import { randomBytes } from 'node:crypto';

import { SignJWT } from 'jose';

import type { KeyStore } from './key-store.js';
import {
  assignedRoles,
  type ClientRegistration,
  type LocalRegistrations,
  type ResourceKey,
} from './registrations.js';

export interface IssueRequest {
  client: ClientRegistration;
  resource: ResourceKey;
  /** True for managed-identity tokens: sets `azpacr` 2 and `xms_mirid` as Entra does. */
  managedIdentity: boolean;
  /** Role values to leave out although assigned (a test switch). */
  withoutRoles?: readonly string[];
}

export interface IssuedToken {
  accessToken: string;
  /** Epoch seconds. */
  expiresOn: number;
  expiresIn: number;
  kid: string;
  roles: string[];
}

export interface TokenIssuer {
  issue(request: IssueRequest): Promise<IssuedToken>;
}

export interface TokenIssuerOptions {
  registrations: LocalRegistrations;
  keys: KeyStore;
  /** `{origin}/{tenant}/v2.0`. */
  issuer: string;
  lifetimeSeconds: () => number;
  now: () => number;
}

/** Signs v2 access tokens shaped like the ones Entra issues to applications. */
export function createTokenIssuer(options: TokenIssuerOptions): TokenIssuer {
  const { registrations, keys, issuer } = options;

  return {
    async issue(request) {
      const nowSeconds = Math.floor(options.now() / 1000);
      const lifetime = options.lifetimeSeconds();
      const { kid, key } = keys.current();
      const roles = assignedRoles(request.client, request.resource, request.withoutRoles);

      const claims: Record<string, unknown> = {
        azp: request.client.clientId,
        azpacr: request.managedIdentity ? '2' : '1',
        oid: request.client.objectId,
        tid: registrations.tenantId,
        uti: randomBytes(16).toString('base64url'),
        ver: '2.0',
      };
      // Entra leaves the claim out rather than sending an empty list.
      if (roles.length > 0) claims.roles = roles;
      if (request.managedIdentity) {
        claims.xms_mirid =
          `/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/devhost/providers/` +
          `Microsoft.ManagedIdentity/userAssignedIdentities/${request.client.displayName}`;
      }

      const accessToken = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
        .setIssuer(issuer)
        .setAudience(registrations[request.resource].clientId)
        .setSubject(request.client.objectId)
        .setIssuedAt(nowSeconds)
        .setNotBefore(nowSeconds)
        .setExpirationTime(nowSeconds + lifetime)
        .sign(key);
      return { accessToken, expiresOn: nowSeconds + lifetime, expiresIn: lifetime, kid, roles };
    },
  };
}
