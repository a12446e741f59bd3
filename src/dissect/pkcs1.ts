// PKCS #1 and the EC key parameters of a certificate's public key: an RSA key's modulus and
// exponent (RFC 8017 §A.1.1), an EC key's named curve (RFC 5480 §2.1.1), with tshark's fields.

import { children, INTEGER, intValue, OID, oidText, readTlv, SEQUENCE, type Tlv, type OidSink } from './ber.ts';
import { oidLabel } from './oid-names.ts';
import { defineProtocol, hexBytes } from './registry.ts';
import { MalformedError, type Tvb } from './tvb.ts';

export const F = defineProtocol('pkcs1', 'PKCS-1', {
  'pkcs1.modulus': { name: 'modulus', type: 'bytes' },
  'pkcs1.publicExponent': { name: 'publicExponent', type: 'int' },
  'pkcs1.ECParameters': { name: 'ECParameters', type: 'uint' },
  'pkcs1.namedCurve': { name: 'namedCurve', type: 'string' },
});

/** "0x00ea7d…" as tshark labels a large INTEGER shown as bytes (36 bytes, then an ellipsis). */
export function integerHex(tvb: Tvb, v: Tlv): string {
  const s = '0x' + hexBytes(tvb.bytes(v.start, Math.min(v.len, 36)), '');
  return v.len > 36 ? s + '\u2026' : s;
}

/** RSAPublicKey: SEQUENCE { modulus INTEGER, publicExponent INTEGER }, at `off` up to `end`. */
export function rsaPublicKey(t: OidSink, tvb: Tvb, off: number, end: number): void {
  const key = readTlv(tvb, off, end);
  if (key.tag !== SEQUENCE || !key.constructed) throw new MalformedError('RSA public key is not a SEQUENCE');
  const [modulus, exponent] = children(tvb, key);
  if (!modulus || modulus.tag !== INTEGER) throw new MalformedError('RSA public key without a modulus');
  t.add(F['pkcs1.modulus'], tvb, modulus.start, modulus.len, tvb.bytes(modulus.start, modulus.len), `modulus: ${integerHex(tvb, modulus)}`);
  if (exponent?.tag === INTEGER) t.add(F['pkcs1.publicExponent'], tvb, exponent.start, exponent.len, intValue(tvb, exponent));
}

/** ECParameters (RFC 5480 §2.1.1): only namedCurve is in use. */
export function ecParameters(t: OidSink, tvb: Tvb, p: Tlv): void {
  if (p.tag !== OID || p.constructed) return;
  t.layer('pkcs-1');
  t.open(F['pkcs1.ECParameters'], tvb, p.start, p.len, 1, 'ECParameters: namedCurve (1)');
  const dotted = oidText(tvb, p);
  t.add(F['pkcs1.namedCurve'], tvb, p.start, p.len, dotted, `namedCurve: ${oidLabel(dotted)}`);
  t.close();
}
