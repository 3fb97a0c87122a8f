// Shapes shared by the durable backend's parts: runtime status, history events, messages and actions.

export const RUNTIME_STATUSES = [
  'Pending',
  'Running',
  'Completed',
  'ContinuedAsNew',
  'Failed',
  'Canceled',
  'Terminated',
  'Suspended',
] as const;
export type RuntimeStatus = (typeof RUNTIME_STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<RuntimeStatus> = new Set<RuntimeStatus>([
  'Completed',
  'Failed',
  'Canceled',
  'Terminated',
]);

export function isTerminal(status: RuntimeStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** History event types, numbered as durable-functions and DurableTask.Core number them. */
export const EventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionFailed: 2,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventSent: 14,
  EventRaised: 15,
  ContinueAsNew: 16,
  GenericEvent: 17,
  HistoryState: 18,
  ExecutionSuspended: 19,
  ExecutionResumed: 20,
} as const;
export type EventTypeNumber = (typeof EventType)[keyof typeof EventType];

export const EVENT_TYPE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(EventType).map(([name, value]) => [value, name]),
);

/** One history event in the wire form the orchestration engine reads. */
export interface HistoryEvent {
  EventType: EventTypeNumber;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  [field: string]: unknown;
}

export interface FailureDetails {
  ErrorType: string;
  ErrorMessage: string;
  StackTrace?: string;
  IsNonRetriable?: boolean;
}

/** The retry policy of `callActivityWithRetry` / `callSubOrchestratorWithRetry`. */
export interface RetryOptions {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

/** What the host needs to run the next attempt of a task scheduled with a retry policy. */
export interface RetryContext {
  target: 'activity' | 'orchestration';
  name: string;
  /** JSON text of the input. */
  input: string;
  options: RetryOptions;
  /** 1-based number of the attempt this context belongs to. */
  attempt: number;
  firstAttemptAt: number;
  /** Explicit child instance id of a sub-orchestration, if the caller gave one. */
  instanceId?: string;
  /** The retry budget ran out: the remaining attempts fail without running. */
  exhausted?: boolean;
  lastFailure?: FailureDetails;
}

/** A message waiting for an instance's next episode. JSON texts stay text end to end. */
export type Message =
  | { kind: 'start'; input: string | null }
  | { kind: 'activityCompleted'; taskId: number; result: string }
  | { kind: 'activityFailed'; taskId: number; failure: FailureDetails; retry?: RetryContext }
  | { kind: 'timerFired'; timerId: number; fireAt: string; retry?: RetryContext }
  | { kind: 'subCompleted'; taskId: number; result: string }
  | { kind: 'subFailed'; taskId: number; failure: FailureDetails; retry?: RetryContext }
  | { kind: 'event'; name: string; input: string | null }
  | { kind: 'terminate'; reason: string }
  | { kind: 'suspend'; reason: string }
  | { kind: 'resume'; reason: string };

export type MessageKind = Message['kind'];

/** Message kinds that belong to one execution; after continue-as-new the old ones are dropped. */
export const EXECUTION_SCOPED: ReadonlySet<MessageKind> = new Set<MessageKind>([
  'activityCompleted',
  'activityFailed',
  'timerFired',
  'subCompleted',
  'subFailed',
]);

/** Orchestrator action types as durable-functions emits them. */
export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  CallEntity: 7,
  CallHttp: 8,
  SignalEntity: 9,
  WhenAny: 11,
  WhenAll: 12,
  LockEntities: 13,
  ReleaseEntities: 14,
} as const;

export interface OrchestratorAction {
  actionType: number;
  functionName?: string;
  input?: unknown;
  retryOptions?: RetryOptions;
  instanceId?: string;
  fireAt?: string;
  isCanceled?: boolean;
  externalEventName?: string;
  compoundActions?: OrchestratorAction[];
}

/** The state an orchestrator invocation returns (or carries inside OrchestrationFailureError). */
export interface OrchestratorState {
  isDone: boolean;
  actions: OrchestratorAction[][] | OrchestratorAction[];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
  schemaVersion?: number;
  failureDetails?: { errorName?: string; errorMessage?: string; errorDetails?: string };
}
