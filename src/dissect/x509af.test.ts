import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TreeItem } from './tree.ts';
import { decodeFrames, lines, treeText, tsharkText } from './testing/packets.ts';
import { certificateConversation, EC_CA, LEAF, V1_ROOT } from './testing/x509-certs.ts';

function find(items: TreeItem[], test: (i: TreeItem) => boolean): TreeItem | undefined {
  for (const i of items) {
    if (test(i)) return i;
    const inner = find(i.children ?? [], test);
    if (inner) return inner;
  }
  return undefined;
}

function all(items: TreeItem[], field: string, out: TreeItem[] = []): TreeItem[] {
  for (const i of items) {
    if (i.field === field) out.push(i);
    all(i.children ?? [], field, out);
  }
  return out;
}

describe('X.509 certificates in a TLS Certificate message', () => {
  it('shows every certificate as tshark -V does', () => {
    // x509-tshark.txt: tshark 4.0.17 -V of frame 2 of certificateConversation().pcap(), the
    // "Certificates" subtree (three certificates: most RFC 5280 extensions, an EC CA with a
    // GeneralizedTime, a version 1 root; every DirectoryString kind; SCTs of a known and an unknown log).
    const cap = decodeFrames(certificateConversation().frames);
    const list = find(cap.tree(2).items, (i) => i.field === 'tls.handshake.certificates');
    expect(list).toBeDefined();
    const expected = readFileSync(new URL('./testing/x509-tshark.txt', import.meta.url), 'utf8');
    expect(tsharkText(list!)).toBe(expected);
    expect(cap.decoder.state.dissectorBugs).toBe(0);
  });

  it('puts the fields under their Wireshark filter names', () => {
    const cap = decodeFrames(certificateConversation().frames);
    const f = cap.fields(2);
    expect(f.get('x509ce.dNSName')).toEqual(['www.example.com', 'example.com']);
    expect(f.get('x509sat.uTF8String')).toContain('www.example.com');
    expect(f.get('x509af.extension.id')).toContain('2.5.29.17');
    expect(f.get('x509ce.uniformResourceIdentifier')).toEqual(['http://crl.example.com/ca.crl', 'http://ocsp.example.com', 'http://crt.example.com/ca.crt']);
    expect(f.get('x509af.version')).toEqual([2, 2]); // the v1 root has none
    expect(f.get('pkcs1.namedCurve')).toEqual(['1.2.840.10045.3.1.7']);
    expect(f.get('x509ce.cA')).toEqual([true]);
    const items = all(cap.tree(2).items, 'tls.handshake.certificate');
    expect(items.map((i) => i.label.slice(i.label.indexOf(' ('))).slice(1)).toEqual([
      ' (id-at-commonName=Example Issuing CA,id-at-organizationName=Example Trust Ltd,id-at-countryName=GB)',
      ' (id-at-commonName=Old Root)',
    ]);
    // Each certificate item covers its DER, which starts with a SEQUENCE.
    for (const i of items) expect(i.length).toBeGreaterThan(200);
  });

  it('marks the packet malformed when a certificate is not DER, as tshark does', () => {
    // tshark 4.0.17 on these bytes: "Server Hello, Certificate[Malformed Packet]", the record
    // read up to the certificate's length, then [Malformed Packet: TLS].
    const cut = LEAF.slice(0, 700); // its SEQUENCE claims 1416 bytes
    const cap = decodeFrames(certificateConversation([cut]).frames);
    expect(lines(cap)[1]).toBe('    2   0.001000 198.51.100.7 → 192.0.2.1    TLSv1.2 827 Server Hello, Certificate[Malformed Packet]');
    const text = treeText(cap.tree(2).items);
    expect(text).toContain('        Certificate Length: 700  {tls.handshake.certificate_length}\n[Malformed Packet: TLSv1.2]');
    expect(text).not.toContain('{tls.handshake.certificate}');
    expect(cap.decoder.state.dissectorBugs).toBe(0);
    // The first pass reads certificates too: the row is malformed without a tree.
    expect(cap.rows[1]!.info).toBe('Server Hello, Certificate[Malformed Packet]');
  });

  it('survives mangled certificates without a dissector bug', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const certs = [LEAF, EC_CA, V1_ROOT];
    const mangled: Uint8Array[] = [];
    for (let i = 0; i < 150; i++) {
      const c = certs[i % 3]!.slice();
      for (let k = 0, n = 1 + rnd(4); k < n; k++) c[rnd(c.length)] = rnd(256);
      mangled.push(i % 5 === 0 ? c.subarray(0, rnd(c.length)) : c);
    }
    for (const c of mangled) {
      const cap = decodeFrames(certificateConversation([c]).frames);
      cap.tree(2);
      expect(cap.decoder.state.dissectorBugs).toBe(0);
    }
  });
});
