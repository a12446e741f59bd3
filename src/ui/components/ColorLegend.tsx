// The colouring legend (popover): every rule with its name, filter and swatch in the current
// theme, and the switch that turns list colouring on and off. Also emits the rules' CSS.

import { useEffect, useId } from 'react';
import { COLOR_RULES } from '../../analysis/colors.ts';
import { usePopover } from '../hooks/usePopover.ts';
import { PopoverButton } from './PopoverButton.tsx';
import { IconPalette } from './Icons.tsx';

/** CSS for the rows' colour classes (.c-<id>), light and dark variants, from COLOR_RULES. */
export function colorRulesCss(): string {
  const out: string[] = [];
  for (const r of COLOR_RULES) {
    if (!r.bg && !r.fg) continue;
    out.push(`.colorize .plist-row.c-${r.id}, .swatch.c-${r.id} { --row-bg: ${r.bg}; --row-fg: ${r.fg}; }`);
    out.push(`:root[data-theme='dark'] .colorize .plist-row.c-${r.id}, :root[data-theme='dark'] .swatch.c-${r.id} { --row-bg: ${r.darkBg || r.bg}; --row-fg: ${r.darkFg || r.fg}; }`);
  }
  return out.join('\n');
}

export function RowColorStyles() {
  return <style>{colorRulesCss()}</style>;
}

export function ColorLegend({ colorize, onColorize }: { colorize: boolean; onColorize(v: boolean): void }) {
  const pop = usePopover<HTMLDivElement>();
  const checkId = useId();
  useEffect(() => {
    if (pop.open) pop.panelRef.current?.querySelector<HTMLElement>('input')?.focus();
  }, [pop.open, pop.panelRef]);
  return (
    <div className="popover-anchor">
      <PopoverButton pop={pop} popup="dialog">
        <IconPalette />
        <span>Colours</span>
      </PopoverButton>
      {pop.open ? (
        <div ref={pop.panelRef} id={pop.id} className="popover legend" role="dialog" aria-labelledby={`${checkId}-title`}>
          <div className="legend-head">
            <h2 id={`${checkId}-title`}>Colouring rules</h2>
            <label className="switch" htmlFor={checkId}>
              <input id={checkId} type="checkbox" checked={colorize} onChange={(e) => onColorize(e.target.checked)} />
              <span>Colour the packet list</span>
            </label>
          </div>
          <p className="legend-note">The first matching rule paints a row, in this order.</p>
          <ul className="legend-list">
            {COLOR_RULES.filter((r) => r.id !== 0).map((r) => (
              <li key={r.id} className="legend-item">
                <span className={`swatch c-${r.id}`} aria-hidden="true">
                  Aa
                </span>
                <span className="legend-name">{r.name}</span>
                <code className="legend-filter">{r.filter}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
