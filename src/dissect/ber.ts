// Basic Encoding Rules (ITU-T X.690 §8), as far as certificates need them: TLVs with one- or
// multi-byte tags and definite lengths, object identifiers, and BIT STRING padding. A length
// past its container or an indefinite length (DER forbids it, X.690 §10.1) is malformed.

import { defineProtocol } from './registry.ts';
import type { TreeSink } from './tree.ts';
import { MalformedError, type Tvb } from './tvb.ts';

export const F = defineProtocol('ber', 'Basic Encoding Rules (ASN.1 X.690)', {
  'ber.bitstring.padding': { name: 'Padding', type: 'uint', bits: 8 },
});

/** Universal tags (X.680 §8.4) the certificate dissection tells apart. */
export const BOOLEAN = 1;
export const INTEGER = 2;
export const BIT_STRING = 3;
export const OCTET_STRING = 4;
export const OID = 6;
export const SEQUENCE = 16;

export const UNIVERSAL = 0;
export const CONTEXT = 2;

export interface Tlv {
  /** Class: 0 universal, 1 application, 2 context-specific, 3 private (X.690 §8.1.2.2). */
  cls: number;
  constructed: boolean;
  tag: number;
  /** Offset of the identifier octet. */
  off: number;
  /** Offset of the contents and their length; end = start + len. */
  start: number;
  len: number;
  end: number;
}

/** The TLV at `off`, which must end by `limit`. */
export function readTlv(tvb: Tvb, off: number, limit: number): Tlv {
  let o = off;
  const id = tvb.u8(o++);
  let tag = id & 0x1f;
  if (tag === 0x1f) {
    // X.690 §8.1.2.4: the tag number in base 128, high bit set on all but the last octet.
    tag = 0;
    let b;
    do {
      b = tvb.u8(o++);
      tag = tag * 128 + (b & 0x7f);
      if (tag > 0x1fffff) throw new MalformedError('BER: tag number too large');
    } while (b & 0x80);
  }
  let len = tvb.u8(o++);
  if (len === 0x80) throw new MalformedError('BER: indefinite length');
  if (len > 0x80) {
    const n = len & 0x7f;
    if (n > 4) throw new MalformedError('BER: length too large');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + tvb.u8(o++);
  }
  if (o + len > limit) throw new MalformedError(`BER: length ${len} longer than its container`);
  tvb.check(o, len);
  return { cls: id >> 6, constructed: (id & 0x20) !== 0, tag, off, start: o, len, end: o + len };
}

/** The TLVs inside a constructed one, in order. */
export function children(tvb: Tvb, outer: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let o = outer.start; o < outer.end; ) {
    const c = readTlv(tvb, o, outer.end);
    out.push(c);
    o = c.end;
  }
  return out;
}

/** Reads a TLV and checks it is the universal type `tag` (constructed or not as `constructed`). */
export function expectTlv(tvb: Tvb, off: number, limit: number, tag: number, constructed = tag === SEQUENCE): Tlv {
  const t = readTlv(tvb, off, limit);
  if (t.cls !== UNIVERSAL || t.tag !== tag || t.constructed !== constructed) {
    throw new MalformedError(`BER: wrong field (expected universal tag ${tag})`);
  }
  return t;
}

/** An OBJECT IDENTIFIER's contents as dotted text (X.690 §8.19). */
export function oidText(tvb: Tvb, t: Tlv): string {
  if (t.len === 0) throw new MalformedError('BER: empty object identifier');
  const arcs: string[] = [];
  let v = 0n;
  let first = true;
  for (let o = t.start; o < t.end; o++) {
    const b = tvb.u8(o);
    v = v * 128n + BigInt(b & 0x7f);
    if (b & 0x80) continue;
    if (first) {
      // X.690 §8.19.4: the first two arcs share one subidentifier, 40·X + Y.
      const x = v < 40n ? 0n : v < 80n ? 1n : 2n;
      arcs.push(String(x), String(v - 40n * x));
      first = false;
    } else {
      arcs.push(String(v));
    }
    v = 0n;
  }
  if (tvb.u8(t.end - 1) & 0x80) throw new MalformedError('BER: object identifier cut short');
  return arcs.join('.');
}

/** A (small) INTEGER's value; larger ones are shown as bytes by their fields. */
export function intValue(tvb: Tvb, t: Tlv): number {
  if (t.len === 0 || t.len > 6) throw new MalformedError('BER: integer length');
  let v = tvb.u8(t.start) & 0x80 ? -1 : 0;
  for (let o = t.start; o < t.end; o++) v = v * 256 + tvb.u8(o);
  return v;
}

/**
 * A tree sink that also hears which protocol each OID-registered value belongs to: tshark's
 * BER hands a value to the dissector registered for its OID (call_ber_oid_callback), and each
 * such call adds that protocol to frame.protocols ("tls:x509sat:x509sat:x509ce:…").
 */
export interface OidSink extends TreeSink {
  layer(name: string): void;
}

/** `t`, with the protocols of OID-dispatched values appended to `layers`. */
export function oidSink(t: TreeSink, layers: string[]): OidSink {
  return {
    add: (f, tvb, off, len, value, label) => t.add(f, tvb, off, len, value, label),
    hidden: (f, value) => t.hidden(f, value),
    open: (f, tvb, off, len, value, label) => t.open(f, tvb, off, len, value, label),
    text: (tvb, off, len, label, asParent) => t.text(tvb, off, len, label, asParent),
    close: () => t.close(),
    mark: () => t.mark(),
    reenter: (m) => t.reenter(m),
    appendLabel: (text) => t.appendLabel(text),
    setLength: (len) => t.setLength(len),
    expert: (severity, message, tvb, off, len, group) => t.expert(severity, message, tvb, off, len, group),
    layer: (name) => layers.push(name),
  };
}
