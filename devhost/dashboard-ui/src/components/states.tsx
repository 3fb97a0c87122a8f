// Loading, empty and error states, each saying what is happening and what to do.
import type { ComponentChildren } from 'preact';

import { DashboardApiError } from '../data/api-client.js';
import { type InstanceStatusName, statusTone } from '../data/status.js';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div class="state state-loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="state state-empty" role="status" data-testid="empty-state">
      <strong>{title}</strong>
      {children && <p>{children}</p>}
    </div>
  );
}

function explain(error: unknown): { title: string; hint: string } {
  if (!(error instanceof DashboardApiError)) {
    return { title: 'Something went wrong', hint: error instanceof Error ? error.message : String(error) };
  }
  switch (error.kind) {
    case 'unreachable':
      return {
        title: 'Management API unreachable',
        hint: 'Is the function app running? Check the --management-url the dashboard was started with.',
      };
    case 'unauthorized':
      return {
        title: 'The management API rejected the key',
        hint: "Give the dashboard the app's durabletask_extension system key (--key-env).",
      };
    case 'network':
      return { title: 'Dashboard server unreachable', hint: 'Is devhost still running?' };
    case 'not-found':
      return { title: 'Not found', hint: 'The instance does not exist or has been purged.' };
    default:
      return { title: 'Request failed', hint: '' };
  }
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { title, hint } = explain(error);
  const message = error instanceof Error ? error.message : '';
  return (
    <div class="state state-error" role="alert" data-testid="error-state">
      <strong>{title}</strong>
      {hint && <p>{hint}</p>}
      {message && message !== title && <p class="muted">{message}</p>}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function StatusBadge({ status }: { status: InstanceStatusName }) {
  return (
    <span class={`badge tone-${statusTone(status)}`} data-status={status}>
      {status}
    </span>
  );
}
