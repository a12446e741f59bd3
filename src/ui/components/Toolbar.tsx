// The toolbar: open, samples, time format, colouring legend, go to, theme, side panels, and
// the load progress with Cancel while a file is being read.

import { useId, type ReactNode } from 'react';
import { TIME_FORMATS, type TimeFormat } from '../../analysis/time-format.ts';
import type { Sample, SamplesState } from '../hooks/useSamples.ts';
import type { Theme } from '../hooks/useTheme.ts';
import { ColorLegend } from './ColorLegend.tsx';
import { IconGoTo, IconMoon, IconOpen, IconSun, Logo } from './Icons.tsx';
import { SamplesMenu } from './SamplesMenu.tsx';

export interface ToolbarProps {
  onOpen(): void;
  samples: SamplesState;
  onSample(s: Sample): void;
  timeFormat: TimeFormat;
  onTimeFormat(f: TimeFormat): void;
  colorize: boolean;
  onColorize(v: boolean): void;
  canGoTo: boolean;
  onGoTo(): void;
  theme: Theme;
  onToggleTheme(): void;
  /** Load progress + Cancel (while loading). */
  progress?: ReactNode;
  /** Extra buttons at the end (side panel toggles). */
  extra?: ReactNode;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function Toolbar(p: ToolbarProps) {
  const timeId = useId();
  return (
    <div className="toolbar">
      <div className="brand">
        <Logo />
        <h1 className="brand-name">Pcap Ladder</h1>
      </div>
      <div className="toolbar-group">
        <button type="button" className="btn btn-primary" onClick={p.onOpen} title={`Open a capture file (${isMac ? '⌘' : 'Ctrl+'}O)`}>
          <IconOpen />
          <span>Open…</span>
        </button>
        <SamplesMenu samples={p.samples} onOpen={p.onSample} />
      </div>
      <div className="toolbar-sep" aria-hidden="true" />
      <div className="toolbar-group">
        <label className="toolbar-label" htmlFor={timeId}>
          Time
        </label>
        <select id={timeId} className="select" value={p.timeFormat} onChange={(e) => p.onTimeFormat(e.target.value as TimeFormat)} aria-label="Time display format">
          {TIME_FORMATS.map((f) => (
            <option key={f.id} value={f.id}>
              {f.label}
            </option>
          ))}
        </select>
        <ColorLegend colorize={p.colorize} onColorize={p.onColorize} />
        <button type="button" className="btn" onClick={p.onGoTo} disabled={!p.canGoTo} title={`Go to packet (${isMac ? '⌘' : 'Ctrl+'}G)`} aria-keyshortcuts={isMac ? 'Meta+G' : 'Control+G'}>
          <IconGoTo />
          <span>Go to</span>
        </button>
      </div>
      <div className="toolbar-progress">{p.progress}</div>
      <div className="toolbar-group toolbar-end">
        {p.extra}
        <button
          type="button"
          className="btn btn-icon-only"
          onClick={p.onToggleTheme}
          aria-label={p.theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
          title={p.theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
          data-testid="theme-toggle"
        >
          {p.theme === 'dark' ? <IconSun /> : <IconMoon />}
        </button>
      </div>
    </div>
  );
}
