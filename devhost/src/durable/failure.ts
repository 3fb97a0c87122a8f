// FailureDetails as the replay engine reads them, from orchestrator states and thrown errors.
import type { FailureDetails, OrchestratorState } from './types.js';

export function failureOf(state: OrchestratorState): FailureDetails {
  const message = state.error ?? state.failureDetails?.errorMessage ?? 'The orchestrator function failed.';
  return {
    ErrorType: state.failureDetails?.errorName ?? 'Error',
    ErrorMessage: message,
    ...(state.failureDetails?.errorDetails ? { StackTrace: state.failureDetails.errorDetails } : {}),
  };
}

export function failureFromError(error: unknown): FailureDetails {
  if (error instanceof Error) {
    return {
      ErrorType: error.name || 'Error',
      ErrorMessage: error.message,
      ...(error.stack ? { StackTrace: error.stack } : {}),
    };
  }
  return { ErrorType: 'Error', ErrorMessage: typeof error === 'string' ? error : JSON.stringify(error) };
}
