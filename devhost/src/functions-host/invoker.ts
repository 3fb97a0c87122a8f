// Runs captured functions through the library's own invocation model, as the Node worker does.
import { randomUUID } from 'node:crypto';

import type {
  FunctionInvoker,
  HostJson,
  InvocationInput,
  InvocationResult,
  RegisteredFunction,
  RpcTypedData,
} from '../contracts.js';
import type { Logger } from '../log.js';
import {
  coreState,
  type CapturedFunction,
  type CoreInvocationContext,
  type HookName,
  type RpcLogCategory,
  type RpcLogLevel,
} from './core-api.js';
import { functionLogAllowed, functionTimeoutMs } from './app-files.js';
import { FunctionNotFoundError, FunctionTimeoutError, HostNotReadyError } from './errors.js';
import { toUserLogEvent } from './user-log.js';

/** Supplies the JSON object `durableClient` inputs receive; undefined until durable is running. */
export type DurableClientDataProvider = () => Record<string, unknown> | undefined;

export interface AppInvoker extends FunctionInvoker {
  /** The durable extension is created after the app loads; it plugs its client data in here. */
  setDurableClientDataProvider(provider: DurableClientDataProvider | undefined): void;
}

const TRIGGER_SUFFIX = 'trigger';

/** Maps the worker's log levels to the logger's. */
export function logMethod(level: RpcLogLevel): 'debug' | 'info' | 'warn' | 'error' {
  switch (level) {
    case 'trace':
    case 'debug':
    case 'none':
      return 'debug';
    case 'warning':
      return 'warn';
    case 'error':
    case 'critical':
      return 'error';
    default:
      return 'info';
  }
}

function toRegistered(captured: CapturedFunction): RegisteredFunction {
  const { name, bindings } = captured.metadata;
  const entry = Object.entries(bindings).find(
    ([, binding]) => binding.direction === 'in' && binding.type.toLowerCase().endsWith(TRIGGER_SUFFIX),
  );
  if (!entry) {
    throw new Error(
      `Function "${name}" has no trigger binding; bindings: ${Object.keys(bindings).join(', ')}.`,
    );
  }
  return { name, bindings, triggerName: entry[0], trigger: entry[1] };
}

async function runHooks(name: HookName, context: Record<string, unknown>): Promise<void> {
  for (const hook of [...coreState.hooksFor(name)]) await hook(context);
}

/** Runs `work`, rejecting with FunctionTimeoutError after `ms` (the handler itself cannot be stopped). */
async function withTimeout<T>(work: Promise<T>, ms: number | undefined, name: string): Promise<T> {
  if (ms === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new FunctionTimeoutError(name, ms)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Builds the invoker over the functions one app registered, honouring host.json log levels and timeout. */
export function createInvoker(
  captured: readonly CapturedFunction[],
  logger: Logger,
  hostJson: HostJson = {},
): AppInvoker {
  const timeoutMs = functionTimeoutMs(hostJson);
  const registered = captured.map((entry) => ({ entry, info: toRegistered(entry) }));
  const byName = new Map(registered.map((item) => [item.info.name.toLowerCase(), item]));
  let durableClientData: DurableClientDataProvider | undefined;

  const withDurableClient = (info: RegisteredFunction, inputs: InvocationInput[]): InvocationInput[] => {
    const clientBindings = Object.entries(info.bindings).filter(
      ([name, binding]) => binding.type === 'durableClient' && !inputs.some((input) => input.name === name),
    );
    if (clientBindings.length === 0) return inputs;
    const data = durableClientData?.();
    if (!data) {
      throw new HostNotReadyError(
        `Function "${info.name}" needs a durable client, but the durable extension is not running.`,
      );
    }
    const json = JSON.stringify(data);
    return [...inputs, ...clientBindings.map(([name]) => ({ name, data: { json } }))];
  };

  const invoke = async (
    name: string,
    inputs: InvocationInput[],
    options: { triggerMetadata?: Record<string, RpcTypedData>; logProps?: Record<string, unknown> } = {},
  ): Promise<InvocationResult> => {
    const found = byName.get(name.toLowerCase());
    if (!found)
      throw new FunctionNotFoundError(
        name,
        [...byName.values()].map((item) => item.info.name),
      );
    const model = coreState.programmingModel;
    if (!model)
      throw new HostNotReadyError('No programming model was set; did the app import @azure/functions?');

    const { entry, info } = found;
    const invocationId = randomUUID();
    const fnLogger = logger.child({ function: info.name, invocationId, ...options.logProps });
    const coreCtx: CoreInvocationContext = {
      invocationId,
      request: {
        invocationId,
        functionId: entry.metadata.functionId ?? info.name,
        inputData: withDurableClient(info, inputs),
        ...(options.triggerMetadata ? { triggerMetadata: options.triggerMetadata } : {}),
      },
      metadata: entry.metadata,
      log: (level, category, message) => {
        if (category === 'user' && !functionLogAllowed(hostJson, info.name, level)) return;
        emitLog(fnLogger, level, category, message);
      },
    };

    const invocation = model.getInvocationModel(coreCtx);
    const { context, inputs: args } = await invocation.getArguments();
    const hookData: Record<string, unknown> = {};

    coreCtx.state = 'preInvocationHooks';
    const pre: Record<string, unknown> = {
      hookData,
      invocationContext: context,
      inputs: args,
      functionCallback: entry.callback,
    };
    await runHooks('preInvocation', pre);

    coreCtx.state = 'invocation';
    let result: unknown;
    let error: unknown;
    try {
      const callback = pre.functionCallback as CapturedFunction['callback'];
      const running = invocation.invokeFunction(context, pre.inputs as unknown[], callback);
      result = await withTimeout(running, timeoutMs, info.name);
    } catch (err) {
      error = err;
    }

    coreCtx.state = 'postInvocationHooks';
    const post: Record<string, unknown> = {
      hookData,
      invocationContext: context,
      inputs: pre.inputs,
      result,
      error,
    };
    await runHooks('postInvocation', post);
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrow the handler's own value unchanged
    if (post.error !== undefined && post.error !== null) throw post.error;

    const response = await invocation.getResponse(context, post.result);
    const outputData = (response.outputData ?? []).flatMap((item) =>
      item.data ? [{ name: item.name, data: item.data }] : [],
    );
    return { ...(response.returnValue ? { returnValue: response.returnValue } : {}), outputData };
  };

  return {
    list: () => registered.map((item) => item.info),
    find: (name) => byName.get(name.toLowerCase())?.info,
    invoke,
    setDurableClientDataProvider(provider) {
      durableClientData = provider;
    },
  };
}

function emitLog(logger: Logger, level: RpcLogLevel, category: RpcLogCategory, message: string): void {
  const hookContext: Record<string, unknown> = {
    hookData: {},
    level,
    message,
    category,
    invocationContext: undefined,
  };
  for (const hook of coreState.hooksFor('log')) {
    try {
      hook(hookContext);
    } catch {
      // A failing log hook must not fail the invocation that logged.
    }
  }
  const text = typeof hookContext.message === 'string' ? hookContext.message : message;
  if (category !== 'user') {
    logger[logMethod(level)]('function.system', { message: text });
    return;
  }
  const { event, props } = toUserLogEvent(text);
  logger[logMethod(level)](event, props);
}
