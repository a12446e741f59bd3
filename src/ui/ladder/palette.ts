// Colours and line styles of the ladder, for the light theme, the dark theme and the report
// (white) background; the CSS that styles the SVG on screen and inside exported files.

import type { ArrowKind, PhaseKind } from '../../analysis/ladder.ts';

export type PaletteName = 'light' | 'dark';

export interface Palette {
  name: PaletteName;
  bg: string;
  text: string;
  muted: string;
  faint: string;
  lifeline: string;
  boxFill: string;
  boxStroke: string;
  rowHover: string;
  selBg: string;
  selStroke: string;
  focus: string;
  problem: string;
  kinds: Record<StyleKind, string>;
  phases: Record<PhaseKind, string>;
  /** Opacity of a phase's tinted title pill. */
  pillAlpha: number;
}

/** Arrow kinds plus the two drawing-only kinds: a step not captured and a collapsed run. */
export type StyleKind = ArrowKind | 'missing' | 'run';

export type HeadShape = 'triangle' | 'open' | 'bar' | 'double';
export type TailShape = 'none' | 'tick' | 'dot' | 'ring';

export interface ArrowStyle {
  width: number;
  dash: string | null;
  head: HeadShape;
  tail: TailShape;
}

export const ARROW_STYLES: Record<StyleKind, ArrowStyle> = {
  syn: { width: 2, dash: null, head: 'triangle', tail: 'none' },
  'syn-ack': { width: 2, dash: null, head: 'triangle', tail: 'none' },
  fin: { width: 2, dash: null, head: 'triangle', tail: 'tick' },
  rst: { width: 2.5, dash: null, head: 'bar', tail: 'tick' },
  'tls-hello': { width: 2, dash: null, head: 'triangle', tail: 'dot' },
  tls: { width: 1.5, dash: null, head: 'open', tail: 'dot' },
  'http-request': { width: 2, dash: null, head: 'triangle', tail: 'ring' },
  'http-response': { width: 2, dash: null, head: 'triangle', tail: 'ring' },
  data: { width: 1.5, dash: null, head: 'triangle', tail: 'none' },
  ack: { width: 1, dash: null, head: 'open', tail: 'none' },
  missing: { width: 1.5, dash: '6 4', head: 'open', tail: 'none' },
  run: { width: 3.5, dash: null, head: 'double', tail: 'none' },
};

export const LIGHT: Palette = {
  name: 'light',
  bg: '#ffffff',
  text: '#1b2230',
  muted: '#535d6c',
  faint: '#7a8494',
  lifeline: '#b9c1cc',
  boxFill: '#f3f5f8',
  boxStroke: '#aeb7c3',
  rowHover: 'rgba(15, 30, 60, 0.05)',
  selBg: '#ffe9a6',
  selStroke: '#d9a400',
  focus: '#2f6fed',
  problem: '#c0262d',
  kinds: {
    syn: '#18794e',
    'syn-ack': '#18794e',
    fin: '#b35c00',
    rst: '#d0242c',
    'tls-hello': '#7438d9',
    tls: '#8e6fd8',
    'http-request': '#1d5fd1',
    'http-response': '#0b7f86',
    data: '#39424f',
    ack: '#8b95a3',
    missing: '#8b95a3',
    run: '#4b5563',
  },
  phases: {
    handshake: '#18794e',
    'tls-handshake': '#7438d9',
    http: '#1d5fd1',
    data: '#5b6472',
    teardown: '#b35c00',
    reset: '#d0242c',
  },
  pillAlpha: 0.12,
};

export const DARK: Palette = {
  name: 'dark',
  bg: '#161a21',
  text: '#e3e7ee',
  muted: '#a6afbd',
  faint: '#8e97a6',
  lifeline: '#444d5c',
  boxFill: '#1f2530',
  boxStroke: '#4a5363',
  rowHover: 'rgba(255, 255, 255, 0.05)',
  selBg: '#4d3f0c',
  selStroke: '#f2c94c',
  focus: '#6d9cff',
  problem: '#ff8a80',
  kinds: {
    syn: '#4cc38a',
    'syn-ack': '#4cc38a',
    fin: '#f0a43a',
    rst: '#ff6b6b',
    'tls-hello': '#b794ff',
    tls: '#9f8be6',
    'http-request': '#6ea8ff',
    'http-response': '#4fd1c5',
    data: '#cdd3dc',
    ack: '#7d8796',
    missing: '#7d8796',
    run: '#aab3c0',
  },
  phases: {
    handshake: '#4cc38a',
    'tls-handshake': '#b794ff',
    http: '#6ea8ff',
    data: '#9aa3b0',
    teardown: '#f0a43a',
    reset: '#ff6b6b',
  },
  pillAlpha: 0.2,
};

export function paletteOf(name: PaletteName): Palette {
  return name === 'dark' ? DARK : LIGHT;
}

export interface LegendEntry {
  kind: StyleKind;
  label: string;
}

export const LEGEND: readonly LegendEntry[] = [
  { kind: 'syn', label: 'SYN / SYN-ACK' },
  { kind: 'fin', label: 'FIN' },
  { kind: 'rst', label: 'RST' },
  { kind: 'tls-hello', label: 'TLS hello' },
  { kind: 'tls', label: 'TLS record' },
  { kind: 'http-request', label: 'HTTP request' },
  { kind: 'http-response', label: 'HTTP response' },
  { kind: 'data', label: 'Data' },
  { kind: 'ack', label: 'ACK (no data)' },
  { kind: 'missing', label: 'Not captured' },
  { kind: 'run', label: 'Collapsed data run' },
];

export const PHASE_LEGEND: readonly { kind: PhaseKind; label: string }[] = [
  { kind: 'handshake', label: 'Three-way handshake' },
  { kind: 'tls-handshake', label: 'TLS handshake' },
  { kind: 'http', label: 'HTTP exchange' },
  { kind: 'data', label: 'Data transfer' },
  { kind: 'teardown', label: 'Teardown' },
  { kind: 'reset', label: 'Reset' },
];

export const FONT_FAMILY = "'JetBrains Mono', 'DejaVu Sans Mono', Menlo, Consolas, monospace";

const KINDS = Object.keys(ARROW_STYLES) as StyleKind[];

/** Hex colour with alpha, as rgba(). */
export function withAlpha(hex: string, alpha: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) return hex;
  const v = parseInt(m[1]!, 16);
  return `rgba(${(v >> 16) & 255}, ${(v >> 8) & 255}, ${v & 255}, ${alpha})`;
}

/** `hex` laid over `bg` at `alpha`, as an opaque colour (pills hide the lifelines under them). */
export function blend(hex: string, bg: string, alpha: number): string {
  const rgb = (h: string) => {
    const v = parseInt(h.slice(1), 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
  };
  if (!/^#[0-9a-f]{6}$/i.test(hex) || !/^#[0-9a-f]{6}$/i.test(bg)) return hex;
  const a = rgb(hex);
  const b = rgb(bg);
  return '#' + a.map((c, i) => Math.round(c * alpha + b[i]! * (1 - alpha)).toString(16).padStart(2, '0')).join('');
}

/**
 * The ladder's style sheet (class selectors, concrete colours). `scope` prefixes every rule
 * (the on-screen container); exports pass '' and embed it in the SVG.
 */
export function ladderCss(p: Palette, scope = ''): string {
  const s = scope ? `${scope} ` : '';
  const rules: string[] = [
    `${s}.lad-text{font-family:${FONT_FAMILY};font-size:11px;fill:${p.text};white-space:pre}`,
    `${s}.lad-muted{fill:${p.muted}}`,
    `${s}.lad-faint{fill:${p.faint}}`,
    `${s}.lad-bold{font-weight:700}`,
    `${s}.lad-head{font-size:11.5px;font-weight:700}`,
    `${s}.lad-lifeline{stroke:${p.lifeline};stroke-width:1.5}`,
    `${s}.lad-box{fill:${p.boxFill};stroke:${p.boxStroke};stroke-width:1}`,
    `${s}.lad-halo{paint-order:stroke;stroke:${p.bg};stroke-width:4px;stroke-linejoin:round}`,
    `${s}.lad-hit{fill:transparent;stroke:none}`,
    `${s}.lad-row.is-selected .lad-hit{fill:${p.selBg};stroke:${p.selStroke};stroke-width:1}`,
    `${s}.lad-row.is-selected .lad-label{font-weight:700}`,
    `${s}.lad-row.is-problem .lad-label{fill:${p.problem}}`,
    `${s}.lad-row.is-missing .lad-label{fill:${p.muted};font-style:italic}`,
    `${s}.lad-colhead{font-size:10px;fill:${p.muted};font-weight:700;letter-spacing:0.04em}`,
    `${s}.lad-phase .lad-bracket.lad-leader{stroke-width:1.5;stroke-dasharray:2 3}`,
    `${s}.lad-grid{stroke:${p.lifeline};stroke-width:1;stroke-dasharray:2 3}`,
    `${s}.lad-title{font-size:15px;font-weight:700}`,
    `${s}.lad-subtitle{font-size:12px}`,
    `${s}.lad-small{font-size:10px}`,
  ];
  for (const k of KINDS) {
    const c = p.kinds[k];
    const st = ARROW_STYLES[k];
    rules.push(`${s}.k-${k} .lad-shaft{stroke:${c};stroke-width:${st.width}${st.dash ? `;stroke-dasharray:${st.dash}` : ''};fill:none}`);
    rules.push(`${s}.k-${k} .lad-headf{fill:${c};stroke:${c};stroke-width:1;stroke-linejoin:round}`);
    rules.push(`${s}.k-${k} .lad-heado{fill:none;stroke:${c};stroke-width:${Math.max(1.5, st.width)};stroke-linecap:round;stroke-linejoin:round}`);
    rules.push(`${s}.k-${k} .lad-ring{fill:${p.bg};stroke:${c};stroke-width:1.5}`);
  }
  for (const [k, c] of Object.entries(p.phases)) {
    rules.push(`${s}.ph-${k} .lad-bracket{stroke:${c};stroke-width:2;fill:none}`);
    rules.push(`${s}.ph-${k} .lad-pill{fill:${blend(c, p.bg, p.pillAlpha)};stroke:${blend(c, p.bg, 0.55)};stroke-width:1}`);
    rules.push(`${s}.ph-${k} .lad-pill-text{fill:${c};font-weight:700}`);
    rules.push(`${s}.ph-${k} .lad-band{fill:${withAlpha(c, p.name === 'dark' ? 0.07 : 0.045)}}`);
    if (scope) rules.push(`${s}.ladder-tip-phase-title.ph-${k}{color:${c}}`);
  }
  return rules.join('\n');
}
