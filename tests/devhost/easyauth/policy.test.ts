import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import {
  buildLocalPolicy,
  DEFAULT_POLICY_DIR,
  isExcludedPath,
  parsePolicy,
  PolicyError,
} from '../../../devhost/src/easyauth/index.js';
import { registrations } from '../identity/helpers.js';
import { rawRequest, startHarness } from './harness.js';

const ISSUER_ORIGIN = 'http://127.0.0.1:7075';

interface AuthSettings {
  globalValidation: {
    excludedPaths: string[];
    requireAuthentication: boolean;
    unauthenticatedClientAction: string;
  };
  httpSettings: { requireHttps: boolean };
  identityProviders: {
    azureActiveDirectory: {
      registration: { clientId: string; openIdIssuer: string };
      validation: {
        allowedAudiences: string[];
        defaultAuthorizationPolicy: {
          allowedApplications: string[];
          allowedPrincipals: { identities: string[] };
        };
      };
    };
  };
}

describe('authsettingsV2 policy shared with Bicep', () => {
  for (const app of ['worker', 'orchestrator'] as const) {
    test(`the ${app} policy file keeps empty placeholders for both consumers to fill`, async () => {
      const doc = JSON.parse(
        await readFile(join(DEFAULT_POLICY_DIR, `${app}-authsettings.json`), 'utf8'),
      ) as AuthSettings;
      const aad = doc.identityProviders.azureActiveDirectory;
      assert.equal(aad.registration.clientId, '');
      assert.equal(aad.registration.openIdIssuer, '');
      assert.deepEqual(aad.validation.allowedAudiences, []);
      assert.deepEqual(aad.validation.defaultAuthorizationPolicy.allowedApplications, []);
      assert.equal(doc.globalValidation.requireAuthentication, true);
      assert.equal(doc.globalValidation.unauthenticatedClientAction, 'Return401');
      assert.deepEqual(doc.globalValidation.excludedPaths, ['/api/health']);
    });
  }

  test('buildLocalPolicy fills the worker ids and allows only the orchestrator identity', () => {
    const doc = buildLocalPolicy('worker', registrations, ISSUER_ORIGIN) as unknown as AuthSettings;
    const aad = doc.identityProviders.azureActiveDirectory;
    assert.equal(aad.registration.clientId, registrations.worker.clientId);
    assert.equal(aad.registration.openIdIssuer, `${ISSUER_ORIGIN}/${registrations.tenantId}/v2.0`);
    assert.deepEqual(aad.validation.allowedAudiences, [registrations.worker.clientId, 'api://batch-worker']);
    assert.deepEqual(aad.validation.defaultAuthorizationPolicy.allowedApplications, [
      registrations.orchestratorIdentity.clientId,
    ]);
    assert.deepEqual(aad.validation.defaultAuthorizationPolicy.allowedPrincipals.identities, [
      registrations.orchestratorIdentity.objectId,
    ]);
    assert.equal(doc.httpSettings.requireHttps, false);
  });

  test('buildLocalPolicy allows only the operator on the orchestrator', () => {
    const doc = buildLocalPolicy('orchestrator', registrations, ISSUER_ORIGIN) as unknown as AuthSettings;
    const aad = doc.identityProviders.azureActiveDirectory;
    assert.equal(aad.registration.clientId, registrations.orchestratorApi.clientId);
    assert.deepEqual(aad.validation.defaultAuthorizationPolicy.allowedApplications, [
      registrations.operator.clientId,
    ]);
  });

  test('parsePolicy refuses a policy with the placeholders still empty', () => {
    const raw = JSON.parse(
      JSON.stringify(buildLocalPolicy('worker', registrations, ISSUER_ORIGIN)),
    ) as AuthSettings;
    raw.identityProviders.azureActiveDirectory.registration.clientId = '';
    assert.throws(() => parsePolicy(raw as unknown as Record<string, unknown>), PolicyError);
  });

  test('excluded paths match exactly or as a prefix at a segment boundary, in any letter case', () => {
    const policy = parsePolicy(buildLocalPolicy('worker', registrations, ISSUER_ORIGIN));
    assert.equal(isExcludedPath(policy, '/api/health'), true);
    assert.equal(isExcludedPath(policy, '/API/Health'), true);
    assert.equal(isExcludedPath(policy, '/api/health/live'), true);
    assert.equal(isExcludedPath(policy, '/api/healthz'), false);
    assert.equal(isExcludedPath(policy, '/api'), false);
  });
});

describe('policy variants enforced by the proxy', () => {
  const aadOf = (doc: Record<string, unknown>): AuthSettings['identityProviders']['azureActiveDirectory'] =>
    (doc as unknown as AuthSettings).identityProviders.azureActiveDirectory;
  const globalOf = (doc: Record<string, unknown>): AuthSettings['globalValidation'] =>
    (doc as unknown as AuthSettings).globalValidation;

  test('allowedPrincipals: a caller whose object id is not listed gets 403', async () => {
    const h = await startHarness('worker', {
      changePolicy: (doc) => {
        aadOf(doc).validation.defaultAuthorizationPolicy.allowedPrincipals.identities = [
          registrations.operator.objectId,
        ];
      },
    });
    try {
      const token = await h.miToken('worker');
      const response = await rawRequest(h.proxy.url, '/api/jobs', [['Authorization', `Bearer ${token}`]]);
      assert.equal(response.status, 403);
      assert.match(response.body, /allowedPrincipals/);
      assert.equal(h.upstream.seen.length, 0);
    } finally {
      await h.close();
    }
  });

  test('allowedPrincipals: a listed object id passes', async () => {
    const h = await startHarness('worker', {
      changePolicy: (doc) => {
        aadOf(doc).validation.defaultAuthorizationPolicy.allowedPrincipals.identities = [
          registrations.orchestratorIdentity.objectId,
        ];
      },
    });
    try {
      const token = await h.miToken('worker');
      assert.equal(
        (await rawRequest(h.proxy.url, '/api/jobs', [['Authorization', `Bearer ${token}`]])).status,
        200,
      );
    } finally {
      await h.close();
    }
  });

  test('Return403 answers an anonymous request with 403', async () => {
    const h = await startHarness('worker', {
      changePolicy: (doc) => {
        globalOf(doc).unauthenticatedClientAction = 'Return403';
      },
    });
    try {
      assert.equal((await rawRequest(h.proxy.url, '/api/jobs', [])).status, 403);
      assert.equal(h.upstream.seen.length, 0);
    } finally {
      await h.close();
    }
  });

  test('without requireAuthentication an anonymous request passes with no principal, a bad token still fails', async () => {
    const h = await startHarness('worker', {
      changePolicy: (doc) => {
        globalOf(doc).requireAuthentication = false;
        globalOf(doc).unauthenticatedClientAction = 'AllowAnonymous';
      },
    });
    try {
      const anonymous = await rawRequest(h.proxy.url, '/api/jobs', [['X-MS-CLIENT-PRINCIPAL-ID', 'spoof']]);
      assert.equal(anonymous.status, 200);
      assert.equal(h.upstream.seen[0]?.headers['x-ms-client-principal-id'], undefined);
      assert.equal(
        (await rawRequest(h.proxy.url, '/api/jobs', [['Authorization', 'Bearer a.b.c']])).status,
        401,
      );
    } finally {
      await h.close();
    }
  });
});
