// D3 drawing of a laid-out ladder into SVG groups: lifeline titles, lifelines, phase brackets,
// rows (phase titles, arrows, collapsed runs) and the legend. The on-screen view draws only the
// rows in view; the exporter draws them all into a detached SVG. Colours come from classes
// (palette.ts), so one drawing serves both themes and exports.

import * as d3 from 'd3';
import type { LadderArrow, LadderModel } from '../../analysis/ladder.ts';
import { CHAR_W, charsIn, fitText, type LadderLayout, type LadderRow, type PhasePlace, type RunItem } from './layout.ts';
import { ARROW_STYLES, LEGEND, PHASE_LEGEND, type StyleKind } from './palette.ts';

type AnyG = d3.Selection<SVGGElement, any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface RowContext {
  model: LadderModel;
  layout: LadderLayout;
  /** Endpoint id → lifeline index. */
  lane: Map<string, number>;
  /** Adds focusability, roles and accessible names (on screen). */
  interactive: boolean;
}

export function endpointIndex(model: LadderModel): Map<string, number> {
  return new Map(model.endpoints.map((e, i) => [e.id, i]));
}

export function styleKind(a: LadderArrow): StyleKind {
  return a.missing ? 'missing' : a.kind;
}

// ---------------------------------------------------------------- lifeline titles

/** Lifeline title boxes (address:port, host name under it) and the time column headings. */
export function drawHeader(g: AnyG, model: LadderModel, L: LadderLayout, columns = true): void {
  g.selectAll('*').remove();
  const h = L.headerH;
  model.endpoints.forEach((e, i) => {
    const x = L.lifelineX[i]!;
    const w = L.boxW[i]!;
    const box = g.append('g').attr('class', 'lad-endpoint').attr('data-endpoint', e.id);
    box.append('title').text(e.host ? `${e.label} (${e.host})` : e.label);
    box.append('rect').attr('class', 'lad-box').attr('x', x - w / 2).attr('y', 4).attr('width', w).attr('height', h - 10).attr('rx', 6);
    box
      .append('text')
      .attr('class', 'lad-text lad-head')
      .attr('x', x)
      .attr('y', e.host ? 22 : 25)
      .attr('text-anchor', 'middle')
      .text(e.label);
    if (e.host) {
      box
        .append('text')
        .attr('class', 'lad-text lad-muted')
        .attr('x', x)
        .attr('y', 38)
        .attr('text-anchor', 'middle')
        .text(fitText(e.host, charsIn(w - 12)));
    }
    box.append('line').attr('class', 'lad-lifeline').attr('x1', x).attr('x2', x).attr('y1', h - 6).attr('y2', h);
  });
  if (columns) {
    const y = h - 5;
    g.append('text').attr('class', 'lad-text lad-colhead').attr('x', L.numRight).attr('y', y).attr('text-anchor', 'end').text('NO.');
    g.append('text').attr('class', 'lad-text lad-colhead').attr('x', L.timeRight).attr('y', y).attr('text-anchor', 'end').text('TIME (S)');
    if (L.deltaRight) g.append('text').attr('class', 'lad-text lad-colhead').attr('x', L.deltaRight).attr('y', y).attr('text-anchor', 'end').text('DELTA');
  }
}

// ---------------------------------------------------------------- lifelines and brackets

export function drawLifelines(g: AnyG, L: LadderLayout, y0: number, y1: number): void {
  g.selectAll('*').remove();
  for (const x of L.lifelineX) g.append('line').attr('class', 'lad-lifeline').attr('x1', x).attr('x2', x).attr('y1', y0).attr('y2', y1);
}

export function laneX(L: LadderLayout, lane: number): number {
  return L.gutterX + lane * L.laneW + 3;
}

/** Horizontal extent of a phase's band: from its bracket (or its leftmost lifeline) to past its rightmost lifeline. */
export function bandX(L: LadderLayout, p: PhasePlace): [number, number] {
  const last = L.lifelineX.length - 1;
  const x0 = p.lo === 0 ? laneX(L, p.lane) : L.lifelineX[p.lo]! - 28;
  const x1 = p.hi >= last ? L.width - 6 : L.lifelineX[p.hi]! + 28;
  return [x0, x1];
}

/** Phase bands (under the rows) and brackets (the lines in the gutter). */
export function drawPhases(bands: AnyG, brackets: AnyG, model: LadderModel, L: LadderLayout, rows?: [number, number]): void {
  bands.selectAll('*').remove();
  brackets.selectAll('*').remove();
  for (const p of L.phases) {
    if (rows && (p.lastRow < rows[0] || p.row > rows[1])) continue;
    const ph = model.phases[p.phase]!;
    const x = laneX(L, p.lane);
    const top = L.ys[p.row]!;
    const titleMid = top + (L.ys[p.row + 1]! - top) / 2;
    const bottom = L.ys[p.lastRow + 1]! - 3;
    if (ph.kind !== 'data') {
      // The band covers the lifelines the phase runs between (from the gutter when it starts at the first).
      const [bx0, bx1] = bandX(L, p);
      bands
        .append('g')
        .attr('class', `ph-${ph.kind}`)
        .append('rect')
        .attr('class', 'lad-band')
        .attr('x', bx0)
        .attr('y', top + 2)
        .attr('width', Math.max(0, bx1 - bx0))
        .attr('height', Math.max(0, bottom - top - 1))
        .attr('rx', 5);
    }
    brackets
      .append('g')
      .attr('class', `ph-${ph.kind}`)
      .append('path')
      .attr('class', 'lad-bracket')
      .attr('d', `M${x + 6},${titleMid} H${x} V${bottom} H${x + 6}`);
  }
}

// ---------------------------------------------------------------- rows

/** Draws rows [first, last] into `g` with a keyed join (rows already drawn stay). */
export function drawRows(g: AnyG, ctx: RowContext, first: number, last: number): void {
  const { layout: L } = ctx;
  const data: number[] = [];
  for (let i = first; i <= last; i++) data.push(i);
  g.selectAll<SVGGElement, number>('g.lad-row')
    .data(data, (i) => L.rows[i]!.key)
    .join(
      (enter) =>
        enter.append('g').each(function (i) {
          drawRow(d3.select(this), L.rows[i]!, i, ctx);
        }),
      (update) => update,
      (exit) => exit.remove(),
    )
    .attr('transform', (i) => `translate(0,${L.ys[i]})`);
}

/** One row's content (the group is translated to the row's top). */
export function drawRow(g: AnyG, row: LadderRow, i: number, ctx: RowContext): void {
  const L = ctx.layout;
  const h = L.ys[i + 1]! - L.ys[i]!;
  g.attr('data-key', row.key).attr('data-row', i);
  if (row.type === 'phase') drawPhaseTitle(g, row.phase, i, h, ctx);
  else if (row.type === 'arrow') drawArrowRow(g, row.pos, h, ctx);
  else drawRunRow(g, row.run, h, ctx);
}

function drawPhaseTitle(g: AnyG, phase: number, row: number, h: number, ctx: RowContext): void {
  const { model, layout: L } = ctx;
  const ph = model.phases[phase]!;
  const place = L.phases.find((p) => p.phase === phase);
  const bracketX = laneX(L, place?.lane ?? 0);
  // The title sits at the start of the phase's band; a dotted leader joins it to its bracket.
  const x = place && place.lo > 0 ? bandX(L, place)[0] + 4 : bracketX + 5;
  g.attr('class', `lad-row lad-phase ph-${ph.kind}`).attr('data-phase', ph.kind);
  if (ctx.interactive) g.attr('role', 'heading').attr('aria-level', 3).attr('aria-label', ph.label);
  const room = charsIn(L.width - x - 22);
  const text = fitText(ph.label, room);
  const w = text.length * CHAR_W + 14;
  if (x > bracketX + 6) g.append('path').attr('class', 'lad-bracket lad-leader').attr('d', `M${bracketX + 6},${h / 2} H${x}`);
  g.append('rect').attr('class', 'lad-pill').attr('x', x).attr('y', (h - 18) / 2).attr('width', w).attr('height', 18).attr('rx', 9);
  g.append('text')
    .attr('class', 'lad-text lad-pill-text')
    .attr('x', x + 7)
    .attr('y', h / 2 + 4)
    .text(text);
  if (text !== ph.label) g.append('title').text(ph.label);
  void row;
}

function arrowY(h: number): number {
  return Math.round(h * 0.64) + 0.5;
}

function drawArrowRow(g: AnyG, pos: number, h: number, ctx: RowContext): void {
  const { model, layout: L } = ctx;
  const a = model.arrows[pos]!;
  const kind = styleKind(a);
  g.attr('class', `lad-row lad-arrow k-${kind}${a.missing ? ' is-missing' : ''}${a.analysis ? ' is-problem' : ''}`).attr('data-pos', pos);
  if (a.num > 0) g.attr('data-num', a.num);
  if (ctx.interactive) g.attr('role', 'button').attr('tabindex', -1).attr('aria-label', a.ariaLabel);
  else g.append('title').text(`${a.num > 0 ? `#${a.num} ` : ''}${a.label.trim()}`);
  g.append('rect').attr('class', 'lad-hit').attr('x', 2).attr('y', 1).attr('width', L.width - 4).attr('height', h - 2).attr('rx', 4);
  const y = arrowY(h);
  const ty = y + 4;
  if (a.num > 0) {
    g.append('text').attr('class', 'lad-text lad-muted').attr('x', L.numRight).attr('y', ty).attr('text-anchor', 'end').text(String(a.num));
    g.append('text').attr('class', 'lad-text').attr('x', L.timeRight).attr('y', ty).attr('text-anchor', 'end').text(a.timeText);
    if (L.deltaRight) g.append('text').attr('class', 'lad-text lad-faint').attr('x', L.deltaRight).attr('y', ty).attr('text-anchor', 'end').text(`+${a.deltaText}`);
  }
  const fi = ctx.lane.get(a.from) ?? 0;
  const ti = ctx.lane.get(a.to) ?? 0;
  const x1 = L.lifelineX[fi]!;
  const x2 = L.lifelineX[ti]!;
  const showLabel = h >= 20;
  if (fi === ti) {
    drawSelfArrow(g, x1, y, kind);
    if (showLabel) g.append('text').attr('class', 'lad-text lad-label lad-halo').attr('x', x1 + 40).attr('y', y + 4).text(fitText(a.label.trim(), charsIn(L.width - x1 - 52)));
    return;
  }
  drawArrow(g, x1, x2, y, kind);
  if (showLabel) {
    const room = charsIn(Math.abs(x2 - x1) - 30);
    g.append('text')
      .attr('class', 'lad-text lad-label lad-halo')
      .attr('x', (x1 + x2) / 2)
      .attr('y', y - 6)
      .attr('text-anchor', 'middle')
      .text(fitText(a.label.trim(), room));
  }
}

function drawRunRow(g: AnyG, run: RunItem, h: number, ctx: RowContext): void {
  const { model, layout: L } = ctx;
  const first = model.arrows[run.first]!;
  const last = model.arrows[run.last]!;
  const label = `${run.label}`;
  g.attr('class', 'lad-row lad-run k-run').attr('data-run', run.first);
  const name = `Expand ${label.replace(/^\u2026 /, '')} (packets #${first.num} to #${last.num})`;
  if (ctx.interactive) g.attr('role', 'button').attr('tabindex', -1).attr('aria-expanded', 'false').attr('aria-label', name);
  else g.append('title').text(`${label} (#${first.num}–#${last.num})`);
  g.append('rect').attr('class', 'lad-hit').attr('x', 2).attr('y', 1).attr('width', L.width - 4).attr('height', h - 2).attr('rx', 4);
  const y = arrowY(h);
  const ty = y + 4;
  g.append('text').attr('class', 'lad-text lad-muted').attr('x', L.numRight).attr('y', ty).attr('text-anchor', 'end').text(String(first.num));
  g.append('text').attr('class', 'lad-text').attr('x', L.timeRight).attr('y', ty).attr('text-anchor', 'end').text(first.timeText);
  if (L.deltaRight) g.append('text').attr('class', 'lad-text lad-faint').attr('x', L.deltaRight).attr('y', ty).attr('text-anchor', 'end').text(`\u2192 ${last.timeText}`);
  const fi = ctx.lane.get(run.from) ?? 0;
  const ti = ctx.lane.get(run.to) ?? 0;
  const x1 = L.lifelineX[fi]!;
  const x2 = L.lifelineX[ti]!;
  if (fi === ti) drawSelfArrow(g, x1, y, 'run');
  else drawArrow(g, x1, x2, y, 'run');
  const room = charsIn(Math.abs(x2 - x1) - 30);
  const text = fitText(`${label}${ctx.interactive ? '  [+]' : ''}`, room);
  g.append('text')
    .attr('class', 'lad-text lad-label lad-halo lad-bold')
    .attr('x', (x1 + x2) / 2)
    .attr('y', y - 7)
    .attr('text-anchor', 'middle')
    .text(text);
}

// ---------------------------------------------------------------- arrows

/** An arrow from x1 to x2 at y in the style of `kind` (shaft, head, tail). */
export function drawArrow(g: AnyG, x1: number, x2: number, y: number, kind: StyleKind): void {
  const st = ARROW_STYLES[kind];
  const d = x2 >= x1 ? 1 : -1;
  const a = g.append('g').attr('class', `lad-glyph k-${kind}`);
  let start = x1 + d * 1.5;
  let end = x2;
  switch (st.head) {
    case 'triangle':
      end = x2 - d * 8;
      a.append('path').attr('class', 'lad-headf').attr('d', `M${x2},${y} L${x2 - d * 10},${y - 4.5} L${x2 - d * 10},${y + 4.5} Z`);
      break;
    case 'open':
      end = x2 - d * 1.5;
      a.append('path').attr('class', 'lad-heado').attr('d', `M${x2 - d * 8},${y - 4.5} L${x2 - d * 1.5},${y} L${x2 - d * 8},${y + 4.5}`);
      break;
    case 'bar':
      end = x2 - d * 1.5;
      a.append('path').attr('class', 'lad-heado').attr('d', `M${x2 - d * 1.5},${y - 7} V${y + 7} M${x2 - d * 9},${y - 4.5} L${x2 - d * 1.5},${y} L${x2 - d * 9},${y + 4.5}`);
      break;
    case 'double':
      end = x2 - d * 2;
      a.append('path').attr('class', 'lad-heado').attr('d', `M${x2 - d * 9},${y - 5} L${x2 - d * 2},${y} L${x2 - d * 9},${y + 5} M${x2 - d * 16},${y - 5} L${x2 - d * 9},${y} L${x2 - d * 16},${y + 5}`);
      break;
  }
  switch (st.tail) {
    case 'tick':
      a.append('path').attr('class', 'lad-heado').attr('d', `M${x1 + d * 2},${y - 5} V${y + 5}`);
      break;
    case 'dot':
      a.append('circle').attr('class', 'lad-headf').attr('cx', x1 + d * 5).attr('cy', y).attr('r', 3);
      start = x1 + d * 8;
      break;
    case 'ring':
      a.append('circle').attr('class', 'lad-ring').attr('cx', x1 + d * 6).attr('cy', y).attr('r', 3.5);
      start = x1 + d * 9.5;
      break;
  }
  a.insert('line', ':first-child').attr('class', 'lad-shaft').attr('x1', start).attr('x2', end).attr('y1', y).attr('y2', y);
}

/** A packet from a host to itself (host lifelines of a loopback session): a small loop. */
function drawSelfArrow(g: AnyG, x: number, y: number, kind: StyleKind): void {
  const a = g.append('g').attr('class', `lad-glyph k-${kind}`);
  a.append('path').attr('class', 'lad-shaft').attr('d', `M${x + 2},${y - 6} H${x + 30} V${y + 4} H${x + 10}`);
  a.append('path').attr('class', 'lad-headf').attr('d', `M${x + 2},${y + 4} L${x + 11},${y} L${x + 11},${y + 8} Z`);
}

// ---------------------------------------------------------------- legend

export interface LegendOptions {
  kinds: readonly StyleKind[];
  phases: readonly string[];
  width: number;
}

/** The legend (arrow styles, then phase colours) in rows of cells; returns its height. */
export function drawLegend(g: AnyG, opts: LegendOptions): number {
  g.selectAll('*').remove();
  const cellW = 200;
  const cols = Math.max(1, Math.floor((opts.width - 24) / cellW));
  const rowH = 22;
  g.append('text').attr('class', 'lad-text lad-colhead').attr('x', 12).attr('y', 12).text('LEGEND');
  let y = 24;
  const entries = LEGEND.filter((e) => opts.kinds.includes(e.kind));
  entries.forEach((e, i) => {
    const cx = 12 + (i % cols) * cellW;
    const cy = y + Math.floor(i / cols) * rowH + 11;
    const cell = g.append('g').attr('class', 'lad-legend-item');
    drawArrow(cell, cx, cx + 52, cy, e.kind);
    cell.append('text').attr('class', 'lad-text').attr('x', cx + 62).attr('y', cy + 4).text(e.label);
  });
  y += Math.ceil(entries.length / cols) * rowH;
  const phases = PHASE_LEGEND.filter((p) => opts.phases.includes(p.kind));
  if (phases.length) {
    y += 4;
    phases.forEach((p, i) => {
      const cx = 12 + (i % cols) * cellW;
      const cy = y + Math.floor(i / cols) * rowH + 11;
      const cell = g.append('g').attr('class', `lad-legend-item ph-${p.kind}`);
      cell.append('path').attr('class', 'lad-bracket').attr('d', `M${cx + 8},${cy - 7} H${cx + 2} V${cy + 7} H${cx + 8}`);
      cell.append('rect').attr('class', 'lad-pill').attr('x', cx + 14).attr('y', cy - 8).attr('width', 38).attr('height', 16).attr('rx', 8);
      cell.append('text').attr('class', 'lad-text').attr('x', cx + 62).attr('y', cy + 4).text(p.label);
    });
    y += Math.ceil(phases.length / cols) * rowH;
  }
  return y + 6;
}

/** Arrow styles used by a model (for a legend of what is drawn). */
export function kindsIn(model: LadderModel, hasRuns: boolean): StyleKind[] {
  const s = new Set<StyleKind>();
  for (const a of model.arrows) {
    const k = styleKind(a);
    s.add(k === 'syn-ack' ? 'syn' : k);
  }
  if (hasRuns) s.add('run');
  return LEGEND.map((e) => e.kind).filter((k) => s.has(k));
}

