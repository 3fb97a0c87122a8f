// Everything the system needs inside one resource group. No resource here holds or emits a secret:
// storage refuses shared keys, telemetry needs Entra tokens, and every app reaches every service with
// a managed identity.
extension microsoftGraphV1

param environmentName string
param location string
param tags object
param principalId string
@allowed(['azureStorage', 'durableTaskScheduler'])
param durableBackend string
param runSchedule string
param workerDemoAccounts int
param preAuthorizedClientIds array

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var useScheduler = durableBackend == 'durableTaskScheduler'
var taskHubName = 'BatchHub'
var failuresContainer = 'run-failures'
var orchestratorPackageContainer = 'app-package-orchestrator'
var workerPackageContainer = 'app-package-worker'
// The tables of the worker's `statements` job (worker-app/src/store/tables.ts); the worker also
// creates them on first start, so pre-creating them only makes them visible before any call.
var workerTables = ['WorkerAccounts', 'WorkerLedger', 'WorkerStatements', 'WorkerIdempotency', 'WorkerMeta']

// Built-in role definition ids (the same in every tenant).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  durableTaskDataContributor: '0ad04412-c4d5-4796-b79c-f76d14c8d402'
}

// A user-assigned identity has a client id before any app exists and keeps it when an app is
// recreated, so the worker's Easy Auth policy and the Worker.Invoke assignment can name it.
resource orchestratorIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: 'id-orchestrator-${token}'
  location: location
  tags: tags
}

resource workerIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: 'id-worker-${token}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    tags: tags
    workspaceName: 'log-${token}'
    appInsightsName: 'appi-${token}'
    publisherPrincipalIds: [
      orchestratorIdentity.properties.principalId
      workerIdentity.properties.principalId
    ]
    metricsPublisherRoleId: roles.monitoringMetricsPublisher
  }
}

// Host storage of the orchestrator: Durable Functions state (Azure Storage backend), timers, its
// deployment package and the failure lists of runs.
module orchestratorStorage 'modules/storage.bicep' = {
  name: 'orchestrator-storage'
  params: {
    name: 'storch${token}'
    location: location
    tags: tags
    containers: [orchestratorPackageContainer, failuresContainer]
    tables: []
    roleAssignments: [
      {
        principalId: orchestratorIdentity.properties.principalId
        roleDefinitionId: roles.storageBlobDataOwner
      }
      {
        principalId: orchestratorIdentity.properties.principalId
        roleDefinitionId: roles.storageQueueDataContributor
      }
      {
        principalId: orchestratorIdentity.properties.principalId
        roleDefinitionId: roles.storageTableDataContributor
      }
    ]
  }
}

// Storage of the worker: the job's tables, plus its own host storage and deployment package.
module workerStorage 'modules/storage.bicep' = {
  name: 'worker-storage'
  params: {
    name: 'stwork${token}'
    location: location
    tags: tags
    containers: [workerPackageContainer]
    tables: workerTables
    roleAssignments: [
      {
        principalId: workerIdentity.properties.principalId
        roleDefinitionId: roles.storageTableDataContributor
      }
      {
        principalId: workerIdentity.properties.principalId
        roleDefinitionId: roles.storageBlobDataOwner
      }
    ]
  }
}

module entra 'modules/entra.bicep' = {
  name: 'entra'
  params: {
    environmentName: environmentName
    token: token
    orchestratorIdentityPrincipalId: orchestratorIdentity.properties.principalId
    operatorPrincipalId: principalId
    preAuthorizedClientIds: preAuthorizedClientIds
  }
}

module scheduler 'modules/durable-task-scheduler.bicep' = if (useScheduler) {
  name: 'durable-task-scheduler'
  params: {
    name: 'dts-${token}'
    location: location
    tags: tags
    taskHubName: taskHubName
    roleDefinitionId: roles.durableTaskDataContributor
    appPrincipalId: orchestratorIdentity.properties.principalId
    operatorPrincipalId: principalId
  }
}

var telemetryAuth = {
  orchestrator: 'Authorization=AAD;ClientId=${orchestratorIdentity.properties.clientId}'
  worker: 'Authorization=AAD;ClientId=${workerIdentity.properties.clientId}'
}

var workerSettings = {
  AzureWebJobsStorage__blobServiceUri: workerStorage.outputs.blobEndpoint
  AzureWebJobsStorage__queueServiceUri: workerStorage.outputs.queueEndpoint
  AzureWebJobsStorage__tableServiceUri: workerStorage.outputs.tableEndpoint
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: workerIdentity.properties.clientId
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: telemetryAuth.worker
  WORKER_STORAGE__tableServiceUri: workerStorage.outputs.tableEndpoint
  WORKER_STORAGE__clientId: workerIdentity.properties.clientId
  WORKER_REQUIRED_ROLE: 'Worker.Invoke'
  WORKER_ALLOWED_CALLERS: orchestratorIdentity.properties.clientId
  WORKER_DEMO_ACCOUNTS: string(workerDemoAccounts)
}

module workerApp 'modules/function-app.bicep' = {
  name: 'worker-app'
  params: {
    name: 'func-worker-${token}'
    planName: 'plan-worker-${token}'
    location: location
    tags: union(tags, { 'azd-service-name': 'worker-app' })
    identityId: workerIdentity.id
    deploymentContainerUrl: '${workerStorage.outputs.blobEndpoint}${workerPackageContainer}'
    appInsightsName: monitoring.outputs.appInsightsName
    appSettings: workerSettings
    authSettings: workerAuthSettings
  }
}

// Host storage on Azure Storage is always configured: timers and the host's own leases use it even
// when orchestration state lives in the Durable Task Scheduler.
var orchestratorBaseSettings = {
  AzureWebJobsStorage__blobServiceUri: orchestratorStorage.outputs.blobEndpoint
  AzureWebJobsStorage__queueServiceUri: orchestratorStorage.outputs.queueEndpoint
  AzureWebJobsStorage__tableServiceUri: orchestratorStorage.outputs.tableEndpoint
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: orchestratorIdentity.properties.clientId
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: telemetryAuth.orchestrator
  WORKER_BASE_URL: workerApp.outputs.url
  WORKER_SCOPE: '${entra.outputs.workerApiUri}/.default'
  ORCHESTRATOR_IDENTITY_CLIENT_ID: orchestratorIdentity.properties.clientId
  RUN_SCHEDULE: runSchedule
  RUN_JOB: 'statements'
  RUN_CATCH_UP: 'false'
  RUNS_READ_ROLE: 'Runs.Read'
  RUNS_OPERATE_ROLE: 'Runs.Operate'
  FAILURES_STORAGE__blobServiceUri: orchestratorStorage.outputs.blobEndpoint
  FAILURES_STORAGE__clientId: orchestratorIdentity.properties.clientId
  FAILURES_CONTAINER: failuresContainer
}

// The shared host.json names no storage provider (Azure Storage is the default); these settings
// override it for the Durable Task Scheduler. The "connection string" names an endpoint and an
// identity: it carries no key or token.
var schedulerSettings = useScheduler
  ? {
      AzureFunctionsJobHost__extensions__durableTask__hubName: taskHubName
      AzureFunctionsJobHost__extensions__durableTask__storageProvider__type: 'azureManaged'
      AzureFunctionsJobHost__extensions__durableTask__storageProvider__connectionStringName: 'DURABLE_TASK_SCHEDULER_CONNECTION_STRING'
      DURABLE_TASK_SCHEDULER_CONNECTION_STRING: 'Endpoint=${scheduler!.outputs.endpoint};Authentication=ManagedIdentity;ClientID=${orchestratorIdentity.properties.clientId}'
    }
  : {}

module orchestratorApp 'modules/function-app.bicep' = {
  name: 'orchestrator-app'
  params: {
    name: 'func-orch-${token}'
    planName: 'plan-orch-${token}'
    location: location
    tags: union(tags, { 'azd-service-name': 'orchestrator-app' })
    identityId: orchestratorIdentity.id
    deploymentContainerUrl: '${orchestratorStorage.outputs.blobEndpoint}${orchestratorPackageContainer}'
    appInsightsName: monitoring.outputs.appInsightsName
    appSettings: union(orchestratorBaseSettings, schedulerSettings)
    authSettings: orchestratorAuthSettings
  }
}

// Easy Auth: the policy files devhost enforces locally, filled with the deployed ids.
var issuer = 'https://login.microsoftonline.com/${tenant().tenantId}/v2.0'
var workerPolicy = loadJsonContent('policy/worker-authsettings.json')
var orchestratorPolicy = loadJsonContent('policy/orchestrator-authsettings.json')

var workerAuthSettings = union(workerPolicy, {
  identityProviders: {
    azureActiveDirectory: union(workerPolicy.identityProviders.azureActiveDirectory, {
      registration: {
        clientId: entra.outputs.workerApiAppId
        openIdIssuer: issuer
      }
      validation: union(workerPolicy.identityProviders.azureActiveDirectory.validation, {
        allowedAudiences: [entra.outputs.workerApiUri, entra.outputs.workerApiAppId]
        defaultAuthorizationPolicy: {
          allowedApplications: [orchestratorIdentity.properties.clientId]
          allowedPrincipals: {
            identities: [orchestratorIdentity.properties.principalId]
          }
        }
      })
    })
  }
})

// Operators call the run API through known client applications (the Azure CLI by default, as the local
// operator client does under devhost); the app still checks Runs.Read / Runs.Operate itself.
var orchestratorAuthSettings = union(orchestratorPolicy, {
  identityProviders: {
    azureActiveDirectory: union(orchestratorPolicy.identityProviders.azureActiveDirectory, {
      registration: {
        clientId: entra.outputs.orchestratorApiAppId
        openIdIssuer: issuer
      }
      validation: union(orchestratorPolicy.identityProviders.azureActiveDirectory.validation, {
        allowedAudiences: [entra.outputs.orchestratorApiUri, entra.outputs.orchestratorApiAppId]
        defaultAuthorizationPolicy: {
          allowedApplications: preAuthorizedClientIds
        }
      })
    })
  }
})

output orchestratorUrl string = orchestratorApp.outputs.url
output workerUrl string = workerApp.outputs.url
output orchestratorApiUri string = entra.outputs.orchestratorApiUri
output workerApiUri string = entra.outputs.workerApiUri
output workerApiAppId string = entra.outputs.workerApiAppId
output orchestratorApiAppId string = entra.outputs.orchestratorApiAppId
output orchestratorApiPrincipalId string = entra.outputs.orchestratorPrincipalId
output runsReadRoleId string = entra.outputs.runsReadRoleId
output runsOperateRoleId string = entra.outputs.runsOperateRoleId
output orchestratorIdentityClientId string = orchestratorIdentity.properties.clientId
output durableTaskDashboardUrl string = useScheduler ? scheduler!.outputs.dashboardUrl : ''
output appInsightsId string = monitoring.outputs.appInsightsId
