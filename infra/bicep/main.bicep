// Entry point for `azd up`: one resource group holding the whole system (see resources.bicep).
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('azd environment name; part of every resource name.')
param environmentName string

@minLength(1)
@description('Azure region for every resource.')
param location string

@description('Object id of the deploying user: granted Runs.Operate and the Durable Task dashboard. Empty to skip.')
param principalId string = ''

@allowed(['azureStorage', 'durableTaskScheduler'])
@description('Durable Functions backend of the orchestrator.')
param durableBackend string = 'azureStorage'

@description('NCRONTAB (UTC) of scheduled runs.')
param runSchedule string = '0 0 2 1 * *'

@minValue(1)
@description('Demo accounts the worker generates on first start.')
param workerDemoAccounts int = 1000

@description('Client ids allowed to get user tokens for the run API without a consent prompt (Azure CLI).')
param preAuthorizedClientIds array = ['04b07795-8ddb-461a-bbee-02f9e1bf7b46']

var tags = { 'azd-env-name': environmentName }

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module resources 'resources.bicep' = {
  name: 'resources'
  scope: rg
  params: {
    environmentName: environmentName
    location: location
    tags: tags
    principalId: principalId
    durableBackend: durableBackend
    runSchedule: runSchedule
    workerDemoAccounts: workerDemoAccounts
    preAuthorizedClientIds: preAuthorizedClientIds
  }
}

output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_TENANT_ID string = tenant().tenantId
output ORCHESTRATOR_URL string = resources.outputs.orchestratorUrl
output WORKER_URL string = resources.outputs.workerUrl
output ORCHESTRATOR_API_URI string = resources.outputs.orchestratorApiUri
output WORKER_API_URI string = resources.outputs.workerApiUri
output WORKER_API_APP_ID string = resources.outputs.workerApiAppId
output ORCHESTRATOR_API_APP_ID string = resources.outputs.orchestratorApiAppId
output ORCHESTRATOR_API_SERVICE_PRINCIPAL_ID string = resources.outputs.orchestratorApiPrincipalId
output RUNS_READ_ROLE_ID string = resources.outputs.runsReadRoleId
output RUNS_OPERATE_ROLE_ID string = resources.outputs.runsOperateRoleId
output ORCHESTRATOR_IDENTITY_CLIENT_ID string = resources.outputs.orchestratorIdentityClientId
output DURABLE_BACKEND string = durableBackend
output DURABLE_TASK_SCHEDULER_DASHBOARD_URL string = resources.outputs.durableTaskDashboardUrl
output APPLICATIONINSIGHTS_RESOURCE_ID string = resources.outputs.appInsightsId
