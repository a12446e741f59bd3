import { describe, expect, it } from 'vitest';
import { readCaptureBuffer } from '../capture/reader.ts';
import { writePcapng } from '../capture/testing/writer.ts';
import { DecodedCapture } from '../analysis/decoded.ts';
import { decodeFrames, treeText } from './testing/packets.ts';
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
});
