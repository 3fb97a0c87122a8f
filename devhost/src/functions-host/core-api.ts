// The `@azure/functions-core` module the Node worker gives an app, installed into this process.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import type { InvocationInput, RpcBindingInfo, RpcTypedData } from '../contracts.js';

export type RpcLogLevel = 'trace' | 'debug' | 'information' | 'warning' | 'error' | 'critical' | 'none';
export type RpcLogCategory = 'user' | 'system' | 'customMetric';
export type HookName = 'preInvocation' | 'postInvocation' | 'appStart' | 'appTerminate' | 'log';
export type FunctionCallback = (...args: unknown[]) => unknown;
export type HookCallback = (context: Record<string, unknown>) => unknown;

export interface CoreFunctionMetadata {
  name: string;
  functionId?: string;
  bindings: Record<string, RpcBindingInfo>;
  retryOptions?: unknown;
  [key: string]: unknown;
}

export interface CoreInvocationContext {
  invocationId: string;
  request: {
    invocationId: string;
    functionId: string;
    inputData?: InvocationInput[];
    triggerMetadata?: Record<string, RpcTypedData>;
  };
  metadata: CoreFunctionMetadata;
  state?: 'preInvocationHooks' | 'postInvocationHooks' | 'invocation';
  log(level: RpcLogLevel, category: RpcLogCategory, message: string): void;
}

export interface CoreInvocationResponse {
  invocationId: string;
  outputData?: { name: string; data: RpcTypedData | null | undefined }[];
  returnValue?: RpcTypedData | null;
}

export interface CoreInvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], callback: FunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<CoreInvocationResponse>;
}

export interface CoreProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(context: CoreInvocationContext): CoreInvocationModel;
  getCapabilities(capabilities: Record<string, string>): Promise<Record<string, string>>;
}

/** One registration as the library handed it over. */
export interface CapturedFunction {
  metadata: CoreFunctionMetadata;
  callback: FunctionCallback;
}

/** Receives what apps register while they load. */
export interface RegistrationSink {
  functions: CapturedFunction[];
}

type SystemLogHandler = (level: RpcLogLevel, category: RpcLogCategory, message: string) => void;

class Disposable {
  readonly #onDispose: () => void;
  constructor(onDispose: () => void) {
    this.#onDispose = onDispose;
  }
  dispose(): void {
    this.#onDispose();
  }
}

/** Process-wide state of the shim: hooks, the programming model, and where registrations go. */
class CoreState {
  readonly hooks = new Map<HookName, HookCallback[]>();
  programmingModel: CoreProgrammingModel | undefined;
  sink: RegistrationSink | undefined;
  systemLog: SystemLogHandler | undefined;

  hooksFor(name: HookName): readonly HookCallback[] {
    return this.hooks.get(name) ?? [];
  }
}

export const coreState = new CoreState();

const HOOK_NAMES: readonly string[] = ['preInvocation', 'postInvocation', 'appStart', 'appTerminate', 'log'];

function isHookName(name: string): name is HookName {
  return HOOK_NAMES.includes(name);
}

const coreApi = {
  version: '3.10.1',
  hostVersion: '4.1037.0',
  Disposable,
  registerFunction(metadata: CoreFunctionMetadata, callback: FunctionCallback): Disposable {
    const sink = coreState.sink;
    if (!sink) {
      throw new Error(
        `Function "${metadata.name}" was registered outside an app load; register functions while the app's main module loads.`,
      );
    }
    const entry: CapturedFunction = { metadata, callback };
    sink.functions.push(entry);
    return new Disposable(() => {
      const index = sink.functions.indexOf(entry);
      if (index >= 0) sink.functions.splice(index, 1);
    });
  },
  registerHook(name: string, callback: HookCallback): Disposable {
    if (!isHookName(name))
      throw new RangeError(`Unknown hook "${name}"; expected one of ${HOOK_NAMES.join(', ')}.`);
    const list = coreState.hooks.get(name) ?? [];
    list.push(callback);
    coreState.hooks.set(name, list);
    return new Disposable(() => {
      const index = list.indexOf(callback);
      if (index >= 0) list.splice(index, 1);
    });
  },
  setProgrammingModel(model: CoreProgrammingModel): void {
    coreState.programmingModel = model;
  },
  getProgrammingModel(): CoreProgrammingModel | undefined {
    return coreState.programmingModel;
  },
  log(level: RpcLogLevel, category: RpcLogCategory, message: string): void {
    coreState.systemLog?.(level, category, message);
  },
};

interface ModuleInternals {
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
  _cache: Record<string, unknown>;
}

const SHIM_REQUEST = '@azure/functions-core';
let installed = false;

/**
 * Makes `require('@azure/functions-core')` answer with this host's core API in this process. The
 * library caches the lookup (including "not found"), so this must run before any app is imported.
 * NOTE: the request resolves to a fixed file name whose module is pre-seeded in the CommonJS cache,
 * so it works for CommonJS callers however they were reached (ESM import, loader hooks).
 */
export function installCoreShim(): void {
  if (installed) return;

  const require = createRequire(import.meta.url);
  const Module = require('node:module') as unknown as ModuleInternals & (new (id: string) => object);
  const filename = `${fileURLToPath(import.meta.url)}#${SHIM_REQUEST}`;
  const shimModule = Object.assign(new Module(filename), {
    filename,
    loaded: true,
    exports: coreApi,
  });
  Module._cache[filename] = shimModule;

  const original = Module._resolveFilename.bind(Module);
  Module._resolveFilename = (request, parent, isMain, options) =>
    request === SHIM_REQUEST ? filename : original(request, parent, isMain, options);
  installed = true;
}
