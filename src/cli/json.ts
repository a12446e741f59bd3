// Field values as JSON: numbers stay numbers, hex-based fields read like tshark ("0x0012"),
// addresses in their usual text form. A field seen several times becomes an array.

import type { SummaryRow } from '../analysis/summary.ts';
import { fieldByName, formatNumber, formatValue, type FieldDef, type FieldValue } from '../dissect/registry.ts';

type Json = string | number | boolean | null;

export function valueJson(def: FieldDef, v: FieldValue): Json {
  if (v === null) return null;
  switch (def.type) {
    case 'uint':
    case 'int':
    case 'framenum':
      if (def.base === 'hex' || def.base === 'hex_dec') return formatNumber({ ...def, base: 'hex' }, v as number | bigint);
      return typeof v === 'bigint' ? v.toString() : (v as number);
    case 'bool':
      return v as boolean;
    case 'reltime':
    case 'float':
      return v as number;
    default:
      return formatValue(def, v);
  }
}

export function fieldJson(values: Map<string, FieldValue[]>): Record<string, Json | Json[]> {
  const out: Record<string, Json | Json[]> = {};
  for (const [name, list] of values) {
    const def = fieldByName(name);
    if (!def || def.type === 'protocol' || def.type === 'none') continue;
    const js = list.map((v) => valueJson(def, v));
    out[name] = js.length === 1 ? js[0]! : js;
  }
  return out;
}

export type PacketJson = Record<string, Json | Json[]>;

/**
 * One packet as the CLI's --json prints it: the summary columns (of the first pass, as the
 * summary lines), then every field present (`fields`: of a second look at the frame).
 */
export function packetJson(row: SummaryRow, fields: Map<string, FieldValue[]>): PacketJson {
  return {
    number: row.num,
    time: row.time,
    source: row.source,
    destination: row.destination,
    protocol: row.protocol,
    length: row.length,
    info: row.info,
    ...fieldJson(fields),
  };
}
