import { describe, expect, it } from 'vitest';
import { bytes, decodeFrames, eth, ipv4, SYN, tcp, treeText, u16, u32, udp } from './testing/packets.ts';

// Expected texts are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`).

const OUTER = { src: '198.51.100.1', dst: '198.51.100.2' };
const INNER = { src: '10.0.0.1', dst: '10.0.0.2' };

/** A VXLAN packet (RFC 7348 §5) on UDP 4789 carrying `inner`, an Ethernet frame. */
function vxlan(inner: Uint8Array, vni = 5001, flags = 0x0800): Uint8Array {
  return eth(ipv4(udp({ sport: 51000, dport: 4789, payload: bytes(u16(flags), u16(0), u32(vni << 8), inner) }), { ...OUTER, proto: 17 }));
}

describe('VXLAN', () => {
  it('shows the inner frame in the columns and keeps the VNI', () => {
    const cap = decodeFrames([
      vxlan(eth(ipv4(udp({ sport: 40000, dport: 40001, payload: 'abcd' }), { ...INNER, proto: 17 }), { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' })),
      vxlan(eth(ipv4(tcp({ sport: 40000, dport: 80, flags: SYN, seq: 7 }), INNER)), 77),
      vxlan(bytes([0, 1, 2])),
    ]);
    expect(cap.rows.map((r) => [r.source, r.destination, r.protocol, r.info])).toEqual([
      ['10.0.0.1', '10.0.0.2', 'UDP', '40000 → 40001 Len=4'],
      ['10.0.0.1', '10.0.0.2', 'TCP', '40000 → 80 [SYN] Seq=0 Win=64240 Len=0'],
      ['198.51.100.1', '198.51.100.2', 'Ethernet', '[Malformed Packet]'],
    ]);
    expect(cap.fields(1).get('vxlan.vni')).toEqual([5001]);
    expect(cap.fields(2).get('vxlan.vni')).toEqual([77]);
    expect(cap.fields(2).get('tcp.stream')).toEqual([0]);
    expect(cap.tree(1).packet.layers.join(':')).toBe('frame:eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:udp:data');
    expect(treeText(cap.tree(1).items)).toMatchSnapshot();
  });
});
