// Pure helpers of the PNG/SVG export: file names, fitting an image into the browser's canvas
// limits (lower the scale, or cut a tall ladder into several images at row boundaries).

import type { LadderModel } from '../../analysis/ladder.ts';

/** Chromium's canvas limits: 32,767 px per side and 268,435,456 px² in all. */
export const CANVAS_LIMITS = { maxSide: 32_767, maxArea: 268_435_456 } as const;

export interface CanvasLimits {
  maxSide: number;
  maxArea: number;
}

/** A file-name-safe form of an address ("2001:db8::1" → "2001-db8--1"). */
export function safePart(s: string): string {
  return s.replace(/:/g, '-').replace(/[^A-Za-z0-9._-]+/g, '_');
}

/**
 * "ladder-stream3-192.168.56.1_53574-192.168.56.103_80.png" for one session;
 * "ladder-hosts-192.168.56.1-192.168.56.103-192.168.56.104.png" for a host flow.
 * `part` numbers the images of a ladder cut in several ("-part2of3").
 */
export function exportFileName(model: LadderModel, ext: 'png' | 'svg' | 'mmd', part?: { index: number; count: number }): string {
  let base: string;
  if (model.stream !== null) {
    const eps = model.endpoints.map((e) => (e.port !== null ? `${safePart(e.addr)}_${e.port}` : safePart(e.addr)));
    base = `ladder-stream${model.stream}-${eps.join('-')}`;
  } else {
    const hosts = model.endpoints.map((e) => safePart(e.addr));
    const shown = hosts.slice(0, 6);
    base = `ladder-hosts-${shown.join('-')}${hosts.length > shown.length ? `-and-${hosts.length - shown.length}-more` : ''}`;
  }
  const suffix = part && part.count > 1 ? `-part${part.index}of${part.count}` : '';
  return `${base}${suffix}.${ext}`;
}

export type PngPlan =
  | { mode: 'single'; scale: number; notice: string | null }
  | { mode: 'tiles'; scale: number; maxTileHeight: number; notice: string };

function fits(w: number, h: number, s: number, lim: CanvasLimits): boolean {
  const pw = Math.ceil(w * s);
  const ph = Math.ceil(h * s);
  return pw <= lim.maxSide && ph <= lim.maxSide && pw * ph <= lim.maxArea;
}

/**
 * How to rasterise a w×h (CSS px) image at `desired` pixel density within the canvas limits:
 * at `desired`; else at the highest density ≥ 1 that fits (with a notice); else cut into tiles
 * of at most `maxTileHeight` CSS px at `desired` (or less when even the width does not fit).
 */
export function planPng(w: number, h: number, desired = 2, lim: CanvasLimits = CANVAS_LIMITS, tileCap = 12_000): PngPlan {
  if (fits(w, h, desired, lim)) return { mode: 'single', scale: desired, notice: null };
  const best = Math.min(lim.maxSide / w, lim.maxSide / h, Math.sqrt(lim.maxArea / (w * h)));
  let s = Math.floor(best * 100) / 100;
  while (s > 0 && !fits(w, h, s, lim)) s = Math.round((s - 0.01) * 100) / 100;
  if (s >= 1) {
    return { mode: 'single', scale: s, notice: `Exported at ${s}× instead of ${desired}×: at ${desired}× the image (${fmt(Math.ceil(w * desired))} × ${fmt(Math.ceil(h * desired))} px) would exceed the browser's canvas limits.` };
  }
  const scale = Math.min(desired, Math.floor((lim.maxSide / w) * 100) / 100);
  const byArea = lim.maxArea / Math.ceil(w * scale) / scale;
  const maxTileHeight = Math.floor(Math.min(tileCap, lim.maxSide / scale, byArea));
  return { mode: 'tiles', scale, maxTileHeight, notice: `The ladder is too tall for one image (${fmt(Math.ceil(h * desired))} px at ${desired}×): it was cut into several PNG files.` };
}

/**
 * Cuts rows into consecutive ranges whose body height (ys[last + 1] − ys[first]) stays within
 * `maxBody` (a row taller than that gets a range of its own). Inclusive [first, last] pairs.
 */
export function splitRows(ys: ArrayLike<number>, maxBody: number): [number, number][] {
  const n = ys.length - 1;
  const out: [number, number][] = [];
  let first = 0;
  while (first < n) {
    let last = first;
    while (last + 1 < n && ys[last + 2]! - ys[first]! <= maxBody) last++;
    out.push([first, last]);
    first = last + 1;
  }
  return out;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}
