// "Samples" menu button: lists public/samples/index.json; choosing one opens it.

import { useEffect, type KeyboardEvent } from 'react';
import { usePopover } from '../hooks/usePopover.ts';
import { PopoverButton } from './PopoverButton.tsx';
import type { Sample, SamplesState } from '../hooks/useSamples.ts';
import { formatCount } from '../lib/format.ts';
import { IconChevronDown, IconSamples } from './Icons.tsx';

export function SamplesMenu({ samples, onOpen, disabled }: { samples: SamplesState; onOpen(s: Sample): void; disabled?: boolean }) {
  const pop = usePopover<HTMLDivElement>();

  // Focus the first item when the menu opens, and again when the list arrives after the menu opened
  // (index.json may still be loading on a slow disk or network).
  useEffect(() => {
    if (!pop.open) return;
    const panel = pop.panelRef.current;
    if (panel && !panel.contains(document.activeElement)) panel.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, [pop.open, pop.panelRef, samples.status]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(pop.panelRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLElement);
    let n = -1;
    if (e.key === 'ArrowDown') n = (i + 1) % items.length;
    else if (e.key === 'ArrowUp') n = (i - 1 + items.length) % items.length;
    else if (e.key === 'Home') n = 0;
    else if (e.key === 'End') n = items.length - 1;
    else if (e.key === 'Tab') pop.close();
    if (n >= 0 && items[n]) {
      e.preventDefault();
      items[n].focus();
    }
  };

  return (
    <div className="popover-anchor">
      <PopoverButton pop={pop} popup="menu" disabled={disabled}>
        <IconSamples />
        <span>Samples</span>
        <IconChevronDown />
      </PopoverButton>
      {pop.open ? (
        <div ref={pop.panelRef} id={pop.id} className="popover menu" role="menu" aria-label="Load sample" onKeyDown={onKeyDown}>
          {samples.status === 'loading' ? <div className="menu-empty">Loading…</div> : null}
          {samples.status === 'none' ? <div className="menu-empty">No samples are available in this build.</div> : null}
          {samples.status === 'ready'
            ? samples.samples.map((s) => (
                <button
                  key={s.file}
                  type="button"
                  role="menuitem"
                  className="menu-item"
                  tabIndex={-1}
                  onClick={() => {
                    pop.close();
                    onOpen(s);
                  }}
                >
                  <span className="menu-item-title">
                    {s.title}
                    {s.packets ? <span className="muted"> · {formatCount(s.packets)} packets</span> : null}
                  </span>
                  {s.description ? <span className="menu-item-desc">{s.description}</span> : null}
                </button>
              ))
            : null}
        </div>
      ) : null}
    </div>
  );
}
