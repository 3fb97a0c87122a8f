// Reading the orchestrator's cumulative action list.
import { ActionType, type OrchestratorAction, type OrchestratorState } from './types.js';

/** Leaf actions in the order the engine assigned them, compound actions (Task.all/any) expanded. */
export function flattenActions(state: Pick<OrchestratorState, 'actions'>): OrchestratorAction[] {
  const out: OrchestratorAction[] = [];
  const visit = (action: OrchestratorAction): void => {
    if (action.actionType === ActionType.WhenAll || action.actionType === ActionType.WhenAny) {
      for (const child of action.compoundActions ?? []) visit(child);
      return;
    }
    out.push(action);
  };
  for (const entry of state.actions ?? []) {
    if (Array.isArray(entry)) entry.forEach(visit);
    else visit(entry);
  }
  return out;
}

/**
 * The input of an activity or continue-as-new action as JSON text. The library stringifies a string
 * input once before the action is serialized, so a string here is already JSON text.
 */
export function doubleEncodedInput(input: unknown): string {
  if (input === undefined) return 'null';
  if (typeof input === 'string') return input;
  return JSON.stringify(input);
}

/** A sub-orchestration input as JSON text (not pre-stringified by the library). */
export function rawInput(input: unknown): string {
  return input === undefined ? 'null' : JSON.stringify(input);
}
