import { describe, expect, it } from 'vitest';
import { readCaptureBuffer } from '../capture/reader.ts';
import { writePcap } from '../capture/testing/writer.ts';
import { cdpFrames, igmpFrames, lldpFrames, ospfFrames, stpFrames } from '../dissect/testing/lan-frames.ts';
import { COLOR_RULES, colorOf } from './colors.ts';
import { SummaryDecoder } from './summary.ts';

/** The colouring rule each frame gets, by name. */
function rules(frames: Uint8Array[]): string[] {
  const dec = new SummaryDecoder();
  const out: string[] = [];
  readCaptureBuffer(writePcap(frames.map((data, i) => ({ data, tsSec: 1_700_000_000, tsNsec: i * 1000 }))), (rec) => {
    out.push(COLOR_RULES.find((r) => r.id === colorOf(dec.next(rec).packet))!.name);
  });
  return out;
}

describe('colouring rules for what a LAN carries besides unicast traffic', () => {
  it("gives spanning tree topology changes Wireshark's warning colours, other BPDUs the broadcast rule", () => {
    expect(rules(stpFrames())).toEqual(['Broadcast', 'Spanning Tree Topology Change', 'Spanning Tree Topology Change', 'Broadcast']);
  });

  it('colours CDP, IGMP and OSPF as routing, LLDP as broadcast', () => {
    expect(rules(cdpFrames())).toEqual(['Routing', 'Routing']);
    expect(new Set(rules(ospfFrames()))).toEqual(new Set(['Routing']));
    expect(new Set(rules(igmpFrames()))).toEqual(new Set(['Routing']));
    expect(rules(lldpFrames())).toEqual(['Broadcast', 'Broadcast']);
  });
});
