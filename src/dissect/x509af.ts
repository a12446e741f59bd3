// X.509 authentication framework: a certificate (RFC 5280 §4.1) as tshark's details tree shows
// it under a TLS Certificate message — the signed part (version, serial, algorithms, issuer,
// validity, subject, public key, extensions), then the signature. Returns the subject's text,
// which tshark appends to the certificate's label.

import { BIT_STRING, BOOLEAN, children, CONTEXT, expectTlv, INTEGER, intValue, OID, oidText, readTlv, SEQUENCE, F as BER, type Tlv, type OidSink } from './ber.ts';
import { oidLabel, oidResolved } from './oid-names.ts';
import { ecParameters, rsaPublicKey } from './pkcs1.ts';
import { defineProtocol, hexBytes } from './registry.ts';
import { utcTimeText } from './text.ts';
import { MalformedError, type Tvb } from './tvb.ts';
import { extensionValue } from './x509ce.ts';
import { F as IF, nameTree, openSequenceOf } from './x509if.ts';
import { stringText } from './x509sat.ts';

export const F = defineProtocol('x509af', 'X.509 Authentication Framework', {
  'x509af.signedCertificate_element': { name: 'signedCertificate', type: 'none' },
  'x509af.version': { name: 'version', type: 'int', vals: { 0: 'v1', 1: 'v2', 2: 'v3' } },
  'x509af.serialNumber': { name: 'serialNumber', type: 'bytes' },
  'x509af.signature_element': { name: 'signature', type: 'none' },
  'x509af.algorithm.id': { name: 'Algorithm Id', type: 'string' },
  'x509af.issuer': { name: 'issuer', type: 'uint' },
  'x509af.validity_element': { name: 'validity', type: 'none' },
  'x509af.notBefore': { name: 'notBefore', type: 'uint' },
  'x509af.notAfter': { name: 'notAfter', type: 'uint' },
  'x509af.utcTime': { name: 'utcTime', type: 'string' },
  'x509af.generalizedTime': { name: 'generalizedTime', type: 'abstime' },
  'x509af.subject': { name: 'subject', type: 'uint' },
  'x509af.rdnSequence': { name: 'rdnSequence', type: 'uint' },
  'x509af.subjectPublicKeyInfo_element': { name: 'subjectPublicKeyInfo', type: 'none' },
  'x509af.algorithm_element': { name: 'algorithm', type: 'none' },
  'x509af.subjectPublicKey': { name: 'subjectPublicKey', type: 'bytes' },
  'x509af.extensions': { name: 'extensions', type: 'uint' },
  'x509af.Extension_element': { name: 'Extension', type: 'none' },
  'x509af.extension.id': { name: 'Extension Id', type: 'string' },
  'x509af.critical': { name: 'critical', type: 'bool' },
  'x509af.algorithmIdentifier_element': { name: 'algorithmIdentifier', type: 'none' },
  'x509af.encrypted': { name: 'encrypted', type: 'bytes' },
});

const RSA = '1.2.840.113549.1.1.1';
const EC = '1.2.840.10045.2.1';

/** An AlgorithmIdentifier (RFC 5280 §4.1.1.2) under `field`: "signature (sha1WithRSAEncryption)". Returns its OID. */
function algorithmIdentifier(t: OidSink, tvb: Tvb, a: Tlv, field: typeof F['x509af.signature_element']): string {
  if (a.tag !== SEQUENCE || !a.constructed) throw new MalformedError('X.509: AlgorithmIdentifier is not a SEQUENCE');
  const id = expectTlv(tvb, a.start, a.end, OID, false);
  const dotted = oidText(tvb, id);
  t.open(field, tvb, a.off, a.end - a.off, null, `${field.name} (${oidResolved(dotted)})`);
  t.add(F['x509af.algorithm.id'], tvb, id.start, id.len, dotted, `Algorithm Id: ${oidLabel(dotted)}`);
  if (dotted === EC && id.end < a.end) ecParameters(t, tvb, readTlv(tvb, id.end, a.end));
  t.close();
  return dotted;
}

const UTC_TIME = 23;
const GENERALIZED_TIME = 24;

/** notBefore / notAfter: a CHOICE of UTCTime (0) and GeneralizedTime (1) (RFC 5280 §4.1.2.5). */
function time(t: OidSink, tvb: Tvb, v: Tlv, field: typeof F['x509af.notBefore']): void {
  const text = stringText(tvb, v);
  if (v.tag === UTC_TIME) {
    t.open(field, tvb, v.off, v.end - v.off, 0, `${field.name}: utcTime (0)`);
    // RFC 5280 §4.1.2.5.1: YYMMDDHHMMSSZ, years 50–99 in the 1900s.
    const m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(text);
    const shown = m ? `${Number(m[1]) >= 50 ? '19' : '20'}${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]} (UTC)` : text;
    t.add(F['x509af.utcTime'], tvb, v.start, v.len, shown);
  } else if (v.tag === GENERALIZED_TIME) {
    t.open(field, tvb, v.off, v.end - v.off, 1, `${field.name}: generalizedTime (1)`);
    // RFC 5280 §4.1.2.5.2: YYYYMMDDHHMMSSZ.
    const m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:\.(\d{1,9}))?Z$/.exec(text);
    const secs = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) / 1000 : NaN;
    const ns = m?.[7] ? Number(m[7].padEnd(9, '0')) : 0;
    t.add(F['x509af.generalizedTime'], tvb, v.start, v.len, m ? utcTimeText(secs, ns) : text);
  } else {
    throw new MalformedError('X.509: a validity time is neither UTCTime nor GeneralizedTime');
  }
  t.close();
}

/** SubjectPublicKeyInfo (RFC 5280 §4.1.2.7): an RSA key shows its parts, others their padding and bytes. */
function publicKeyInfo(t: OidSink, tvb: Tvb, spki: Tlv): void {
  t.open(F['x509af.subjectPublicKeyInfo_element'], tvb, spki.off, spki.end - spki.off, null);
  const alg = readTlv(tvb, spki.start, spki.end);
  const id = algorithmIdentifier(t, tvb, alg, F['x509af.algorithm_element']);
  const key = expectTlv(tvb, alg.end, spki.end, BIT_STRING, false);
  if (key.len < 1) throw new MalformedError('X.509: empty subjectPublicKey');
  const bits = key.start + 1;
  if (id === RSA) {
    t.open(F['x509af.subjectPublicKey'], tvb, bits, key.end - bits, tvb.bytes(bits, key.end - bits));
    rsaPublicKey(t, tvb, bits, key.end);
    t.close();
  } else {
    t.add(BER['ber.bitstring.padding'], tvb, key.start, 1, tvb.u8(key.start));
    t.add(F['x509af.subjectPublicKey'], tvb, bits, key.end - bits, tvb.bytes(bits, key.end - bits));
  }
  t.close();
}

/** Extensions (RFC 5280 §4.1.2.9): [3] EXPLICIT SEQUENCE OF Extension. */
function extensions(t: OidSink, tvb: Tvb, tagged: Tlv): void {
  const seq = readTlv(tvb, tagged.start, tagged.end);
  for (const ext of openSequenceOf(t, F['x509af.extensions'], tvb, seq)) {
    const id = expectTlv(tvb, ext.start, ext.end, OID, false);
    const dotted = oidText(tvb, id);
    t.open(F['x509af.Extension_element'], tvb, ext.off, ext.end - ext.off, null, `Extension (${oidResolved(dotted)})`);
    t.add(F['x509af.extension.id'], tvb, id.start, id.len, dotted, `Extension Id: ${oidLabel(dotted)}`);
    let next = readTlv(tvb, id.end, ext.end);
    if (next.tag === BOOLEAN && next.cls === 0) {
      t.add(F['x509af.critical'], tvb, next.start, next.len, next.len > 0 && tvb.u8(next.start) !== 0);
      next = readTlv(tvb, next.end, ext.end);
    }
    extensionValue(t, tvb, dotted, next);
    t.close();
  }
  t.close();
}

/** TBSCertificate (RFC 5280 §4.1.2). Returns the subject's text. */
function signedCertificate(t: OidSink, tvb: Tvb, tbs: Tlv): string {
  if (tbs.tag !== SEQUENCE || !tbs.constructed) throw new MalformedError('X.509: TBSCertificate is not a SEQUENCE');
  t.open(F['x509af.signedCertificate_element'], tvb, tbs.off, tbs.end - tbs.off, null);
  const parts = children(tvb, tbs);
  let i = 0;
  const next = (): Tlv => {
    const p = parts[i++];
    if (!p) throw new MalformedError('X.509: TBSCertificate cut short');
    return p;
  };
  let p = next();
  if (p.cls === CONTEXT && p.tag === 0) {
    const v = readTlv(tvb, p.start, p.end);
    if (v.tag !== INTEGER) throw new MalformedError('X.509: version is not an INTEGER');
    t.add(F['x509af.version'], tvb, v.start, v.len, intValue(tvb, v));
    p = next();
  }
  if (p.tag !== INTEGER) throw new MalformedError('X.509: serialNumber is not an INTEGER');
  t.add(F['x509af.serialNumber'], tvb, p.start, p.len, tvb.bytes(p.start, p.len), `serialNumber: 0x${hexBytes(tvb.bytes(p.start, p.len), '')}`);
  algorithmIdentifier(t, tvb, next(), F['x509af.signature_element']);
  const issuer = next();
  nameTree(t, tvb, issuer.off, issuer.end, F['x509af.issuer'], 'issuer', IF['x509if.rdnSequence']);
  const validity = next();
  t.open(F['x509af.validity_element'], tvb, validity.off, validity.end - validity.off, null);
  const [notBefore, notAfter] = children(tvb, validity);
  if (!notBefore || !notAfter) throw new MalformedError('X.509: validity without both times');
  time(t, tvb, notBefore, F['x509af.notBefore']);
  time(t, tvb, notAfter, F['x509af.notAfter']);
  t.close();
  const subjectTlv = next();
  const subject = nameTree(t, tvb, subjectTlv.off, subjectTlv.end, F['x509af.subject'], 'subject', F['x509af.rdnSequence']);
  publicKeyInfo(t, tvb, next());
  for (; i < parts.length; i++) {
    const q = parts[i]!;
    if (q.cls === CONTEXT && q.tag === 3) extensions(t, tvb, q);
  }
  t.close();
  return subject;
}

/** A Certificate, its outer TLV `cert` already read. Returns the subject's text. */
export function dissectCertificate(t: OidSink, tvb: Tvb, cert: Tlv): string {
  if (cert.tag !== SEQUENCE || !cert.constructed) throw new MalformedError('X.509: Certificate is not a SEQUENCE');
  const [tbs, alg, sig] = children(tvb, cert);
  if (!tbs) throw new MalformedError('X.509: empty Certificate');
  const subject = signedCertificate(t, tvb, tbs);
  if (alg) algorithmIdentifier(t, tvb, alg, F['x509af.algorithmIdentifier_element']);
  if (sig) {
    if (sig.tag !== BIT_STRING || sig.len < 1) throw new MalformedError('X.509: signature is not a BIT STRING');
    t.add(BER['ber.bitstring.padding'], tvb, sig.start, 1, tvb.u8(sig.start));
    t.add(F['x509af.encrypted'], tvb, sig.start + 1, sig.len - 1, tvb.bytes(sig.start + 1, sig.len - 1));
  }
  return subject;
}


