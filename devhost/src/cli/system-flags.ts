// Flags shared by `devhost start` and `devhost demo`: data folder, ports, log format.
import { parseArgs } from 'node:util';

import type { LogLevel } from '../log.js';
import { DEFAULT_PORTS, portsFromBase, type SystemPorts } from '../supervisor/index.js';

export const SYSTEM_FLAGS_USAGE = `  --data <dir>                  data folder (default .devhost, or $DEVHOST_DATA)
  --json                        log JSON lines instead of readable lines
  --log-level <level>           debug, info, warn or error (default info)
  --orchestrator-port <n>       orchestrator through Easy Auth (default 7071)
  --worker-port <n>             worker through Easy Auth (default 7072)
  --identity-port <n>           local Entra issuer and managed identity (default 7075)
  --dashboard-port <n>          dashboard (default 7070)
  --orchestrator-host-port <n>  orchestrator app host behind its proxy (default 7081)
  --worker-host-port <n>        worker app host behind its proxy (default 7082)
  --port-base <n>               ports n, n+1, n+2, n+5, n+11, n+12; 0 picks free ports
  --token-lifetime <seconds>    lifetime of local tokens (default 86400)
  --no-dashboard                do not start the dashboard`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface SystemFlags {
  dataDir: string;
  json: boolean;
  logLevel: LogLevel;
  ports: SystemPorts;
  tokenLifetimeSeconds?: number;
  dashboard: boolean;
  /** Set when the user chose a level, so a command can pick a quieter default for hosts. */
  logLevelGiven: boolean;
  positionals: string[];
}

const PORT_FLAGS: Record<string, keyof SystemPorts> = {
  'orchestrator-port': 'orchestrator',
  'worker-port': 'worker',
  'identity-port': 'identity',
  'dashboard-port': 'dashboard',
  'orchestrator-host-port': 'orchestratorHost',
  'worker-host-port': 'workerHost',
};
const LEVELS: readonly string[] = ['debug', 'info', 'warn', 'error'];

function portValue(flag: string, text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--${flag} must be a port number 0..65535, got ${JSON.stringify(text)}.`);
  }
  return port;
}

const OPTIONS = {
  data: { type: 'string' },
  json: { type: 'boolean', default: false },
  'log-level': { type: 'string' },
  'port-base': { type: 'string' },
  'token-lifetime': { type: 'string' },
  'no-dashboard': { type: 'boolean', default: false },
  'orchestrator-port': { type: 'string' },
  'worker-port': { type: 'string' },
  'identity-port': { type: 'string' },
  'dashboard-port': { type: 'string' },
  'orchestrator-host-port': { type: 'string' },
  'worker-host-port': { type: 'string' },
} as const;

/** parseArgs, with its complaints (unknown flag, missing value) turned into usage errors. */
function parseFlags(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message, { cause: err });
  }
}

export function parseSystemFlags(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): SystemFlags {
  const { values, positionals } = parseFlags(argv);

  const base = values['port-base'] ?? env.DEVHOST_PORT_BASE;
  const ports = base === undefined ? { ...DEFAULT_PORTS } : portsFromBase(portValue('port-base', base));
  for (const [flag, key] of Object.entries(PORT_FLAGS)) {
    const text = (values as Record<string, string | boolean | undefined>)[flag];
    if (typeof text === 'string') ports[key] = portValue(flag, text);
  }

  const level = values['log-level'];
  if (level !== undefined && !LEVELS.includes(level)) {
    throw new UsageError(`--log-level must be one of ${LEVELS.join(', ')}, got ${JSON.stringify(level)}.`);
  }
  const lifetime = values['token-lifetime'];
  if (lifetime !== undefined && !(Number(lifetime) > 0)) {
    throw new UsageError(`--token-lifetime must be a number of seconds, got ${JSON.stringify(lifetime)}.`);
  }

  return {
    dataDir: values.data ?? env.DEVHOST_DATA ?? '.devhost',
    json: values.json === true,
    logLevel: (level ?? 'info') as LogLevel,
    logLevelGiven: level !== undefined,
    ports,
    ...(lifetime !== undefined ? { tokenLifetimeSeconds: Number(lifetime) } : {}),
    dashboard: values['no-dashboard'] !== true,
    positionals,
  };
}
