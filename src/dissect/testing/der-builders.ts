// Test-only DER writer (X.690 §8, §10) and X.509 certificates made with it (RFC 5280 §4.1),
// for the certificate dissection's tests: each part of a certificate can be chosen, so that the
// tests reach every branch with bytes the project made itself. Signatures are filler bytes:
// nothing here is cryptographically valid, which the dissector does not check either.

import { bytes } from './packets.ts';

type Part = Uint8Array | number[];

/** A TLV: `tag` (one byte, X.690 §8.1.2) and DER's shortest length (§10.1). */
export function tlv(tag: number, ...content: Part[]): Uint8Array {
  const body = bytes(...content);
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return bytes([tag, ...len], body);
}

export const seq = (...c: Part[]) => tlv(0x30, ...c);
export const set = (...c: Part[]) => tlv(0x31, ...c);
/** A context-specific tag [n], constructed (EXPLICIT or a constructed IMPLICIT type) or not. */
export const ctx = (n: number, constructed: boolean, ...c: Part[]) => tlv((constructed ? 0xa0 : 0x80) | n, ...c);
export const bool = (v: boolean) => tlv(0x01, [v ? 0xff : 0]);
export const nul = () => tlv(0x05);
export const octets = (b: Part) => tlv(0x04, b);
export const bitString = (unused: number, b: Part) => tlv(0x03, [unused], b);

/** An INTEGER from a non-negative number, with the sign octet DER needs (§8.3). */
export function int(v: number | Part): Uint8Array {
  if (typeof v !== 'number') return tlv(0x02, v);
  const out: number[] = [];
  do {
    out.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if (out[0]! & 0x80) out.unshift(0);
  return tlv(0x02, out);
}

/** An OBJECT IDENTIFIER from its dotted text (§8.19). */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [];
  const first = [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)];
  for (let a of first) {
    const groups = [a & 0x7f];
    while ((a = Math.floor(a / 128)) > 0) groups.unshift((a & 0x7f) | 0x80);
    out.push(...groups);
  }
  return tlv(0x06, out);
}

const text = (tag: number) => (s: string) => tlv(tag, new TextEncoder().encode(s));
export const utf8 = text(0x0c);
export const printable = text(0x13);
export const teletex = text(0x14);
export const ia5 = text(0x16);
export const visible = text(0x1a);
export const utcTime = text(0x17);
export const generalizedTime = text(0x18);
export function bmp(s: string): Uint8Array {
  const b: number[] = [];
  for (const ch of s) b.push(ch.charCodeAt(0) >> 8, ch.charCodeAt(0) & 0xff);
  return tlv(0x1e, b);
}

/** A Name (RFC 5280 §4.1.2.4): one attribute per RDN, in the order given, values ready-made. */
export function name(...attrs: [string, Uint8Array][]): Uint8Array {
  return seq(...attrs.map(([type, value]) => set(seq(oid(type), value))));
}

export const algorithm = (id: string, params: Uint8Array | null = nul()) => seq(oid(id), params ?? []);

/** An Extension (RFC 5280 §4.1): id, criticality when true, and the DER value wrapped in OCTET STRING. */
export function extension(id: string, value: Uint8Array, critical = false): Uint8Array {
  return seq(oid(id), critical ? bool(true) : [], octets(value));
}

export function filler(n: number, seed = 0x33): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) b[i] = x = (x * 73 + 41) & 0xff;
  return b;
}

/** An RSA public key's BIT STRING content (RFC 8017 §A.1.1): the modulus and 65537. */
export function rsaKey(bits = 1024): Uint8Array {
  const modulus = filler(bits / 8, 0x71);
  modulus[0]! |= 0x80;
  return seq(int([0, ...modulus]), int(65537));
}

export interface CertOptions {
  version?: number | null; // null: v1's absent [0]
  serial?: number | number[];
  signature?: string;
  issuer?: Uint8Array;
  subject?: Uint8Array;
  notBefore?: Uint8Array;
  notAfter?: Uint8Array;
  spki?: Uint8Array;
  extensions?: Uint8Array[];
  signatureBytes?: number;
}

/** A Certificate (RFC 5280 §4.1) with sensible defaults for every part not chosen. */
export function certificate(o: CertOptions = {}): Uint8Array {
  const sigAlg = algorithm(o.signature ?? '1.2.840.113549.1.1.11');
  const tbs = seq(
    o.version === null ? [] : ctx(0, true, int(o.version ?? 2)),
    int(o.serial ?? 0x1234),
    sigAlg,
    o.issuer ?? name(['2.5.4.6', printable('US')], ['2.5.4.10', printable('Test CA Inc')], ['2.5.4.3', printable('Test CA')]),
    seq(o.notBefore ?? utcTime('240101000000Z'), o.notAfter ?? utcTime('261231235959Z')),
    o.subject ?? name(['2.5.4.3', utf8('www.example.com')]),
    o.spki ?? seq(algorithm('1.2.840.113549.1.1.1'), bitString(0, rsaKey())),
    o.extensions ? ctx(3, true, seq(...o.extensions)) : [],
  );
  return seq(tbs, sigAlg, bitString(0, filler(o.signatureBytes ?? 64, 0x44)));
}
