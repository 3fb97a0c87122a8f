// `devhost demo` (what `npm start` runs): the system, one real `statements` run with a live
// progress bar and a summary, then serving until Ctrl-C.
import type { Logger } from '../log.js';
import { createRunApiClient, getOperatorToken, watchRun, type RunStatus } from '../operator/index.js';
import type { RunningSystem } from '../supervisor/index.js';
import { printWhere, startForCommand } from './serve.js';
import { parseSystemFlags, SYSTEM_FLAGS_USAGE } from './system-flags.js';

export const DEMO_USAGE = `Usage: devhost demo [options]

Starts the local system (as devhost start), then one run of the statements job through the
orchestrator's run API with an operator token, shows its progress and summary, and keeps serving
until Ctrl-C. App host logs are shown from level warn unless --log-level is given.

  --job <name>                  job to run (default statements)
${SYSTEM_FLAGS_USAGE}
`;

function summaryLines(run: RunStatus, seconds: number): string[] {
  const { progress } = run;
  const rate = seconds > 0 ? (progress.succeeded / seconds).toFixed(1) : '-';
  const lines = [
    '',
    `Run ${run.id}: ${run.status}`,
    `  job ${run.job}, period ${run.period}`,
    `  ${progress.succeeded} succeeded, ${progress.failed} failed of ${progress.total}; ${progress.retries} retries, ${progress.throttledWaits} throttled waits`,
    `  ${seconds.toFixed(1)} s, ${rate} items/s`,
  ];
  for (const failure of run.failures.sample.slice(0, 5)) {
    lines.push(
      `  failed ${failure.itemId}: ${failure.reason}${failure.status ? ` (HTTP ${failure.status})` : ''}`,
    );
  }
  if (run.failures.blob) lines.push(`  full failure list: ${run.failures.blob}`);
  return lines;
}

async function runOnce(
  system: RunningSystem,
  job: string,
  logger: Logger,
  view: { interactive: boolean; summary: boolean; signal: AbortSignal },
): Promise<void> {
  const scope = `${system.registrations.orchestratorApi.identifierUri}/.default`;
  const client = createRunApiClient({
    baseUrl: system.urls.orchestrator,
    getToken: () => getOperatorToken({ issuerUrl: system.urls.identity, scope, dataDir: system.dataDir }),
  });
  const started = performance.now();
  const run = await client.start({ job });
  logger.info('demo.run_started', { instanceId: run.id, job });
  const final = await watchRun(client, run.id, {
    // In JSON mode stdout carries only log records; the bar is for people.
    write: (text) => {
      if (view.summary) process.stdout.write(text);
    },
    interactive: view.interactive,
    signal: view.signal,
  });
  if (view.signal.aborted) return;
  const seconds = (performance.now() - started) / 1000;
  logger.info('demo.run_finished', { instanceId: final.id, status: final.status, ...final.progress });
  if (view.summary) console.log(summaryLines(final, seconds).join('\n'));
}

export async function runDemoCommand(argv: readonly string[]): Promise<number> {
  const jobIndex = argv.indexOf('--job');
  const job = jobIndex >= 0 ? (argv[jobIndex + 1] ?? 'statements') : 'statements';
  const rest = jobIndex >= 0 ? [...argv.slice(0, jobIndex), ...argv.slice(jobIndex + 2)] : [...argv];
  const flags = parseSystemFlags(rest);
  const hostLevel = flags.logLevelGiven ? flags.logLevel : 'warn';
  const { system, logger, stopped, stopping } = await startForCommand(flags, hostLevel);
  printWhere(system, flags, logger);

  const interactive = !flags.json && process.stdout.isTTY === true;
  try {
    await runOnce(system, job, logger, { interactive, summary: !flags.json, signal: stopping });
  } catch (err) {
    logger.error('demo.run_failed', { error: err });
    if (!flags.json)
      console.log('\nThe demo run did not complete (see the error above); devhost keeps serving.');
  }
  if (!flags.json && !stopping.aborted) console.log('\nStill serving. Press Ctrl-C to stop.');
  await stopped;
  return 0;
}
