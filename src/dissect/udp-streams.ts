// UDP conversations as tshark numbers them (udp.stream): one index per pair of endpoints, in
// the order their first datagram appears, with each datagram's time since the conversation's
// first one and since its previous one ([Timestamps]). The first pass keeps, per frame, the
// stream and the conversation's previous frame (8 bytes a frame, in typed columns); the times
// come from the frames' own timestamps when a frame is shown again.

import { growColumn } from '../lib/growable.ts';
import { stateSlot, type CaptureState, type Packet } from './packet.ts';

interface Conversation {
  index: number;
  lastFrame: number;
}

export interface UdpFrameFacts {
  stream: number;
  /** Seconds since the conversation's first datagram and since its previous one (NaN: quoted, or no times). */
  sinceFirst: number;
  sincePrev: number;
}

class UdpStreams {
  private readonly byEndpoints = new Map<string, Conversation>();
  /** First frame of each stream, by stream index. */
  private firstFrames = new Int32Array(0);
  private count = 0;
  /** Per frame number: stream + 1 (0: no UDP), and the stream's previous frame (0: quoted). */
  private streams = new Int32Array(0);
  private prevFrames = new Int32Array(0);

  constructor(private readonly state: CaptureState) {}

  /**
   * The datagram of frame `p` between these endpoints: its conversation, created when new. A
   * datagram quoted by an ICMP error (`quoted`) gets the index but no times and moves no clock.
   */
  record(p: Packet, srcPort: number, dstPort: number, quoted: boolean): void {
    const a = `${p.netSrc}/${srcPort}`;
    const b = `${p.netDst}/${dstPort}`;
    const key = a < b ? `${a} ${b}` : `${b} ${a}`;
    const n = p.num;
    let c = this.byEndpoints.get(key);
    if (!c) {
      c = { index: this.count++, lastFrame: n };
      this.byEndpoints.set(key, c);
      this.firstFrames = growColumn(this.firstFrames, this.count);
      this.firstFrames[c.index] = n;
    }
    this.streams = growColumn(this.streams, n + 1);
    this.prevFrames = growColumn(this.prevFrames, n + 1);
    this.streams[n] = c.index + 1;
    if (quoted) return;
    this.prevFrames[n] = c.lastFrame;
    c.lastFrame = n;
  }

  facts(num: number): UdpFrameFacts | null {
    const s = this.streams[num] ?? 0;
    if (s === 0) return null;
    const prev = this.prevFrames[num]!;
    const now = this.state.frameTime(num);
    const first = this.state.frameTime(this.firstFrames[s - 1]!);
    const before = prev ? this.state.frameTime(prev) : undefined;
    const since = (t: { sec: number; nsec: number } | undefined) => (now && t ? now.sec - t.sec + (now.nsec - t.nsec) / 1e9 : NaN);
    return { stream: s - 1, sinceFirst: prev ? since(first) : NaN, sincePrev: since(before) };
  }
}

export const udpStreams = stateSlot((state) => new UdpStreams(state));
