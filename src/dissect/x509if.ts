// X.501 information framework: a Name (RFC 5280 §4.1.2.4) as tshark shows it, a sequence of
// relative distinguished names, each a set of type/value pairs. A Name reads as its attributes
// from the last to the first, "id-at-commonName=…,id-at-countryName=US", the way tshark labels
// a certificate by its subject.

import { children, expectTlv, OID, oidText, readTlv, SEQUENCE, type Tlv, type OidSink } from './ber.ts';
import { oidLabel, oidResolved } from './oid-names.ts';
import { defineProtocol, type FieldDef } from './registry.ts';
import { MalformedError, type Tvb } from './tvb.ts';
import { attributeValue } from './x509sat.ts';

export const F = defineProtocol('x509if', 'X.509 Information Framework', {
  'x509if.rdnSequence': { name: 'rdnSequence', type: 'uint' },
  'x509if.RDNSequence_item': { name: 'RDNSequence item', type: 'uint' },
  'x509if.RelativeDistinguishedName_item_element': { name: 'RelativeDistinguishedName item', type: 'none' },
  'x509if.oid': { name: 'Object Id', type: 'string' },
});

const SET = 17;

/** "1 item" / "3 items", tshark's count of a SEQUENCE OF or SET OF. */
function items(n: number): string {
  return `${n} item${n === 1 ? '' : 's'}`;
}

/**
 * Opens the node of a SEQUENCE OF / SET OF (its contents), labelled with its count as tshark
 * labels one ("CRLDistPointsSyntax: 1 item"), and returns its elements. The caller closes it.
 */
export function openSequenceOf(t: OidSink, f: FieldDef, tvb: Tvb, seq: Tlv): Tlv[] {
  const list = children(tvb, seq);
  t.open(f, tvb, seq.start, seq.len, list.length, `${f.name}: ${items(list.length)}`);
  return list;
}

/** Wireshark's ITEM_LABEL_LENGTH less its NUL: text appended to a label stops at 239 bytes. */
const LABEL_BYTES = 239;
const encoder = new TextEncoder();

/** `label` + `more`, cut as tshark cuts an appended text that does not fit (no mark). */
function appendCut(label: string, more: string): string {
  const s = label + more;
  if (s.length <= LABEL_BYTES / 3) return s;
  const b = encoder.encode(s);
  if (b.length <= LABEL_BYTES) return s;
  let end = LABEL_BYTES;
  while (end > 0 && (b[end]! & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(b.subarray(0, end));
}

/** Appends `more` to the open node, whose label is `label`, as proto_item_append_text does. */
export function appendText(t: OidSink, label: string, more: string): void {
  const cut = appendCut(label, more);
  if (cut.length > label.length) t.appendLabel(cut.slice(label.length));
}

/**
 * The RDNSequence whose TLV is `seq`, under `field` (the issuer's is x509if.rdnSequence, the
 * subject's x509af.rdnSequence in tshark). Returns the Name's text.
 */
export function rdnSequence(t: OidSink, tvb: Tvb, seq: Tlv, field: FieldDef = F['x509if.rdnSequence']): string {
  const rdns = openSequenceOf(t, field, tvb, seq);
  const label = `rdnSequence: ${items(rdns.length)}`;
  const texts: string[] = [];
  for (const rdn of rdns) texts.push(relativeName(t, tvb, rdn));
  const whole = texts.reverse().join(',');
  appendText(t, label, ` (${whole})`);
  t.close();
  return whole;
}

/** One RelativeDistinguishedName (a SET OF AttributeTypeAndValue); its text "type=value+…". */
function relativeName(t: OidSink, tvb: Tvb, rdn: Tlv): string {
  if (rdn.tag !== SET || !rdn.constructed) throw new MalformedError('X.509: a RelativeDistinguishedName is not a SET');
  const avas = children(tvb, rdn);
  const label = `RDNSequence item: ${items(avas.length)}`;
  t.open(F['x509if.RDNSequence_item'], tvb, rdn.start, rdn.len, avas.length, label);
  const parts: string[] = [];
  for (const ava of avas) {
    if (ava.tag !== SEQUENCE || !ava.constructed) throw new MalformedError('X.509: an AttributeTypeAndValue is not a SEQUENCE');
    t.open(F['x509if.RelativeDistinguishedName_item_element'], tvb, ava.off, ava.end - ava.off, null, 'RelativeDistinguishedName item');
    const type = expectTlv(tvb, ava.start, ava.end, OID, false);
    const dotted = oidText(tvb, type);
    t.add(F['x509if.oid'], tvb, type.start, type.len, dotted, `Object Id: ${oidLabel(dotted)}`);
    const value = attributeValue(t, tvb, dotted, type.end, ava.end);
    const text = `${oidResolved(dotted)}=${value}`;
    appendText(t, 'RelativeDistinguishedName item', ` (${text})`);
    t.close();
    parts.push(text);
  }
  const text = parts.join('+');
  appendText(t, label, ` (${text})`);
  t.close();
  return text;
}

/** A Name (a CHOICE with one alternative, rdnSequence) under `field` ("issuer: rdnSequence (0)"). */
export function nameTree(t: OidSink, tvb: Tvb, off: number, end: number, field: FieldDef, label: string, rdnField?: FieldDef): string {
  const name = readTlv(tvb, off, end);
  t.open(field, tvb, name.off, name.end - name.off, 0, `${label}: rdnSequence (0)`);
  const text = rdnSequence(t, tvb, name, rdnField);
  t.close();
  return text;
}
