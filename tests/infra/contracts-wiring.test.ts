// The templates deploy what the apps read: settings from docs/contracts.md, both durable backends,
// the Entra registrations and roles, the policy files devhost enforces, and an azd project.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_POLICY_DIR } from '../../devhost/src/easyauth/policy.js';
import { TABLE_NAMES } from '../../worker-app/src/store/tables.js';
import { formatPosition, parseBicepFile } from './lib/bicep-parser.js';
import { BicepTypeIndex, locateTypeData } from './lib/bicep-types.js';
import { checkValueAgainst, formatProblem } from './lib/type-check.js';
import { isObjectValue, type BicepTemplate, type ObjectValue, type Value } from './lib/bicep-template.js';
import { asObject, at, moduleNamed, moduleParam, resourceBody } from './lib/contract-helpers.js';
import {
  bicepRoot,
  display,
  loadInfraTemplate,
  loadInfraTemplates,
  loadTemplate,
  repoRoot,
} from './lib/templates.js';

const orchestratorClientId = '${orchestratorIdentity.properties.clientId}';

const text = (value: Value | undefined): string =>
  typeof value === 'string' ? value : JSON.stringify(value);

async function resourcesWith(durableBackend: string): Promise<BicepTemplate> {
  return (await loadTemplate(join(bicepRoot, 'resources.bicep'))).setParameters({ durableBackend });
}

function appSettings(template: BicepTemplate, app: 'worker' | 'orchestrator'): ObjectValue {
  return asObject(moduleParam(template, `${app}App`, 'appSettings'), `${app} appSettings`);
}

test('every resource and module pins an API version or a path that exists', async () => {
  const offending = [];
  for (const template of await loadInfraTemplates()) {
    for (const resource of template.resources) {
      const pinned = /^(\d{4}-\d{2}-\d{2}|v1\.0)$/.test(resource.apiVersion ?? '');
      if (!pinned)
        offending.push(
          `${formatPosition(template.where(resource.node))}: ${resource.type}@${resource.apiVersion}`,
        );
    }
    for (const module of template.modules) {
      if (!existsSync(template.resolvePath(module.path)))
        offending.push(`${template.file}: module ${module.path}`);
    }
  }

  assert.deepEqual(offending, []);
});

test('loadJsonContent reads exactly the two policy files that devhost enforces', async () => {
  const loaded = (await loadInfraTemplates()).flatMap((template) =>
    template
      .calls()
      .filter((call) => call.name === 'loadJsonContent')
      .map((call) => {
        const path = template.evaluate(call.args[0]);
        assert.equal(typeof path, 'string', `${template.file}: loadJsonContent needs a literal path`);
        return template.resolvePath(path as string);
      }),
  );

  const expected = ['orchestrator', 'worker'].map((app) =>
    join(DEFAULT_POLICY_DIR, `${app}-authsettings.json`),
  );
  assert.deepEqual([...new Set(loaded)].sort(), expected);
  for (const file of loaded) assert.ok(existsSync(file), relative(repoRoot, file));
});

test('the worker app gets the settings the worker reads, with identity references only', async () => {
  const settings = appSettings(await resourcesWith('azureStorage'), 'worker');

  assert.deepEqual(
    Object.keys(settings)
      .filter((name) => name.startsWith('WORKER_'))
      .sort(),
    [
      'WORKER_ALLOWED_CALLERS',
      'WORKER_DEMO_ACCOUNTS',
      'WORKER_REQUIRED_ROLE',
      'WORKER_STORAGE__clientId',
      'WORKER_STORAGE__tableServiceUri',
    ],
  );
  assert.equal(settings.WORKER_ALLOWED_CALLERS, orchestratorClientId);
  assert.equal(settings.WORKER_STORAGE__clientId, '${workerIdentity.properties.clientId}');
  assert.equal(settings.WORKER_STORAGE__tableServiceUri, '${workerStorage.outputs.tableEndpoint}');
  assert.equal(settings.WORKER_REQUIRED_ROLE, 'Worker.Invoke');
});

test('the worker storage has exactly the tables the worker uses', async () => {
  const tables = moduleParam(await resourcesWith('azureStorage'), 'workerStorage', 'tables');

  assert.deepEqual(tables, Object.values(TABLE_NAMES));
});

test('the orchestrator app gets the worker URL, scope, its identity and the schedule', async () => {
  const settings = appSettings(await resourcesWith('azureStorage'), 'orchestrator');

  assert.equal(settings.WORKER_BASE_URL, '${workerApp.outputs.url}');
  assert.equal(settings.WORKER_SCOPE, '${entra.outputs.workerApiUri}/.default');
  assert.equal(settings.ORCHESTRATOR_IDENTITY_CLIENT_ID, orchestratorClientId);
  assert.equal(settings.RUN_SCHEDULE, '${runSchedule}');
  assert.equal(settings.FAILURES_STORAGE__blobServiceUri, '${orchestratorStorage.outputs.blobEndpoint}');
  assert.equal(settings.FAILURES_STORAGE__clientId, orchestratorClientId);
  assert.equal(settings.FAILURES_CONTAINER, 'run-failures');
  assert.deepEqual(moduleParam(await resourcesWith('azureStorage'), 'orchestratorStorage', 'containers'), [
    'app-package-orchestrator',
    'run-failures',
  ]);
});

test('both apps reach host storage by identity and set no connection string or runtime the plan forbids', async () => {
  const template = await resourcesWith('durableTaskScheduler');
  for (const app of ['worker', 'orchestrator'] as const) {
    const settings = appSettings(template, app);
    const identity = `\${${app}Identity.properties.clientId}`;

    assert.equal(settings.AzureWebJobsStorage__credential, 'managedidentity', app);
    assert.equal(settings.AzureWebJobsStorage__clientId, identity, app);
    for (const service of ['blob', 'queue', 'table']) {
      assert.match(
        text(settings[`AzureWebJobsStorage__${service}ServiceUri`]),
        /Storage\.outputs\.\w+Endpoint/,
      );
    }
    assert.equal(
      settings.APPLICATIONINSIGHTS_AUTHENTICATION_STRING,
      `Authorization=AAD;ClientId=${identity}`,
      app,
    );
    for (const forbidden of [
      'AzureWebJobsStorage',
      'WORKER_STORAGE',
      'FAILURES_STORAGE',
      'FUNCTIONS_WORKER_RUNTIME',
    ]) {
      assert.equal(settings[forbidden], undefined, `${app} must not set ${forbidden}`);
    }
  }
});

test('the only connection-string settings name an endpoint and an identity, never a key', async () => {
  const template = await resourcesWith('durableTaskScheduler');
  const named = ['worker', 'orchestrator'].flatMap((app) =>
    Object.keys(appSettings(template, app as 'worker' | 'orchestrator')).filter((name) =>
      /CONNECTION_?STRING$/i.test(name),
    ),
  );
  const functionApp = await loadInfraTemplate('modules/function-app.bicep');

  assert.deepEqual(named, ['DURABLE_TASK_SCHEDULER_CONNECTION_STRING']);
  assert.deepEqual(functionApp.evaluateSymbolic(functionApp.variables.get('platformSettings')), {
    APPLICATIONINSIGHTS_CONNECTION_STRING: '${appInsights.properties.ConnectionString}',
  });
  assert.equal(at(resourceBody(functionApp, 'settings'), 'name'), 'appsettings');
});

test('app settings are a string dictionary as the appsettings type data requires', async (t) => {
  const location = locateTypeData(repoRoot);
  if ('missing' in location) return t.skip(location.missing);
  const index = new BicepTypeIndex(location.directory);
  const template = await resourcesWith('durableTaskScheduler');

  for (const app of ['worker', 'orchestrator'] as const) {
    const value = appSettings(template, app);
    const where = moduleNamed(template, `${app}App`).params.get('appSettings') ?? template.parsed.root;
    const problems = checkValueAgainst(
      template,
      index,
      'Microsoft.Web/sites/config',
      '2024-04-01',
      ['appsettings', 'properties'],
      value,
      where,
    );
    assert.deepEqual(problems.map(formatProblem), [], app);
  }
});

test('every app setting of ours is one that docs/contracts.md lists for that app', async () => {
  const contracts = readFileSync(join(repoRoot, 'docs', 'contracts.md'), 'utf8');
  const documented = new Map<string, string>();
  for (const [, names = '', app = ''] of contracts.matchAll(
    /^\| ([^|]*`[A-Z][^|]*) \| (worker|orchestrator) +\|/gm,
  )) {
    for (const [, name = ''] of names.matchAll(/`([A-Z][A-Za-z0-9_]+)`/g)) documented.set(name, app);
  }
  const template = await resourcesWith('durableTaskScheduler');

  for (const app of ['worker', 'orchestrator'] as const) {
    const ours = Object.keys(appSettings(template, app)).filter((name) =>
      /^(WORKER|RUN|RUNS|FAILURES|ORCHESTRATOR)_/.test(name),
    );
    assert.ok(ours.length > 3, app);
    for (const name of ours) assert.equal(documented.get(name), app, `${name} set on the ${app} app`);
  }
});

test('the Azure Storage backend leaves host.json as it is', async () => {
  const template = await resourcesWith('azureStorage');
  const settings = appSettings(template, 'orchestrator');

  assert.deepEqual(
    Object.keys(settings).filter((name) => /durableTask|DURABLE_TASK/i.test(name)),
    [],
  );
  assert.equal(template.evaluate(template.variables.get('useScheduler')), false);
});

test('the Durable Task Scheduler backend switches the host to azureManaged with an identity-based endpoint', async () => {
  const template = await resourcesWith('durableTaskScheduler');
  const settings = appSettings(template, 'orchestrator');
  const prefix = 'AzureFunctionsJobHost__extensions__durableTask__';

  assert.equal(settings[`${prefix}storageProvider__type`], 'azureManaged');
  assert.equal(
    settings[`${prefix}storageProvider__connectionStringName`],
    'DURABLE_TASK_SCHEDULER_CONNECTION_STRING',
  );
  assert.equal(settings[`${prefix}hubName`], 'BatchHub');
  assert.equal(
    settings.DURABLE_TASK_SCHEDULER_CONNECTION_STRING,
    `Endpoint=\${scheduler!.outputs.endpoint};Authentication=ManagedIdentity;ClientID=${orchestratorClientId}`,
  );
  assert.equal(moduleParam(template, 'scheduler', 'taskHubName'), 'BatchHub');
});

test('the task hub name matches the hub name in host.json', async () => {
  const hostJson = JSON.parse(readFileSync(join(repoRoot, 'host.json'), 'utf8')) as unknown;
  const template = await resourcesWith('durableTaskScheduler');

  assert.equal(
    template.evaluate(template.variables.get('taskHubName')),
    at(hostJson, 'extensions.durableTask.hubName'),
  );
});

test('both apps are Flex Consumption Node 22 apps that pull their package with their own identity', async () => {
  const template = await loadInfraTemplate('modules/function-app.bicep');
  const plan = resourceBody(template, 'plan');
  const site = resourceBody(template, 'site');

  assert.deepEqual(plan.sku, { tier: 'FlexConsumption', name: 'FC1' });
  assert.equal(site.kind, 'functionapp,linux');
  assert.deepEqual(at(site, 'identity.type'), 'UserAssigned');
  assert.deepEqual(at(site, 'properties.functionAppConfig.runtime'), { name: 'node', version: '22' });
  assert.deepEqual(at(site, 'properties.functionAppConfig.deployment.storage.authentication'), {
    type: 'UserAssignedIdentity',
    userAssignedIdentityResourceId: '${identityId}',
  });
  assert.equal(at(site, 'properties.httpsOnly'), true);
  for (const credential of ['ftpCredentials', 'scmCredentials']) {
    assert.equal(at(resourceBody(template, credential), 'properties.allow'), false, credential);
  }
});

test('the worker API registration has an api:// identifier, v2 tokens and Worker.Invoke for applications', async () => {
  const template = await loadInfraTemplate('modules/entra.bicep');
  const api = resourceBody(template, 'workerApi');

  assert.match(
    String((api.identifierUris as string[])[0]),
    /^api:\/\/\$\{tenant\(\)\.tenantId\}\/batch-worker-/,
  );
  assert.equal(at(api, 'api.requestedAccessTokenVersion'), 2);
  assert.deepEqual(
    (api.appRoles as ObjectValue[]).map((role) => [role.value, role.allowedMemberTypes, role.isEnabled]),
    [['Worker.Invoke', ['Application'], true]],
  );
  assert.equal(at(resourceBody(template, 'workerPrincipal'), 'appRoleAssignmentRequired'), true);
});

test('the orchestrator API registration offers Runs.Read and Runs.Operate to users and applications', async () => {
  const template = await loadInfraTemplate('modules/entra.bicep');
  const api = resourceBody(template, 'orchestratorApi');

  assert.match(String((api.identifierUris as string[])[0]), /^api:\/\//);
  assert.equal(at(api, 'api.requestedAccessTokenVersion'), 2);
  assert.deepEqual(
    (api.appRoles as ObjectValue[]).map((role) => [role.value, role.allowedMemberTypes]),
    [
      ['Runs.Read', ['User', 'Application']],
      ['Runs.Operate', ['User', 'Application']],
    ],
  );
});

test('Worker.Invoke is assigned to the orchestrator identity on the worker service principal', async () => {
  const entra = await loadInfraTemplate('modules/entra.bicep');

  assert.deepEqual(resourceBody(entra, 'workerInvokeAssignment'), {
    principalId: '${orchestratorIdentityPrincipalId}',
    resourceId: '${workerPrincipal.id}',
    appRoleId: "${guid(workerUniqueName, 'Worker.Invoke')}",
  });
  assert.equal(
    (resourceBody(entra, 'workerApi').appRoles as ObjectValue[])[0]?.id,
    "${guid(workerUniqueName, 'Worker.Invoke')}",
  );
  const resources = await loadInfraTemplate('resources.bicep');
  assert.equal(
    moduleParam(resources, 'entra', 'orchestratorIdentityPrincipalId'),
    '${orchestratorIdentity.properties.principalId}',
  );
});

test('every file with Graph resources declares the extension that bicepconfig.json configures', async () => {
  const config = JSON.parse(readFileSync(join(bicepRoot, 'bicepconfig.json'), 'utf8')) as unknown;
  assert.match(
    text(at(config, 'extensions.microsoftGraphV1')),
    /^br:mcr\.microsoft\.com\/bicep\/extensions\/microsoftgraph\/v1\.0:/,
  );

  const graphFiles = (await loadInfraTemplates()).filter((t) =>
    t.resources.some((r) => r.type.startsWith('Microsoft.Graph/')),
  );
  assert.ok(graphFiles.length > 0);
  for (const template of graphFiles)
    assert.deepEqual(template.extensions, ['microsoftGraphV1'], template.file);
});

test('main.bicepparam uses main.bicep and sets every parameter main.bicep requires', async () => {
  const paramFile = await parseBicepFile(join(bicepRoot, 'main.bicepparam'), 'main.bicepparam');
  const main = await loadInfraTemplate('main.bicep');
  const assigned = [...paramFile.source.matchAll(/^param\s+(\w+)\s*=/gm)].map((match) => match[1]);

  assert.match(paramFile.source, /^using 'main\.bicep'$/m);
  const known = main.parameters.map((parameter) => parameter.name);
  assert.deepEqual(
    assigned.filter((name) => !known.includes(name!)),
    [],
    'assigned but not declared',
  );
  const required = main.parameters
    .filter((parameter) => !parameter.defaultValue)
    .map((parameter) => parameter.name);
  assert.deepEqual(
    required.filter((name) => !assigned.includes(name)),
    [],
    'required but not assigned',
  );
});

test('main.bicep passes the backend choice through and outputs URLs and ids only', async () => {
  const main = await loadInfraTemplate('main.bicep');

  assert.equal(moduleNamed(main, 'resources').path, 'resources.bicep');
  assert.equal(moduleNamed(main, 'resources').params.get('durableBackend')?.text, 'durableBackend');
  const allowed = main.parameters.find((parameter) => parameter.name === 'durableBackend');
  assert.match(
    allowed?.node.previousNamedSibling?.text ?? '',
    /@allowed\(\['azureStorage', 'durableTaskScheduler'\]\)/,
  );
  for (const output of main.outputs) {
    assert.match(output.name, /(_URL|_URI|_ID|_GROUP|_BACKEND)$/, `output ${output.name}`);
    assert.equal(output.type, 'string', output.name);
  }
});

test('azure.yaml deploys both apps as function services from infra/bicep', () => {
  const project = parseYaml(readFileSync(join(repoRoot, 'azure.yaml'), 'utf8')) as unknown;
  assert.ok(isObjectValue(project as never));

  assert.deepEqual(at(project, 'infra'), { provider: 'bicep', path: 'infra/bicep', module: 'main' });
  for (const service of ['orchestrator-app', 'worker-app']) {
    const entry = asObject(at(project, `services.${service}`), service);
    assert.equal(entry.host, 'function', service);
    assert.ok(['ts', 'js'].includes(text(entry.language)), service);
    assert.ok(existsSync(join(repoRoot, text(entry.project), 'package.json')), `${service} project folder`);
    const hook = text(at(entry, 'hooks.prepackage.run')).replace(/^sh /, '');
    assert.ok(existsSync(join(repoRoot, text(entry.project), hook)), `${service} prepackage hook ${hook}`);
  }
});

test('each azd service tag is set on the app it names', async () => {
  const resources = await loadInfraTemplate('resources.bicep');
  for (const [symbol, service] of [
    ['workerApp', 'worker-app'],
    ['orchestratorApp', 'orchestrator-app'],
  ] as const) {
    const tags = moduleNamed(resources, symbol).params.get('tags');
    assert.match(tags?.text ?? '', new RegExp(`'azd-service-name': '${service}'`), display(resources.path));
  }
});
