import { describe, expect, it } from 'vitest';
import { collapseRuns } from '../../analysis/ladder.ts';
import { engineOf } from '../../analysis/testing.ts';
import { writePcap } from '../../capture/testing/writer.ts';
import { CaptureEngine } from '../../worker/engine.ts';
import { anchoredRow, assignLanes, buildRows, CHAR_W, clampZoom, fitText, labelChars, layoutLadder, stepZoom, visibleRange, type PhasePlace } from './layout.ts';
import { bulkSession, TcpTalk } from './testing/talk.ts';
import { flagsText, tooltipFor } from './tooltip.ts';

async function engineOfPackets(packets: ReturnType<typeof bulkSession>): Promise<CaptureEngine> {
  const bytes = writePcap(packets);
  const e = new CaptureEngine();
  async function* one() {
    yield bytes;
  }
  await e.load({ name: 't.pcap', totalBytes: bytes.length, chunks: one() });
  return e;
}

function webTalk(): TcpTalk {
  const t = new TcpTalk({ client: ['192.0.2.10', 40001], server: ['198.51.100.80', 80], t0: 1_700_000_000 });
  t.handshake().data(true, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n').ack(false).data(false, 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok').ack(true).close();
  return t;
}

describe('ladder rows', () => {
  it('puts each phase title just before its first arrow, outer phases first', async () => {
    const e = await engineOfPackets(webTalk().packets);
    const m = e.ladder(0)!;
    const { rows, rowOfArrow, phases } = buildRows(m, collapseRuns(m));
    const shape = rows.map((r) => (r.type === 'phase' ? `[${m.phases[r.phase]!.kind}]` : r.type === 'arrow' ? `#${m.arrows[r.pos]!.num}` : 'run'));
    expect(shape).toEqual(['[handshake]', '#1', '#2', '#3', '[data]', '[http]', '#4', '#5', '#6', '#7', '[teardown]', '#8', '#9', '#10']);
    expect(rowOfArrow[0]).toBe(1);
    expect(rowOfArrow[3]).toBe(6);
    // The data transfer (same span as the HTTP exchange) is the outer phase: lane 0, HTTP lane 1.
    const lane = (k: string) => phases.find((p) => m.phases[p.phase]!.kind === k)!.lane;
    expect([lane('handshake'), lane('data'), lane('http'), lane('teardown')]).toEqual([0, 0, 1, 0]);
    expect(phases.every((p) => p.lo === 0 && p.hi === 1)).toBe(true);
  });

  it('maps arrows inside a collapsed run to the run row', async () => {
    const e = await engineOfPackets(bulkSession(30));
    const m = e.ladder(0)!;
    const items = collapseRuns(m, 12);
    const L = layoutLadder(m, items, { mode: 'screen', width: 900, zoom: 1 });
    const run = L.rows.findIndex((r) => r.type === 'run');
    expect(run).toBeGreaterThan(0);
    const r = L.rows[run]!;
    if (r.type !== 'run') throw new Error('not a run');
    expect(anchoredRow(L, r.run.first)).toBe(run);
    expect(anchoredRow(L, r.run.last)).toBe(run);
    expect(anchoredRow(L, -1)).toBe(-1);
    const tip = tooltipFor(m, L, run)!;
    expect(tip.title).toBe('Collapsed run of data segments');
    expect(tip.facts[0]![1]).toMatch(/^#\d+ – #\d+ \(\d+\)$/);
  });

  it('gives overlapping phases different lanes and reuses free ones', () => {
    const p = (row: number, lastRow: number): PhasePlace => ({ phase: row, row, lastRow, lane: -1, lo: 0, hi: 1 });
    const places = [p(0, 10), p(2, 4), p(5, 8), p(6, 7), p(12, 14)];
    expect(assignLanes(places)).toBe(3);
    expect(places.map((x) => x.lane)).toEqual([0, 1, 1, 2, 0]);
  });
});

describe('ladder geometry', () => {
  it('lays out columns, lifelines and row offsets, and fills the screen width', async () => {
    const e = await engineOfPackets(webTalk().packets);
    const m = e.ladder(0)!;
    const L = layoutLadder(m, collapseRuns(m), { mode: 'screen', width: 1000, zoom: 1 });
    expect(L.width).toBe(1000);
    expect(L.compact).toBe(false);
    expect(L.lifelineX).toHaveLength(2);
    expect(L.lifelineX[0]!).toBeGreaterThan(L.gutterX);
    expect(L.numRight).toBeLessThan(L.timeRight);
    expect(L.timeRight).toBeLessThan(L.deltaRight);
    expect(L.ys).toHaveLength(L.rows.length + 1);
    for (let i = 1; i < L.ys.length; i++) expect(L.ys[i]!).toBeGreaterThan(L.ys[i - 1]!);
    expect(L.height).toBe(L.ys[L.rows.length]);
    // Zoom scales the arrow rows, not the phase titles.
    const Z = layoutLadder(m, collapseRuns(m), { mode: 'screen', width: 1000, zoom: 2 });
    expect(Z.height).toBeGreaterThan(L.height * 1.6);
    // A narrow panel drops the delta column and scrolls sideways past the minimum gap.
    const N = layoutLadder(m, collapseRuns(m), { mode: 'screen', width: 300, zoom: 1 });
    expect(N.compact).toBe(true);
    expect(N.deltaRight).toBe(0);
    expect(N.lifelineX[1]! - N.lifelineX[0]!).toBeGreaterThanOrEqual(170);
    expect(N.width).toBeGreaterThan(300);
  });

  it('sizes export gaps to the labels', async () => {
    const e = await engineOf([]);
    expect(e.ladder(0)).toBeNull();
    const w = await engineOfPackets(webTalk().packets);
    const m = w.ladder(0)!;
    const L = layoutLadder(m, collapseRuns(m), { mode: 'export', width: 0, zoom: 1 });
    const gap = L.lifelineX[1]! - L.lifelineX[0]!;
    expect(gap).toBeGreaterThanOrEqual(300);
    expect(gap).toBeLessThanOrEqual(560);
    expect(gap).toBeGreaterThanOrEqual(Math.min(560, labelChars(m) * CHAR_W));
  });

  it('finds the rows in view with overscan', () => {
    const ys = Float64Array.from([0, 10, 20, 30, 40, 50]);
    expect(visibleRange(ys, 0, 15, 0)).toEqual([0, 1]);
    expect(visibleRange(ys, 25, 35, 0)).toEqual([2, 3]);
    expect(visibleRange(ys, 25, 35, 1)).toEqual([1, 4]);
    expect(visibleRange(ys, -100, 1000, 2)).toEqual([0, 4]);
    expect(visibleRange(Float64Array.from([0]), 0, 100)).toEqual([0, -1]);
  });
});

describe('ladder text and zoom helpers', () => {
  it('fits labels with an ellipsis', () => {
    expect(fitText('[SYN] Seq=0 Win=64240', 30)).toBe('[SYN] Seq=0 Win=64240');
    expect(fitText('[SYN] Seq=0 Win=64240', 10)).toBe('[SYN] Seq…');
    expect(fitText('[SYN] Seq=0', 7)).toBe('[SYN]…');
    expect(fitText('abc', 1)).toBe('');
  });

  it('steps and clamps the zoom', () => {
    expect(stepZoom(1, 1)).toBe(1.25);
    expect(stepZoom(1, -1)).toBe(0.8);
    expect(stepZoom(1.1, -1)).toBe(1);
    expect(stepZoom(2.5, 1)).toBe(2.5);
    expect(stepZoom(0.5, -1)).toBe(0.5);
    expect(clampZoom(9)).toBe(2.5);
    expect(clampZoom(Number.NaN)).toBe(1);
  });

  it('names TCP flags in the order of the Info column', () => {
    expect(flagsText(0x12)).toBe('SYN, ACK');
    expect(flagsText(0x18)).toBe('PSH, ACK');
    expect(flagsText(0x11)).toBe('FIN, ACK');
    expect(flagsText(0)).toBe('none');
  });
});
