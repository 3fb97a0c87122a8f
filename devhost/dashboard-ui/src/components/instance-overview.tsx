// The overview tab of an instance: the run API's view, the failure sample, links to children, and
// custom status, input and output as collapsible JSON.
import type { Instance } from '../data/instance.js';
import type { FailureSample } from '../data/progress.js';
import { instanceHash } from '../data/route.js';
import { JsonView } from './json-view';
import { RunSummary } from './run-summary';

export interface InstanceOverviewProps {
  instance: Instance;
  run: unknown;
  failures: { count: number; sample: FailureSample[] } | undefined;
  children: string[];
}

/** The failure message an orchestration left as output (a string, or an object with a message). */
function failureText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (typeof output === 'object' && output !== null) {
    const message = (output as Record<string, unknown>).message;
    if (typeof message === 'string') return message;
  }
  return output === undefined || output === null
    ? 'No reason was recorded.'
    : JSON.stringify(output, null, 2);
}

export function InstanceOverview({ instance, run, failures, children }: InstanceOverviewProps) {
  return (
    <div class="overview">
      {instance.runtimeStatus === 'Failed' && (
        <section class="panel failure" aria-label="Failure" data-testid="failure-reason">
          <header class="panel-header">
            <h3>Failed</h3>
          </header>
          <pre class="json-raw">{failureText(instance.output)}</pre>
        </section>
      )}
      <RunSummary run={run} />
      {failures && failures.count > 0 && (
        <section class="panel" aria-label="Failures">
          <header class="panel-header">
            <h3>Failures ({failures.count})</h3>
            <span class="muted">sample</span>
          </header>
          <table class="compact">
            <thead>
              <tr>
                <th>Item</th>
                <th>Status</th>
                <th>Reason</th>
              </tr>
            </thead>
            <tbody>
              {failures.sample.map((f) => (
                <tr key={f.itemId}>
                  <td class="mono">{f.itemId}</td>
                  <td>{f.status ?? ''}</td>
                  <td>{f.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {children.length > 0 && (
        <section class="panel" aria-label="Sub-orchestrations">
          <header class="panel-header">
            <h3>Sub-orchestrations ({children.length})</h3>
          </header>
          <ul class="links">
            {children.slice(0, 100).map((c) => (
              <li key={c}>
                <a class="mono" href={instanceHash(c)}>
                  {c}
                </a>
              </li>
            ))}
          </ul>
          {children.length > 100 && <p class="muted">and {children.length - 100} more in the history.</p>}
        </section>
      )}
      <JsonView title="Custom status" value={instance.customStatus} />
      <JsonView title="Input" value={instance.input} />
      <JsonView title="Output" value={instance.output} />
    </div>
  );
}
