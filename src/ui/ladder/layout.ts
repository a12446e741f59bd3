// Ladder geometry as plain numbers: which rows are drawn (phase titles, arrows, collapsed runs),
// where each row starts, which bracket lane each phase takes, where the lifelines stand and how
// much of a label fits between them. The D3 renderer and the exporter only read this; unit
// tests check it without a DOM.
//
// Text is set in a monospaced font (JetBrains Mono, 0.6 em per character), so widths are
// character counts times CHAR_EM: no text measuring, identical on screen and in exports.

import type { DisplayItem, LadderModel } from '../../analysis/ladder.ts';

export const FONT_SIZE = 11;
export const HEAD_FONT_SIZE = 11.5;
/** Advance of one character of the ladder's monospaced font, in em. */
export const CHAR_EM = 0.6;
export const CHAR_W = FONT_SIZE * CHAR_EM;
export const HEAD_CHAR_W = HEAD_FONT_SIZE * CHAR_EM;

export const ZOOM_MIN = 0.5;
export const ZOOM_MAX = 2.5;
export const ZOOM_STEPS = [0.5, 0.65, 0.8, 1, 1.25, 1.5, 2, 2.5] as const;

export type RunItem = Extract<DisplayItem, { type: 'run' }>;

export type LadderRow =
  | { type: 'phase'; key: string; phase: number }
  | { type: 'arrow'; key: string; pos: number }
  | { type: 'run'; key: string; run: RunItem };

export interface PhasePlace {
  phase: number;
  /** Row of the phase's title. */
  row: number;
  /** Last row the phase spans (inclusive). */
  lastRow: number;
  lane: number;
  /** Lifelines the phase's arrows run between (endpoint indices, lo ≤ hi). */
  lo: number;
  hi: number;
}

export interface LadderLayout {
  rows: LadderRow[];
  /** Top of each row (body coordinates); ys[rows.length] is the body height. */
  ys: Float64Array;
  height: number;
  /** Row of each arrow position (a collapsed arrow maps to its run's row). */
  rowOfArrow: Int32Array;
  phases: PhasePlace[];
  lanes: number;
  zoom: number;
  compact: boolean;
  // ---- columns, x in px ----
  /** Right edges of the right-aligned number, time and delta columns (delta 0 when hidden). */
  numRight: number;
  timeRight: number;
  deltaRight: number;
  /** Left edge of the bracket gutter and of lane 0's bracket. */
  gutterX: number;
  laneW: number;
  /** x of each lifeline, in endpoint order. */
  lifelineX: number[];
  /** Width of each lifeline's title box. */
  boxW: number[];
  width: number;
  /** Height of the lifeline header (title boxes). */
  headerH: number;
}

export interface LayoutOptions {
  /** Width available on screen; the ladder is at least this wide (ignored for exports). */
  width: number;
  zoom: number;
  /** Report layout: lifeline gaps sized to the labels, not to a screen. */
  mode: 'screen' | 'export';
}

const PAD = 12;
const COL_GAP = 14;

export function arrowRowHeight(zoom: number): number {
  return Math.max(16, Math.round(28 * zoom));
}
export function runRowHeight(zoom: number): number {
  return Math.max(22, Math.round(34 * zoom));
}
export function phaseRowHeight(zoom: number): number {
  return zoom >= 0.8 ? 24 : 20;
}

/** The rows in drawing order: each phase's title comes just before the row holding its first arrow. */
export function buildRows(model: LadderModel, items: readonly DisplayItem[]): { rows: LadderRow[]; rowOfArrow: Int32Array; phases: PhasePlace[] } {
  const n = model.arrows.length;
  // The display item holding each arrow position.
  const itemOf = new Int32Array(n).fill(-1);
  items.forEach((it, k) => {
    if (it.type === 'arrow') itemOf[it.pos] = k;
    else for (let p = it.first; p <= it.last; p++) itemOf[p] = k;
  });
  // Phases that open at each item, outermost (longest) first.
  const opening = new Map<number, number[]>();
  model.phases.forEach((ph, i) => {
    const k = itemOf[Math.max(0, Math.min(n - 1, ph.first))] ?? -1;
    if (k < 0) return;
    const list = opening.get(k) ?? [];
    list.push(i);
    opening.set(k, list);
  });
  // A data transfer holds the exchanges inside it: on equal spans it is the outer phase.
  const rank = (k: string) => (k === 'data' ? 0 : 1);
  for (const list of opening.values()) {
    list.sort((a, b) => {
      const pa = model.phases[a]!;
      const pb = model.phases[b]!;
      return pb.last - pb.first - (pa.last - pa.first) || rank(pa.kind) - rank(pb.kind) || a - b;
    });
  }
  const rows: LadderRow[] = [];
  const rowOfItem = new Int32Array(items.length);
  const titleRow = new Map<number, number>();
  items.forEach((it, k) => {
    for (const p of opening.get(k) ?? []) {
      titleRow.set(p, rows.length);
      rows.push({ type: 'phase', key: `p${p}`, phase: p });
    }
    rowOfItem[k] = rows.length;
    if (it.type === 'arrow') rows.push({ type: 'arrow', key: `a${it.pos}`, pos: it.pos });
    else rows.push({ type: 'run', key: `r${it.first}`, run: it });
  });
  const rowOfArrow = new Int32Array(n).fill(-1);
  for (let p = 0; p < n; p++) if (itemOf[p]! >= 0) rowOfArrow[p] = rowOfItem[itemOf[p]!]!;
  const places: PhasePlace[] = [];
  const ep = new Map(model.endpoints.map((e, k) => [e.id, k]));
  model.phases.forEach((ph, i) => {
    const row = titleRow.get(i);
    if (row === undefined) return;
    const lastRow = rowOfArrow[Math.max(0, Math.min(n - 1, ph.last))] ?? row;
    // The phase's own arrows (a host flow interleaves other sessions' arrows inside its range).
    let lo = Infinity;
    let hi = -Infinity;
    for (const pos of [ph.first, ph.last, ...ph.steps.map((st) => st.arrow)]) {
      const a = model.arrows[pos];
      if (!a) continue;
      for (const id of [a.from, a.to]) {
        const k = ep.get(id) ?? 0;
        lo = Math.min(lo, k);
        hi = Math.max(hi, k);
      }
    }
    if (!Number.isFinite(lo)) [lo, hi] = [0, Math.max(0, model.endpoints.length - 1)];
    places.push({ phase: i, row, lastRow: Math.max(row, lastRow), lane: 0, lo, hi });
  });
  assignLanes(places);
  return { rows, rowOfArrow, phases: places };
}

/** Interval colouring: a phase takes the lowest lane free over its rows (outer phases get lower lanes). */
export function assignLanes(places: PhasePlace[]): number {
  const order = [...places].sort((a, b) => a.row - b.row || b.lastRow - a.lastRow || a.lane - b.lane);
  const laneEnd: number[] = [];
  for (const p of order) {
    let lane = laneEnd.findIndex((end) => end < p.row);
    if (lane < 0) lane = laneEnd.length;
    laneEnd[lane] = p.lastRow;
    p.lane = lane;
  }
  return laneEnd.length;
}

/** Lays out the whole ladder. */
export function layoutLadder(model: LadderModel, items: readonly DisplayItem[], opts: LayoutOptions): LadderLayout {
  const zoom = clampZoom(opts.zoom);
  const { rows, rowOfArrow, phases } = buildRows(model, items);
  const lanes = phases.reduce((m, p) => Math.max(m, p.lane + 1), 0);

  // Vertical.
  const ys = new Float64Array(rows.length + 1);
  const ah = arrowRowHeight(zoom);
  const rh = runRowHeight(zoom);
  const ph = phaseRowHeight(zoom);
  let y = 6;
  rows.forEach((r, i) => {
    ys[i] = y;
    y += r.type === 'arrow' ? ah : r.type === 'run' ? rh : ph;
  });
  y += 10;
  ys[rows.length] = y;

  // Columns: No. | Time | Δ (Δ dropped when the screen is narrow).
  const compact = opts.mode === 'screen' && opts.width < 620;
  let maxNum = 0;
  let timeChars = 4;
  let deltaChars = 1;
  for (const a of model.arrows) {
    if (a.num > maxNum) maxNum = a.num;
    if (a.timeText.length > timeChars) timeChars = a.timeText.length;
    if (a.deltaText.length + 1 > deltaChars) deltaChars = a.deltaText.length + 1;
  }
  const numChars = String(Math.max(1, maxNum)).length + 1;
  const numRight = PAD + numChars * CHAR_W;
  const timeRight = numRight + COL_GAP + timeChars * CHAR_W;
  const deltaRight = compact ? 0 : timeRight + COL_GAP + deltaChars * CHAR_W;
  const gutterX = (compact ? timeRight : deltaRight) + 14;
  const laneW = 12;
  const gutterW = lanes ? lanes * laneW + 6 : 0;

  // Lifeline title boxes.
  const boxW = model.endpoints.map((e) => Math.ceil(Math.max(e.label.length * HEAD_CHAR_W, (e.host?.length ?? 0) * CHAR_W) + 20));
  const hasHost = model.endpoints.some((e) => !!e.host);
  const headerH = hasHost ? 50 : 36;
  const firstHalf = Math.max(36, (boxW[0] ?? 0) / 2);
  const lastHalf = Math.max(36, (boxW[boxW.length - 1] ?? 0) / 2);
  const x0 = gutterX + gutterW + firstHalf + 6;
  const k = Math.max(1, model.endpoints.length - 1);
  let gap: number;
  // The widest neighbouring boxes must not touch.
  let boxGap = 0;
  for (let i = 1; i < boxW.length; i++) boxGap = Math.max(boxGap, (boxW[i - 1]! + boxW[i]!) / 2 + 16);
  if (opts.mode === 'export') {
    const [lo, hi] = model.endpoints.length > 2 ? [260, 440] : [300, 560];
    gap = Math.min(hi, Math.max(lo, labelChars(model) * CHAR_W + 44));
  } else {
    const minGap = compact ? 170 : 220;
    const fit = (opts.width - x0 - lastHalf - 14) / k;
    gap = Math.min(900, Math.max(minGap, fit));
  }
  gap = Math.floor(Math.max(gap, boxGap));
  const lifelineX = model.endpoints.map((_, i) => Math.floor(x0) + i * gap);
  const right = (lifelineX[lifelineX.length - 1] ?? x0) + lastHalf + 14;
  const width = Math.ceil(opts.mode === 'screen' ? Math.max(opts.width, right) : right);

  return { rows, ys, height: y, rowOfArrow, phases, lanes, zoom, compact, numRight, timeRight, deltaRight, gutterX, laneW, lifelineX, boxW, width, headerH };
}

/** A label length (characters) that most arrows fit in: the 90th percentile, at most 80. */
export function labelChars(model: LadderModel): number {
  const lens = model.arrows.map((a) => a.label.length).sort((a, b) => a - b);
  if (!lens.length) return 20;
  return Math.min(80, lens[Math.min(lens.length - 1, Math.floor(lens.length * 0.9))]!);
}

export function clampZoom(z: number): number {
  if (!Number.isFinite(z)) return 1;
  return Math.max(ZOOM_MIN, Math.min(ZOOM_MAX, z));
}

/** The next zoom step up or down from `z`. */
export function stepZoom(z: number, dir: 1 | -1): number {
  if (dir > 0) return ZOOM_STEPS.find((s) => s > z + 1e-6) ?? ZOOM_MAX;
  for (let i = ZOOM_STEPS.length - 1; i >= 0; i--) if (ZOOM_STEPS[i]! < z - 1e-6) return ZOOM_STEPS[i]!;
  return ZOOM_MIN;
}

/** Rows overlapping [top, bottom) (body coordinates), with `overscan` rows either side: [first, last]. */
export function visibleRange(ys: Float64Array, top: number, bottom: number, overscan = 6): [number, number] {
  const n = ys.length - 1;
  if (n <= 0) return [0, -1];
  const first = Math.max(0, upperBound(ys, top, n) - 1 - overscan);
  const last = Math.min(n - 1, upperBound(ys, bottom, n) - 1 + overscan);
  return [first, Math.max(first, last)];
}

/** First i in [0, n) with ys[i] > v (n when none). */
function upperBound(ys: Float64Array, v: number, n: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ys[mid]! > v) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** `text` cut to `maxChars` characters with an ellipsis ("" when not even two fit). */
export function fitText(text: string, maxChars: number): string {
  const max = Math.floor(maxChars);
  if (text.length <= max) return text;
  if (max < 2) return '';
  return text.slice(0, max - 1).trimEnd() + '\u2026';
}

/** Characters that fit in `px` at the label font. */
export function charsIn(px: number, charW = CHAR_W): number {
  return Math.max(0, Math.floor(px / charW));
}

/** Zoom that keeps the row under the pointer in place: the new scrollTop. */
export function anchoredScroll(scrollTop: number, pointerY: number, oldH: number, newH: number): number {
  if (oldH <= 0) return scrollTop;
  const at = (scrollTop + pointerY) / oldH;
  return Math.max(0, at * newH - pointerY);
}

/** The row showing arrow `pos` (its run's row while collapsed); -1 when none. */
export function anchoredRow(L: LadderLayout, pos: number): number {
  return pos >= 0 && pos < L.rowOfArrow.length ? L.rowOfArrow[pos]! : -1;
}
