using 'main.bicep'

// azd sets these for every environment; the defaults make a plain `az deployment sub create` work too.
param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'batch-dev')
param location = readEnvironmentVariable('AZURE_LOCATION', 'westeurope')
param principalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')

// `azd env set DURABLE_BACKEND durableTaskScheduler` switches the orchestrator to the Durable Task Scheduler.
param durableBackend = readEnvironmentVariable('DURABLE_BACKEND', 'azureStorage')
param runSchedule = readEnvironmentVariable('RUN_SCHEDULE', '0 0 2 1 * *')
param workerDemoAccounts = int(readEnvironmentVariable('WORKER_DEMO_ACCOUNTS', '1000'))
