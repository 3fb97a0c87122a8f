// Runs one action over a selection of instances, a few at a time, and reports each outcome.

export interface BulkOutcome {
  succeeded: string[];
  failed: { id: string; message: string }[];
}

export async function runBulk(
  ids: readonly string[],
  action: (id: string) => Promise<unknown>,
  options: { concurrency?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<BulkOutcome> {
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const outcome: BulkOutcome = { succeeded: [], failed: [] };
  let next = 0;
  let done = 0;

  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const id = ids[next++] as string;
      try {
        await action(id);
        outcome.succeeded.push(id);
      } catch (error) {
        outcome.failed.push({ id, message: error instanceof Error ? error.message : String(error) });
      }
      done += 1;
      options.onProgress?.(done, ids.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
  return outcome;
}
