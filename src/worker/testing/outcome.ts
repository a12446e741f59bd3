// Test-only: what an engine's first pass leaves behind, in a form tests compare with toEqual.

import type { CaptureEngine } from '../engine.ts';

/** Everything the first pass leaves behind: the store's columns, the TCP per-frame table, and what the UI is shown. */
export function firstPassOutcome(e: CaptureEngine) {
  const s = e.store;
  const n = s.count;
  const col = (a: ArrayLike<number>) => Array.from({ length: n }, (_, i) => a[i]);
  const strings = (a: ArrayLike<number>) => Array.from({ length: n }, (_, i) => s.strings.get(a[i]!));
  const frames = e.tcpFrames();
  const f = (a: ArrayLike<number>) => Array.from({ length: n }, (_, i) => a[i + 1]);
  return {
    columns: {
      state: col(s.state), proto: strings(s.proto), src: strings(s.src), dst: strings(s.dst), color: col(s.color),
      tcpFlags: col(s.tcpFlags), tcpLen: col(s.tcpLen), srcPort: col(s.srcPort), dstPort: col(s.dstPort),
    },
    frames: { stream: Array.from({ length: n }, (_, i) => frames.streamOf(i + 1)), relSeq: f(frames.relSeq), relAck: f(frames.relAck), window: f(frames.window), analysis: f(frames.analysis), dupAck: [...frames.dupAck],
      seqAck: f(frames.seqAck), acked: f(frames.acked), inFlight: f(frames.inFlight), pushBytes: f(frames.pushBytes), rtoFrame: [...frames.rtoFrame] },
    rows: e.rows(0, n),
    details: Array.from({ length: n }, (_, i) => e.details(i)),
    sessions: e.sessions(),
    ladders: e.sessions().map((x) => e.ladder(x.stream)),
  };
}
