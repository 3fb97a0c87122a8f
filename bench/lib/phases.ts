// The measured phases of `npm run bench`. Each phase alternates the sides it compares within every
// repetition, so both see the same machine load; the report takes medians over repetitions.
import { measureBaseline, type MeasuredBaseline } from './baseline.js';
import { measureDurableRun, type DurableRunResult } from './durable-run.js';
import { measureNoopFanOut, type NoopFanOutResult } from './noop-fanout.js';
import { ACTIVITY_LIMIT_SETTING, type BenchSystem } from './system.js';

export interface BenchSizes {
  /** The large run (10,000 at full size). */
  large: number;
  /** The small run of the scaling ratio (1,000). */
  small: number;
  /** The latency-bound run (5,000). */
  latencyItems: number;
  latencyMs: number;
  latencyParallel: number;
  /** maxParallel of the overhead and scaling runs (64). */
  parallel: number;
  /** No-op activities of the engine-only fan-out (10,000). */
  noop: number;
  reps: number;
  /** Repetitions of the cases with `large` items. */
  largeReps: number;
}

export interface PhaseLog {
  (message: string): void;
}

export interface OverheadSamples {
  durableLarge: DurableRunResult[];
  baselineLarge: MeasuredBaseline[];
  durableSmall: DurableRunResult[];
  baselineSmall: MeasuredBaseline[];
}

const PERIOD = '2026-11';

function describeRun(label: string, result: DurableRunResult): string {
  const { progress } = result.status;
  return (
    `${label}: ${Math.round(result.wallMs)} ms, ${progress.succeeded} ok, ${progress.retries} retries, ` +
    `${result.tokenRequests} MI requests, peak ${Math.round(result.peakRssMb)} MB, ` +
    `${result.history.episodes} episodes, ${result.history.historyEvents} events` +
    (result.warnings.count > 0
      ? `, ${result.warnings.count} warnings, first: ${result.warnings.first[0]}`
      : '')
  );
}

function describeBaseline(label: string, result: MeasuredBaseline): string {
  return `${label}: ${Math.round(result.wallMs)} ms, ${result.succeeded} ok, ${result.retries} retries, ${result.tokenRequests} MI requests`;
}

/** Benchmarks 1, 2, 4 and 5: durable and plain fan-outs of `large` and `small` bench items. */
export async function overheadPhase(
  bench: BenchSystem,
  sizes: BenchSizes,
  log: PhaseLog,
): Promise<OverheadSamples> {
  const samples: OverheadSamples = {
    durableLarge: [],
    baselineLarge: [],
    durableSmall: [],
    baselineSmall: [],
  };
  const reps = Math.max(sizes.reps, sizes.largeReps);
  for (let rep = 1; rep <= reps; rep += 1) {
    if (rep <= sizes.largeReps) {
      await bench.shapeWorker({ items: sizes.large, latencyMs: 0 });
      const plain = await measureBaseline(bench, {
        job: 'bench',
        period: PERIOD,
        runId: `plain-large-${rep}`,
        concurrency: sizes.parallel,
      });
      samples.baselineLarge.push(plain);
      log(describeBaseline(`rep ${rep} plain ${sizes.large}`, plain));
      const durable = await measureDurableRun(bench, { job: 'bench', maxParallel: sizes.parallel });
      samples.durableLarge.push(durable);
      log(describeRun(`rep ${rep} durable ${sizes.large}`, durable));
    }
    if (rep <= sizes.reps) {
      await bench.shapeWorker({ items: sizes.small, latencyMs: 0 });
      const durable = await measureDurableRun(bench, { job: 'bench', maxParallel: sizes.parallel });
      samples.durableSmall.push(durable);
      log(describeRun(`rep ${rep} durable ${sizes.small}`, durable));
      const plain = await measureBaseline(bench, {
        job: 'bench',
        period: PERIOD,
        runId: `plain-small-${rep}`,
        concurrency: sizes.parallel,
      });
      samples.baselineSmall.push(plain);
      log(describeBaseline(`rep ${rep} plain ${sizes.small}`, plain));
    }
  }
  return samples;
}

export interface LatencySamples {
  durable: DurableRunResult[];
  baseline: MeasuredBaseline[];
}

/** Benchmark 3: a latency-bound run next to the plain fan-out at the same concurrency. */
export async function latencyPhase(
  bench: BenchSystem,
  sizes: BenchSizes,
  log: PhaseLog,
): Promise<LatencySamples> {
  await bench.shapeWorker({ items: sizes.latencyItems, latencyMs: sizes.latencyMs });
  // The host's own activity limit (64 in host.json) must not cap maxParallel below 100.
  await bench.system.hosts.orchestrator.restart({
    env: { [ACTIVITY_LIMIT_SETTING]: String(Math.max(64, sizes.latencyParallel)) },
  });
  const samples: LatencySamples = { durable: [], baseline: [] };
  for (let rep = 1; rep <= sizes.reps; rep += 1) {
    const durable = await measureDurableRun(bench, { job: 'bench', maxParallel: sizes.latencyParallel });
    samples.durable.push(durable);
    log(describeRun(`rep ${rep} durable latency-bound`, durable));
    const plain = await measureBaseline(bench, {
      job: 'bench',
      period: PERIOD,
      runId: `plain-latency-${rep}`,
      concurrency: sizes.latencyParallel,
    });
    samples.baseline.push(plain);
    log(describeBaseline(`rep ${rep} plain latency-bound`, plain));
  }
  return samples;
}

/** The statements job against Azurite; the first run also seeds the demo data and is kept apart. */
export async function statementsPhase(
  bench: BenchSystem,
  sizes: BenchSizes,
  log: PhaseLog,
): Promise<{ seeding: DurableRunResult; warm: DurableRunResult[] }> {
  const seeding = await measureDurableRun(bench, { job: 'statements', maxParallel: 32 });
  log(describeRun('statements (first run, seeds the demo data)', seeding));
  const warm: DurableRunResult[] = [];
  for (let rep = 1; rep <= sizes.reps; rep += 1) {
    const run = await measureDurableRun(bench, { job: 'statements', maxParallel: 32 });
    warm.push(run);
    log(describeRun(`rep ${rep} statements`, run));
  }
  return { seeding, warm };
}

/** The engine-only no-op fan-out (issue 4's performance check). */
export async function noopPhase(
  sizes: BenchSizes,
  log: PhaseLog,
  fromSource: boolean,
): Promise<NoopFanOutResult[]> {
  const results: NoopFanOutResult[] = [];
  for (let rep = 1; rep <= sizes.reps; rep += 1) {
    const result = await measureNoopFanOut(sizes.noop, fromSource);
    results.push(result);
    log(
      `rep ${rep} no-op fan-out ${sizes.noop}: ${Math.round(result.wallMs)} ms (${Math.round(result.activitiesPerSecond)}/s), ` +
        `plain ${result.plainWallMs.toFixed(1)} ms, ${result.episodes} episodes, ${result.historyEvents} events, ` +
        `peak ${Math.round(result.peakRssMb)} MB`,
    );
  }
  return results;
}
