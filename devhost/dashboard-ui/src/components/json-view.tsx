// Collapsible JSON: native <details> elements, so it is keyboard usable without extra code.
import { useState } from 'preact/hooks';

const CHILD_LIMIT = 200;

function Value({ value }: { value: unknown }) {
  if (value === null) return <span class="json-null">null</span>;
  if (typeof value === 'string') return <span class="json-string">{JSON.stringify(value)}</span>;
  if (typeof value === 'number') return <span class="json-number">{String(value)}</span>;
  if (typeof value === 'boolean') return <span class="json-bool">{String(value)}</span>;
  return <span>{typeof value}</span>;
}

function Node({ label, value, depth }: { label?: string; value: unknown; depth: number }) {
  const [limit, setLimit] = useState(CHILD_LIMIT);
  const key = label === undefined ? null : <span class="json-key">{label}: </span>;
  if (typeof value !== 'object' || value === null) {
    return (
      <div class="json-leaf">
        {key}
        <Value value={value} />
      </div>
    );
  }

  const entries: (readonly [string, unknown])[] = Array.isArray(value)
    ? (value as unknown[]).map((v, i) => [String(i), v] as const)
    : Object.entries(value as Record<string, unknown>);
  const open = Array.isArray(value) ? '[' : '{';
  const close = Array.isArray(value) ? ']' : '}';
  if (entries.length === 0) {
    return (
      <div class="json-leaf">
        {key}
        {open}
        {close}
      </div>
    );
  }
  return (
    <details class="json-node" open={depth < 2}>
      <summary>
        {key}
        {open}
        <span class="muted">
          {' '}
          {entries.length} {Array.isArray(value) ? 'item' : 'key'}
          {entries.length === 1 ? ' ' : 's '}
        </span>
        {close}
      </summary>
      <div class="json-children">
        {entries.slice(0, limit).map(([k, v]) => (
          <Node key={k} label={k} value={v} depth={depth + 1} />
        ))}
        {entries.length > limit && (
          <button type="button" class="link" onClick={() => setLimit(limit + CHILD_LIMIT)}>
            Show {Math.min(CHILD_LIMIT, entries.length - limit)} more of {entries.length - limit}
          </button>
        )}
      </div>
    </details>
  );
}

export function JsonView({ value, title }: { value: unknown; title: string }) {
  const [raw, setRaw] = useState(false);
  const [copied, setCopied] = useState(false);
  const text = value === undefined ? '' : JSON.stringify(value, null, 2);
  const copy = (): void => {
    navigator.clipboard.writeText(text).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <section class="panel json-panel" aria-label={title}>
      <header class="panel-header">
        <h3>{title}</h3>
        {value !== undefined && (
          <span class="panel-tools">
            <button type="button" class="small" onClick={() => setRaw(!raw)} aria-pressed={raw}>
              Raw
            </button>
            <button type="button" class="small" onClick={copy}>
              {copied ? 'Copied' : 'Copy'}
            </button>
          </span>
        )}
      </header>
      {value === undefined ? (
        <p class="muted">None</p>
      ) : raw ? (
        <pre class="json-raw">{text}</pre>
      ) : (
        <div class="json-tree">
          <Node value={value} depth={0} />
        </div>
      )}
    </section>
  );
}
