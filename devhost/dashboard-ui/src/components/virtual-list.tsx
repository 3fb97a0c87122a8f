// Renders only the rows in view (plus a margin), so lists of 10,000+ rows stay fast. Arrow keys,
// Page Up/Down, Home and End move the active row; Enter activates it.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

export interface VirtualListProps<T> {
  items: readonly T[];
  rowHeight: number;
  /** Visible height in pixels. */
  height: number;
  label: string;
  renderRow: (item: T, index: number, active: boolean) => ComponentChildren;
  onActivate?: (item: T, index: number) => void;
  activeIndex?: number;
  onActiveChange?: (index: number) => void;
  testId?: string;
}

const OVERSCAN = 10;

export function VirtualList<T>(props: VirtualListProps<T>) {
  const { items, rowHeight, height } = props;
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const active = props.activeIndex ?? -1;

  useEffect(() => {
    const el = box.current;
    if (!el || active < 0) return;
    const top = active * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + height) el.scrollTop = top + rowHeight - height;
  }, [active, rowHeight, height]);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN);
  const page = Math.max(1, Math.floor(height / rowHeight) - 1);

  const onKeyDown = (event: KeyboardEvent): void => {
    const move = (to: number): void => {
      event.preventDefault();
      props.onActiveChange?.(Math.max(0, Math.min(items.length - 1, to)));
    };
    if (event.key === 'ArrowDown') move(active + 1);
    else if (event.key === 'ArrowUp') move(active - 1);
    else if (event.key === 'PageDown') move(active + page);
    else if (event.key === 'PageUp') move(active - page);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(items.length - 1);
    else if (event.key === 'Enter' && active >= 0 && items[active] !== undefined) {
      props.onActivate?.(items[active], active);
    }
  };

  return (
    <div
      ref={box}
      class="virtual"
      style={{ height: `${height}px` }}
      tabIndex={0}
      role="grid"
      aria-label={props.label}
      aria-rowcount={items.length}
      data-testid={props.testId}
      data-rendered={last - first}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
    >
      <div style={{ height: `${items.length * rowHeight}px`, position: 'relative' }}>
        {items.slice(first, last).map((item, offset) => {
          const index = first + offset;
          return (
            <div
              key={index}
              role="row"
              aria-rowindex={index + 1}
              class={`virtual-row${index === active ? ' active' : ''}`}
              style={{ top: `${index * rowHeight}px`, height: `${rowHeight}px` }}
              onClick={() => {
                props.onActiveChange?.(index);
                props.onActivate?.(item, index);
              }}
            >
              {props.renderRow(item, index, index === active)}
            </div>
          );
        })}
      </div>
    </div>
  );
}
