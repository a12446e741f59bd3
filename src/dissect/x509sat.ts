// X.520 selected attribute types (RFC 5280 §4.1.2.4, Appendix A.1): the values of a Name's
// attributes, with tshark's field names. Most are a DirectoryString, a CHOICE of string types;
// countries are PrintableStrings of their own type, e-mail addresses IA5Strings.

import { readTlv, UNIVERSAL, type Tlv, type OidSink } from './ber.ts';
import { defineProtocol, type FieldDef } from './registry.ts';
import { formatText } from './text.ts';
import { expertItem } from './tree.ts';
import { latin1, type Tvb } from './tvb.ts';

export const F = defineProtocol('x509sat', 'X.509 Selected Attribute Types', {
  'x509sat.CountryName': { name: 'CountryName', type: 'string' },
  'x509sat.PrintableString': { name: 'PrintableString', type: 'string' },
  'x509sat.IA5String': { name: 'IA5String', type: 'string' },
  'x509sat.DirectoryString': { name: 'DirectoryString', type: 'uint' },
  'x509sat.teletexString': { name: 'teletexString', type: 'string' },
  'x509sat.printableString': { name: 'printableString', type: 'string' },
  'x509sat.universalString': { name: 'universalString', type: 'string' },
  'x509sat.bmpString': { name: 'bmpString', type: 'string' },
  'x509sat.uTF8String': { name: 'uTF8String', type: 'string' },
});

/** DirectoryString's alternatives (RFC 5280 §4.1.2.4): universal tag → [choice number, name]. */
const DIRECTORY_STRING = new Map<number, [number, 'teletexString' | 'printableString' | 'universalString' | 'bmpString' | 'uTF8String']>([
  [20, [0, 'teletexString']],
  [19, [1, 'printableString']],
  [28, [2, 'universalString']],
  [30, [3, 'bmpString']],
  [12, [4, 'uTF8String']],
]);

/** Attribute types whose value is not a DirectoryString, and the field that shows it. */
const PLAIN: Record<string, FieldDef> = {
  '2.5.4.6': F['x509sat.CountryName'],
  '1.3.6.1.4.1.311.60.2.1.3': F['x509sat.CountryName'],
  '2.5.4.5': F['x509sat.PrintableString'],
  '2.5.4.46': F['x509sat.PrintableString'],
  '1.2.840.113549.1.9.1': F['x509sat.IA5String'],
};

/** The DirectoryString types (RFC 5280 Appendix A.1 lists them per attribute). */
const DIRECTORY_TYPES = new Set([
  '2.5.4.3', '2.5.4.4', '2.5.4.7', '2.5.4.8', '2.5.4.9', '2.5.4.10', '2.5.4.11', '2.5.4.12', '2.5.4.13', '2.5.4.15',
  '2.5.4.17', '2.5.4.42', '2.5.4.43', '2.5.4.44', '2.5.4.65', '1.3.6.1.4.1.311.60.2.1.1', '1.3.6.1.4.1.311.60.2.1.2',
]);

/** A string value's bytes as tshark shows them (escaped; UTF-8 sequences decoded). */
export function stringText(tvb: Tvb, t: Tlv): string {
  return formatText(latin1(tvb.buf, tvb.start + t.start, tvb.start + t.end));
}

/** UCS-2 (BMPString) or UCS-4 (UniversalString) big-endian text. */
function wideText(tvb: Tvb, t: Tlv, width: 2 | 4): string {
  let s = '';
  for (let o = t.start; o + width <= t.end; o += width) {
    const cp = width === 2 ? tvb.u16(o) : tvb.u32(o);
    s += cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : '\ufffd';
  }
  return s;
}

/**
 * The value of an attribute of type `type` (its TLV at `off`): a field, or a DirectoryString and
 * its alternative. Returns the text Names show it by (the raw bytes, escaped, as tshark does).
 */
export function attributeValue(t: OidSink, tvb: Tvb, type: string, off: number, end: number): string {
  t.layer('x509sat');
  const v = readTlv(tvb, off, end);
  const raw = stringText(tvb, v);
  const plain = PLAIN[type];
  if (plain) {
    t.add(plain, tvb, v.start, v.len, raw);
    return raw;
  }
  const alt = v.cls === UNIVERSAL && !v.constructed ? DIRECTORY_STRING.get(v.tag) : undefined;
  if (!DIRECTORY_TYPES.has(type) || !alt) {
    notImplemented(t, tvb, v.off, v.end - v.off);
    return raw;
  }
  const [choice, altName] = alt;
  t.open(F['x509sat.DirectoryString'], tvb, v.off, v.end - v.off, choice, `DirectoryString: ${altName} (${choice})`);
  const shown = altName === 'bmpString' ? wideText(tvb, v, 2) : altName === 'universalString' ? wideText(tvb, v, 4) : raw;
  t.add(F[`x509sat.${altName}`], tvb, v.start, v.len, shown);
  t.close();
  return raw;
}

/** tshark's item for a BER value whose OID it has no dissector for. */
export function notImplemented(t: OidSink, tvb: Tvb, off: number, len: number): void {
  expertItem(t, 'warn', 'BER: Dissector for OID not implemented. Contact Wireshark developers if you want this supported', tvb, off, len, 'Undecoded');
}


