// A draggable, keyboard-operable splitter (role=separator). Reports a new size in pixels of
// the pane before it (or after it, with `after`), clamped by the caller.

import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

export interface SplitterProps {
  orientation: 'horizontal' | 'vertical';
  label: string;
  /** Current size in px of the controlled pane. */
  size: number;
  min: number;
  max: number;
  /** The controlled pane is after the splitter (grows when dragging towards the start). */
  after?: boolean;
  onResize(px: number): void;
  onReset?(): void;
}

export function Splitter({ orientation, label, size, min, max, after, onResize, onReset }: SplitterProps) {
  const drag = useRef<{ start: number; size: number } | null>(null);
  const vertical = orientation === 'vertical'; // a vertical bar between columns
  const clamp = (v: number) => Math.round(Math.max(min, Math.min(max, v)));

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { start: vertical ? e.clientX : e.clientY, size };
    document.documentElement.classList.add(vertical ? 'is-col-resizing' : 'is-row-resizing');
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d) return;
    const delta = (vertical ? e.clientX : e.clientY) - d.start;
    onResize(clamp(d.size + (after ? -delta : delta)));
  };
  const end = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    drag.current = null;
    e.currentTarget.releasePointerCapture?.(e.pointerId);
    document.documentElement.classList.remove('is-col-resizing', 'is-row-resizing');
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? 64 : 16;
    const grow = after ? -1 : 1;
    let next: number | null = null;
    if (e.key === (vertical ? 'ArrowLeft' : 'ArrowUp')) next = size - step * grow;
    else if (e.key === (vertical ? 'ArrowRight' : 'ArrowDown')) next = size + step * grow;
    else if (e.key === 'Home') next = min;
    else if (e.key === 'End') next = max;
    else if (e.key === 'Enter' && onReset) {
      e.preventDefault();
      onReset();
      return;
    }
    if (next === null) return;
    e.preventDefault();
    onResize(clamp(next));
  };

  return (
    <div
      className={`splitter splitter-${vertical ? 'v' : 'h'}`}
      role="separator"
      aria-orientation={vertical ? 'vertical' : 'horizontal'}
      aria-label={label}
      aria-valuenow={Math.round(size)}
      aria-valuemin={Math.round(min)}
      aria-valuemax={Math.round(max)}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={end}
      onPointerCancel={end}
      onDoubleClick={onReset}
      onKeyDown={onKeyDown}
    />
  );
}
