// Entra app registrations of the two APIs, their service principals and app role assignments, with
// the Microsoft Graph Bicep extension. Role ids are derived from fixed names, so redeploying keeps them.
extension microsoftGraphV1

param environmentName string
param token string

@description('Object (principal) id of the orchestrator identity, granted Worker.Invoke.')
param orchestratorIdentityPrincipalId string

@description('Object id of a user granted Runs.Operate; empty to skip.')
param operatorPrincipalId string

@description('Client applications that may request user tokens for the run API without a consent prompt.')
param preAuthorizedClientIds array

var workerUniqueName = 'batch-worker-${token}'
var orchestratorUniqueName = 'batch-orchestrator-${token}'

// Identifier URIs carry the tenant id, the form Entra accepts under its identifier URI restrictions.
var workerApiUri = 'api://${tenant().tenantId}/${workerUniqueName}'
var orchestratorApiUri = 'api://${tenant().tenantId}/${orchestratorUniqueName}'

var roleIds = {
  workerInvoke: guid(workerUniqueName, 'Worker.Invoke')
  runsRead: guid(orchestratorUniqueName, 'Runs.Read')
  runsOperate: guid(orchestratorUniqueName, 'Runs.Operate')
  runsAccessScope: guid(orchestratorUniqueName, 'user_impersonation')
}

resource workerApi 'Microsoft.Graph/applications@v1.0' = {
  uniqueName: workerUniqueName
  displayName: 'Batch worker API (${environmentName})'
  signInAudience: 'AzureADMyOrg'
  identifierUris: [workerApiUri]
  api: {
    requestedAccessTokenVersion: 2
  }
  appRoles: [
    {
      id: roleIds.workerInvoke
      allowedMemberTypes: ['Application']
      value: 'Worker.Invoke'
      displayName: 'Invoke the worker'
      description: 'Call the worker to list and process items of a job.'
      isEnabled: true
    }
  ]
}

resource workerPrincipal 'Microsoft.Graph/servicePrincipals@v1.0' = {
  appId: workerApi.appId
  appRoleAssignmentRequired: true
}

resource orchestratorApi 'Microsoft.Graph/applications@v1.0' = {
  uniqueName: orchestratorUniqueName
  displayName: 'Batch orchestrator run API (${environmentName})'
  signInAudience: 'AzureADMyOrg'
  identifierUris: [orchestratorApiUri]
  api: {
    requestedAccessTokenVersion: 2
    oauth2PermissionScopes: [
      {
        id: roleIds.runsAccessScope
        type: 'User'
        value: 'user_impersonation'
        isEnabled: true
        adminConsentDisplayName: 'Use the run API'
        adminConsentDescription: 'Call the run API as the signed-in user; app roles decide what is allowed.'
        userConsentDisplayName: 'Use the run API'
        userConsentDescription: 'Call the run API as you; your app roles decide what is allowed.'
      }
    ]
    preAuthorizedApplications: [
      for clientId in preAuthorizedClientIds: {
        appId: clientId
        delegatedPermissionIds: [roleIds.runsAccessScope]
      }
    ]
  }
  appRoles: [
    {
      id: roleIds.runsRead
      allowedMemberTypes: ['User', 'Application']
      value: 'Runs.Read'
      displayName: 'Read runs'
      description: 'List runs and read their status and summary.'
      isEnabled: true
    }
    {
      id: roleIds.runsOperate
      allowedMemberTypes: ['User', 'Application']
      value: 'Runs.Operate'
      displayName: 'Operate runs'
      description: 'Start, cancel and retry runs, and read them.'
      isEnabled: true
    }
  ]
}

resource orchestratorPrincipal 'Microsoft.Graph/servicePrincipals@v1.0' = {
  appId: orchestratorApi.appId
  appRoleAssignmentRequired: true
}

resource workerInvokeAssignment 'Microsoft.Graph/appRoleAssignedTo@v1.0' = {
  principalId: orchestratorIdentityPrincipalId
  resourceId: workerPrincipal.id
  appRoleId: roleIds.workerInvoke
}

resource operatorAssignment 'Microsoft.Graph/appRoleAssignedTo@v1.0' = if (!empty(operatorPrincipalId)) {
  principalId: operatorPrincipalId
  resourceId: orchestratorPrincipal.id
  appRoleId: roleIds.runsOperate
}

output workerApiAppId string = workerApi.appId
output workerApiUri string = workerApiUri
output workerPrincipalId string = workerPrincipal.id
output orchestratorApiAppId string = orchestratorApi.appId
output orchestratorApiUri string = orchestratorApiUri
output orchestratorPrincipalId string = orchestratorPrincipal.id
output workerInvokeRoleId string = roleIds.workerInvoke
output runsReadRoleId string = roleIds.runsRead
output runsOperateRoleId string = roleIds.runsOperate
