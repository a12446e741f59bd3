import { describe, expect, it } from 'vitest';
import { igmpFrames, ospfFrames, ripFrames, stpFrames } from './testing/lan-frames.ts';
import { decodeFrames, lines, treeText } from './testing/packets.ts';

// Expected lines are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`).

describe('IGMP', () => {
  const cap = decodeFrames(igmpFrames());

  it('tells v1, v2 and v3 apart and names groups and sources as tshark does', () => {
    expect(lines(cap)).toEqual([
      '    1   0.000000  192.168.1.1 → 224.0.0.1    IGMPv2 46 Membership Query, general',
      '    2   0.001000  192.168.1.1 → 239.1.2.3    IGMPv2 46 Membership Query, specific for group 239.1.2.3',
      '    3   0.002000 192.168.1.20 → 239.1.2.3    IGMPv2 46 Membership Report group 239.1.2.3',
      '    4   0.003000 192.168.1.20 → 224.0.0.2    IGMPv2 46 Leave Group 239.1.2.3',
      '    5   0.004000 192.168.1.20 → 239.9.9.9    IGMPv1 46 Membership Report',
      '    6   0.005000  192.168.1.1 → 224.0.0.1    IGMPv1 46 Membership Query',
      '    7   0.006000  192.168.1.1 → 224.0.0.1    IGMPv3 50 Membership Query, general',
      '    8   0.007000  192.168.1.1 → 232.1.1.1    IGMPv3 58 Membership Query, specific for group 232.1.1.1, sources {10.0.0.1, 10.0.0.2}',
      '    9   0.008000 192.168.1.20 → 224.0.0.22   IGMPv3 74 Membership Report / Join group 239.255.255.250 for any sources / Leave group 239.1.2.3 / Join group 232.1.1.1 for source {10.0.0.1}',
      '   10   0.009000 192.168.1.20 → 224.0.0.22   IGMPv3 46 Membership Report - General query',
      '   11   0.010000 192.168.1.20 → 224.0.0.1    IGMP 46 Unknown Type:0x30',
    ]);
    expect(treeText(cap.tree(9).items)).toMatchSnapshot();
  });

  it('checks the checksum', () => {
    expect(treeText(cap.tree(1).items)).toContain('Checksum: 0xee9b [correct]');
    const frames = igmpFrames();
    frames[0]![14 + 24 + 3]! ^= 0xff; // the checksum's low byte (after Ethernet and a 24-byte IPv4 header)
    expect(treeText(decodeFrames(frames).tree(1).items)).toContain('Checksum: 0xee64 incorrect, should be 0xee9b');
  });
});

describe('Spanning tree', () => {
  const cap = decodeFrames(stpFrames());

  it('summarises configuration, TCN and rapid BPDUs as tshark does', () => {
    expect(lines(cap)).toEqual([
      '    1   0.000000 00:1c:0e:87:78:04 → 01:80:c2:00:00:00 STP 52 Conf. Root = 32768/0/00:1c:0e:87:78:00  Cost = 4  Port = 0x8004',
      '    2   0.001000 00:1c:0e:87:78:04 → 01:80:c2:00:00:00 STP 52 Conf. TC + Root = 32768/0/00:1c:0e:87:78:00  Cost = 4  Port = 0x8004',
      '    3   0.002000 00:1c:0e:87:78:04 → 01:80:c2:00:00:00 STP 21 Topology Change Notification',
      '    4   0.003000 00:1c:0e:87:78:04 → 01:80:c2:00:00:00 STP 53 RST. Root = 24576/100/00:1c:0e:87:78:00  Cost = 20000  Port = 0x8001',
    ]);
    expect(cap.fields(4).get('stp.flags.port_role')).toEqual([3]);
    expect(treeText(cap.tree(4).items)).toMatchSnapshot();
  });

  it('survives BPDUs and IGMP messages cut anywhere', () => {
    for (const frames of [stpFrames(), igmpFrames()]) {
      for (let cut = 14; cut < 80; cut += 3) {
        const c = decodeFrames(frames.map((f) => f.subarray(0, Math.min(cut, f.length))));
        for (let n = 1; n <= frames.length; n++) c.tree(n);
        expect(c.decoder.state.dissectorBugs).toBe(0);
      }
    }
  });
});

describe('RIP', () => {
  const cap = decodeFrames(ripFrames());

  it('names version and command as tshark does, a node per route', () => {
    expect(lines(cap)).toEqual([
      '    1   0.000000     10.0.0.1 → 224.0.0.9    RIPv2 66 Request',
      '    2   0.001000     10.0.0.2 → 224.0.0.9    RIPv2 86 Response',
      '    3   0.002000     10.0.0.2 → 224.0.0.9    RIPv2 86 Response',
      '    4   0.003000     10.0.0.4 → 10.255.255.255 RIPv1 66 Response',
    ]);
    expect(cap.fields(2).get('rip.metric')).toEqual([1, 3]);
    expect(cap.fields(3).get('rip.auth.passwd')).toEqual(['secret']);
    expect(treeText(cap.tree(2).items)).toMatchSnapshot();
  });
});

describe('OSPF', () => {
  const cap = decodeFrames(ospfFrames());

  it('names the five packet types as tshark does, and checks the checksum', () => {
    expect(lines(cap)).toEqual([
      '    1   0.000000     10.0.0.1 → 224.0.0.5    OSPF 78 Hello Packet',
      '    2   0.001000     10.0.0.2 → 224.0.0.5    OSPF 82 Hello Packet',
      '    3   0.002000     10.0.0.2 → 10.0.0.1     OSPF 66 DB Description',
      '    4   0.003000     10.0.0.1 → 10.0.0.2     OSPF 70 LS Request',
      '    5   0.004000     10.0.0.1 → 224.0.0.5    OSPF 98 LS Update',
      '    6   0.005000     10.0.0.1 → 224.0.0.5    OSPF 78 LS Acknowledge',
    ]);
    expect(cap.fields(2).get('ospf.hello.active_neighbor')).toEqual([0x0a000001]);
    expect(treeText(cap.tree(2).items)).toContain('Checksum: 0xde96 [correct]');
    expect(treeText(cap.tree(5).items)).toMatchSnapshot();
  });

  it('survives packets cut anywhere', () => {
    const frames = ospfFrames();
    for (let cut = 34; cut < 100; cut += 3) {
      const c = decodeFrames(frames.map((f) => f.subarray(0, Math.min(cut, f.length))));
      for (let n = 1; n <= frames.length; n++) c.tree(n);
      expect(c.decoder.state.dissectorBugs).toBe(0);
    }
  });
});
