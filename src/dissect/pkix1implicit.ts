// PKIX1 implicitly tagged module (RFC 5280 Appendix A.2): the authority information access
// extension (§4.2.2.1) and a policy's user notice (§4.2.1.4), with tshark's field names.

import { children, INTEGER, intValue, oidText, readTlv, type Tlv, type OidSink } from './ber.ts';
import { oidLabel } from './oid-names.ts';
import { defineProtocol } from './registry.ts';
import { MalformedError, type Tvb } from './tvb.ts';
import { generalName } from './x509ce-general-name.ts';
import { openSequenceOf } from './x509if.ts';
import { stringText } from './x509sat.ts';

export const F = defineProtocol('pkix1implicit', 'PKIX1Implicit', {
  'pkix1implicit.AuthorityInfoAccessSyntax': { name: 'AuthorityInfoAccessSyntax', type: 'uint' },
  'pkix1implicit.AccessDescription_element': { name: 'AccessDescription', type: 'none' },
  'pkix1implicit.accessMethod': { name: 'accessMethod', type: 'string' },
  'pkix1implicit.accessLocation': { name: 'accessLocation', type: 'uint' },
  'pkix1implicit.UserNotice_element': { name: 'UserNotice', type: 'none' },
  'pkix1implicit.noticeRef_element': { name: 'noticeRef', type: 'none' },
  'pkix1implicit.organization': { name: 'organization', type: 'uint' },
  'pkix1implicit.noticeNumbers': { name: 'noticeNumbers', type: 'uint' },
  'pkix1implicit.noticeNumbers_item': { name: 'noticeNumbers item', type: 'int' },
  'pkix1implicit.explicitText': { name: 'explicitText', type: 'uint' },
  'pkix1implicit.ia5String': { name: 'ia5String', type: 'string' },
  'pkix1implicit.visibleString': { name: 'visibleString', type: 'string' },
  'pkix1implicit.bmpString': { name: 'bmpString', type: 'string' },
  'pkix1implicit.utf8String': { name: 'utf8String', type: 'string' },
});

/** AuthorityInfoAccessSyntax (RFC 5280 §4.2.2.1): access methods and where to reach them. */
export function authorityInfoAccess(t: OidSink, tvb: Tvb, seq: Tlv): void {
  for (const ad of openSequenceOf(t, F['pkix1implicit.AuthorityInfoAccessSyntax'], tvb, seq)) {
    t.open(F['pkix1implicit.AccessDescription_element'], tvb, ad.off, ad.end - ad.off, null);
    const method = readTlv(tvb, ad.start, ad.end);
    const dotted = oidText(tvb, method);
    t.add(F['pkix1implicit.accessMethod'], tvb, method.start, method.len, dotted, `accessMethod: ${oidLabel(dotted)}`);
    generalName(t, tvb, readTlv(tvb, method.end, ad.end), F['pkix1implicit.accessLocation'], (_kind, n) => `accessLocation: ${n}`);
    t.close();
  }
  t.close();
}

/** DisplayText's alternatives by universal tag (RFC 5280 §4.2.1.4). */
const DISPLAY_TEXT = new Map<number, [number, 'ia5String' | 'visibleString' | 'bmpString' | 'utf8String']>([
  [22, [0, 'ia5String']],
  [26, [1, 'visibleString']],
  [30, [2, 'bmpString']],
  [12, [3, 'utf8String']],
]);

function displayText(t: OidSink, tvb: Tvb, v: Tlv, field: typeof F['pkix1implicit.organization']): void {
  const alt = DISPLAY_TEXT.get(v.tag);
  if (!alt) throw new MalformedError('X.509: DisplayText of an unknown kind');
  t.open(field, tvb, v.off, v.end - v.off, alt[0], `${field.name}: ${alt[1]} (${alt[0]})`);
  t.add(F[`pkix1implicit.${alt[1]}`], tvb, v.start, v.len, stringText(tvb, v));
  t.close();
}

/** UserNotice (RFC 5280 §4.2.1.4): an optional notice reference, an optional text. */
export function userNotice(t: OidSink, tvb: Tvb, seq: Tlv): void {
  t.open(F['pkix1implicit.UserNotice_element'], tvb, seq.off, seq.end - seq.off, null);
  for (const part of children(tvb, seq)) {
    if (part.constructed) {
      t.open(F['pkix1implicit.noticeRef_element'], tvb, part.off, part.end - part.off, null);
      const [org, numbers] = children(tvb, part);
      if (org) displayText(t, tvb, org, F['pkix1implicit.organization']);
      if (numbers) {
        for (const n of openSequenceOf(t, F['pkix1implicit.noticeNumbers'], tvb, numbers)) {
          if (n.tag !== INTEGER) throw new MalformedError('X.509: a notice number is not an INTEGER');
          t.add(F['pkix1implicit.noticeNumbers_item'], tvb, n.start, n.len, intValue(tvb, n));
        }
        t.close();
      }
      t.close();
    } else {
      displayText(t, tvb, part, F['pkix1implicit.explicitText']);
    }
  }
  t.close();
}
