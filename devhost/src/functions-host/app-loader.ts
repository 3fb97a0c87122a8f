// Loads one function app into this process the way the Node worker does.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { HostJson } from '../contracts.js';
import type { Logger } from '../log.js';
import { readHostJson, readLocalSettings, resolveAppMain } from './app-files.js';
import { withHostJsonOverrides } from './host-json-overrides.js';
import { coreState, installCoreShim, type CapturedFunction } from './core-api.js';
import { AppLoadError } from './errors.js';
import { createInvoker, logMethod, type AppInvoker } from './invoker.js';

export interface LoadFunctionAppOptions {
  appDir: string;
  logger: Logger;
  /** Variables set before the app loads; they win over the environment and local.settings.json. */
  env?: Record<string, string>;
}

export interface LoadedFunctionApp {
  invoker: AppInvoker;
  hostJson: HostJson;
  appDir: string;
}

// An ES module evaluates once per process, so a second load of the same entry reuses what the
// first one captured. Loads are serialised because registrations go to whichever app is loading.
const loadedEntries = new Map<string, Promise<CapturedFunction[]>>();
let loadChain: Promise<unknown> = Promise.resolve();

/** Puts local.settings.json `Values` into process.env without overriding what is already set. */
export function applyLocalSettings(appDir: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const applied: string[] = [];
  for (const [key, value] of Object.entries(readLocalSettings(appDir))) {
    if (env[key] !== undefined) continue;
    env[key] = value;
    applied.push(key);
  }
  return applied;
}

async function importApp(entry: string, appDir: string, logger: Logger): Promise<CapturedFunction[]> {
  const sink = { functions: [] as CapturedFunction[] };
  coreState.sink = sink;
  try {
    await import(pathToFileURL(entry).href);
  } catch (err) {
    throw new AppLoadError(`Importing the app ${entry} failed: ${(err as Error).message}`, { cause: err });
  } finally {
    coreState.sink = undefined;
  }

  const model = coreState.programmingModel;
  const capabilities = model ? await model.getCapabilities({}) : {};
  if (capabilities.HttpUri) {
    // TODO(functions-host): HTTP streams (app.setup({ enableHttpStream: true })) need the worker's
    // HTTP proxy protocol; no app here uses them, so such an app is refused with a clear message.
    throw new AppLoadError(
      `The app at ${appDir} enables HTTP streams (app.setup({ enableHttpStream: true })), which devhost does not support; turn it off to run the app here.`,
    );
  }
  const appStart = { hookData: {}, appHookData: {}, functionAppDirectory: appDir };
  for (const hook of [...coreState.hooksFor('appStart')]) await hook(appStart);
  logger.info('app.loaded', { appDir, functions: sink.functions.length });
  return sink.functions;
}

/**
 * Installs the `@azure/functions-core` shim (once per process), applies the app's settings, imports
 * the app through package.json `main`, captures its registrations and returns an invoker over them.
 */
export async function loadFunctionApp(options: LoadFunctionAppOptions): Promise<LoadedFunctionApp> {
  const appDir = resolve(options.appDir);
  const logger = options.logger;
  installCoreShim();
  coreState.systemLog ??= (level, category, message) =>
    logger[logMethod(level)]('functions.system', { category, message });

  const entry = resolveAppMain(appDir);
  for (const [key, value] of Object.entries(options.env ?? {})) process.env[key] = value;
  applyLocalSettings(appDir);
  const hostJson = withHostJsonOverrides(readHostJson(appDir), process.env);

  let captured = loadedEntries.get(entry);
  if (!captured) {
    const next = loadChain.then(() => importApp(entry, appDir, logger));
    loadChain = next.catch(() => undefined);
    captured = next;
    loadedEntries.set(entry, captured);
    void next.catch(() => {
      loadedEntries.delete(entry);
    });
  }
  const functions = await captured;
  return { invoker: createInvoker(functions, logger, hostJson), hostJson, appDir };
}
