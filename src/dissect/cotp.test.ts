import { describe, expect, it } from 'vitest';
import { cotpConversation, tpkt } from './testing/iso-frames.ts';
import { TcpConv } from './testing/tls-builders.ts';
import { decodeFrames, lines, treeText } from './testing/packets.ts';

describe('TPKT and COTP (ISO transport on TCP port 102)', () => {
  const cap = decodeFrames(cotpConversation().frames);

  it('prints the summary lines of tshark 4.0.17 for the same bytes', () => {
    // Each line as `tshark -r cotp.pcap -n` printed it (the fixture written with TcpConv.pcap()).
    expect(lines(cap)).toEqual([
      '    1   0.000000   192.0.2.10 → 198.51.100.20 COTP 76 CR TPDU src-ref: 0x0001 dst-ref: 0x0000',
      '    2   0.001000 198.51.100.20 → 192.0.2.10   COTP 76 CC TPDU src-ref: 0x0044 dst-ref: 0x0001',
      '    3   0.002000   192.0.2.10 → 198.51.100.20 COTP 64 DT TPDU (0) [COTP fragment, 3 bytes]',
      '    4   0.003000   192.0.2.10 → 198.51.100.20 COTP 66 DT TPDU (0) EOT',
      '    5   0.004000 198.51.100.20 → 192.0.2.10   COTP 65 DT TPDU (0) EOT',
      '    6   0.005000   192.0.2.10 → 198.51.100.20 COTP 74 DT TPDU (0) EOT',
      '    7   0.006000 198.51.100.20 → 192.0.2.10   TCP 64 [TCP segment of a reassembled PDU]',
      '    8   0.007000 198.51.100.20 → 192.0.2.10   COTP 80 DT TPDU (0) EOT',
      '    9   0.008000   192.0.2.10 → 198.51.100.20 COTP 64 DT TPDU (1) dst-ref: 0x0007 EOT',
      '   10   0.009000 198.51.100.20 → 192.0.2.10   COTP 68 AK TPDU (2) dst-ref: 0x0007, ER TPDU dst-ref: 0x0007',
      '   11   0.010000   192.0.2.10 → 198.51.100.20 COTP 87 CR TPDU src-ref: 0x0002 dst-ref: 0x0000',
      '   12   0.011000   192.0.2.10 → 198.51.100.20 COTP 65 DR TPDU src-ref: 0x0001 dst-ref: 0x0044',
      '   13   0.012000 198.51.100.20 → 192.0.2.10   COTP 64 DC TPDU src-ref: 0x0044 dst-ref: 0x0001',
      '   14   0.013000   192.0.2.10 → 198.51.100.20 TPKT 58 Continuation',
      '   15   0.014000   192.0.2.10 → 198.51.100.20 TPKT 58 [Malformed Packet]',
      '   16   0.015000 198.51.100.20 → 192.0.2.10   TPKT 61 Unknown TPDU type (0x3)',
      '   17   0.016000   192.0.2.10 → 198.51.100.20 TPKT 68 CR TPDU src-ref: 0x0003 dst-ref: 0x0000[Malformed Packet]',
    ]);
    expect(cap.fields(17).has('_ws.malformed')).toBe(true);
  });

  it('shows the connection request: class, TPDU size, TSAPs as text or bytes', () => {
    const s7 = cap.fields(1);
    expect(s7.get('cotp.tpdu_size')).toEqual([1024]);
    expect(s7.get('cotp.class')).toEqual([0]);
    expect(s7.get('cotp.src-tsap-bytes')).toEqual([Uint8Array.from([1, 0])]);
    expect(s7.get('cotp.dst-tsap-bytes')).toEqual([Uint8Array.from([1, 2])]);
    const mms = cap.fields(11);
    expect(mms.get('cotp.src-tsap')).toEqual(['TSAP']);
    expect(mms.get('cotp.dst-tsap')).toEqual(['SIMATIC1']);
    expect(mms.get('cotp.vp_version_nr')).toEqual([1]);
    expect(treeText(cap.tree(1).items)).toMatchSnapshot();
  });

  it('puts a TSDU split over DT TPDUs back together in the TPDU that ends it', () => {
    const { items, packet } = cap.tree(4);
    const text = treeText(items);
    expect(text).toContain('[2 COTP Segments (8 bytes): #3(3), #4(5)]');
    expect(text).toContain('[Frame: 3, payload: 0-2 (3 bytes)]');
    expect(text).toContain('Data (8 bytes)');
    const whole = packet.sources.find((s) => s.name === 'Reassembled COTP');
    expect(new TextDecoder().decode(whole?.data)).toBe('abcdefgh');
    // The first segment points to it in the details (the first pass cannot know yet).
    expect(treeText(cap.tree(3).items)).toContain('[Reassembled COTP in frame: 4]');
    expect(text).toMatchSnapshot();
  });

  it('makes up class 0 references from the TCP conversation, as tshark does', () => {
    // Two conversations: the second one's DT TPDUs get reference 0x10000 (conversation 1 << 16).
    const a = new TcpConv(49152, 102, '192.0.2.10', '198.51.100.20');
    const b = new TcpConv(49153, 102, '192.0.2.11', '198.51.100.20');
    a.c(Uint8Array.from(tpkt([2, 0xf0, 0x80], 'a')));
    b.c(Uint8Array.from(tpkt([2, 0xf0, 0x00], 'b')));
    b.c(Uint8Array.from(tpkt([2, 0xf0, 0x80], 'c')));
    const two = decodeFrames([...a.frames, ...b.frames]);
    expect(two.fields(1).get('cotp.destref')).toEqual([0]);
    expect(two.fields(2).get('cotp.destref')).toEqual([0x10000]);
    expect(treeText(two.tree(3).items)).toContain('[2 COTP Segments (2 bytes): #2(1), #3(1)]');
  });

  it('survives every cut of every packet', () => {
    for (const frame of cotpConversation().frames) {
      for (let len = 0; len < frame.length; len++) {
        const cut = decodeFrames([{ data: frame.subarray(0, len), origLen: frame.length }]);
        expect(cut.decoder.state.dissectorBugs).toBe(0);
        cut.tree(1);
      }
    }
  });
});
