// GeneralName and GeneralNames (RFC 5280 §4.2.1.6): the CHOICE of name forms that alternative
// names, CRL distribution points and access locations are written in.

import type { Tlv, OidSink } from './ber.ts';
import { ipv4ToString, ipv6ToString, type FieldDef } from './registry.ts';
import type { Tvb } from './tvb.ts';
import { F } from './x509ce-fields.ts';
import { nameTree, openSequenceOf } from './x509if.ts';
import { stringText } from './x509sat.ts';

/** The alternatives by context tag (RFC 5280 §4.2.1.6). */
const KINDS = ['otherName', 'rfc822Name', 'dNSName', 'x400Address', 'directoryName', 'ediPartyName', 'uniformResourceIdentifier', 'iPAddress', 'registeredID'];

/**
 * One GeneralName, its TLV `g`, labelled by `label` (tshark: "GeneralName: dNSName (2)"; an
 * access location shows the number alone) under `field`.
 */
export function generalName(t: OidSink, tvb: Tvb, g: Tlv, field: FieldDef = F['x509ce.GeneralName'], label = (kind: string, n: number) => `GeneralName: ${kind} (${n})`): void {
  const kind = KINDS[g.tag] ?? 'unknown';
  t.open(field, tvb, g.start, g.len, g.tag, label(kind, g.tag));
  switch (g.tag) {
    case 1:
    case 2:
    case 6: {
      const f = g.tag === 1 ? F['x509ce.rfc822Name'] : g.tag === 2 ? F['x509ce.dNSName'] : F['x509ce.uniformResourceIdentifier'];
      t.add(f, tvb, g.start, g.len, stringText(tvb, g));
      break;
    }
    case 4: {
      // [4] EXPLICIT Name: the Name's own TLV inside.
      nameTree(t, tvb, g.start, g.end, F['x509ce.directoryName'], 'directoryName');
      break;
    }
    case 7: {
      const b = tvb.bytes(g.start, g.len);
      const text = g.len === 4 ? ipv4ToString(((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0) : g.len === 16 ? ipv6ToString(b) : null;
      t.add(F['x509ce.iPAddress'], tvb, g.start, g.len, b, text === null ? undefined : `iPAddress: ${text}`);
      break;
    }
  }
  t.close();
}

/** GeneralNames, a SEQUENCE OF GeneralName whose TLV is `seq`, under `field` ("GeneralNames: 2 items"). */
export function generalNames(t: OidSink, tvb: Tvb, seq: Tlv, field: FieldDef = F['x509ce.GeneralNames']): void {
  for (const g of openSequenceOf(t, field, tvb, seq)) generalName(t, tvb, g);
  t.close();
}
