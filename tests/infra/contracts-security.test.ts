// No secret anywhere, storage without keys, Easy Auth in front of both apps, and exactly the roles
// each identity needs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatPosition } from './lib/bicep-parser.js';
import { at, asObject, moduleParam } from './lib/contract-helpers.js';
import { isObjectValue, originOf } from './lib/bicep-template.js';
import { BicepTypeIndex, locateTypeData } from './lib/bicep-types.js';
import { checkValueAgainst, formatProblem } from './lib/type-check.js';
import { display, listFiles, loadInfraTemplate, loadInfraTemplates, repoRoot } from './lib/templates.js';

const roleIds = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
  durableTaskDataContributor: '0ad04412-c4d5-4796-b79c-f76d14c8d402',
};
const orchestratorPrincipal = '${orchestratorIdentity.properties.principalId}';
const workerPrincipal = '${workerIdentity.properties.principalId}';
const orchestratorClientId = '${orchestratorIdentity.properties.clientId}';

const infraFiles = () => listFiles(join(repoRoot, 'infra'), ['.bicep', '.bicepparam', '.json', '.sh']);

test('no template calls a list* function that returns keys or SAS tokens', async () => {
  const calls = (await loadInfraTemplates()).flatMap((template) =>
    template
      .calls()
      .filter((call) => /(^|\.)list[A-Z]\w*$/.test(call.name))
      .map((call) => `${formatPosition(template.where(call.node))}: ${call.name}()`),
  );

  assert.deepEqual(calls, []);
});

test('no infrastructure file contains an account key, SAS or shared access key', () => {
  const pattern = /AccountKey=|SharedAccessSignature|SharedAccessKey|sig=|listKeys/i;
  const offending = infraFiles().filter((file) => pattern.test(readFileSync(file, 'utf8')));

  assert.deepEqual(offending.map(display), []);
});

test('no output is secure or carries a key, secret, password or connection string', async () => {
  const offending = [];
  for (const template of await loadInfraTemplates()) {
    for (const output of template.outputs) {
      const text = output.value?.text ?? '';
      const secureType = /^secure/i.test(output.type);
      const looksSecret = /key|secret|password|connectionstring|token/i.test(output.name + text);
      if (output.decorators.includes('secure') || secureType || looksSecret) {
        offending.push(`${formatPosition(template.where(output.node))}: output ${output.name}`);
      }
    }
  }

  assert.deepEqual(offending, []);
});

test('every storage account refuses shared keys, public blobs and TLS below 1.2', async () => {
  const accounts = (await loadInfraTemplates()).flatMap((template) =>
    template.resources
      .filter((resource) => resource.type === 'Microsoft.Storage/storageAccounts' && !resource.existing)
      .map((resource) => ({
        where: formatPosition(template.where(resource.node)),
        body: template.evaluate(resource.body),
      })),
  );

  assert.ok(accounts.length > 0, 'expected a storage account');
  for (const { where, body } of accounts) {
    assert.equal(at(body, 'properties.allowSharedKeyAccess'), false, where);
    assert.equal(at(body, 'properties.allowBlobPublicAccess'), false, where);
    assert.equal(at(body, 'properties.minimumTlsVersion'), 'TLS1_2', where);
    assert.equal(at(body, 'properties.supportsHttpsTrafficOnly'), true, where);
  }
});

test('Application Insights and Log Analytics accept Entra-authenticated telemetry only', async () => {
  const template = await loadInfraTemplate('modules/monitoring.bicep');
  const body = (symbol: string) =>
    template.evaluate(template.resources.find((r) => r.symbol === symbol)?.body);

  assert.equal(at(body('appInsights'), 'properties.DisableLocalAuth'), true);
  assert.equal(at(body('workspace'), 'properties.features.disableLocalAuth'), true);
});

function assignmentsOf(symbol: string) {
  return async () => {
    const template = await loadInfraTemplate('resources.bicep');
    const value = moduleParam(template, symbol, 'roleAssignments');
    assert.ok(Array.isArray(value));
    return value
      .map(
        (item) =>
          `${JSON.stringify(at(item, 'principalId'))} ${JSON.stringify(at(item, 'roleDefinitionId'))}`,
      )
      .sort();
  };
}

test('the orchestrator identity holds the Durable Functions roles on its host storage', async () => {
  const expected = [
    roleIds.storageBlobDataOwner,
    roleIds.storageQueueDataContributor,
    roleIds.storageTableDataContributor,
  ]
    .map((role) => `${JSON.stringify(orchestratorPrincipal)} ${JSON.stringify(role)}`)
    .sort();

  assert.deepEqual(await assignmentsOf('orchestratorStorage')(), expected);
});

test('the worker identity holds Table Data Contributor and, for its host and package, Blob Data Owner', async () => {
  const expected = [roleIds.storageTableDataContributor, roleIds.storageBlobDataOwner]
    .map((role) => `${JSON.stringify(workerPrincipal)} ${JSON.stringify(role)}`)
    .sort();

  assert.deepEqual(await assignmentsOf('workerStorage')(), expected);
});

test('both identities publish telemetry and the orchestrator identity reaches the scheduler', async () => {
  const template = await loadInfraTemplate('resources.bicep');

  assert.deepEqual(moduleParam(template, 'monitoring', 'publisherPrincipalIds'), [
    orchestratorPrincipal,
    workerPrincipal,
  ]);
  assert.equal(
    moduleParam(template, 'monitoring', 'metricsPublisherRoleId'),
    roleIds.monitoringMetricsPublisher,
  );
  assert.equal(moduleParam(template, 'scheduler', 'appPrincipalId'), orchestratorPrincipal);
  assert.equal(moduleParam(template, 'scheduler', 'roleDefinitionId'), roleIds.durableTaskDataContributor);
});

test('every role assignment has a deterministic guid() name over scope, principal and role', async () => {
  const offending = [];
  for (const template of await loadInfraTemplates()) {
    for (const resource of template.resources.filter(
      (r) => r.type === 'Microsoft.Authorization/roleAssignments',
    )) {
      const name = resource.body ? template.properties(resource.body).get('name') : undefined;
      const text = name?.text ?? '';
      const ok = /^guid\([\w.]+\.id, [\w.]*principalId, [\w.]*role\w*\)$/i.test(text);
      if (!ok) offending.push(`${formatPosition(template.where(resource.node))}: name ${text}`);
    }
  }

  assert.deepEqual(offending, []);
});

async function authSettings(app: 'worker' | 'orchestrator') {
  const template = await loadInfraTemplate('resources.bicep');
  return {
    template,
    value: asObject(moduleParam(template, `${app}App`, 'authSettings'), `${app} authSettings`),
  };
}

for (const app of ['worker', 'orchestrator'] as const) {
  test(`Easy Auth on the ${app} answers 401 without a token and checks a tenant-specific v2 issuer`, async () => {
    const { value } = await authSettings(app);

    assert.equal(at(value, 'platform.enabled'), true);
    assert.equal(at(value, 'globalValidation.requireAuthentication'), true);
    assert.equal(at(value, 'globalValidation.unauthenticatedClientAction'), 'Return401');
    assert.deepEqual(at(value, 'globalValidation.excludedPaths'), ['/api/health']);
    assert.equal(at(value, 'login.tokenStore.enabled'), false);
    const aad = 'identityProviders.azureActiveDirectory';
    assert.equal(at(value, `${aad}.enabled`), true);
    assert.equal(
      at(value, `${aad}.registration.openIdIssuer`),
      'https://login.microsoftonline.com/${tenant().tenantId}/v2.0',
    );
    assert.deepEqual(at(value, `${aad}.validation.allowedAudiences`), [
      `\${entra.outputs.${app}ApiUri}`,
      `\${entra.outputs.${app}ApiAppId}`,
    ]);
  });
}

test('Easy Auth on the worker admits only the orchestrator identity', async () => {
  const { value } = await authSettings('worker');
  const policy = 'identityProviders.azureActiveDirectory.validation.defaultAuthorizationPolicy';

  assert.deepEqual(at(value, `${policy}.allowedApplications`), [orchestratorClientId]);
  assert.deepEqual(at(value, `${policy}.allowedPrincipals.identities`), [orchestratorPrincipal]);
  assert.equal(
    at(value, 'identityProviders.azureActiveDirectory.registration.clientId'),
    '${entra.outputs.workerApiAppId}',
  );
});

test('Easy Auth on the run API admits only the operator client applications, as devhost does', async () => {
  const { value } = await authSettings('orchestrator');
  const policy = 'identityProviders.azureActiveDirectory.validation.defaultAuthorizationPolicy';

  assert.equal(at(value, `${policy}.allowedApplications`), '${preAuthorizedClientIds}');
});

test('the deployed Easy Auth settings match the authsettingsV2 type data', async (t) => {
  const location = locateTypeData(repoRoot);
  if ('missing' in location) return t.skip(location.missing);
  const index = new BicepTypeIndex(location.directory);

  for (const app of ['worker', 'orchestrator'] as const) {
    const { template, value } = await authSettings(app);
    const where = originOf(value)?.node ?? template.parsed.root;
    const problems = checkValueAgainst(
      template,
      index,
      'Microsoft.Web/sites/config',
      '2024-04-01',
      ['authsettingsV2', 'properties'],
      value,
      where,
    );
    assert.deepEqual(problems.map(formatProblem), [], app);
  }
});

test('the policy files are the authsettingsV2 documents devhost reads, with ids left empty', () => {
  for (const app of ['worker', 'orchestrator']) {
    const policy: unknown = JSON.parse(
      readFileSync(join(repoRoot, 'infra/bicep/policy', `${app}-authsettings.json`), 'utf8'),
    );
    assert.ok(isObjectValue(policy as never), app);
    assert.equal(at(policy, 'globalValidation.unauthenticatedClientAction'), 'Return401', app);
    assert.equal(
      at(policy as never, 'identityProviders.azureActiveDirectory.registration.clientId'),
      '',
      app,
    );
  }
});
