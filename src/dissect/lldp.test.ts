import { describe, expect, it } from 'vitest';
import { cdpFrames, lldpFrames } from './testing/lan-frames.ts';
import { decodeFrames, lines, treeText } from './testing/packets.ts';

// Expected lines are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`),
// trailing space included.

describe('LLDP', () => {
  const cap = decodeFrames(lldpFrames());

  it('summarises chassis, port, TTL and system names as tshark does', () => {
    expect(lines(cap)).toEqual([
      '    1   0.000000 00:1c:0e:87:78:04 → 01:80:c2:00:00:0e LLDP 130 MA/00:1c:0e:87:78:00 IN/Gi1/0/4 120 SysN=sw-lab-1 SysD=Cisco IOS Software, C2960X ',
      '    2   0.001000 02:bb:00:00:00:02 → 01:80:c2:00:00:0e LLDP 39 LA/host-22 MA/02:bb:00:00:00:02 0 ',
    ]);
    expect(cap.fields(1).get('lldp.tlv.system.name')).toEqual(['sw-lab-1']);
    expect(cap.fields(1).get('lldp.mgn.addr')).toEqual(['10.0.0.2']);
    expect(treeText(cap.tree(1).items)).toMatchSnapshot();
  });

  it('survives LLDPDUs cut anywhere, and a TLV longer than the frame', () => {
    const frames = lldpFrames();
    for (let cut = 14; cut < 130; cut += 5) {
      const c = decodeFrames(frames.map((f) => f.subarray(0, Math.min(cut, f.length))));
      for (let n = 1; n <= frames.length; n++) c.tree(n);
      expect(c.decoder.state.dissectorBugs).toBe(0);
    }
    const bad = lldpFrames()[1]!;
    bad[14 + 1] = 0xff; // the chassis TLV claims 255 bytes
    const c = decodeFrames([bad]);
    expect(c.rows[0]!.info).toContain('[Malformed Packet]');
  });
});

describe('CDP', () => {
  const cap = decodeFrames(cdpFrames());

  it('summarises device and port as tshark does, and checks Cisco’s checksum', () => {
    expect(lines(cap)).toEqual([
      '    1   0.000000 00:1c:0e:87:78:04 → 01:00:0c:cc:cc:cc CDP 243 Device ID: sw-lab-1.example  Port ID: GigabitEthernet1/0/4  ',
      '    2   0.001000 00:1c:0e:87:78:04 → 01:00:0c:cc:cc:cc CDP 47 Device ID: phone-7  Port ID: Port 1  ',
    ]);
    expect(cap.fields(1).get('cdp.native_vlan')).toEqual([10]);
    expect(cap.fields(1).get('cdp.software_version')).toHaveLength(3);
    const tree = treeText(cap.tree(1).items);
    expect(tree).toContain('Checksum: 0xd1f3 [correct]'); // an odd-length message: Cisco's odd-byte rule
    expect(tree).toMatchSnapshot();
    const bad = cdpFrames()[1]!;
    bad[14 + 8 + 3]! ^= 0x01;
    expect(treeText(decodeFrames([bad]).tree(1).items)).toContain('Checksum: 0x9026 incorrect, should be 0x9027');
  });
});
