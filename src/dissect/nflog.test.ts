import { describe, expect, it } from 'vitest';
import { bytes, decodeFrames, ipv4, ipv6, SYN, tcp, treeText, u16, u32, udp } from './testing/packets.ts';

// Expected texts are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`).

const LINKTYPE_NFLOG = 239;

/** One TLV, its length and type in `le` (host) byte order, padded to 4 bytes. */
function tlv(type: number, value: Uint8Array | number[], le = true): Uint8Array {
  const v = Uint8Array.from(value);
  const len = 4 + v.length;
  const h = (n: number) => (le ? [n & 255, n >> 8] : u16(n));
  return bytes(h(len), h(type), v, new Uint8Array((4 - (len % 4)) % 4));
}

const nflog = (family: number, ...tlvs: Uint8Array[]) => bytes([family, 0], u16(7), ...tlvs);

describe('NFLOG', () => {
  it('dissects the logged packet and keeps the log fields', () => {
    const syn = ipv4(tcp({ sport: 40000, dport: 22, flags: SYN, seq: 1 }), { src: '192.0.2.7', dst: '192.0.2.1' });
    const cap = decodeFrames([
      nflog(2,
        tlv(1, [0x08, 0x00, 1, 0]), // NFULA_PACKET_HDR: IPv4, hook INPUT
        tlv(10, bytes('ssh-in', [0])), // NFULA_PREFIX
        tlv(4, u32(2)), // NFULA_IFINDEX_INDEV
        tlv(11, u32(1000)), // NFULA_UID
        tlv(9, syn)), // NFULA_PAYLOAD
      // no packet header: the family says IPv6
      nflog(10, tlv(9, ipv6(udp({ sport: 40000, dport: 40001, payload: 'ab' }), { next: 17 }))),
      // a TLV shorter than its own header: the walk stops there, the packet is not malformed
      nflog(2, tlv(10, bytes('x')), bytes([2, 0, 0, 0])),
    ], LINKTYPE_NFLOG);
    expect(cap.rows.map((r) => [r.source, r.destination, r.protocol, r.info])).toEqual([
      ['192.0.2.7', '192.0.2.1', 'TCP', '40000 → 22 [SYN] Seq=0 Win=64240 Len=0'],
      ['2001:db8::1', '2001:db8::2', 'UDP', '40000 → 40001 Len=2 [ILLEGAL CHECKSUM (0)]'],
      ['', '', 'NFLOG', ''],
    ]);
    const f = cap.fields(1);
    expect(f.get('nflog.prefix')).toEqual(['ssh-in']);
    expect(f.get('nflog.uid')).toEqual([1000]);
    expect(f.get('nflog.hook')).toEqual([1]);
    expect(treeText(cap.tree(1).items)).toMatchSnapshot();
  });

  it('reads the TLV headers of a file written by a big-endian host', () => {
    const syn = ipv4(tcp({ sport: 40000, dport: 22, flags: SYN, seq: 1 }), { src: '192.0.2.7', dst: '192.0.2.1' });
    const cap = decodeFrames([nflog(2, tlv(1, [0x08, 0x00, 3, 0], false), tlv(10, bytes('out'), false), tlv(9, syn, false))],
      LINKTYPE_NFLOG, { bigEndian: true });
    expect(cap.rows.map((r) => [r.protocol, r.info])).toEqual([['TCP', '40000 → 22 [SYN] Seq=0 Win=64240 Len=0']]);
    expect(cap.fields(1).get('nflog.prefix')).toEqual(['out']);
    expect(cap.fields(1).get('nflog.hook')).toEqual([3]);
  });
});
