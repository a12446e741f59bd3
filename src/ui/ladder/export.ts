// PNG and SVG export of a whole ladder (every row, not just those on screen) as a report
// image: a title with the capture file and the endpoints, the lifelines, the phases, the
// legend, on white (or the theme's background), with the font embedded as base64 @font-face
// so the file looks the same everywhere. PNGs are 2× and stay within the canvas limits.

import * as d3 from 'd3';
import font400 from '@fontsource/jetbrains-mono/files/jetbrains-mono-latin-400-normal.woff2?url';
import font700 from '@fontsource/jetbrains-mono/files/jetbrains-mono-latin-700-normal.woff2?url';
import { durationText, type DisplayItem, type LadderModel } from '../../analysis/ladder.ts';
import { exportFileName, planPng, splitRows } from './export-plan.ts';
import { CHAR_W, charsIn, fitText, layoutLadder, type LadderLayout } from './layout.ts';
import { ladderCss, type Palette } from './palette.ts';
import { drawHeader, drawLegend, drawLifelines, drawPhases, drawRows, endpointIndex, kindsIn, laneX } from './render.ts';

let fontCache: Promise<string> | null = null;

async function dataUrl(url: string): Promise<string> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`font ${url}: HTTP ${r.status}`);
  const blob = await r.blob();
  return new Promise((res, rej) => {
    const fr = new FileReader();
    fr.onload = () => res(String(fr.result).replace(/^data:[^;,]*/, 'data:font/woff2'));
    fr.onerror = () => rej(fr.error);
    fr.readAsDataURL(blob);
  });
}

/** @font-face rules for the ladder's font (regular and bold) with the woff2 files inlined. */
export function embeddedFontCss(): Promise<string> {
  fontCache ??= Promise.all([dataUrl(font400), dataUrl(font700)])
    .then(([r, b]) =>
      [
        `@font-face{font-family:'JetBrains Mono';font-style:normal;font-weight:400;src:url(${r}) format('woff2')}`,
        `@font-face{font-family:'JetBrains Mono';font-style:normal;font-weight:700;src:url(${b}) format('woff2')}`,
      ].join('\n'),
    )
    .catch((e) => {
      fontCache = null;
      throw e;
    });
  return fontCache;
}

export interface ExportInput {
  model: LadderModel;
  items: readonly DisplayItem[];
  palette: Palette;
  /** The capture's file name (for the title). */
  fileName: string;
  fontCss: string;
}

export interface BuiltSvg {
  svg: string;
  width: number;
  height: number;
}

export function exportLayout(input: ExportInput): LadderLayout {
  return layoutLadder(input.model, input.items, { mode: 'export', width: 0, zoom: 1 });
}

const MARGIN = 20;

/** The export image of rows [first, last] (all by default) as standalone SVG text. */
export function buildExportSvg(input: ExportInput, L: LadderLayout, range?: [number, number], part?: { index: number; count: number }, pixelScale = 1): BuiltSvg {
  const { model, palette: p } = input;
  const first = range?.[0] ?? 0;
  const last = range?.[1] ?? L.rows.length - 1;
  const width = Math.max(L.width + MARGIN, 760);
  const svg = d3.create('svg');
  svg.append('style').text(`${input.fontCss}\n${ladderCss(p)}`);
  const bg = svg.append('rect').attr('x', 0).attr('y', 0).attr('width', width).attr('fill', p.bg);

  // Title: the endpoints (model title), then the capture file and facts.
  let y = MARGIN;
  const arrows = model.arrows.filter((a) => !a.missing);
  const span = arrows.length ? arrows[arrows.length - 1]!.t - arrows[0]!.t : 0;
  const titleChars = charsIn(width - 2 * MARGIN, 15 * 0.6);
  svg.append('text').attr('class', 'lad-text lad-title').attr('x', MARGIN).attr('y', y + 15).text(fitText(model.title, titleChars));
  y += 24;
  const facts = [`Capture: ${input.fileName || 'unnamed'}`, `${arrows.length.toLocaleString('en-US')} packets`, `${durationText(span)}`];
  const firstNum = arrows[0]?.num;
  const lastNum = arrows[arrows.length - 1]?.num;
  if (firstNum !== undefined && lastNum !== undefined) facts.push(`frames #${firstNum}–#${lastNum}`);
  if (part && part.count > 1) facts.push(`part ${part.index} of ${part.count}`);
  svg.append('text').attr('class', 'lad-text lad-subtitle lad-muted').attr('x', MARGIN).attr('y', y + 12).text(fitText(facts.join('  ·  '), charsIn(width - 2 * MARGIN, 12 * 0.6)));
  y += 20;
  const hosts = model.endpoints.filter((e) => e.host).map((e) => `${e.addr} = ${e.host}`);
  if (hosts.length) {
    svg.append('text').attr('class', 'lad-text lad-muted').attr('x', MARGIN).attr('y', y + 11).text(fitText(hosts.join('  ·  '), charsIn(width - 2 * MARGIN)));
    y += 16;
  }
  y += 10;

  // Lifeline titles, then the rows.
  const ox = MARGIN / 2;
  drawHeader(svg.append('g').attr('transform', `translate(${ox},${y})`), model, L);
  y += L.headerH;
  // A later part repeats the titles of the phases it continues, joined to their brackets.
  const continued = L.phases.filter((ph) => ph.row < first && ph.lastRow >= first).sort((a, b) => a.lane - b.lane);
  if (continued.length) {
    y += 4;
    const g = svg.append('g').attr('transform', `translate(${ox},0)`);
    continued.forEach((ph, k) => {
      const phase = model.phases[ph.phase]!;
      const x = laneX(L, ph.lane);
      const cy = y + k * 22 + 11;
      const text = fitText(`${phase.label} (continued)`, charsIn(width - x - 40));
      const cell = g.append('g').attr('class', `ph-${phase.kind}`);
      cell.append('path').attr('class', 'lad-bracket').attr('d', `M${x + 6},${cy} H${x} V${y + continued.length * 22 + 2}`);
      cell.append('rect').attr('class', 'lad-pill').attr('x', x + 5).attr('y', cy - 9).attr('width', text.length * CHAR_W + 14).attr('height', 18).attr('rx', 9);
      cell.append('text').attr('class', 'lad-text lad-pill-text').attr('x', x + 12).attr('y', cy + 4).text(text);
    });
    y += continued.length * 22 + 2;
    // The lifelines run through the titles.
    for (const lx of L.lifelineX) svg.insert('line', 'g').attr('class', 'lad-lifeline').attr('x1', lx + ox).attr('x2', lx + ox).attr('y1', y - continued.length * 22 - 6).attr('y2', y);
  }
  const bodyTop = L.ys[first]!;
  const bodyH = L.ys[last + 1]! - bodyTop;
  const clipId = `lad-clip-${first}`;
  svg.append('clipPath').attr('id', clipId).append('rect').attr('x', 0).attr('y', bodyTop).attr('width', width).attr('height', bodyH);
  const body = svg.append('g').attr('transform', `translate(${ox},${y - bodyTop})`).append('g').attr('clip-path', `url(#${clipId})`);
  const bands = body.append('g');
  const lifelines = body.append('g');
  const brackets = body.append('g');
  const rows = body.append('g');
  drawPhases(bands, brackets, model, L, [first, last]);
  drawLifelines(lifelines, L, bodyTop, bodyTop + bodyH);
  drawRows(rows, { model, layout: L, lane: endpointIndex(model), interactive: false }, first, last);
  y += bodyH + 14;

  // Legend (on the last part only) and a footer.
  if (!part || part.index === part.count) {
    const hasRuns = L.rows.some((r) => r.type === 'run');
    const lg = svg.append('g').attr('transform', `translate(${MARGIN - 12},${y})`);
    y += drawLegend(lg, { kinds: kindsIn(model, hasRuns), phases: [...new Set(model.phases.map((ph) => ph.kind))], width: width - MARGIN });
  }
  y += 6;
  svg.append('text').attr('class', 'lad-text lad-small lad-faint').attr('x', MARGIN).attr('y', y + 10).text(`Pcap Ladder · ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  y += 10 + MARGIN;

  const height = Math.ceil(y);
  bg.attr('height', height);
  svg
    .attr('width', Math.ceil(width * pixelScale))
    .attr('height', Math.ceil(height * pixelScale))
    .attr('viewBox', `0 0 ${width} ${height}`);
  const text = new XMLSerializer().serializeToString(svg.node()!);
  return { svg: `<?xml version="1.0" encoding="UTF-8"?>\n${text}\n`, width, height };
}

export interface ExportedFile {
  name: string;
  blob: Blob;
  width: number;
  height: number;
}

export interface ExportResult {
  files: ExportedFile[];
  notice: string | null;
  ms: number;
}

export async function exportSvgFile(input: Omit<ExportInput, 'fontCss'>): Promise<ExportResult> {
  const t0 = performance.now();
  const fontCss = await embeddedFontCss();
  const full = { ...input, fontCss };
  const L = exportLayout(full);
  const built = buildExportSvg(full, L);
  const blob = new Blob([built.svg], { type: 'image/svg+xml' });
  return { files: [{ name: exportFileName(input.model, 'svg'), blob, width: built.width, height: built.height }], notice: null, ms: performance.now() - t0 };
}

/** Loads SVG text as an image and draws it on a canvas of its pixel size. */
async function rasterize(svg: string, pw: number, ph: number, bg: string): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.decoding = 'sync';
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = pw;
    canvas.height = ph;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas context');
    ctx.fillStyle = bg;
    ctx.fillRect(0, 0, pw, ph);
    ctx.drawImage(img, 0, 0, pw, ph);
    const blob = await new Promise<Blob | null>((res) => canvas.toBlob(res, 'image/png'));
    canvas.width = canvas.height = 0;
    if (!blob) throw new Error(`the browser could not encode a ${pw} × ${ph} PNG`);
    return blob;
  } finally {
    URL.revokeObjectURL(url);
  }
}

export async function exportPngFiles(input: Omit<ExportInput, 'fontCss'>, desiredScale = 2): Promise<ExportResult> {
  const t0 = performance.now();
  const fontCss = await embeddedFontCss();
  const full = { ...input, fontCss };
  const L = exportLayout(full);
  // Measure the whole image once (cheap: text only), then plan within the canvas limits.
  const whole = buildExportSvg(full, L);
  const plan = planPng(whole.width, whole.height, desiredScale);
  const files: ExportedFile[] = [];
  if (plan.mode === 'single') {
    const s = plan.scale;
    const svg = s === 1 ? whole.svg : buildExportSvg(full, L, undefined, undefined, s).svg;
    const pw = Math.ceil(whole.width * s);
    const ph = Math.ceil(whole.height * s);
    files.push({ name: exportFileName(input.model, 'png'), blob: await rasterize(svg, pw, ph, input.palette.bg), width: pw, height: ph });
    return { files, notice: plan.notice, ms: performance.now() - t0 };
  }
  // Tiles: the rows cut so that each image (title, lifelines, its rows, legend on the last) fits.
  const chrome = whole.height - (L.ys[L.rows.length]! - L.ys[0]!);
  const ranges = splitRows(L.ys, Math.max(200, plan.maxTileHeight - chrome));
  for (let k = 0; k < ranges.length; k++) {
    const part = { index: k + 1, count: ranges.length };
    const probe = buildExportSvg(full, L, ranges[k], part);
    const built = buildExportSvg(full, L, ranges[k], part, plan.scale);
    const pw = Math.ceil(probe.width * plan.scale);
    const ph = Math.ceil(probe.height * plan.scale);
    files.push({ name: exportFileName(input.model, 'png', part), blob: await rasterize(built.svg, pw, ph, input.palette.bg), width: pw, height: ph });
  }
  return { files, notice: `${plan.notice} (${files.length} files)`, ms: performance.now() - t0 };
}

/** Saves a blob under `name` through a temporary link. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
