// App settings that override host.json, as the Functions host reads them in Azure:
// `AzureFunctionsJobHost__extensions__durableTask__maxConcurrentActivityFunctions=128` sets that value
// without a change to the app's host.json (a `__` separates the levels; names match case-insensitively).
import type { HostJson } from '../contracts.js';

const PREFIX = 'azurefunctionsjobhost__';

/** A setting's text as the JSON value host.json would hold: numbers and booleans keep their type. */
function valueOf(text: string): unknown {
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The key of `object` that matches `name` case-insensitively, else `name` itself. */
function keyFor(object: Record<string, unknown>, name: string): string {
  return Object.keys(object).find((key) => key.toLowerCase() === name.toLowerCase()) ?? name;
}

/** Returns a copy of `hostJson` with every `AzureFunctionsJobHost__…` setting of `env` applied. */
export function withHostJsonOverrides(
  hostJson: HostJson,
  env: Readonly<Record<string, string | undefined>>,
): HostJson {
  const result = structuredClone(hostJson) as Record<string, unknown>;
  for (const [name, text] of Object.entries(env)) {
    if (text === undefined || !name.toLowerCase().startsWith(PREFIX)) continue;
    const path = name.slice(PREFIX.length).split('__').filter(Boolean);
    const last = path.pop();
    if (last === undefined) continue;
    let node = result;
    for (const segment of path) {
      const key = keyFor(node, segment);
      const next = node[key];
      if (!isRecord(next)) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[keyFor(node, last)] = valueOf(text);
  }
  return result;
}
