import { describe, expect, it } from 'vitest';
import { bytes, decodeFrames, eth, ipv4, treeText, u16 } from './testing/packets.ts';

// Expected texts are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`).

function udpBytes(payloadLen: number, sport = 40000, dport = 40001): Uint8Array {
  const payload = new Uint8Array(payloadLen).fill(0x61);
  return bytes(u16(sport), u16(dport), u16(8 + payloadLen), [0, 0], payload);
}

describe('IPv4', () => {
  it('shows header fields and hands UDP on', () => {
    const cap = decodeFrames([eth(ipv4(udpBytes(4), { proto: 17, src: '10.0.0.1', dst: '10.0.0.2', ttl: 64 }))]);
    expect(cap.rows[0]!.info).toBe('40000 → 40001 Len=4');
    expect(cap.rows[0]!.source).toBe('10.0.0.1');
    const f = cap.fields(1);
    expect(f.get('ip.src')).toEqual([0x0a000001]);
    expect(f.get('ip.ttl')).toEqual([64]);
    expect(f.get('ip.proto')).toEqual([17]);
    expect(f.get('ip.len')).toEqual([32]);
    expect(f.get('ip.flags.mf')).toEqual([false]);
    expect(f.get('ip.frag_offset')).toEqual([0]);
    expect(f.get('ip.dsfield.dscp')).toEqual([0]);
    expect(f.get('ip.addr')?.length).toBe(2);
  });

  it('names protocols nobody dissects like tshark', () => {
    const cap = decodeFrames([
      eth(ipv4(bytes('xxxx'), { proto: 127 })),
      eth(ipv4(bytes('xxxx'), { proto: 240 })),
      eth(ipv4(bytes('xxxxxxxx'), { proto: 59 })),
      eth(ipv4(new Uint8Array(0), { proto: 17 })),
    ]);
    expect(cap.rows.map((r) => [r.protocol, r.info])).toEqual([
      ['IPv4', 'CRUDP (127)'],
      ['IPv4', 'Unknown (240)'],
      ['IPv4', 'No Next Header for IPv6 (59)'],
      ['IPv4', ''],
    ]);
  });

  it('reports bogus headers without a malformed exception', () => {
    const good = ipv4(udpBytes(4), { proto: 17 });
    const v5 = Uint8Array.from(good);
    v5[0] = 0x55;
    const hl4 = Uint8Array.from(good);
    hl4[0] = 0x41;
    const cap = decodeFrames([eth(v5), eth(hl4), eth(ipv4(udpBytes(4), { proto: 17, totalLength: 11 }))]);
    expect(cap.rows.map((r) => r.info)).toEqual([
      'Bogus IPv4 version (5, must be 4)',
      'Bogus IP header length (4, must be at least 20)',
      'Bogus IP length (11, less than header length 20)',
    ]);
    expect(cap.rows.every((r) => r.protocol === 'IPv4')).toBe(true);
    // The addresses are not taken from a header that failed.
    expect(cap.rows[0]!.source).toBe('00:00:5e:00:53:01');
  });

  it('takes a zero total length as TSO and a too-long one as the frame length', () => {
    const cap = decodeFrames([
      eth(ipv4(udpBytes(4), { proto: 17, totalLength: 0 })),
      eth(ipv4(bytes(u16(40000), u16(40001), u16(40), [0, 0], 'abcd'), { proto: 17, totalLength: 100 })),
    ]);
    expect(cap.rows[0]!.info).toBe('40000 → 40001 Len=4');
    expect(cap.rows[1]!.info.startsWith('40000 → 40001 [BAD UDP LENGTH 40 > IP PAYLOAD LENGTH]')).toBe(true);
  });

  it('hands version 6 behind EtherType 0x0800 to IPv6 (as tshark does)', () => {
    const bad = ipv4(udpBytes(4), { proto: 17 });
    bad[0] = 0x65;
    const cap = decodeFrames([eth(bad)]);
    expect(cap.rows[0]!.protocol).toBe('IPv6');
    expect(cap.rows[0]!.info).toBe('Invalid IPv6 header (32 bytes, need exactly 40)[Malformed Packet]');
  });

  it('reassembles fragments: earlier ones are marked, the last one dissects the datagram', () => {
    const dgram = udpBytes(40);
    const cap = decodeFrames([
      eth(ipv4(dgram.subarray(0, 24), { proto: 17, id: 0x00f2, mf: true })),
      eth(ipv4(dgram.subarray(24), { proto: 17, id: 0x00f2, fragOffset: 24 })),
    ]);
    expect(cap.rows.map((r) => [r.protocol, r.info])).toEqual([
      ['IPv4', 'Fragmented IP protocol (proto=UDP 17, off=0, ID=00f2)'],
      ['UDP', '40000 → 40001 Len=40'],
    ]);
    const f1 = cap.fields(1);
    expect(f1.get('ip.flags.mf')).toEqual([true]);
    expect(f1.get('ip.reassembled_in')).toEqual([2]);
    const f2 = cap.fields(2);
    expect(f2.get('ip.frag_offset')).toEqual([24]);
    expect(f2.get('ip.fragment')).toEqual([1, 2]);
    expect(f2.get('udp.srcport')).toEqual([40000]);
    const tree = cap.tree(2);
    expect(tree.packet.sources.map((s) => s.name)).toEqual(['Frame', 'Reassembled IPv4']);
    expect(treeText(tree.items)).toContain('[2 IPv4 Fragments (48 bytes): #1(24), #2(24)]');
  });

  it('reassembles out of order and with duplicate / overlapping fragments; the first bytes win', () => {
    const dgram = udpBytes(40);
    const other = Uint8Array.from(dgram).fill(0x7a, 8);
    const cap = decodeFrames([
      eth(ipv4(dgram.subarray(24), { proto: 17, id: 7, fragOffset: 24 })),
      eth(ipv4(dgram.subarray(0, 16), { proto: 17, id: 7, mf: true })),
      eth(ipv4(other.subarray(0, 16), { proto: 17, id: 7, mf: true })),
      eth(ipv4(other.subarray(8, 32), { proto: 17, id: 7, fragOffset: 8, mf: true })),
    ]);
    expect(cap.rows[3]!.info).toBe('40000 → 40001 Len=40');
    const tree = cap.tree(4);
    const data = tree.packet.sources[1]!.data;
    // Bytes come from the first fragment (in offset order) that covers them.
    expect(Array.from(data)).toEqual([...dgram.subarray(0, 16), ...other.subarray(16, 32), ...dgram.subarray(32)]);
  });

  it('keeps a completed datagram out of later fragments with the same key', () => {
    const dgram = udpBytes(16);
    const cap = decodeFrames([
      eth(ipv4(dgram.subarray(0, 16), { proto: 17, id: 9, mf: true })),
      eth(ipv4(dgram.subarray(16), { proto: 17, id: 9, fragOffset: 16 })),
      eth(ipv4(dgram.subarray(16), { proto: 17, id: 9, fragOffset: 16 })),
    ]);
    expect(cap.rows[1]!.protocol).toBe('UDP');
    expect(cap.rows[2]!.info).toBe('Fragmented IP protocol (proto=UDP 17, off=16, ID=0009)');
  });

  it('survives a fragment bomb: many pending datagrams and many tiny fragments stay fast', () => {
    const frames: Uint8Array[] = [];
    for (let i = 0; i < 3000; i++) frames.push(eth(ipv4(bytes('abcdefgh'), { proto: 17, id: i, mf: true, fragOffset: 8 * (i % 7) })));
    for (let i = 0; i < 3000; i++) frames.push(eth(ipv4(bytes('abcdefgh'), { proto: 17, id: 77, mf: true, fragOffset: 8 * (i + 1) })));
    const t0 = Date.now();
    const cap = decodeFrames(frames);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(cap.decoder.state.dissectorBugs).toBe(0);
    expect(cap.rows[5999]!.info).toBe('Fragmented IP protocol (proto=UDP 17, off=24000, ID=004d)');
  });

  it('does not reassemble snapped fragments', () => {
    const dgram = udpBytes(40);
    const f1 = eth(ipv4(dgram.subarray(0, 24), { proto: 17, id: 3, mf: true }));
    const cap = decodeFrames([{ data: f1.subarray(0, 40), origLen: f1.length }, eth(ipv4(dgram.subarray(24), { proto: 17, id: 3, fragOffset: 24 }))]);
    expect(cap.rows[1]!.info).toBe('Fragmented IP protocol (proto=UDP 17, off=24, ID=0003)');
  });

  it('walks options and stops at bad lengths', () => {
    const cap = decodeFrames([
      eth(ipv4(udpBytes(4), { proto: 17, options: [0x94, 4, 0, 0, 1, 1, 7, 7, 4, 0, 0, 0] })),
      eth(ipv4(udpBytes(4), { proto: 17, options: [7, 0, 0, 0] })),
      eth(ipv4(udpBytes(4), { proto: 17, options: [7, 32, 0, 0] })),
    ]);
    expect(cap.rows.map((r) => r.info)).toEqual(['40000 → 40001 Len=4', '40000 → 40001 Len=4', '40000 → 40001 Len=4']);
    const t1 = treeText(cap.tree(1).items);
    expect(t1).toContain('Options: (12 bytes), Router Alert');
    expect(t1).toContain('IP Option - Router Alert (4 bytes): Router shall examine packet (0)');
    expect(t1).toContain('Record Route (option length = 7 bytes says option goes past end of options)');
    expect(treeText(cap.tree(2).items)).toContain('Record Route (with too-short option length = 0 bytes)');
  });

  it('reports a truncated header as cut short', () => {
    const f = eth(ipv4(udpBytes(4), { proto: 17 }));
    const cap = decodeFrames([{ data: f.subarray(0, 24), origLen: f.length }, f.subarray(0, 24)]);
    expect(cap.rows[0]!.info).toBe('[Packet size limited during capture]');
    expect(cap.rows[1]!.info).toBe('[Malformed Packet]');
  });

  it('details tree', () => {
    const cap = decodeFrames([eth(ipv4(udpBytes(4), { proto: 17, id: 0x1234, df: true }))]);
    expect(treeText(cap.tree(1).items)).toMatchSnapshot();
  });
});
