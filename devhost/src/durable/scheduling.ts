// Turning the orchestrator's new actions, and the next attempts of retried tasks, into history and work.
import { doubleEncodedInput, rawInput } from './actions.js';
import { events } from './history.js';
import type { EpisodePlan } from './plan.js';
import type { InstanceRow } from './store.js';
import { ActionType, type HistoryEvent, type OrchestratorAction, type RetryContext } from './types.js';

export class UnsupportedActionError extends Error {
  constructor(actionType: number) {
    super(`Orchestrator action type ${actionType} (entities, HTTP calls) is not supported by devhost.`);
    this.name = 'UnsupportedActionError';
  }
}

export interface Scheduled {
  nextId: number;
  /** JSON text of the next execution's input when the orchestrator continued as new. */
  continueAsNew?: string;
}

/**
 * Schedules `actions` (the new tail of the flattened action list) with task ids from `nextId` on:
 * TaskScheduled / SubOrchestrationInstanceCreated / TimerCreated events and their work.
 */
export function scheduleActions(
  plan: EpisodePlan,
  row: InstanceRow,
  actions: readonly OrchestratorAction[],
  firstId: number,
  now: number,
): Scheduled {
  let nextId = firstId;
  let continueAsNew: string | undefined;
  for (const action of actions) {
    switch (action.actionType) {
      case ActionType.CallActivity:
      case ActionType.CallActivityWithRetry: {
        const id = nextId++;
        const input = doubleEncodedInput(action.input);
        const name = action.functionName ?? '';
        const retry: RetryContext | null = action.retryOptions
          ? { target: 'activity', name, input, options: action.retryOptions, attempt: 1, firstAttemptAt: now }
          : null;
        plan.history.push(events.taskScheduled(now, id, name, input));
        plan.workItems.push({
          instance_id: row.id,
          execution_id: row.execution_id,
          task_id: id,
          name,
          input,
          retry,
        });
        break;
      }
      case ActionType.CallSubOrchestrator:
      case ActionType.CallSubOrchestratorWithRetry: {
        const id = nextId++;
        const input = rawInput(action.input);
        const name = action.functionName ?? '';
        const retry: RetryContext | null = action.retryOptions
          ? {
              target: 'orchestration',
              name,
              input,
              options: action.retryOptions,
              attempt: 1,
              firstAttemptAt: now,
              ...(action.instanceId ? { instanceId: action.instanceId } : {}),
            }
          : null;
        const childId = action.instanceId || `${row.id}:${id}`;
        plan.history.push(events.subCreated(now, id, name, childId, input));
        plan.children.push({ instanceId: childId, name, input, parentTaskId: id, retry });
        break;
      }
      case ActionType.CreateTimer: {
        const id = nextId++;
        const fireAt = Date.parse(action.fireAt ?? '') || now;
        plan.history.push(events.timerCreated(now, id, fireAt));
        plan.timers.push({
          instance_id: row.id,
          execution_id: row.execution_id,
          timer_id: id,
          fire_at: fireAt,
          retry: null,
        });
        break;
      }
      case ActionType.WaitForExternalEvent:
        break;
      case ActionType.ContinueAsNew:
        continueAsNew = doubleEncodedInput(action.input);
        break;
      default:
        throw new UnsupportedActionError(action.actionType);
    }
  }
  return { nextId, ...(continueAsNew !== undefined ? { continueAsNew } : {}) };
}

/** The next attempt of a retried task, when its retry timer fired; returns the next free id. */
export function scheduleAttempt(
  plan: EpisodePlan,
  fresh: HistoryEvent[],
  row: InstanceRow,
  retry: RetryContext,
  nextId: number,
  now: number,
): number {
  const id = nextId;
  const failed = retry.exhausted && retry.lastFailure ? retry.lastFailure : undefined;
  if (retry.target === 'activity') {
    fresh.push(events.taskScheduled(now, id, retry.name, retry.input));
    if (failed)
      plan.outgoing.push({
        instanceId: row.id,
        executionId: row.execution_id,
        message: { kind: 'activityFailed', taskId: id, failure: failed, retry },
      });
    else
      plan.workItems.push({
        instance_id: row.id,
        execution_id: row.execution_id,
        task_id: id,
        name: retry.name,
        input: retry.input,
        retry,
      });
    return nextId + 1;
  }
  const childId = retry.instanceId ?? `${row.id}:${id}`;
  fresh.push(events.subCreated(now, id, retry.name, childId, retry.input));
  if (failed)
    plan.outgoing.push({
      instanceId: row.id,
      executionId: row.execution_id,
      message: { kind: 'subFailed', taskId: id, failure: failed, retry },
    });
  else
    plan.children.push({
      instanceId: childId,
      name: retry.name,
      input: retry.input,
      parentTaskId: id,
      retry,
    });
  return nextId + 1;
}
