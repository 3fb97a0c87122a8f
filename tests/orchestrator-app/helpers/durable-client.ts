// A real DurableClient from durable-functions, pointed at a small in-memory implementation of the
// client RPC API the Durable extension serves (`rpcBaseUrl`), until devhost's backend runs the app.
import functions from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';

import { listen, readBody, type Loopback } from './loopback.js';

export interface StoredInstance {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  lastUpdatedTime: string;
}

export interface DurableStub extends Loopback {
  instances: Map<string, StoredInstance>;
  client(): DurableClient;
  context(): functions.InvocationContext;
  logs: string[];
}

/** Starts the RPC stub and returns a way to make clients bound to it. */
export async function startDurableStub(): Promise<DurableStub> {
  const instances = new Map<string, StoredInstance>();
  let clock = Date.parse('2026-12-01T00:00:00Z');
  const server = await listen(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.replace(/^\/durabletask\//, '');
    const send = (status: number, body?: unknown) => {
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(body === undefined ? '' : JSON.stringify(body));
    };
    const start = /^orchestrators\/([^/]+)(?:\/([^/]+))?$/.exec(path);
    if (start && req.method === 'POST') {
      const text = await readBody(req);
      const id = decodeURIComponent(start[2] ?? `auto-${instances.size}`);
      const existing = instances.get(id);
      if (
        existing &&
        ['Pending', 'Running', 'ContinuedAsNew', 'Suspended'].includes(existing.runtimeStatus)
      ) {
        return send(409, { message: `An instance with ID '${id}' already exists.` });
      }
      clock += 1000;
      const now = new Date(clock).toISOString();
      instances.set(id, {
        name: start[1]!,
        instanceId: id,
        runtimeStatus: 'Pending',
        input: text ? (JSON.parse(text) as unknown) : null,
        output: null,
        customStatus: null,
        createdTime: now,
        lastUpdatedTime: now,
      });
      return send(202, { id });
    }
    const terminate = /^instances\/([^/]+)\/terminate$/.exec(path);
    if (terminate && req.method === 'POST') {
      const instance = instances.get(decodeURIComponent(terminate[1]!));
      if (!instance) return send(404);
      if (['Completed', 'Failed', 'Terminated'].includes(instance.runtimeStatus)) return send(410);
      instance.runtimeStatus = 'Terminated';
      instance.output = url.searchParams.get('reason');
      return send(202);
    }
    const one = /^instances\/([^/]+)$/.exec(path);
    if (one && req.method === 'GET') {
      const instance = instances.get(decodeURIComponent(one[1]!));
      return instance ? send(200, instance) : send(404);
    }
    if (path === 'instances/' && req.method === 'GET') {
      const from = url.searchParams.get('createdTimeFrom');
      const to = url.searchParams.get('createdTimeTo');
      const statuses = url.searchParams.get('runtimeStatus')?.split(',');
      const matching = [...instances.values()].filter(
        (i) =>
          (!from || i.createdTime >= from) &&
          (!to || i.createdTime <= to) &&
          (!statuses || statuses.includes(i.runtimeStatus)),
      );
      return send(200, matching);
    }
    send(404);
  });
  const logs: string[] = [];
  const clientInput = df.input.durableClient();
  const bindingData = {
    taskHubName: 'BatchHub',
    creationUrls: {
      createNewInstancePostUri: `${server.url}/runtime/webhooks/durabletask/orchestrators/{functionName}[/{instanceId}]?code=system-key`,
      createAndWaitOnNewInstancePostUri: `${server.url}/runtime/webhooks/durabletask/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&code=system-key`,
    },
    managementUrls: {
      id: 'INSTANCEID',
      statusQueryGetUri: `${server.url}/runtime/webhooks/durabletask/instances/INSTANCEID?code=system-key`,
      sendEventPostUri: `${server.url}/runtime/webhooks/durabletask/instances/INSTANCEID/raiseEvent/{eventName}?code=system-key`,
      terminatePostUri: `${server.url}/runtime/webhooks/durabletask/instances/INSTANCEID/terminate?reason={text}&code=system-key`,
      rewindPostUri: `${server.url}/runtime/webhooks/durabletask/instances/INSTANCEID/rewind?reason={text}&code=system-key`,
      purgeHistoryDeleteUri: `${server.url}/runtime/webhooks/durabletask/instances/INSTANCEID?code=system-key`,
      restartPostUri: `${server.url}/runtime/webhooks/durabletask/instances/INSTANCEID/restart?code=system-key`,
      suspendPostUri: `${server.url}/runtime/webhooks/durabletask/instances/INSTANCEID/suspend?reason={text}&code=system-key`,
      resumePostUri: `${server.url}/runtime/webhooks/durabletask/instances/INSTANCEID/resume?reason={text}&code=system-key`,
    },
    baseUrl: `${server.url}/runtime/webhooks/durabletask`,
    requiredQueryStringParameters: 'code=system-key',
    rpcBaseUrl: `${server.url}/durabletask/`,
  };
  const context = (): functions.InvocationContext => {
    const ctx = new functions.InvocationContext({
      functionName: 'test',
      invocationId: 'test-invocation',
      logHandler: (_level, ...args) => logs.push(args.map(String).join(' ')),
      options: {
        trigger: { type: 'httpTrigger', name: 'request' },
        extraInputs: [clientInput],
        extraOutputs: [],
      },
    });
    ctx.extraInputs.set(clientInput, bindingData);
    return ctx;
  };
  return { ...server, instances, logs, context, client: () => df.getClient(context()) };
}
