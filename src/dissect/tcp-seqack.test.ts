import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACK, decodeFrames, eth, ipv4, PSH, tcp, treeText, tsharkText } from './testing/packets.ts';
import { seqAckScenario } from './testing/tcp-seqack-scenario.ts';
import type { TreeItem } from './tree.ts';
import { FRAME, LINK, UnackedSegments } from './tcp-unacked.ts';

function seqAckNode(items: TreeItem[]): TreeItem | undefined {
  for (const i of items) {
    if (i.field === 'tcp.analysis') return i;
    const c = seqAckNode(i.children ?? []);
    if (c) return c;
  }
  return undefined;
}

describe('TCP SEQ/ACK analysis', () => {
  const cap = decodeFrames(seqAckScenario());

  it('shows every frame\'s [SEQ/ACK analysis] as tshark -V -2 does, or none where tshark has none', () => {
    // tcp-seqack-tshark.txt: each frame's subtree in tshark 4.0.17's -V -2 text of the scenario
    // written as a pcap (framesPcap), one "Frame N" line before each.
    const expected = readFileSync(new URL('./testing/tcp-seqack-tshark.txt', import.meta.url), 'utf8');
    let ours = '';
    for (let n = 1; n <= cap.rows.length; n++) {
      const node = seqAckNode(cap.tree(n).items);
      ours += `Frame ${n}\n${node ? tsharkText(node) : ''}`;
    }
    expect(ours).toBe(expected);
  });

  it('answers the filter names of the analysis, flags included', () => {
    const f = (n: number) => cap.fields(n);
    expect(f(2).get('tcp.analysis.acks_frame')).toEqual([1]);
    expect(f(3).get('tcp.analysis.initial_rtt')?.[0]).toBeCloseTo(0.02, 9);
    // The acknowledgement of 151 ends no segment: no acks_frame, and nothing to show.
    expect(f(7).has('tcp.analysis')).toBe(false);
    expect(f(6).get('tcp.analysis.bytes_in_flight')).toEqual([250]);
    expect(f(6).get('tcp.analysis.push_bytes_sent')).toEqual([50]);
    expect(f(13).get('tcp.analysis.bytes_in_flight')).toEqual([100]);
    expect(f(13).has('tcp.analysis.fast_retransmission')).toBe(true);
    expect(f(13).has('tcp.analysis.retransmission')).toBe(true);
    expect(f(16).get('tcp.analysis.rto_frame')).toEqual([15]);
    expect(f(16).get('tcp.analysis.rto')?.[0]).toBeCloseTo(0.7, 9);
    // A retransmission's data goes to no protocol; tshark says so under the payload line.
    expect(treeText(cap.tree(16).items)).toMatch(/TCP payload \(10 bytes\)  \{tcp.payload\}\n {2}Retransmitted TCP segment data \(10 bytes\)  \{tcp.segment_data\}/);
    expect(f(17).get('tcp.analysis.acks_frame')).toEqual([15]);
    expect(f(19).has('tcp.analysis.bytes_in_flight')).toBe(false);
    expect(f(22).has('tcp.analysis.ack_lost_segment')).toBe(true);
    expect(f(22).has('tcp.analysis.zero_window')).toBe(true);
  });
});

describe('TCP SEQ/ACK analysis of many connections', () => {
  it('keeps every connection\'s state however many there are (the flow table grows)', () => {
    const frames = [];
    for (let i = 0; i < 1500; i++) {
      const flow = { src: '192.0.2.1', dst: '192.0.2.2' };
      frames.push(eth(ipv4(tcp({ sport: 10000 + i, dport: 7003, flags: ACK | PSH, seq: 1, ack: 1, win: 100, payload: 'x'.repeat(10) }), flow)));
    }
    const many = decodeFrames(frames);
    for (const n of [1, 300, 1100, 1500]) expect(many.fields(n).get('tcp.analysis.bytes_in_flight'), `frame ${n}`).toEqual([10]);
  });
});

describe('UnackedSegments', () => {
  it('keeps lists newest first and reuses released nodes', () => {
    const list = new UnackedSegments();
    let head = 0;
    for (let i = 0; i < 300; i++) head = list.push(head, i * 10, i * 10 + 10, i + 1);
    const frames: number[] = [];
    for (let n = head; n; n = list.nodes[list.at(n) + LINK]!) frames.push(list.nodes[list.at(n) + FRAME]!);
    expect(frames).toEqual(Array.from({ length: 300 }, (_, i) => 300 - i));
    // Unlink and release the newest: the next push takes its node again.
    const newest = head;
    head = list.nodes[list.at(newest) + LINK]!;
    list.release(newest);
    expect(list.push(head, 5, 6, 999)).toBe(newest);
  });
});
