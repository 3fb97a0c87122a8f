// `devhost start`: the whole local system until Ctrl-C.
import { parseSystemFlags, SYSTEM_FLAGS_USAGE } from './system-flags.js';
import { printWhere, startForCommand } from './serve.js';

export const START_USAGE = `Usage: devhost start [options]

Starts Azurite, the local identity, both function apps behind their Easy Auth proxies, and the
dashboard, prints what is where, and serves until Ctrl-C.

${SYSTEM_FLAGS_USAGE}
`;

export async function runStartCommand(argv: readonly string[]): Promise<number> {
  const flags = parseSystemFlags(argv);
  const { system, logger, stopped } = await startForCommand(flags, flags.logLevel);
  printWhere(system, flags, logger);
  await stopped;
  return 0;
}
