// Test helper: load crafted frames into the same engine the web worker runs.

import { writePcap, type TestPacket } from '../capture/testing/writer.ts';
import type { FrameSpec } from '../dissect/testing/packets.ts';
import { CaptureEngine } from '../worker/engine.ts';

export async function engineOf(frames: (Uint8Array | FrameSpec)[], linkType = 1): Promise<CaptureEngine> {
  const base = 1_700_000_000;
  const packets: TestPacket[] = frames.map((f, i) => {
    const spec = f instanceof Uint8Array ? { data: f } : f;
    const t = spec.t ?? i * 0.001;
    const sec = Math.floor(t);
    return { data: spec.data, tsSec: base + sec, tsNsec: Math.round((t - sec) * 1e6) * 1000, origLen: spec.origLen };
  });
  const bytes = writePcap(packets, { linkType });
  const engine = new CaptureEngine();
  async function* one() {
    yield bytes;
  }
  await engine.load({ name: 'test.pcap', totalBytes: bytes.length, chunks: one() });
  return engine;
}
