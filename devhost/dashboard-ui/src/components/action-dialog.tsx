// Confirmation for one action on one or many instances, with the inputs the action takes.
import { useEffect, useRef, useState } from 'preact/hooks';

import { api } from '../api';
import { type BulkOutcome, runBulk } from '../data/bulk.js';
import { ACTION_LABELS, type InstanceAction } from '../data/status.js';

const WARNINGS: Record<InstanceAction, string> = {
  terminate: 'The orchestration stops at once; work already scheduled is abandoned.',
  suspend: 'The orchestration pauses until it is resumed; events are queued.',
  resume: 'The orchestration continues where it was suspended.',
  restart: 'The orchestration starts again from the beginning with the same input.',
  raiseEvent: 'The event is delivered to the orchestration waiting for it.',
  purge: 'The instance and all its history are deleted. This cannot be undone.',
};

export interface ActionRequest {
  action: InstanceAction;
  ids: string[];
}

function perform(
  action: InstanceAction,
  form: { reason: string; newId: boolean; event: string; data: unknown },
) {
  return (id: string): Promise<void> => {
    switch (action) {
      case 'terminate':
        return api.terminate(id, form.reason);
      case 'suspend':
        return api.suspend(id, form.reason);
      case 'resume':
        return api.resume(id, form.reason);
      case 'restart':
        return api.restart(id, form.newId);
      case 'raiseEvent':
        return api.raiseEvent(id, form.event, form.data);
      case 'purge':
        return api.purge(id);
    }
  };
}

export function ActionDialog({
  request,
  onClose,
}: {
  request: ActionRequest;
  onClose: (outcome?: BulkOutcome) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [newId, setNewId] = useState(false);
  const [event, setEvent] = useState('');
  const [data, setData] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState<{ done: number; total: number } | undefined>();
  const { action, ids } = request;
  const label = ACTION_LABELS[action];

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    let payload: unknown = null;
    if (action === 'raiseEvent') {
      if (!event.trim()) return setProblem('Give the event a name.');
      try {
        payload = data.trim() ? (JSON.parse(data) as unknown) : null;
      } catch {
        return setProblem('The event data must be JSON, e.g. {"approved": true} or "text".');
      }
    }
    setProblem('');
    setBusy({ done: 0, total: ids.length });
    const outcome = await runBulk(
      ids,
      perform(action, { reason, newId, event: event.trim(), data: payload }),
      {
        onProgress: (done, total) => setBusy({ done, total }),
      },
    );
    setBusy(undefined);
    if (outcome.failed.length > 0) {
      const first = outcome.failed[0];
      setProblem(
        `${outcome.failed.length} of ${ids.length} failed${first ? `: ${first.id}: ${first.message}` : ''}` +
          (outcome.succeeded.length ? ` (${outcome.succeeded.length} succeeded)` : ''),
      );
      if (outcome.succeeded.length === 0) return;
    }
    dialog.current?.close();
    onClose(outcome);
  };

  const target = ids.length === 1 ? <code>{ids[0]}</code> : <strong>{ids.length} instances</strong>;
  return (
    <dialog
      ref={dialog}
      class="dialog"
      aria-labelledby="action-title"
      onCancel={() => onClose()}
      data-testid="action-dialog"
    >
      <form method="dialog" onSubmit={(e) => void submit(e)}>
        <h2 id="action-title">
          {label} {target}?
        </h2>
        <p class={action === 'purge' || action === 'terminate' ? 'warning' : 'muted'}>{WARNINGS[action]}</p>
        {(action === 'terminate' || action === 'suspend' || action === 'resume') && (
          <label>
            Reason (optional)
            <input
              value={reason}
              onInput={(e) => setReason(e.currentTarget.value)}
              maxLength={500}
              autoFocus
            />
          </label>
        )}
        {action === 'restart' && (
          <label class="inline">
            <input type="checkbox" checked={newId} onChange={(e) => setNewId(e.currentTarget.checked)} />
            Restart with a new instance id
          </label>
        )}
        {action === 'raiseEvent' && (
          <>
            <label>
              Event name
              <input value={event} onInput={(e) => setEvent(e.currentTarget.value)} required autoFocus />
            </label>
            <label>
              Event data (JSON)
              <textarea
                rows={4}
                value={data}
                onInput={(e) => setData(e.currentTarget.value)}
                placeholder='{"approved": true}'
              />
            </label>
          </>
        )}
        {problem && (
          <p class="tone-danger-text" role="alert">
            {problem}
          </p>
        )}
        {busy && (
          <p role="status">
            Working… {busy.done} of {busy.total}
          </p>
        )}
        <div class="dialog-buttons">
          <button
            type="button"
            onClick={() => (dialog.current?.close(), onClose())}
            disabled={busy !== undefined}
          >
            Cancel
          </button>
          <button
            type="submit"
            class={action === 'purge' || action === 'terminate' ? 'danger' : 'primary'}
            disabled={busy !== undefined}
          >
            {label}
          </button>
        </div>
      </form>
    </dialog>
  );
}
