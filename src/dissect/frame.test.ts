import { describe, expect, it } from 'vitest';
import { readCaptureBuffer } from '../capture/reader.ts';
import { writePcapng } from '../capture/testing/writer.ts';
import { DecodedCapture } from '../analysis/decoded.ts';
import { decodeFrames, treeText, tsharkText } from './testing/packets.ts';
import { eth, ipv4, udp } from './testing/packets.ts';

const frame = () => eth(ipv4(udp({ sport: 5000, dport: 5001, payload: 'x' }), { proto: 17 }));

describe('the Frame subtree', () => {
  it('gives the arrival time and the exact deltas to the previous and the first frame, as tshark does', () => {
    const cap = decodeFrames([{ data: frame(), t: 0 }, { data: frame(), t: 1.25 }, { data: frame(), t: 1.500001 }]);
    expect(cap.fields(3).get('frame.time')).toEqual(['Nov 14, 2023 22:13:21.500001000 UTC']);
    const text = treeText(cap.tree(3).items);
    expect(text).toContain('[Time delta from previous captured frame: 0.250001000 seconds]');
    expect(text).toContain('[Time since reference or first frame: 1.500001000 seconds]');
    expect(text).toContain('Frame 3: 43 bytes on wire (344 bits), 43 bytes captured (344 bits)  {frame}');
    expect(text).toContain('Encapsulation type: Ethernet (1)');
    expect(text).toContain('[Protocols in frame: eth:ethertype:ip:udp:data]');
  });

  it('names a pcapng packet\'s interface and section', () => {
    const file = writePcapng([
      { type: 'shb' },
      { type: 'idb', linkType: 1, snapLen: 0, name: 'eth0' },
      { type: 'epb', data: frame(), tsSec: 1_700_000_000, tsNsec: 0 },
    ]);
    const cap = new DecodedCapture();
    const meta = readCaptureBuffer(file, (rec) => cap.add(rec));
    cap.decoder.state.pcapngInterfaces = meta.interfaces;
    const text = treeText(cap.tree(1).items);
    expect(text).toContain('Frame 1: 43 bytes on wire (344 bits), 43 bytes captured (344 bits) on interface eth0, id 0');
    expect(text).toContain('Section number: 1');
    expect(text).toMatch(/Interface id: 0 \(eth0\)  \{frame.interface_id\}\n {4}Interface name: eth0/);
  });

  it('shows a pcapng packet\'s comments, flags and drop count as tshark does, and an unnamed interface as "unknown"', () => {
    const file = writePcapng([
      { type: 'shb' },
      { type: 'idb', linkType: 1, snapLen: 0 },
      { type: 'epb', data: frame(), tsSec: 1_700_000_000, tsNsec: 0, comment: ['first note', 'second note'], flags: 0x48000005, dropCount: 3 },
    ]);
    const cap = new DecodedCapture();
    const meta = readCaptureBuffer(file, (rec) => cap.add(rec));
    cap.decoder.state.pcapngInterfaces = meta.interfaces;
    const { items } = cap.tree(1);
    // tshark 4.0: the comments first, beside the Frame layer, each with a Comment expert item.
    expect(tsharkText(items[0]!)).toBe([
      'Packet comments',
      '    first note',
      '        [Expert Info (Comment/Comment): first note]',
      '            [first note]',
      '            [Severity level: Comment]',
      '            [Group: Comment]',
      '    second note',
      '        [Expert Info (Comment/Comment): second note]',
      '            [second note]',
      '            [Severity level: Comment]',
      '            [Group: Comment]',
      '',
    ].join('\n'));
    const frameText = tsharkText(items[1]!);
    expect(frameText).toContain('    Interface id: 0 (unknown)\n        Interface name: unknown\n');
    expect(frameText).toContain([
      '    Packet flags: 0x48000005',
      '        .... .... .... .... .... .... .... ..01 = Direction: Inbound (0x1)',
      '        .... .... .... .... .... .... ...0 01.. = Reception type: Unicast (1)',
      '        .... .... .... .... .... ...0 000. .... = FCS length: 0',
      '        .... .... .... .... 0000 000. .... .... = Reserved: 0',
      '        .... ...0 .... .... .... .... .... .... = CRC error: Not set',
      '        .... ..0. .... .... .... .... .... .... = Packet too long error: Not set',
      '        .... .0.. .... .... .... .... .... .... = Packet too short error: Not set',
      '        .... 1... .... .... .... .... .... .... = Wrong interframe gap error: Set',
      '        ...0 .... .... .... .... .... .... .... = Unaligned frame error: Not set',
      '        ..0. .... .... .... .... .... .... .... = Start frame delimiter error: Not set',
      '        .1.. .... .... .... .... .... .... .... = Preamble error: Set',
      '        0... .... .... .... .... .... .... .... = Symbol error: Not set',
      '    Encapsulation type: Ethernet (1)',
    ].join('\n'));
    expect(frameText).toContain('    Capture Length: 43 bytes (344 bits)\n    Drop Count: 3\n');
    expect(cap.fields(1).get('frame.comment')).toEqual(['first note', 'second note']);
  });
});
