import { describe, expect, it } from 'vitest';
import { normalizeKnownDifferences } from '../corpus/known-differences.ts';
import { decodeFrames, lines, treeText } from './testing/packets.ts';
import { TLS_SCENARIOS } from './testing/tls-scenarios.ts';
import { clientHello, ext, groupsExt, HANDSHAKE, record, serverHello, sniExt, TcpConv } from './testing/tls-builders.ts';
import { cipherSuiteName, extensionName, groupName, versionName } from './tls-names.ts';

/** Our summary lines for a scenario, with the deliberate " (SNI=…)" removed (known-differences.ts). */
function run(name: string) {
  const cap = decodeFrames(TLS_SCENARIOS[name]!().frames);
  return { cap, lines: lines(cap).map(normalizeKnownDifferences) };
}

// Expected lines: tshark 4.0.17's output for the same bytes
// (`tshark -r FILE -n -o tcp.relative_sequence_numbers:TRUE` on TcpConv.pcap()).
const TSHARK: Record<string, string[]> = {
  tls13: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 TLSv1 253 Client Hello',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    TLSv1.3 347 Server Hello, Change Cipher Spec, Application Data, Application Data',
    '    3   0.002000    192.0.2.1 → 198.51.100.7 TLSv1.3 118 Change Cipher Spec, Application Data',
    '    4   0.003000    192.0.2.1 → 198.51.100.7 TLSv1.3 179 Application Data',
    '    5   0.004000 198.51.100.7 → 192.0.2.1    TLSv1.3 359 Application Data',
  ],
  tls12: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 TLSv1 253 Client Hello',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    TLSv1.2 149 Server Hello, Server Key Exchange, Server Hello Done',
    '    3   0.002000    192.0.2.1 → 198.51.100.7 TLSv1.2 147 Client Key Exchange, Change Cipher Spec, Encrypted Handshake Message',
    '    4   0.003000 198.51.100.7 → 192.0.2.1    TLSv1.2 128 New Session Ticket, Change Cipher Spec, Encrypted Handshake Message',
    '    5   0.004000    192.0.2.1 → 198.51.100.7 TLSv1.2 159 Application Data',
    '    6   0.005000 198.51.100.7 → 192.0.2.1    TLSv1.2 174 Application Data, Application Data',
    '    7   0.006000    192.0.2.1 → 198.51.100.7 TLSv1.2 85 Encrypted Alert',
  ],
  hrr: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 TLSv1 253 Client Hello',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    TLSv1.3 121 Hello Retry Request, Change Cipher Spec',
    '    3   0.002000    192.0.2.1 → 198.51.100.7 TLSv1.3 259 Change Cipher Spec, Client Hello',
    '    4   0.003000 198.51.100.7 → 192.0.2.1    TLSv1.3 181 Server Hello',
  ],
  alerts: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 SSLv3 108 Client Hello',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    SSLv3 61 Alert (Level: Fatal, Description: Handshake Failure)',
    '    3   0.002000    192.0.2.1 → 198.51.100.7 SSLv3 61 Alert (Level: Warning, Description: Close Notify)',
    '    4   0.003000 198.51.100.7 → 192.0.2.1    SSLv3 61 Alert (Level: Fatal, Description: Unknown)',
  ],
  split3: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 TLSv1 253 Client Hello',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    TLSv1.3 181 Server Hello',
    '    3   0.002000 198.51.100.7 → 192.0.2.1    TCP 1054 [TCP segment of a reassembled PDU]',
    '    4   0.003000 198.51.100.7 → 192.0.2.1    TCP 1054 443 → 50000 [PSH, ACK] Seq=1128 Ack=200 Win=64240 Len=1000 [TCP segment of a reassembled PDU]',
    '    5   0.004000 198.51.100.7 → 192.0.2.1    TLSv1.3 1084 Application Data, Application Data',
  ],
  clientHelloSplit: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 TCP 114 [TCP segment of a reassembled PDU]',
    '    2   0.001000    192.0.2.1 → 198.51.100.7 TLSv1 193 Client Hello',
    '    3   0.002000 198.51.100.7 → 192.0.2.1    TLSv1.3 181 Server Hello',
  ],
  headerSplit: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 TLSv1 253 Client Hello',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    TLSv1.2 112 Server Hello',
    '    3   0.002000 198.51.100.7 → 192.0.2.1    TLSv1.2 81 Application Data',
    '    4   0.003000 198.51.100.7 → 192.0.2.1    TLSv1.2 87 Application Data',
  ],
  handshakeFragments: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 TLSv1 253 Client Hello',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    TLSv1.2 1317 Server Hello, [Certificate Fragment]',
    '    3   0.002000 198.51.100.7 → 192.0.2.1    TLSv1.2 1259 ',
    '    4   0.003000 198.51.100.7 → 192.0.2.1    TLSv1.2 672 Certificate, Server Hello Done',
  ],
  lostSegment: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 TLSv1 253 Client Hello',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    TLSv1.3 181 Server Hello',
    '    3   0.002000 198.51.100.7 → 192.0.2.1    TLSv1.3 89 Application Data',
    '    4   0.003000 198.51.100.7 → 192.0.2.1    TLSv1.3 84 [TCP Previous segment not captured] , Continuation Data',
  ],
  ignoredRecord: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 TLSv1 253 Client Hello',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    TLSv1.2 112 Server Hello',
    '    3   0.002000 198.51.100.7 → 192.0.2.1    TLSv1.2 94 Ignored Unknown Record',
  ],
  heartbeat: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 TLSv1 253 Client Hello',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    TLSv1.2 112 Server Hello',
    '    3   0.002000    192.0.2.1 → 198.51.100.7 TLSv1.2 81 Heartbeat Request',
    '    4   0.003000 198.51.100.7 → 192.0.2.1    TLSv1.2 99 Encrypted Heartbeat',
  ],
  sslv2: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 SSLv2 103 Client Hello',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    SSL 88 Continuation Data',
  ],
  heuristicPort: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 TLSv1 253 Client Hello',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    TLSv1.3 181 Server Hello',
    '    3   0.002000 198.51.100.7 → 192.0.2.1    TLSv1.3 89 Application Data',
  ],
};

describe('TLS summary lines match tshark 4.0', () => {
  for (const [name, want] of Object.entries(TSHARK)) {
    it(name, () => {
      const { cap, lines: got } = run(name);
      expect(got).toEqual(want);
      expect(cap.decoder.state.dissectorBugs).toBe(0);
    });
  }
});

describe('TLS details', () => {
  it('names the server in Info like Wireshark 4.2 (deliberate difference)', () => {
    const cap = decodeFrames(TLS_SCENARIOS.tls13!().frames);
    expect(cap.rows[0]!.info).toBe('Client Hello (SNI=example.com)');
    expect(normalizeKnownDifferences(cap.rows[0]!.info)).toBe('Client Hello');
  });

  it('fills the ClientHello fields', () => {
    const cap = decodeFrames(TLS_SCENARIOS.tls13!().frames);
    const f = cap.fields(1);
    expect(f.get('tls.handshake.type')).toEqual([1]);
    expect(f.get('tls.record.version')).toEqual([0x0301]);
    expect(f.get('tls.handshake.version')).toEqual([0x0303]);
    expect(f.get('tls.handshake.extensions_server_name')).toEqual(['example.com']);
    expect(f.get('tls.handshake.extensions_alpn_str')).toEqual(['h2', 'http/1.1']);
    expect(f.get('tls.handshake.extensions.supported_version')).toEqual([0x0304, 0x0303]);
    expect(f.get('tls.handshake.ciphersuite')).toEqual([0x1301, 0xc02f, 0x009c]);
    expect(f.get('tls.handshake.extension.type')).toEqual([0, 10, 13, 16, 51, 43]);
  });

  it('fills the ServerHello, CCS and record fields; TLS 1.3 via supported_versions', () => {
    const cap = decodeFrames(TLS_SCENARIOS.tls13!().frames);
    const f = cap.fields(2);
    expect(f.get('tls.handshake.type')).toEqual([2]);
    expect(f.get('tls.handshake.extensions.supported_version')).toEqual([0x0304]);
    expect(f.get('tls.record.content_type')).toEqual([22, 20]);
    expect(f.get('tls.record.opaque_type')).toEqual([23, 23]);
    expect(f.has('tls.change_cipher_spec')).toBe(true);
    expect(f.get('tls.record.length')).toEqual([122, 1, 60, 90]);
  });

  it('fills alert fields', () => {
    const cap = decodeFrames(TLS_SCENARIOS.alerts!().frames);
    const f = cap.fields(2);
    expect(f.get('tls.alert_message.level')).toEqual([2]);
    expect(f.get('tls.alert_message.desc')).toEqual([40]);
  });

  it('re-dissects a frame as the first pass did (columns from the session state of then)', () => {
    const cap = decodeFrames(TLS_SCENARIOS.tls12!().frames);
    // Re-dissecting the ClientHello after the session became TLS 1.2 still shows TLSv1.
    expect(cap.tree(1).packet.cols.protocol).toBe('TLSv1');
    expect(cap.tree(4).packet.cols.info).toBe('New Session Ticket, Change Cipher Spec, Encrypted Handshake Message');
    expect(cap.tree(5).packet.cols.info).toBe('Application Data');
  });

  it('shows a reassembled record with its segments', () => {
    const cap = decodeFrames(TLS_SCENARIOS.split3!().frames);
    const text = treeText(cap.tree(5).items);
    expect(text).toContain('TLSv1.3 Record Layer: Application Data Protocol: Hypertext Transfer Protocol');
    expect(cap.fields(5).get('tls.record.length')).toEqual([3000, 20]);
  });

  it('reassembles a handshake message spanning records', () => {
    const cap = decodeFrames(TLS_SCENARIOS.handshakeFragments!().frames);
    const f = cap.fields(4);
    expect(f.get('tls.handshake.type')).toEqual([11, 14]);
    expect(treeText(cap.tree(4).items)).toContain('Handshake Protocol: Certificate (last fragment)');
  });

  it('snapshot of a ClientHello and a TLS 1.3 ServerHello flight', () => {
    const cap = decodeFrames(TLS_SCENARIOS.tls13!().frames);
    // Only the TLS layer: the layers below belong to other tests.
    const tls = (n: number) => treeText(cap.tree(n).items.filter((i) => i.field === 'tls'));
    expect(tls(1)).toMatchSnapshot();
    expect(tls(2)).toMatchSnapshot();
  });
});

describe('TLS malformed input', () => {
  it('survives lengths that lie', () => {
    const { cap, lines: got } = run('malformed');
    // tshark 4.0 for frames 1-2; frame 3 (an extension longer than its message) tshark marks
    // "[Malformed Packet]" where we report the bad vector in the tree only.
    expect(got.slice(0, 2)).toEqual([
      '    1   0.000000    192.0.2.1 → 198.51.100.7 TLSv1 73 [Client Hello Fragment]',
      '    2   0.001000 198.51.100.7 → 192.0.2.1    TLSv1.2 60 Encrypted Alert',
    ]);
    expect(cap.rows[2]!.info).toBe('Server Hello');
    expect(treeText(cap.tree(3).items)).toContain('Malformed message, not enough data is available');
    expect(cap.decoder.state.dissectorBugs).toBe(0);
  });

  it('never throws a dissector bug on random records', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 255;
    const frames = TLS_SCENARIOS.tls12!().frames.map((f) => {
      const g = f.slice();
      for (let i = 54; i < g.length; i += 3) g[i] = rnd();
      return g;
    });
    const cap = decodeFrames(frames);
    for (let n = 1; n <= frames.length; n++) cap.tree(n);
    expect(cap.decoder.state.dissectorBugs).toBe(0);
  });
});

describe('TLS name tables', () => {
  it('names values as Wireshark does, unknown ones as Unknown', () => {
    expect(cipherSuiteName(0x1301)).toBe('TLS_AES_128_GCM_SHA256');
    expect(cipherSuiteName(0xc02f)).toBe('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    expect(cipherSuiteName(0x2a2a)).toBe('Reserved (GREASE)');
    expect(cipherSuiteName(0x1234)).toBe('Unknown');
    expect(extensionName(16)).toBe('application_layer_protocol_negotiation');
    expect(groupName(0x001d)).toBe('x25519');
    expect(versionName(0x7f17)).toBe('TLS 1.3 (draft 23)');
  });
});

describe('TLS extensions', () => {
  it('shows status_request, compress_certificate and an empty GREASE extension as tshark does', () => {
    const { cap, lines: got } = run('extensions');
    expect(got).toEqual(['    1   0.000000    192.0.2.1 → 198.51.100.7 TLSv1 152 Client Hello']);
    const f = cap.fields(1);
    expect(f.get('tls.handshake.extensions_status_request_type')).toEqual([1]);
    expect(f.get('tls.compress_certificate.algorithm')).toEqual([2, 1]);
    const tree = treeText(cap.tree(1).items);
    expect(tree).toContain('Data: <MISSING>');
    expect(tree).toContain('Algorithm: brotli (2)');
    expect(tree).toMatchSnapshot();
  });
});

describe('TLS fingerprints', () => {
  it('computes JA3 and JA3S as tshark 4.0.17 does: GREASE left out, empty parts kept', () => {
    const conv = new TcpConv()
      .c(record(HANDSHAKE, 0x0301, clientHello({
        suites: [0x2a2a, 0x1301, 0xc02f],
        extensions: [ext(0xfafa, []), sniExt('ja3.example'), groupsExt([0x4a4a, 0x001d, 0x0017]), ext(11, [2, 0, 1]), ext(0x1a1a, [0])],
      })))
      .s(record(HANDSHAKE, 0x0303, serverHello({ suite: 0xc02f, extensions: [ext(0xff01, [0]), ext(11, [1, 0])] })))
      .c(record(HANDSHAKE, 0x0301, clientHello({ suites: [0x002f] })));
    const cap = decodeFrames(conv.frames);
    // tshark -T fields -e tls.handshake.ja3_full -e tls.handshake.ja3 … on the same bytes.
    expect(cap.fields(1).get('tls.handshake.ja3_full')).toEqual(['771,4865-49199,0-10-11,29-23,0-1']);
    expect(cap.fields(1).get('tls.handshake.ja3')).toEqual(['68563052ec5a59d1d2b4ed1a876878cc']);
    expect(cap.fields(2).get('tls.handshake.ja3s_full')).toEqual(['771,49199,65281-11']);
    expect(cap.fields(2).get('tls.handshake.ja3s')).toEqual(['303951d4c50efb2e991652225a6f02b1']);
    expect(cap.fields(3).get('tls.handshake.ja3_full')).toEqual(['771,47,,,']);
    expect(treeText(cap.tree(1).items)).toContain('JA3: 68563052ec5a59d1d2b4ed1a876878cc  {tls.handshake.ja3}');
  });
});
