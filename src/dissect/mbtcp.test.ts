import { describe, expect, it } from 'vitest';
import { modbusConversation, modbusEdgeFrames } from './testing/lan-frames.ts';
import { decodeFrames, lines, treeText } from './testing/packets.ts';
import type { TreeItem } from './tree.ts';

/** The labels of a frame's layer (Modbus/TCP, Modbus …), its children indented, as tshark -V shows. */
function layers(items: TreeItem[], title: string): string[] {
  const out: string[] = [];
  const walk = (its: TreeItem[], d: number) => {
    for (const it of its) {
      out.push('  '.repeat(d) + it.label);
      if (it.children) walk(it.children, d + 1);
    }
  };
  walk(items.filter((it) => it.label === title), 0);
  return out;
}

describe('Modbus/TCP', () => {
  const cap = decodeFrames(modbusConversation().frames);

  it('writes Info as tshark 4.0.17 does: query or response by port 502, the last PDU of a segment', () => {
    expect(lines(cap)).toEqual([
      '    1   0.000000 192.168.1.10 → 192.168.1.20 Modbus/TCP 66    Query: Trans:     1; Unit:   1, Func:   1: Read Coils',
      '    2   0.001000 192.168.1.20 → 192.168.1.10 Modbus/TCP 66 Response: Trans:     1; Unit:   1, Func:   1: Read Coils',
      '    3   0.002000 192.168.1.10 → 192.168.1.20 Modbus/TCP 66    Query: Trans:     2; Unit:   1, Func:   2: Read Discrete Inputs',
      '    4   0.003000 192.168.1.20 → 192.168.1.10 Modbus/TCP 66 Response: Trans:     2; Unit:   1, Func:   2: Read Discrete Inputs',
      '    5   0.004000 192.168.1.10 → 192.168.1.20 Modbus/TCP 66    Query: Trans:     3; Unit:   1, Func:   3: Read Holding Registers',
      '    6   0.005000 192.168.1.20 → 192.168.1.10 Modbus/TCP 69 Response: Trans:     3; Unit:   1, Func:   3: Read Holding Registers',
      '    7   0.006000 192.168.1.10 → 192.168.1.20 Modbus/TCP 66    Query: Trans:     4; Unit:   1, Func:   4: Read Input Registers',
      '    8   0.007000 192.168.1.20 → 192.168.1.10 Modbus/TCP 65 Response: Trans:     4; Unit:   1, Func:   4: Read Input Registers',
      '    9   0.008000 192.168.1.10 → 192.168.1.20 Modbus/TCP 66    Query: Trans:     5; Unit:   1, Func:   5: Write Single Coil',
      '   10   0.009000 192.168.1.20 → 192.168.1.10 Modbus/TCP 66 Response: Trans:     5; Unit:   1, Func:   5: Write Single Coil',
      '   11   0.010000 192.168.1.10 → 192.168.1.20 Modbus/TCP 66    Query: Trans:     6; Unit:   1, Func:   6: Write Single Register',
      '   12   0.011000 192.168.1.20 → 192.168.1.10 Modbus/TCP 66 Response: Trans:     6; Unit:   1, Func:   6: Write Single Register',
      '   13   0.012000 192.168.1.10 → 192.168.1.20 Modbus/TCP 69    Query: Trans:     7; Unit:   1, Func:  15: Write Multiple Coils',
      '   14   0.013000 192.168.1.20 → 192.168.1.10 Modbus/TCP 66 Response: Trans:     7; Unit:   1, Func:  15: Write Multiple Coils',
      '   15   0.014000 192.168.1.10 → 192.168.1.20 Modbus/TCP 71    Query: Trans:     8; Unit:   1, Func:  16: Write Multiple Registers',
      '   16   0.015000 192.168.1.20 → 192.168.1.10 Modbus/TCP 66 Response: Trans:     8; Unit:   1, Func:  16: Write Multiple Registers',
      '   17   0.016000 192.168.1.10 → 192.168.1.20 Modbus/TCP 66    Query: Trans:     9; Unit:   1, Func:   3: Read Holding Registers',
      '   18   0.017000 192.168.1.20 → 192.168.1.10 Modbus/TCP 63 Response: Trans:     9; Unit:   1, Func:   3: Read Holding Registers. Exception returned ',
      '   19   0.018000 192.168.1.10 → 192.168.1.20 Modbus/TCP 78    Query: Trans:    11; Unit:   2, Func:   4: Read Input Registers',
      '   20   0.019000 192.168.1.20 → 192.168.1.10 Modbus/TCP 78 Response: Trans:    11; Unit:   2, Func:   4: Read Input Registers',
      '   21   0.020000 192.168.1.10 → 192.168.1.20 Modbus/TCP 66    Query: Trans:    12; Unit:   1, Func:   3: Read Holding Registers',
      '   22   0.021000 192.168.1.20 → 192.168.1.10 TCP 65 502 → 50200 [PSH, ACK] Seq=132 Ack=153 Win=64240 Len=11 [TCP segment of a reassembled PDU]',
      '   23   0.022000 192.168.1.20 → 192.168.1.10 Modbus/TCP 72 Response: Trans:    12; Unit:   1, Func:   3: Read Holding Registers',
      '   24   0.023000 192.168.1.10 → 192.168.1.20 Modbus/TCP 65    Query: Trans:    13; Unit:   1, Func:  43/  1: Read Device Identification',
      '   25   0.024000 192.168.1.20 → 192.168.1.10 Modbus/TCP 85 Response: Trans:    13; Unit:   1, Func:  43/  1: Read Device Identification',
      '   26   0.025000 192.168.1.10 → 192.168.1.20 Modbus/TCP 66    Query: Trans:    14; Unit:   1, Func:   8/  1: Return Query Data',
      '   27   0.026000 192.168.1.20 → 192.168.1.10 Modbus/TCP 66 Response: Trans:    14; Unit:   1, Func:   8/  1: Return Query Data',
      '   28   0.027000 192.168.1.20 → 192.168.1.10 Modbus/TCP 66 Response: Trans:    15; Unit:   1, Func:   3: Read Holding Registers[Malformed Packet]',
      '   29   0.028000 192.168.1.10 → 192.168.1.20 Modbus/TCP 69    Query: Trans:    16; Unit:   1, Func:  16: Write Multiple Registers',
      '   30   0.029000 192.168.1.20 → 192.168.1.10 Modbus/TCP 63 Response: Trans:    17; Unit:   1, Func:  65: Unknown function (65). Exception returned ',
      '   31   0.030000 192.168.1.10 → 192.168.1.20 Modbus/TCP 62 [Malformed Packet]',
      '   32   0.031000 192.168.1.10 → 192.168.1.20 Modbus/TCP 62    Query: Trans:    19; Unit:   1, Func:   7: Read Exception Status',
      '   33   0.032000 192.168.1.20 → 192.168.1.10 Modbus/TCP 63 Response: Trans:    19; Unit:   1, Func:   7: Read Exception Status',
      '   34   0.033000 192.168.1.10 → 192.168.1.20 TCP 62 50200 → 502 [PSH, ACK] Seq=207 Ack=234 Win=64240 Len=8',
    ]);
    expect(cap.decoder.state.dissectorBugs).toBe(0);
  });

  it('numbers coils and registers from the request, which it links', () => {
    const coils = cap.fields(2);
    expect(coils.get('modbus.request_frame')).toEqual([1]);
    expect(coils.get('modbus.bitnum')).toEqual(Array.from({ length: 19 }, (_, i) => 19 + i)); // the 19 asked for, not the 24 bits sent
    expect(coils.get('modbus.bitval')!.slice(0, 4)).toEqual([true, false, true, true]); // 0xcd, low bit first
    expect(cap.fields(6).get('modbus.regnum16')).toEqual([107, 108, 109]);
    expect(cap.fields(6).get('modbus.regval_uint16')).toEqual([555, 0, 100]);
    // Written registers are numbered from the request's own address.
    expect(cap.fields(15).get('modbus.regnum16')).toEqual([1, 2]);
    const tree = treeText(cap.tree(2).items);
    expect(tree).toContain('[Time from request: 0.001000000 seconds]');
    expect(layers(cap.tree(2).items, 'Modbus').slice(0, 8)).toEqual([
      'Modbus',
      '  .000 0001 = Function Code: Read Coils (1)',
      '  [Request Frame: 1]',
      '  [Time from request: 0.001000000 seconds]',
      '  Byte Count: 3',
      '  Bit 19 : 1',
      '    [Bit Number: 19]',
      '    .... ...1 = Bit Value: True',
    ]);
  });

  it('shows a coil written as tshark does: both value bytes as Data, the second again as Padding', () => {
    expect(layers(cap.tree(9).items, 'Modbus')).toEqual([
      'Modbus',
      '  .000 0101 = Function Code: Write Single Coil (5)',
      '  Reference Number: 172',
      '  Data: ff00',
      '  Padding: 0x00',
    ]);
    expect(cap.fields(13).get('modbus.bit_cnt')).toEqual([10]);
    expect(cap.fields(13).get('modbus.data')).toEqual([Uint8Array.from([0xcd, 0x01])]);
  });

  it('labels an exception response with the function and the exception', () => {
    expect(layers(cap.tree(18).items, 'Function 3:  Read Holding Registers.  Exception: Illegal data address')).toEqual([
      'Function 3:  Read Holding Registers.  Exception: Illegal data address',
      '  .000 0011 = Function Code: Read Holding Registers (3)',
      '  Exception Code: Illegal data address (2)',
    ]);
    expect(cap.fields(30).get('modbus.exception_code')).toEqual([12]);
    expect(treeText(cap.tree(30).items)).toContain('Exception: Unknown Exception Code (12)');
  });

  it('dissects every PDU of a segment and reassembles one split over two', () => {
    expect(cap.fields(19).get('mbtcp.trans_id')).toEqual([10, 11]);
    expect(cap.fields(20).get('modbus.regval_uint16')).toEqual([1, 2, 0xffff]);
    expect(cap.fields(20).get('modbus.request_frame')).toEqual([19, 19]);
    const split = cap.fields(23);
    expect(split.get('mbtcp.len')).toEqual([23]);
    expect(split.get('modbus.regnum16')).toEqual(Array.from({ length: 10 }, (_, i) => 100 + i));
    expect(cap.rows[21]!.protocol).toBe('TCP');
  });

  it('reads device identification objects and diagnostics', () => {
    const dev = cap.fields(25);
    expect(dev.get('modbus.object_str_value')).toEqual(['Acme', 'X-1', 'v1.0']);
    expect(dev.get('modbus.conformity_level')).toEqual([0x01]);
    expect(treeText(cap.tree(25).items)).toContain('Conformity Level: Basic Device Identification (stream) (0x01)');
    expect(cap.fields(27).get('modbus.diagnostic.return_query_data.echo')).toEqual([Uint8Array.from([0x12, 0x34])]);
  });

  it('reports broken PDUs as tshark does', () => {
    // Three register bytes: the second register is cut.
    expect(treeText(cap.tree(28).items)).toContain('[Malformed Packet: Modbus]');
    // A byte count beyond the PDU: the bytes there are shown as Data.
    expect(cap.fields(29).get('modbus.data')).toEqual([Uint8Array.from([0x00, 0x01])]);
    // The exception bit without an exception code: nothing to show but the error.
    expect(treeText(cap.tree(31).items)).toContain('[Malformed Packet: Modbus/TCP]');
    // Protocol 1 is not Modbus.
    expect(cap.rows[33]!.protocol).toBe('TCP');
  });

  it('keeps its tree', () => {
    expect(treeText(cap.tree(2).items.filter((it) => it.label.startsWith('Modbus')))).toMatchSnapshot();
    expect(treeText(cap.tree(25).items.filter((it) => it.label.startsWith('Modbus')))).toMatchSnapshot();
  });

  it('handles port 502 on both ends and snapped segments as tshark does', () => {
    const edge = decodeFrames(modbusEdgeFrames());
    expect(lines(edge)).toEqual([
      '    1   0.000000 192.168.1.30 → 192.168.1.31 Modbus/TCP 66  unknown: Trans:     1; Unit:   1, Func:   3: Read Holding Registers. Unable to classify as query or response.',
      '    2   0.001000 192.168.1.31 → 192.168.1.30 Modbus/TCP 65  unknown: Trans:     1; Unit:   1, Func:   3: Read Holding Registers. Unable to classify as query or response.',
      '    3   0.002000 192.168.1.20 → 192.168.1.10 Modbus/TCP 67 Response: Trans:     1; Unit:   1, Func:   3: Read Holding Registers[Packet size limited during capture]',
      '    4   0.003000 192.168.1.20 → 192.168.1.10 Modbus/TCP 87 Response: Trans:     4; Unit:   1, Func:   3: Read Holding Registers[Packet size limited during capture]',
    ]);
    expect(treeText(edge.tree(1).items)).toContain('[Expert Info (Warning/Protocol): Cannot classify packet type.');
    const snapped = treeText(edge.tree(4).items);
    expect(snapped).toContain('[BoundError Unreassembled Packet: Modbus]');
    expect(snapped).toContain('[Packet size limited during capture: Modbus truncated]');
    expect(edge.fields(4).get('mbtcp.trans_id')).toEqual([2, 3, 4]);
    expect(edge.decoder.state.dissectorBugs).toBe(0);
  });
});
