import { describe, expect, it } from 'vitest';
import { hkdfExpandLabel, initialKeys, QUIC_V2 } from './quic-crypto.ts';
import { decodeFrames, eth, ipv4, lines, treeText, udp } from './testing/packets.ts';
import { CLIENT_CID, quicFrames } from './testing/quic-scenario.ts';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s: string) => Uint8Array.from(s.match(/../g)!, (b) => parseInt(b, 16));

describe('QUIC Initial keys', () => {
  // RFC 9001 Appendix A.1 and RFC 9369 Appendix A.1: the keys for DCID 0x8394c8f03e515708.
  const dcid = unhex('8394c8f03e515708');

  it('derives the RFC 9001 test vectors (QUIC v1)', () => {
    const k = initialKeys(dcid, 1)!;
    expect([hex(k.client.key), hex(k.client.iv), hex(k.client.hp)]).toEqual([
      '1f369613dd76d5467730efcbe3b1a22d', 'fa044b2f42a3fd3b46fb255c', '9f50449e04a0e810283a1e9933adedd2',
    ]);
    expect([hex(k.server.key), hex(k.server.iv), hex(k.server.hp)]).toEqual([
      'cf3a5331653c364c88f0f379b6067e37', '0ac1493ca1905853b0bba03e', 'c206b8d9b9f0f37644430b490eeaa314',
    ]);
  });

  it('derives the RFC 9369 test vectors (QUIC v2)', () => {
    const k = initialKeys(dcid, QUIC_V2)!;
    expect([hex(k.client.key), hex(k.client.iv), hex(k.client.hp)]).toEqual([
      '8b1a0bc121284290a29e0971b5cd045d', '91f73e2351d8fa91660e909f', '45b95e15235d6f45a6b19cbcb0294ba9',
    ]);
  });

  it('expands labels as TLS 1.3 does (RFC 8446 §7.1)', () => {
    const secret = new Uint8Array(32).fill(1);
    expect(hkdfExpandLabel(secret, 'quic key', 16)).toHaveLength(16);
    expect(hex(hkdfExpandLabel(secret, 'quic key', 16))).not.toEqual(hex(hkdfExpandLabel(secret, 'quic iv', 16)));
  });

  it('has no Initial keys for versions it does not know', () => {
    expect(initialKeys(dcid, 0x51303433)).toBeNull(); // gQUIC Q043
    expect(initialKeys(dcid, 0xff000016)).toBeNull(); // draft-22 used other labels
  });
});

describe('QUIC', () => {
  // Expected lines are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`).
  const cap = decodeFrames(quicFrames());

  it('summarises every packet as tshark does', () => {
    expect(lines(cap)).toEqual([
      '    1   0.000000     10.0.0.1 → 10.0.0.2     QUIC 1242 Initial, DCID=8394c8f03e515708, SCID=c1c2c3c4, PKN: 0, CRYPTO, PADDING',
      '    2   0.001000     10.0.0.1 → 10.0.0.2     QUIC 1242 Initial, DCID=8394c8f03e515708, SCID=c1c2c3c4, PKN: 1, CRYPTO, PADDING',
      '    3   0.002000     10.0.0.2 → 10.0.0.1     QUIC 213 Handshake, DCID=c1c2c3c4, SCID=5e5e010203',
      '    4   0.003000     10.0.0.1 → 10.0.0.2     QUIC 154 Protected Payload (KP0), DCID=5e5e010203',
      '    5   0.004000     10.0.0.2 → 10.0.0.1     QUIC 107 Protected Payload (KP0), DCID=c1c2c3c4',
      '    6   0.005000     10.0.0.1 → 10.0.0.2     QUIC 1242 Initial, DCID=8394c8f03e515708, SCID=c1c2c3c4, PKN: 2',
      '    7   0.006000     10.0.0.1 → 10.0.0.2     QUIC 1242 Initial, DCID=8394c8f03e515708, SCID=c1c2c3c4, PKN: 3, CC, PADDING',
      '    8   0.007000     10.0.0.1 → 10.0.0.2     QUIC 1238 Initial, DCID=0b0b0b0b0b0b0b0b, PKN: 0, PING, PADDING',
      '    9   0.008000     10.0.0.2 → 10.0.0.1     QUIC 65 Version Negotiation, SCID=0b0b0b0b0b0b0b0b',
      '   10   0.009000     10.0.0.1 → 10.0.0.2     QUIC 1240 Initial, DCID=0c0c0c0c0c0c0c0c0c, SCID=aa, PKN: 0, PING, PADDING',
      '   11   0.010000     10.0.0.1 → 10.0.0.2     QUIC 1239 Initial, DCID=0d0d0d0d0d0d0d0d, SCID=c5, PKN: 0, PING, PADDING',
      '   12   0.011000     10.0.0.2 → 10.0.0.1     QUIC 76 Retry, DCID=c5, SCID=77777777',
      '   13   0.012000     10.0.0.1 → 10.0.0.2     QUIC 1241 Initial, DCID=77777777, SCID=c5, PKN: 1, PING, PADDING',
      '   14   0.013000     10.0.0.1 → 10.0.0.2     QUIC 1239 Initial, DCID=0e0e0e0e0e0e0e0e, SCID=c6, PKN: 0, PING, PADDING',
      '   15   0.014000     10.0.0.2 → 10.0.0.1     QUIC 76 Retry, DCID=c6, SCID=77777777',
    ]);
  });

  it('reassembles a ClientHello sent out of order and reads its server name', () => {
    expect(cap.fields(1).get('tls.handshake.type')).toBeUndefined();
    expect(cap.fields(2).get('tls.handshake.type')).toEqual([1]);
    expect(cap.fields(2).get('tls.handshake.extensions_server_name')).toEqual(['quic.example']);
    expect(cap.fields(3).get('tls.handshake.type')).toEqual([2]);
    expect(cap.fields(3).get('quic.packet_number')).toEqual([0]);
    expect(cap.rows[1]!.protocol).toBe('QUIC');
  });

  it('shows the details tshark shows, the same on every re-dissection', () => {
    for (const n of [2, 3, 4, 6, 7, 9, 12, 15]) expect(treeText(cap.tree(n).items)).toMatchSnapshot(`frame ${n}`);
    expect(treeText(cap.tree(2).items)).toEqual(treeText(cap.tree(2).items));
  });

  it('checks a Retry against the Initial it answers, then opens the Initial that follows with new keys', () => {
    const tag = (n: number) => treeText(cap.tree(n).items).split('\n').filter((l) => l.includes('Retry Integrity Tag'));
    expect(tag(12)).toEqual([expect.stringMatching(/Retry Integrity Tag: [0-9a-f]{32} \[verified\]/)]);
    expect(tag(15)).toEqual([
      expect.stringMatching(/^ +Retry Integrity Tag: 0{32} /),
      expect.stringMatching(/Expert Info \(Warning\/Protocol\): Retry Integrity Tag verification failure/),
      expect.stringMatching(/^ +\[Retry Integrity Tag verification failure\]$/),
    ]);
    expect(cap.fields(13).get('quic.frame_type')).toEqual([1, 0]);
  });

  it('shows the transport parameters of the ClientHello', () => {
    const f = cap.fields(2);
    expect(f.get('tls.quic.parameter.max_idle_timeout')).toEqual([30000]);
    expect(f.get('tls.quic.parameter.initial_max_data')).toEqual([1 << 20]);
    expect(f.get('tls.quic.parameter.type')).toEqual([0x01, 0x04, 0x0c, 0x0f, 0xc37, 0x11]);
    expect(f.get('tls.quic.parameter.vi.other_version')).toEqual([QUIC_V2]);
  });

  it('tracks connections by connection ID: a short header gets the DCID length its receiver chose', () => {
    expect(cap.fields(5).get('quic.dcid')?.map((v) => hex(v as Uint8Array))).toEqual([hex(Uint8Array.from(CLIENT_CID))]);
    expect(cap.fields(5).get('quic.connection.number')).toEqual([0]);
    expect(cap.fields(10).get('quic.connection.number')).toEqual([2]);
  });

  it('leaves UDP that only looks a little like QUIC alone', () => {
    // A long-header first byte with an unknown version, and a short header of no known connection.
    const other = decodeFrames([
      eth(ipv4(udp({ sport: 40000, dport: 443, payload: Uint8Array.from([0xc0, 0x12, 0x34, 0x56, 0x78, 8, ...new Array(40).fill(1)]) }), { proto: 17 })),
      eth(ipv4(udp({ sport: 40000, dport: 443, payload: Uint8Array.from([0x40, ...new Array(40).fill(2)]) }), { proto: 17 })),
    ]);
    expect(other.rows.map((r) => r.protocol)).toEqual(['UDP', 'UDP']);
  });

  it('survives cut and damaged packets', () => {
    const frames = quicFrames();
    const cut = frames.map((f) => f.subarray(0, Math.min(f.length, 42 + 30)));
    const damaged = decodeFrames(cut);
    expect(damaged.rows).toHaveLength(frames.length);
    expect(damaged.rows.every((r) => r.protocol === 'QUIC')).toBe(true);
    expect(damaged.decoder.state.dissectorBugs).toBe(0);
  });
});
