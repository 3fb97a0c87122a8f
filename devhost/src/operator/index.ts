// Operator access to the orchestrator's run API: token from the local issuer, client, progress bar.
export {
  FINAL_STATUSES,
  type RunApiClient,
  type RunApiClientOptions,
  type RunStatus,
  type StartRunRequest,
} from './types.js';
export { createRunApiClient, RunApiError } from './run-api-client.js';
export {
  cachedOperatorToken,
  getOperatorToken,
  OperatorTokenError,
  type OperatorTokenOptions,
  requestOperatorToken,
} from './operator-token.js';
export { formatDuration, RateTracker, renderProgress } from './progress.js';
export { watchRun, type WatchOptions } from './watch.js';
