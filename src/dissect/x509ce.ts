// X.509 certificate extensions (RFC 5280 §4.2) as tshark shows them: each known extension's
// value dissected by its OID, any other one marked as not dissected.

import { BIT_STRING, BOOLEAN, children, expectTlv, INTEGER, intValue, OCTET_STRING, OID, oidText, readTlv, SEQUENCE, F as BER, type Tlv, type OidSink } from './ber.ts';
import { oidLabel } from './oid-names.ts';
import { bitPattern, hexBytes } from './registry.ts';
import { F as EXPLICIT } from './pkix1explicit.ts';
import { authorityInfoAccess, userNotice } from './pkix1implicit.ts';
import { MalformedError, type Tvb } from './tvb.ts';
import { F, KEY_USAGE_BITS } from './x509ce-fields.ts';
import { generalName, generalNames } from './x509ce-general-name.ts';
import { openSequenceOf } from './x509if.ts';
import { notImplemented, stringText } from './x509sat.ts';
import { signedCertificateTimestamps } from './tls-sct.ts';

type ExtensionDissector = (t: OidSink, tvb: Tvb, value: Tlv) => void;

/** A list of OIDs in a SEQUENCE OF, each "Name: 1.2.3 (name)". */
function oidList(t: OidSink, tvb: Tvb, seq: Tlv, list: typeof F['x509ce.KeyPurposeIDs'], item: typeof F['x509ce.KeyPurposeId']): void {
  for (const id of openSequenceOf(t, list, tvb, seq)) {
    const dotted = oidText(tvb, id);
    t.add(item, tvb, id.start, id.len, dotted, `${item.name}: ${oidLabel(dotted)}`);
  }
  t.close();
}

/** RFC 5280 §4.2.1.1. */
function authorityKeyIdentifier(t: OidSink, tvb: Tvb, seq: Tlv): void {
  t.open(F['x509ce.AuthorityKeyIdentifier_element'], tvb, seq.off, seq.end - seq.off, null);
  for (const part of children(tvb, seq)) {
    if (part.tag === 0) t.add(F['x509ce.keyIdentifier'], tvb, part.start, part.len, tvb.bytes(part.start, part.len));
    else if (part.tag === 1) generalNames(t, tvb, part, F['x509ce.authorityCertIssuer']);
    else if (part.tag === 2) t.add(F['x509ce.authorityCertSerialNumber'], tvb, part.start, part.len, tvb.bytes(part.start, part.len), `authorityCertSerialNumber: 0x${hexBytes(tvb.bytes(part.start, part.len), '')}`);
  }
  t.close();
}

/** RFC 5280 §4.2.1.3: the padding, the bits' bytes, then every named bit. */
function keyUsage(t: OidSink, tvb: Tvb, bits: Tlv): void {
  if (bits.tag !== BIT_STRING || bits.len < 1) throw new MalformedError('X.509: KeyUsage is not a BIT STRING');
  t.add(BER['ber.bitstring.padding'], tvb, bits.start, 1, tvb.u8(bits.start));
  const data = { ...bits, start: bits.start + 1, len: bits.len - 1 };
  t.open(F['x509ce.KeyUsage'], tvb, data.start, data.len, tvb.bytes(data.start, data.len), `KeyUsage: ${hexBytes(tvb.bytes(data.start, data.len), '')}`);
  KEY_USAGE_BITS.forEach((name, i) => {
    const byte = (i >> 3) < data.len ? tvb.u8(data.start + (i >> 3)) : 0;
    const mask = 0x80 >> (i & 7);
    const on = (byte & mask) !== 0;
    t.add(F[`x509ce.KeyUsage.${name}`], tvb, data.start + Math.min(i >> 3, Math.max(0, data.len - 1)), 1, on, `${bitPattern(mask, 8, byte)}${name}: ${on ? 'True' : 'False'}`);
  });
  t.close();
}

/** RFC 5280 §4.2.1.9. */
function basicConstraints(t: OidSink, tvb: Tvb, seq: Tlv): void {
  const parts = children(tvb, seq);
  t.open(F['x509ce.BasicConstraintsSyntax_element'], tvb, seq.off, seq.end - seq.off, null, parts.length ? undefined : 'BasicConstraintsSyntax [0 length]');
  for (const p of parts) {
    if (p.tag === BOOLEAN) t.add(F['x509ce.cA'], tvb, p.start, p.len, tvb.u8(p.start) !== 0);
    else if (p.tag === INTEGER) t.add(F['x509ce.pathLenConstraint'], tvb, p.start, p.len, intValue(tvb, p));
  }
  t.close();
}

/** RFC 5280 §4.2.1.4: policies and their qualifiers (a CPS pointer or a user notice). */
function certificatePolicies(t: OidSink, tvb: Tvb, seq: Tlv): void {
  for (const pi of openSequenceOf(t, F['x509ce.CertificatePoliciesSyntax'], tvb, seq)) {
    t.open(F['x509ce.PolicyInformation_element'], tvb, pi.off, pi.end - pi.off, null);
    const id = expectTlv(tvb, pi.start, pi.end, OID, false);
    const dotted = oidText(tvb, id);
    t.add(F['x509ce.policyIdentifier'], tvb, id.start, id.len, dotted, `policyIdentifier: ${oidLabel(dotted)}`);
    if (id.end < pi.end) {
      for (const q of openSequenceOf(t, F['x509ce.policyQualifiers'], tvb, readTlv(tvb, id.end, pi.end))) policyQualifier(t, tvb, q);
      t.close();
    }
    t.close();
  }
  t.close();
}

function policyQualifier(t: OidSink, tvb: Tvb, q: Tlv): void {
  t.open(F['x509ce.PolicyQualifierInfo_element'], tvb, q.off, q.end - q.off, null);
  const id = expectTlv(tvb, q.start, q.end, OID, false);
  const dotted = oidText(tvb, id);
  t.add(F['x509ce.id'], tvb, id.start, id.len, dotted, `Id: ${oidLabel(dotted)}`);
  if (id.end < q.end) {
    const v = readTlv(tvb, id.end, q.end);
    if (dotted === '1.3.6.1.5.5.7.2.1') {
      t.layer('pkix1explicit');
      t.add(EXPLICIT['pkix1explicit.DirectoryString'], tvb, v.start, v.len, stringText(tvb, v));
    } else if (dotted === '1.3.6.1.5.5.7.2.2' && v.tag === SEQUENCE) {
      t.layer('pkix1implicit');
      userNotice(t, tvb, v);
    } else notImplemented(t, tvb, v.off, v.end - v.off);
  }
  t.close();
}

/** RFC 5280 §4.2.1.13: distribution points by their full names. */
function crlDistributionPoints(t: OidSink, tvb: Tvb, seq: Tlv): void {
  for (const dp of openSequenceOf(t, F['x509ce.CRLDistPointsSyntax'], tvb, seq)) {
    t.open(F['x509ce.DistributionPoint_element'], tvb, dp.off, dp.end - dp.off, null);
    for (const part of children(tvb, dp)) {
      if (part.tag !== 0) continue;
      // distributionPoint [0] DistributionPointName: fullName [0] GeneralNames.
      const name = readTlv(tvb, part.start, part.end);
      if (name.tag !== 0) continue;
      t.open(F['x509ce.distributionPoint'], tvb, name.start, name.len, 0, 'distributionPoint: fullName (0)');
      for (const g of openSequenceOf(t, F['x509ce.fullName'], tvb, name)) generalName(t, tvb, g);
      t.close();
      t.close();
    }
    t.close();
  }
  t.close();
}

const SCT_LIST = '1.3.6.1.4.1.11129.2.4.2';
const AIA = '1.3.6.1.5.5.7.1.1';

/** Extension values by OID; each receives the TLV inside the extension's OCTET STRING. */
const EXTENSIONS: Record<string, ExtensionDissector> = {
  '2.5.29.35': authorityKeyIdentifier,
  '2.5.29.14': (t, tvb, v) => t.add(F['x509ce.SubjectKeyIdentifier'], tvb, v.start, v.len, tvb.bytes(v.start, v.len)),
  '2.5.29.15': keyUsage,
  '2.5.29.19': basicConstraints,
  '2.5.29.37': (t, tvb, v) => oidList(t, tvb, v, F['x509ce.KeyPurposeIDs'], F['x509ce.KeyPurposeId']),
  '2.5.29.32': certificatePolicies,
  '2.5.29.31': crlDistributionPoints,
  '2.5.29.17': (t, tvb, v) => generalNames(t, tvb, v),
  '2.5.29.18': (t, tvb, v) => generalNames(t, tvb, v),
  [AIA]: authorityInfoAccess,
};

/** The value of extension `id`: the contents of its extnValue OCTET STRING, `value`. */
export function extensionValue(t: OidSink, tvb: Tvb, id: string, value: Tlv): void {
  if (value.tag !== OCTET_STRING) throw new MalformedError('X.509: extnValue is not an OCTET STRING');
  const known = EXTENSIONS[id];
  if (known) {
    // Each extension's dissector belongs to a protocol of its own in tshark (frame.protocols).
    t.layer(id === AIA ? 'pkix1implicit' : 'x509ce');
    return known(t, tvb, readTlv(tvb, value.start, value.end));
  }
  if (id === SCT_LIST) return signedCertificateTimestamps(t, tvb, readTlv(tvb, value.start, value.end));
  notImplemented(t, tvb, value.start, value.len);
}
