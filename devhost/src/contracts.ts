// The seams between devhost's parts. Each part lives in its own folder and meets the others only here:
//   functions-host/  loads one app, serves HTTP and timers, invokes functions  (implements FunctionInvoker)
//   durable/         SQLite store, dispatcher, management and RPC APIs        (createDurableExtension)
//   identity/        local Entra issuer and the App Service managed-identity endpoint
//   easyauth/        the authsettingsV2 reverse proxy
//   dashboard/       the web UI over the Durable HTTP management API
//   supervisor/      `devhost start`: Azurite, identity, proxies, one process per app, dashboard
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Logger } from './log.js';

/** The subset of host.json devhost honours. */
export interface HostJson {
  version?: string;
  logging?: { logLevel?: Record<string, string> };
  extensions?: {
    http?: { routePrefix?: string };
    durableTask?: {
      hubName?: string;
      maxConcurrentActivityFunctions?: number;
      maxConcurrentOrchestratorFunctions?: number;
      [key: string]: unknown;
    };
  };
  functionTimeout?: string;
  [key: string]: unknown;
}

/** RPC typed data, as the Functions host sends it to the Node worker. */
export interface RpcTypedData {
  string?: string | null;
  json?: string | null;
  bytes?: Uint8Array | null;
  stream?: Uint8Array | null;
  http?: Record<string, unknown> | null;
  int?: number | null;
  double?: number | null;
  [key: string]: unknown;
}

export interface RpcBindingInfo {
  type: string;
  direction: 'in' | 'out' | 'inout';
  [key: string]: unknown;
}

/** One function an app registered through `@azure/functions-core`. */
export interface RegisteredFunction {
  name: string;
  /** Binding name to binding metadata, exactly as registered. */
  bindings: Record<string, RpcBindingInfo>;
  /** Name and metadata of the trigger binding. */
  triggerName: string;
  trigger: RpcBindingInfo;
}

export interface InvocationInput {
  name: string;
  data: RpcTypedData;
}

export interface InvocationResult {
  returnValue?: RpcTypedData;
  outputData?: InvocationInput[];
}

/** Invokes a loaded app's functions through the library's own invocation model. */
export interface FunctionInvoker {
  list(): readonly RegisteredFunction[];
  find(name: string): RegisteredFunction | undefined;
  /**
   * Runs one invocation. `inputs` are the trigger and input bindings by name; the host adds the
   * durable client binding data itself when the function declares one. Rejects with the error the
   * handler threw.
   */
  invoke(
    name: string,
    inputs: InvocationInput[],
    options?: { triggerMetadata?: Record<string, RpcTypedData>; logProps?: Record<string, unknown> },
  ): Promise<InvocationResult>;
}

/** Serves a request if it belongs to this part; resolves false to let the next handler try. */
export type HttpHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** The Durable Task extension of one function app's host. */
export interface DurableExtension {
  readonly taskHubName: string;
  /** The JSON object `durableClient` input bindings receive: task hub, creation and management URLs, and `rpcBaseUrl`. */
  clientBindingData(): Record<string, unknown>;
  /** Serves `/runtime/webhooks/durabletask/**` (system key) and the client RPC API `/durabletask/**`. */
  handleHttp: HttpHandler;
  /** Begins dispatching; recovers expired leases and due timers from the store. */
  start(): Promise<void>;
  /** Stops dispatching, waits briefly for work in flight, closes the store. */
  stop(): Promise<void>;
}

export interface DurableExtensionOptions {
  invoker: FunctionInvoker;
  /** Folder for this app's durable state; the store is `<dataDir>/durable.sqlite`. */
  dataDir: string;
  hostJson: HostJson;
  /** Origin callers use for management URLs, e.g. `http://127.0.0.1:7071`. */
  publicOrigin: string;
  /** Origin of this host's own HTTP server, for `rpcBaseUrl`, e.g. `http://127.0.0.1:7081`. */
  rpcOrigin: string;
  /** The host's system key for `/runtime/webhooks/durabletask` (`code=` or `x-functions-key`). */
  systemKey: string;
  logger: Logger;
}

export type CreateDurableExtension = (options: DurableExtensionOptions) => Promise<DurableExtension>;
