// Client operations on instances, shared by the management API and the client RPC API. Each is one
// store transaction followed by a nudge to the dispatcher.
import type { FunctionInvoker } from '../contracts.js';
import type { Dispatcher } from './dispatcher.js';
import { createInstance, newInstanceId } from './lifecycle.js';
import type { DurableStore, InstanceRow, ListFilter } from './store.js';
import { isTerminal, type Message, type RuntimeStatus } from './types.js';

export type StartResult =
  | { ok: true; id: string }
  | { ok: false; reason: 'unknownFunction' | 'badInstanceId' | 'conflict'; detail: string };

export type ControlResult = 'accepted' | 'notFound' | 'gone';

const BAD_ID = /[/\\#?]/;

export function validInstanceId(id: string): boolean {
  return (
    id.length > 0 &&
    id.length <= 256 &&
    !BAD_ID.test(id) &&
    ![...id].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127)
  );
}

export class ClientOps {
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(
    private readonly store: DurableStore,
    private readonly invoker: FunctionInvoker,
    private readonly dispatcher: Dispatcher,
  ) {}

  isOrchestrator(name: string): boolean {
    return this.invoker.find(name)?.trigger.type === 'orchestrationTrigger';
  }

  start(name: string, id: string | undefined, input: string | null): StartResult {
    const fn = this.invoker.list().find((f) => f.name.toLowerCase() === name.toLowerCase());
    if (!fn || fn.trigger.type !== 'orchestrationTrigger') {
      return {
        ok: false,
        reason: 'unknownFunction',
        detail: `The orchestrator function '${name}' does not exist.`,
      };
    }
    const instanceId = id ?? newInstanceId();
    if (!validInstanceId(instanceId)) {
      return {
        ok: false,
        reason: 'badInstanceId',
        detail: `The instance id '${instanceId}' is not valid: 1-256 characters, none of / \\ # ? or control characters.`,
      };
    }
    const now = Date.now();
    const result = this.store.transaction(() =>
      createInstance(this.store, { id: instanceId, name: fn.name, input }, now),
    );
    if (!result.created) {
      return {
        ok: false,
        reason: 'conflict',
        detail: `An instance with ID '${instanceId}' already exists and is ${result.existing.status}.`,
      };
    }
    this.dispatcher.forget(instanceId);
    this.dispatcher.notify([instanceId]);
    return { ok: true, id: instanceId };
  }

  get(id: string): InstanceRow | undefined {
    return this.store.getInstance(id);
  }

  list(filter: ListFilter): InstanceRow[] {
    return this.store.listInstances(filter);
  }

  raiseEvent(id: string, name: string, input: string | null): ControlResult {
    return this.send(id, { kind: 'event', name, input });
  }

  control(id: string, kind: 'terminate' | 'suspend' | 'resume', reason: string): ControlResult {
    return this.send(id, { kind, reason });
  }

  purge(id: string): boolean {
    const removed = this.store.transaction(() => {
      const row = this.store.getInstance(id);
      if (!row || !isTerminal(row.status)) return false;
      return this.store.deleteInstance(id);
    });
    if (removed) this.dispatcher.forget(id);
    return removed;
  }

  purgeBy(filter: { createdFrom?: number; createdTo?: number; statuses?: RuntimeStatus[] }): number {
    const statuses = (
      filter.statuses?.length ? filter.statuses : ['Completed', 'Failed', 'Terminated', 'Canceled']
    ).filter((s) => isTerminal(s as RuntimeStatus)) as RuntimeStatus[];
    if (statuses.length === 0) return 0;
    const ids = this.store.transaction(() => {
      const rows = this.store.listInstances({ ...filter, statuses, limit: -1 });
      for (const row of rows) this.store.deleteInstance(row.id);
      return rows.map((row) => row.id);
    });
    for (const id of ids) this.dispatcher.forget(id);
    return ids.length;
  }

  restart(id: string, newId: boolean): StartResult | undefined {
    const row = this.store.getInstance(id);
    if (!row) return undefined;
    return this.start(row.name, newId ? undefined : id, row.input);
  }

  /** Resolves when the instance ends or `timeoutMs` passes. */
  async waitForEnd(id: string, timeoutMs: number): Promise<void> {
    if (timeoutMs <= 0) return;
    const row = this.store.getInstance(id);
    if (row && isTerminal(row.status)) return;
    await new Promise<void>((resolve) => {
      const set = this.waiters.get(id) ?? new Set<() => void>();
      this.waiters.set(id, set);
      const done = (): void => {
        clearTimeout(timer);
        set.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      set.add(done);
    });
  }

  /** The dispatcher reports an ended execution. */
  ended(id: string): void {
    for (const done of [...(this.waiters.get(id) ?? [])]) done();
    this.waiters.delete(id);
  }

  private send(id: string, message: Message): ControlResult {
    const result = this.store.transaction((): ControlResult => {
      const row = this.store.getInstance(id);
      if (!row) return 'notFound';
      if (isTerminal(row.status)) return 'gone';
      this.store.addMessage(id, null, message, Date.now());
      return 'accepted';
    });
    if (result === 'accepted') this.dispatcher.notify([id]);
    return result;
  }
}
