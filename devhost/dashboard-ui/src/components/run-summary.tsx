// The run API's view of one of our runs (job, period, status, where the full failure list lives),
// shown beside the orchestration when the dashboard has the run API.
function text(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function RunSummary({ run }: { run: unknown }) {
  if (typeof run !== 'object' || run === null) return null;
  const r = run as Record<string, unknown>;
  const failures =
    typeof r.failures === 'object' && r.failures !== null ? (r.failures as Record<string, unknown>) : {};
  const facts: [string, string | undefined][] = [
    ['Job', text(r, 'job')],
    ['Period', text(r, 'period')],
    ['Run status', text(r, 'status')],
    ['Failure list', text(failures, 'blob')],
  ];
  const shown = facts.filter((f): f is [string, string] => f[1] !== undefined);
  if (shown.length === 0) return null;
  return (
    <section class="panel" aria-label="Run" data-testid="run-summary">
      <header class="panel-header">
        <h3>Run</h3>
        <span class="muted">from the run API</span>
      </header>
      <dl class="stats">
        {shown.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd class={label === 'Failure list' ? 'mono' : ''}>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
