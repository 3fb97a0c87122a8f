import { setTimeout as delay } from 'node:timers/promises';

import { RateTracker, renderProgress } from './progress.js';
import { RunApiError } from './run-api-client.js';
import { FINAL_STATUSES, type RunApiClient, type RunStatus } from './types.js';

export interface WatchOptions {
  /** Where the progress goes; default stdout. */
  write?: (text: string) => void;
  /** Time between polls; default 1000 ms. */
  intervalMs?: number;
  /** Redraw one line in place (a terminal); otherwise print a line per change. Default: stdout is a TTY. */
  interactive?: boolean;
  /** Stops watching (the run goes on); resolves with the last status seen. */
  signal?: AbortSignal;
  /** Consecutive transient poll failures (no answer, 429, 5xx) tolerated; default 5. */
  maxTransientFailures?: number;
}

// Erase to the end of the line after a carriage return, so a shorter line leaves no rest behind.
const CLEAR_LINE = '\u001b[K';

/** Polls a run and draws a live progress bar until it ends; resolves with the final status. */
export async function watchRun(
  client: RunApiClient,
  id: string,
  options: WatchOptions = {},
): Promise<RunStatus> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const interactive = options.interactive ?? process.stdout.isTTY === true;
  const intervalMs = options.intervalMs ?? 1000;
  const rates = new RateTracker();
  let lastKey: string | undefined;
  let last: RunStatus | undefined;
  let failures = 0;

  for (;;) {
    try {
      last = await client.get(id);
      failures = 0;
    } catch (error) {
      failures += 1;
      const tolerated =
        error instanceof RunApiError && error.transient && failures <= (options.maxTransientFailures ?? 5);
      if (!tolerated) {
        if (interactive && lastKey !== undefined) write('\n');
        throw error;
      }
    }

    if (last) {
      const { succeeded, failed } = last.progress;
      rates.add(performance.now(), succeeded + failed + (last.progress.skipped ?? 0));
      const line = renderProgress(last, rates.rate(), { unicode: interactive });
      if (interactive) write(`\r${line.text}${CLEAR_LINE}`);
      else if (line.key !== lastKey) write(`${line.text}\n`);
      lastKey = line.key;
      if (FINAL_STATUSES.includes(last.status.toLowerCase())) break;
    }

    const stopped = await delay(intervalMs, false, { signal: options.signal }).catch(() => true);
    if (stopped) break;
  }

  if (interactive) write('\n');
  if (!last) throw new RunApiError(`Run ${id} could not be read before watching stopped.`, 0);
  return last;
}
