// `npm run bench`: the benchmarks of docs/benchmarks.md through the full local system. Flags:
//   --reps N        repetitions of every case (default 3); medians are reported
//   --large-reps N  repetitions of the 10,000-item cases (default: --reps)
//   --quick         a tenth of every size, one repetition: checks the harness, measures nothing
//   --only a,b      phases to run: overhead, latency, statements, noop (default all)
//   --profile DIR   write a CPU profile of every orchestrator host process into DIR
//   --from-source   run devhost and the app hosts from TypeScript sources (as tests do), not dist
//   --orchestrator-env K=V  an extra setting of the orchestrator host (repeatable), e.g.
//                   DEVHOST_DURABLE_SYNCHRONOUS=NORMAL
// A run with --quick, --only, --profile or --orchestrator-env keeps latest.json / latest.md as they are.
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { type BenchSizes, latencyPhase, noopPhase, overheadPhase, statementsPhase } from './lib/phases.js';
import { markdownTable, type TargetRow, writeResults } from './lib/report.js';
import { median } from './lib/stats.js';
import { startBenchSystem } from './lib/system.js';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '3' },
    'large-reps': { type: 'string' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string', default: 'overhead,latency,statements,noop' },
    profile: { type: 'string' },
    'from-source': { type: 'boolean', default: false },
    'orchestrator-env': { type: 'string', multiple: true, default: [] },
  },
});

const scale = values.quick ? 0.1 : 1;
const reps = values.quick ? 1 : Number(values.reps);
const sizes: BenchSizes = {
  large: 10_000 * scale,
  small: 1_000 * scale,
  latencyItems: 5_000 * scale,
  latencyMs: 50,
  latencyParallel: 100,
  parallel: 64,
  noop: 10_000 * scale,
  reps,
  largeReps: values.quick ? 1 : Number(values['large-reps'] ?? reps),
};
const phases = new Set(values.only.split(','));
const log = (message: string): void =>
  void process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
const orchestratorEnv: Record<string, string> = Object.fromEntries(
  values['orchestrator-env'].map((pair) => {
    const at = pair.indexOf('=');
    if (at < 1) throw new TypeError(`Expected --orchestrator-env NAME=VALUE, got ${JSON.stringify(pair)}.`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  }),
);
if (values.profile) orchestratorEnv.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${values.profile}`;
const partial =
  values.quick || values.profile !== undefined || values['orchestrator-env'].length > 0 || phases.size < 4;

const startedAt = new Date().toISOString();
const rows: TargetRow[] = [];
const raw: Record<string, unknown> = {};
const wall = (runs: readonly { wallMs: number }[]): number => median(runs.map((run) => run.wallMs));

const bench = await startBenchSystem(
  { items: sizes.large, latencyMs: 0 },
  orchestratorEnv,
  values['from-source'],
);
try {
  if (phases.has('overhead')) {
    const s = await overheadPhase(bench, sizes, log);
    raw.overhead = s;
    const ratios = s.durableLarge.map((run, i) => run.wallMs / (s.baselineLarge[i]?.wallMs ?? NaN));
    const large = wall(s.durableLarge);
    rows.push(
      {
        name: `1. Durable overhead`,
        measure: `wall(durable ${sizes.large}) / wall(plain ${sizes.large}), maxParallel ${sizes.parallel}, latency 0 (median of per-rep ratios)`,
        value: median(ratios),
        unit: '×',
        target: 1.5,
      },
      {
        name: '2. Scaling',
        measure: `wall(${sizes.large}) / wall(${sizes.small}), durable`,
        value: large / wall(s.durableSmall),
        unit: '×',
        target: 11,
      },
      {
        name: '   plain scaling (reference)',
        measure: `wall(${sizes.large}) / wall(${sizes.small}), plain`,
        value: wall(s.baselineLarge) / wall(s.baselineSmall),
        unit: '×',
      },
      {
        name: '4. Tokens',
        measure: `managed-identity requests per ${sizes.large}-item run (cold host)`,
        value: median(s.durableLarge.map((r) => r.tokenRequests)),
        unit: '',
        target: 2,
      },
      {
        name: '5. Memory',
        measure: `peak RSS of the orchestrator host, ${sizes.large} items`,
        value: median(s.durableLarge.map((r) => r.peakRssMb)),
        unit: 'MB',
        target: 300,
      },
      {
        name: '6. Item activities/s',
        measure: `durable, ${sizes.large} items`,
        value: (sizes.large * 1000) / large,
        unit: '/s',
      },
      {
        name: '   plain calls/s',
        measure: `plain fan-out, ${sizes.large} items`,
        value: (sizes.large * 1000) / wall(s.baselineLarge),
        unit: '/s',
      },
      { name: '   durable wall', measure: `${sizes.large} items`, value: large / 1000, unit: 's' },
      {
        name: '   plain wall',
        measure: `${sizes.large} items`,
        value: wall(s.baselineLarge) / 1000,
        unit: 's',
      },
      {
        name: '   episodes',
        measure: `per ${sizes.large}-item run (stored histories: final run generation + chunks)`,
        value: median(s.durableLarge.map((r) => r.history.episodes)),
        unit: '',
      },
      {
        name: '   history events / orchestration',
        measure: `mean over the run's instances, management API view`,
        value: median(s.durableLarge.map((r) => r.history.historyEvents / r.history.instances)),
        unit: '',
      },
      {
        name: '   stored events / orchestration',
        measure: 'mean, raw store rows incl. OrchestratorStarted/Completed',
        value: median(s.durableLarge.map((r) => r.history.storedEvents / r.history.instances)),
        unit: '',
      },
      {
        name: '   largest history',
        measure: 'events of one instance, management API view',
        value: median(s.durableLarge.map((r) => r.history.maxHistoryEvents)),
        unit: '',
      },
    );
  }
  if (phases.has('latency')) {
    const s = await latencyPhase(bench, sizes, log);
    raw.latency = s;
    const ideal = (sizes.latencyItems * sizes.latencyMs) / sizes.latencyParallel;
    rows.push(
      {
        name: '3. Latency-bound',
        measure: `wall / ideal, ${sizes.latencyItems} items × ${sizes.latencyMs} ms / ${sizes.latencyParallel} (ideal ${ideal} ms)`,
        value: wall(s.durable) / ideal,
        unit: '×',
        target: 1.3,
      },
      {
        name: '   plain latency-bound',
        measure: 'wall / ideal, plain fan-out',
        value: wall(s.baseline) / ideal,
        unit: '×',
      },
    );
  }
  if (phases.has('statements')) {
    const s = await statementsPhase(bench, sizes, log);
    raw.statements = s;
    const items = s.warm[0]?.status.progress.total ?? 0;
    rows.push({
      name: '6. statements job',
      measure: `${items} accounts against Azurite, maxParallel 32, items/s`,
      value: (items * 1000) / wall(s.warm),
      unit: '/s',
    });
  }
} finally {
  await bench.stop();
}
if (phases.has('noop')) {
  const s = await noopPhase(sizes, log, values['from-source']);
  raw.noop = s;
  rows.push(
    {
      name: 'No-op fan-out (issue 4)',
      measure: `${sizes.noop} no-op activities via Task.all, activities/s`,
      value: median(s.map((r) => r.activitiesPerSecond)),
      unit: '/s',
    },
    {
      name: '   vs plain Promise fan-out',
      measure: 'wall(durable) / wall(Promise.all)',
      value: median(s.map((r) => r.ratio)),
      unit: '×',
    },
    {
      name: '   episodes / history events',
      measure: 'of the one orchestration',
      value: median(s.map((r) => r.episodes)),
      unit: `episodes, ${median(s.map((r) => r.historyEvents))} events`,
    },
    {
      name: '   peak RSS',
      measure: 'of the host process',
      value: median(s.map((r) => r.peakRssMb)),
      unit: 'MB',
    },
  );
}

const table = markdownTable(rows);
const stamp = startedAt.replace(/[:.]/g, '-');
const path = writeResults(
  join(import.meta.dirname, 'results'),
  values.quick ? `quick-${stamp}` : stamp,
  {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    devhost: values['from-source'] ? 'sources (tsx)' : 'dist',
    orchestratorEnv,
    sizes,
    rows,
    raw,
  },
  table,
  !partial,
);
process.stdout.write(`${table}\n\nResults: ${path}\n`);
