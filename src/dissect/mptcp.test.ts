import { describe, expect, it } from 'vitest';
import { PacketFlag } from './packet.ts';
import type { TreeItem } from './tree.ts';
import { decodeFrames, lines, treeText } from './testing/packets.ts';
import { mptcpFrames } from './testing/mptcp-scenario.ts';

// Expected texts and values are what tshark 4.0.17 prints for the same frames, written to a pcap
// (`tshark -r mptcp.pcap -n`, and `-V` for the trees).

/** The MPTCP option nodes and the "MPTCP analysis" node of a frame's tree. */
function mptcpNodes(items: TreeItem[]): TreeItem[] {
  const out: TreeItem[] = [];
  const walk = (list: TreeItem[]) => {
    for (const it of list) {
      if (it.field === 'mptcp' || it.field === 'mptcp.analysis') out.push(it);
      else if (it.children) walk(it.children);
    }
  };
  walk(items);
  return out;
}

describe('Multipath TCP option', () => {
  const cap = decodeFrames(mptcpFrames());

  it('names the protocol MPTCP and leaves Info to TCP, as tshark', () => {
    // Frames 8 and 10 (and 9) repeat the previous segment of their direction: tshark does not
    // call them duplicate ACKs while the connection's option subtypes are new to the direction.
    expect(lines(cap)).toEqual([
      '    1   0.000000     10.0.0.1 → 10.0.0.2     MPTCP 62 40000 → 80 [SYN] Seq=0 Win=64240 Len=0 MSS=1460',
      '    2   0.001000     10.0.0.2 → 10.0.0.1     MPTCP 70 80 → 40000 [SYN, ACK] Seq=0 Ack=1 Win=64240 Len=0 MSS=1460',
      '    3   0.002000     10.0.0.1 → 10.0.0.2     MPTCP 86 40000 → 80 [ACK] Seq=1 Ack=1 Win=64240 Len=0 TSval=100 TSecr=200',
      '    4   0.003000     10.0.0.1 → 10.0.0.2     TCP 80 40000 → 80 [PSH, ACK] Seq=1 Ack=1 Win=64240 Len=2 [TCP segment of a reassembled PDU]',
      '    5   0.004000     10.0.0.1 → 10.0.0.2     TCP 79 40000 → 80 [PSH, ACK] Seq=3 Ack=1 Win=64240 Len=5 [TCP segment of a reassembled PDU]',
      '    6   0.005000     10.0.0.2 → 10.0.0.1     MPTCP 86 80 → 40000 [ACK] Seq=1 Ack=8 Win=64240 Len=0',
      '    7   0.006000     10.0.0.1 → 10.0.0.2     MPTCP 62 40000 → 80 [ACK] Seq=8 Ack=1 Win=64240 Len=0',
      '    8   0.007000     10.0.0.2 → 10.0.0.1     MPTCP 78 80 → 40000 [ACK] Seq=1 Ack=8 Win=64240 Len=0',
      '    9   0.008000     10.0.0.1 → 10.0.0.2     MPTCP 66 40000 → 80 [ACK] Seq=8 Ack=1 Win=64240 Len=0',
      '   10   0.009000     10.0.0.2 → 10.0.0.1     MPTCP 78 80 → 40000 [ACK] Seq=1 Ack=8 Win=64240 Len=0',
      '   11   0.010000     10.0.0.3 → 10.0.0.2     MPTCP 66 40001 → 80 [SYN] Seq=0 Win=64240 Len=0',
      '   12   0.011000     10.0.0.2 → 10.0.0.3     MPTCP 70 80 → 40001 [SYN, ACK] Seq=0 Ack=1 Win=64240 Len=0',
      '   13   0.012000     10.0.0.3 → 10.0.0.2     MPTCP 78 40001 → 80 [ACK] Seq=1 Ack=1 Win=64240 Len=0',
      '   14   0.013000     10.0.0.3 → 10.0.0.2     TCP 77 40001 → 80 [PSH, ACK] Seq=1 Ack=1 Win=64240 Len=3 [TCP segment of a reassembled PDU]',
      '   15   0.014000     10.0.0.1 → 10.0.0.2     MPTCP 66 40000 → 80 [RST, ACK] Seq=8 Ack=1 Win=64240 Len=0',
      '   16   0.015000     10.0.0.2 → 10.0.0.1     MPTCP 58 80 → 40000 [RST] Seq=1 Win=64240 Len=0',
      '   17   0.016000     10.0.0.6 → 10.0.0.2     MPTCP 66 40004 → 80 [SYN] Seq=0 Win=64240 Len=0',
      '   18   0.017000     10.0.0.7 → 10.0.0.2     MPTCP 58 40005 → 80 [SYN] Seq=0 Win=64240 Len=0',
      '   19   0.018000     10.0.0.4 → 10.0.0.2     MPTCP 58 40002 → 80 [ACK] Seq=1 Ack=1 Win=64240 Len=0[Malformed Packet]',
      '   20   0.019000     10.0.0.5 → 10.0.0.2     MPTCP 58 40003 → 80 [ACK] Seq=1 Ack=1 Win=64240 Len=0[Malformed Packet]',
      '   21   0.020000     10.0.0.8 → 10.0.0.2     MPTCP 62 40006 → 80 [ACK] Seq=1 Ack=1 Win=64240 Len=0[Malformed Packet]',
      '   22   0.021000     10.0.0.2 → 10.0.0.9     MPTCP 66 80 → 40007 [SYN, ACK] Seq=0 Ack=1 Win=64240 Len=0',
      '   23   0.022000     10.0.0.9 → 10.0.0.2     MPTCP 74 40007 → 80 [ACK] Seq=1 Ack=1 Win=64240 Len=0',
    ]);
  });

  it('lists mptcp in frame.protocols once per option', () => {
    // tshark: "eth:ethertype:ip:tcp:mptcp" and "eth:ethertype:ip:tcp:mptcp:mptcp".
    expect(cap.fields(1).get('frame.protocols')![0]).toMatch(/eth:ethertype:ip:tcp:mptcp$/);
    expect(cap.fields(6).get('frame.protocols')![0]).toMatch(/eth:ethertype:ip:tcp:mptcp:mptcp$/);
    expect(cap.fields(6).get('tcp.options.mptcp.subtype')).toEqual([2, 3]);
  });

  it('derives token and IDSN from the keys (SHA-256 in v1, SHA-1 in v0)', () => {
    expect(cap.fields(2).get('mptcp.expected_token')).toEqual([419002395]);
    expect(cap.fields(2).get('mptcp.expected_idsn')).toEqual([2884582770211283598n]);
    expect(cap.fields(3).get('tcp.options.mptcp.sendkey')).toEqual([81985529216486895n]);
    expect(cap.fields(3).get('mptcp.expected_token')).toEqual([1438990173]);
    expect(cap.fields(17).get('mptcp.expected_token')).toEqual([212003547]);
    expect(cap.fields(17).get('mptcp.expected_idsn')).toEqual([16419999864004347207n]);
  });

  it('makes data ACKs and data sequence numbers relative, on a joined subflow too', () => {
    expect(cap.fields(5).get('mptcp.ack')).toEqual([1n]);
    expect(cap.fields(5).get('mptcp.dss.dsn')).toEqual([3n]);
    expect(cap.fields(6).get('mptcp.ack')).toEqual([8n]);
    expect(cap.fields(10).get('mptcp.dss.dsn')).toEqual([1n]);
    expect(cap.fields(14).get('mptcp.ack')).toEqual([1n]);
    expect(cap.fields(14).get('mptcp.dss.dsn')).toEqual([8n]);
    expect(cap.fields(14).get('mptcp.stream')).toEqual([0]);
    expect(cap.fields(14).get('mptcp.analysis.subflows')).toEqual(['1 0 ']);
    // Subtypes that cannot name their connection start one; no MP_CAPABLE key, no master.
    expect(cap.fields(18).get('mptcp.stream')).toEqual([2]);
    expect(cap.fields(18).get('mptcp.master')).toEqual([false]);
  });

  it('shows what a frame knew when it was first read, not what the capture taught later', () => {
    // The second subflow joins in frame 11: frames before it list one subflow, as in tshark.
    const later = decodeFrames(mptcpFrames());
    expect(later.fields(14).get('mptcp.analysis.subflows')).toEqual(['1 0 ']);
    expect(later.fields(3).get('mptcp.analysis.subflows')).toEqual(['0 ']);
    expect(later.fields(11).get('mptcp.analysis.subflows')).toEqual(['1 0 ']);
    // Frame 1's SYN (v1) carries no key: no connection yet, so no analysis node.
    expect(mptcpNodes(later.tree(1).items).map((n) => n.label)).toEqual(['Multipath Transmission Control Protocol: Multipath Capable']);
  });

  it('ends the packet as malformed where an option is shorter than its fields', () => {
    for (const n of [19, 20, 21]) expect(cap.rows[n - 1]!.info.endsWith('Len=0[Malformed Packet]')).toBe(true);
    expect(mptcpNodes(cap.tree(19).items).map((n) => n.label)).toEqual(['Multipath Transmission Control Protocol']);
  });

  it('warns when the third ACK echoes another key than the SYN/ACK announced', () => {
    expect(treeText(mptcpNodes(cap.tree(23).items))).toContain(
      '[Expert Info (Warning/Protocol): The echoed key in the ACK of the MPTCP handshake does not match the key of the SYN/ACK]');
    expect(cap.packets[22]!.flags & PacketFlag.ExpertWarn).toBeTruthy();
  });

  it('builds the option trees tshark shows', () => {
    const text = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 21, 23]
      .map((n) => `Frame ${n}\n${treeText(mptcpNodes(cap.tree(n).items))}`).join('');
    expect(text).toMatchSnapshot();
  });
});
