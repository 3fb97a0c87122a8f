// The dashboard shell: settings from the server, a header, and the routed view.
import { useEffect, useState } from 'preact/hooks';

import { api } from './api';
import { InstanceDetail } from './components/instance-detail';
import { InstanceList } from './components/instance-list';
import { RunsList } from './components/runs-list';
import { ErrorState, Loading } from './components/states';
import type { DashboardConfig } from './data/api-client.js';
import { useHashRoute } from './hooks';

export function App() {
  const route = useHashRoute();
  const [config, setConfig] = useState<DashboardConfig | undefined>();
  const [error, setError] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    api.config().then(setConfig, setError);
  }, [attempt]);

  return (
    <>
      <a class="skip" href="#content">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="#/">
          Durable Functions dashboard
        </a>
        <nav class="top-nav" aria-label="Views">
          <a href="#/" aria-current={route.view !== 'runs' ? 'page' : undefined}>
            Instances
          </a>
          {config?.hasRunApi && (
            <a href="#/runs" aria-current={route.view === 'runs' ? 'page' : undefined} data-testid="nav-runs">
              Runs
            </a>
          )}
        </nav>
        {config?.target && (
          <span class="muted mono target" title="Management API">
            {config.target}
          </span>
        )}
        {config?.readOnly && (
          <span class="badge tone-neutral" data-testid="read-only">
            read-only
          </span>
        )}
      </header>
      <div id="content">
        {error !== undefined && !config ? (
          <main class="view">
            <ErrorState error={error} onRetry={() => (setError(undefined), setAttempt((a) => a + 1))} />
          </main>
        ) : !config ? (
          <main class="view">
            <Loading />
          </main>
        ) : route.view === 'runs' ? (
          <RunsList key={route.params.toString()} params={route.params} />
        ) : route.view === 'instance' ? (
          <InstanceDetail key={route.id} id={route.id} tab={route.tab} config={config} />
        ) : (
          <InstanceList key={route.params.toString()} config={config} params={route.params} />
        )}
      </div>
    </>
  );
}
