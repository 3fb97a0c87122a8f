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
