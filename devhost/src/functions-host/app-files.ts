// Files an app folder carries: package.json `main`, host.json and local.settings.json.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { HostJson } from '../contracts.js';
import { AppLoadError } from './errors.js';

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (err) {
    throw new AppLoadError(`Could not read ${path} as JSON; fix the file or remove it.`, { cause: err });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The app's entry file from package.json `main` (Azure's default is `index.js`). */
export function resolveAppMain(appDir: string): string {
  const packagePath = join(appDir, 'package.json');
  if (!existsSync(packagePath)) {
    throw new AppLoadError(`No package.json in app folder ${appDir}; point --app at a function app folder.`);
  }
  const pkg = readJson(packagePath);
  const main = isRecord(pkg) && typeof pkg.main === 'string' ? pkg.main : 'index.js';
  const entry = resolve(appDir, main);
  if (!existsSync(entry)) {
    throw new AppLoadError(
      `The app's main file ${entry} does not exist; build the app first (npm run build).`,
    );
  }
  return entry;
}

/** `<appDir>/host.json`, or an empty document when the app has none. */
export function readHostJson(appDir: string): HostJson {
  const path = join(appDir, 'host.json');
  if (!existsSync(path)) return {};
  const value = readJson(path);
  if (!isRecord(value)) throw new AppLoadError(`${path} must hold a JSON object.`);
  return value;
}

/** The `Values` of `<appDir>/local.settings.json`, as `func start` reads them; empty when absent. */
export function readLocalSettings(appDir: string): Record<string, string> {
  const path = join(appDir, 'local.settings.json');
  if (!existsSync(path)) return {};
  const value = readJson(path);
  const values = isRecord(value) && isRecord(value.Values) ? value.Values : {};
  return Object.fromEntries(
    Object.entries(values).flatMap(([key, raw]) =>
      raw === null || raw === undefined ? [] : [[key, typeof raw === 'string' ? raw : JSON.stringify(raw)]],
    ),
  );
}

/** The route prefix host.json sets (`api` by default; an empty string is allowed). */
export function routePrefixOf(hostJson: HostJson): string {
  const prefix = hostJson.extensions?.http?.routePrefix;
  return (typeof prefix === 'string' ? prefix : 'api').replace(/^\/+|\/+$/g, '');
}

const HOST_LEVELS: Record<string, number> = {
  trace: 0,
  debug: 0,
  information: 1,
  warning: 2,
  error: 3,
  critical: 4,
  none: 5,
};
const WORKER_LEVELS: Record<string, number> = { ...HOST_LEVELS, none: 0 };

/**
 * Whether host.json `logging.logLevel` lets a function's user log of `level` through. The most
 * specific category wins: `Function.<name>.User`, `Function.<name>`, `Function`, `default`.
 */
export function functionLogAllowed(hostJson: HostJson, functionName: string, level: string): boolean {
  const levels = hostJson.logging?.logLevel ?? {};
  const lookup = new Map(
    Object.entries(levels).map(([key, value]) => [key.toLowerCase(), value.toLowerCase()]),
  );
  const name = functionName.toLowerCase();
  const configured = [`function.${name}.user`, `function.${name}`, 'function', 'default']
    .map((key) => lookup.get(key))
    .find((value) => value !== undefined);
  if (configured === undefined) return true;
  return (WORKER_LEVELS[level] ?? 1) >= (HOST_LEVELS[configured] ?? 1);
}

/** host.json `functionTimeout` (`hh:mm:ss`, `d.hh:mm:ss`) in ms; undefined for none or `-1`. */
export function functionTimeoutMs(hostJson: HostJson): number | undefined {
  const text = hostJson.functionTimeout;
  if (typeof text !== 'string' || text.trim() === '-1') return undefined;
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(text.trim());
  if (!match)
    throw new AppLoadError(`host.json functionTimeout "${text}" is not a TimeSpan such as 00:10:00.`);
  const [, days = '0', hours = '0', minutes = '0', seconds = '0', fraction = '0'] = match;
  const whole = ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds);
  return Math.round((whole + Number(`0.${fraction}`)) * 1000);
}
