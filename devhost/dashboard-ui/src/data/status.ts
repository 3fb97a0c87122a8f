// Runtime statuses of the Durable HTTP management API and what an operator may do in each.

export const RUNTIME_STATUSES = [
  'Running',
  'Pending',
  'Suspended',
  'ContinuedAsNew',
  'Completed',
  'Failed',
  'Terminated',
  'Canceled',
] as const;

export type RuntimeStatus = (typeof RUNTIME_STATUSES)[number];
export type InstanceStatusName = RuntimeStatus | 'Unknown';

/** Numeric values of `OrchestrationRuntimeStatus`, which some hosts send instead of names. */
const BY_NUMBER: readonly RuntimeStatus[] = [
  'Running',
  'Completed',
  'ContinuedAsNew',
  'Failed',
  'Canceled',
  'Terminated',
  'Pending',
  'Suspended',
];

export type StatusTone = 'active' | 'success' | 'danger' | 'warning' | 'neutral';

export type InstanceAction = 'terminate' | 'suspend' | 'resume' | 'restart' | 'raiseEvent' | 'purge';

export const ACTION_LABELS: Record<InstanceAction, string> = {
  terminate: 'Terminate',
  suspend: 'Suspend',
  resume: 'Resume',
  restart: 'Restart',
  raiseEvent: 'Raise event',
  purge: 'Purge',
};

/** Maps a status as any host sends it (name in any case, or the enum number) to its name. */
export function toRuntimeStatus(value: unknown): InstanceStatusName {
  if (typeof value === 'number') return BY_NUMBER[value] ?? 'Unknown';
  if (typeof value !== 'string') return 'Unknown';
  const lower = value.trim().toLowerCase();
  return RUNTIME_STATUSES.find((status) => status.toLowerCase() === lower) ?? 'Unknown';
}

export function isTerminal(status: InstanceStatusName): boolean {
  return status === 'Completed' || status === 'Failed' || status === 'Terminated' || status === 'Canceled';
}

export function statusTone(status: InstanceStatusName): StatusTone {
  switch (status) {
    case 'Running':
    case 'ContinuedAsNew':
      return 'active';
    case 'Completed':
      return 'success';
    case 'Failed':
      return 'danger';
    case 'Suspended':
    case 'Terminated':
    case 'Canceled':
      return 'warning';
    default:
      return 'neutral';
  }
}

/** The actions the management API accepts for an instance in this status (others answer 410 or 400). */
export function allowedActions(status: InstanceStatusName): InstanceAction[] {
  switch (status) {
    case 'Running':
    case 'ContinuedAsNew':
      return ['terminate', 'suspend', 'raiseEvent', 'restart'];
    case 'Pending':
      return ['terminate', 'raiseEvent', 'restart'];
    case 'Suspended':
      return ['terminate', 'resume', 'raiseEvent', 'restart'];
    case 'Completed':
    case 'Failed':
    case 'Terminated':
    case 'Canceled':
      return ['restart', 'purge'];
    default:
      return [];
  }
}
