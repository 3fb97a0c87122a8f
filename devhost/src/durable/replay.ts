// Replays an orchestration through the real durable-functions engine by invoking the app's
// orchestrator function with the trigger input the Durable extension sends (history, input, instance id, schema version).
import type { FunctionInvoker } from '../contracts.js';
import type { Logger } from '../log.js';
import type { ReplayOutcome } from './episode.js';
import type { InstanceRow } from './store.js';
import { typedDataToValue } from './typed-data.js';
import type { OrchestratorState } from './types.js';

const FAILURE_MARKER = '$OutOfProcData$:';

/**
 * `history` holds JSON texts of events, so the cached part of a long history is never serialized
 * again. Schema V4; short-timer limit set far out so the engine never splits timers itself.
 */
export async function replayOrchestration(
  invoker: FunctionInvoker,
  row: Pick<InstanceRow, 'id' | 'name' | 'input' | 'parent_id'>,
  history: readonly string[],
  logger: Logger,
): Promise<ReplayOutcome> {
  const fn = invoker.find(row.name);
  if (!fn) {
    return {
      ok: false,
      state: {
        isDone: false,
        actions: [],
        error: `The orchestrator function '${row.name}' is not registered.`,
      },
    };
  }
  const trigger =
    `{"history":[${history.join(',')}],"input":${row.input ?? 'null'},"instanceId":${JSON.stringify(row.id)},` +
    `"isReplaying":false,"parentInstanceId":${JSON.stringify(row.parent_id ?? '')},"upperSchemaVersion":1,` +
    `"upperSchemaVersionNew":3,"longRunningTimerIntervalDuration":"3.00:00:00",` +
    `"maximumShortTimerDuration":"3650.00:00:00","defaultHttpAsyncRequestSleepTimeMillseconds":30000}`;
  try {
    const result = await invoker.invoke(row.name, [{ name: fn.triggerName, data: { json: trigger } }], {
      logProps: { instanceId: row.id },
    });
    return { ok: true, state: typedDataToValue(result.returnValue) as OrchestratorState };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = message.indexOf(FAILURE_MARKER);
    if (at >= 0)
      return { ok: false, state: JSON.parse(message.slice(at + FAILURE_MARKER.length)) as OrchestratorState };
    // Not the engine's failure format: the history we sent did not replay. Fail the instance loudly.
    logger.error('durable.replay.hostError', { instanceId: row.id, name: row.name, error });
    return {
      ok: false,
      state: { isDone: false, actions: [], error: `devhost could not replay the history: ${message}` },
    };
  }
}
