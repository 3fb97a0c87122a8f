#!/usr/bin/env node
// `devhost`: runs both function apps locally without Core Tools or Azure.
import { DASHBOARD_USAGE, runDashboardCommand } from './dashboard/cli.js';
import { DEMO_USAGE, runDemoCommand } from './cli/demo.js';
import { RUNS_USAGE, runRunsCommand } from './cli/runs.js';
import { runStartCommand, START_USAGE } from './cli/start.js';

const USAGE = `Usage: devhost <command> [options]

Commands:
  start       Azurite, local identity, both apps behind Easy Auth, dashboard; serve until Ctrl-C
  demo        start, then run the statements job once with a live progress bar (npm start)
  dashboard   the dashboard alone, for any function app's Durable management API
  runs        start, watch and cancel runs through the run API with an operator token
  help        this text; \`devhost <command> --help\` for a command's options
`;

type Command = (argv: readonly string[]) => Promise<number>;

const COMMANDS: Record<string, { run: Command; usage?: string }> = {
  start: { run: runStartCommand, usage: START_USAGE },
  demo: { run: runDemoCommand, usage: DEMO_USAGE },
  dashboard: { run: (argv) => runDashboardCommand(argv), usage: DASHBOARD_USAGE },
  runs: { run: (argv) => runRunsCommand([...argv]), usage: RUNS_USAGE },
};

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`devhost: unknown command ${JSON.stringify(name)}.\n\n${USAGE}`);
    return 2;
  }
  if (command.usage && (rest.includes('--help') || rest.includes('-h'))) {
    console.log(command.usage);
    return 0;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const error = err instanceof Error ? err : new Error(String(err));
    console.error(`devhost: ${error.name === 'UsageError' ? '' : `${error.name}: `}${error.message}`);
    if (error.cause instanceof Error) console.error(`  caused by: ${error.cause.message}`);
    process.exit(error.name === 'UsageError' ? 2 : 1);
  },
);
