// The one field registry. Every protocol declares its fields here, once, with Wireshark's
// display-filter names ("tcp.flags.syn", "tls.handshake.extensions_server_name"), so that the
// details tree, the packet-list columns, the JSON output and the display filter all speak the
// same names and users' Wireshark habits carry over.

export type FieldType =
  | 'protocol' // a protocol layer (value: none; the tree node of the layer)
  | 'none' // a text-only subtree label
  | 'uint'
  | 'int'
  | 'bool'
  | 'ipv4' // value: number (host order u32)
  | 'ipv6' // value: Uint8Array(16)
  | 'ether' // value: Uint8Array(6)
  | 'string'
  | 'bytes'
  | 'float'
  | 'framenum' // value: frame number
  | 'reltime' // value: seconds as number
  | 'abstime'; // value: string (formatted)

export type FieldBase = 'dec' | 'hex' | 'dec_hex' | 'hex_dec' | 'oct' | 'none';

export type FieldValue = number | bigint | string | boolean | Uint8Array | null;

export interface FieldDef {
  /** Display-filter name, e.g. "tcp.flags.syn". */
  readonly abbrev: string;
  /** Human label, e.g. "Syn". */
  readonly name: string;
  readonly type: FieldType;
  readonly base: FieldBase;
  /** Width in bits of the field (for hex zero-padding and bit-pattern labels). */
  readonly bits: number;
  /** For sub-fields of a flags word: the bit mask inside the parent value. */
  readonly mask: number;
  /** Value strings (number → text), like Wireshark's value_string. */
  readonly vals?: ReadonlyMap<number, string>;
  /** Text for true/false of a boolean, like Wireshark's true_false_string. */
  readonly tfs?: readonly [string, string];
  /** Unit suffix, e.g. " bytes". */
  readonly unit?: string;
  /** Protocol prefix ("tcp"). */
  readonly proto: string;
  /** Short description for tooltips and the field reference. */
  readonly blurb?: string;
  /** Numeric id, stable for one build: index into `allFields()`. */
  readonly id: number;
}

export interface FieldSpec {
  name: string;
  type: FieldType;
  base?: FieldBase;
  bits?: number;
  mask?: number;
  vals?: Record<number, string> | ReadonlyMap<number, string>;
  tfs?: readonly [string, string];
  unit?: string;
  blurb?: string;
}

const byAbbrev = new Map<string, FieldDef>();
const fields: FieldDef[] = [];

function toMap(v: FieldSpec['vals']): ReadonlyMap<number, string> | undefined {
  if (!v) return undefined;
  if (v instanceof Map) return v;
  const m = new Map<number, string>();
  for (const [k, s] of Object.entries(v)) m.set(Number(k), s);
  return m;
}

function register(abbrev: string, spec: FieldSpec, proto: string): FieldDef {
  if (byAbbrev.has(abbrev)) throw new Error(`field ${abbrev} declared twice`);
  const def: FieldDef = {
    abbrev,
    name: spec.name,
    type: spec.type,
    base: spec.base ?? (spec.type === 'uint' || spec.type === 'int' ? 'dec' : 'none'),
    bits: spec.bits ?? 0,
    mask: spec.mask ?? 0,
    vals: toMap(spec.vals),
    tfs: spec.tfs,
    unit: spec.unit,
    proto,
    blurb: spec.blurb,
    id: fields.length,
  };
  byAbbrev.set(abbrev, def);
  fields.push(def);
  return def;
}

/**
 * Declares a protocol and its fields. Keys of `specs` are the full filter names.
 * Returns the protocol field and a typed map from filter name to FieldDef.
 *
 *   export const F = defineProtocol('tcp', 'Transmission Control Protocol', {
 *     'tcp.srcport': { name: 'Source Port', type: 'uint', bits: 16 },
 *   });
 *   F['tcp.srcport']
 */
export function defineProtocol<K extends string>(
  abbrev: string,
  name: string,
  specs: Record<K, FieldSpec>,
): { proto: FieldDef } & Record<K, FieldDef> {
  const proto = register(abbrev, { name, type: 'protocol' }, abbrev);
  const out = { proto } as { proto: FieldDef } & Record<K, FieldDef>;
  for (const key of Object.keys(specs) as K[]) {
    if (key !== abbrev && !key.startsWith(abbrev + '.')) {
      throw new Error(`field ${key} does not belong to protocol ${abbrev}`);
    }
    (out as Record<string, FieldDef>)[key] = register(key, specs[key], abbrev);
  }
  return out;
}

export function fieldByName(abbrev: string): FieldDef | undefined {
  return byAbbrev.get(abbrev);
}

export function allFields(): readonly FieldDef[] {
  return fields;
}

// ---- value formatting, shared by the tree, JSON output and (later) the filter ----

const HEX = '0123456789abcdef';

export function hex(n: number, digits: number): string {
  let s = (n >>> 0).toString(16);
  while (s.length < digits) s = '0' + s;
  return s;
}

export function hexBytes(b: Uint8Array, sep = ':'): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    if (i && sep) s += sep;
    const v = b[i]!;
    s += HEX[v >> 4]! + HEX[v & 15]!;
  }
  return s;
}

export function ipv4ToString(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** RFC 5952 text form of an IPv6 address (longest run of ≥ 2 zero groups compressed, lower case). */
export function ipv6ToString(b: Uint8Array, off = 0): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[off + 2 * i]! << 8) | b[off + 2 * i + 1]!);
  // IPv4-mapped and IPv4-compatible forms, as Wireshark prints them.
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${b[off + 12]}.${b[off + 13]}.${b[off + 14]}.${b[off + 15]}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestLen = j - i;
      bestStart = i;
    }
    i = j;
  }
  if (bestLen < 2) return g.map((x) => x.toString(16)).join(':');
  const head = g.slice(0, bestStart).map((x) => x.toString(16)).join(':');
  const tail = g.slice(bestStart + bestLen).map((x) => x.toString(16)).join(':');
  return `${head}::${tail}`;
}

/** Bits a mask spans, lowest set bit to highest (Wireshark's width of a masked field). */
function maskWidth(mask: number): number {
  let lo = 0;
  while (lo < 32 && Math.floor(mask / 2 ** lo) % 2 === 0) lo++;
  let hi = 31;
  while (hi > lo && Math.floor(mask / 2 ** hi) % 2 === 0) hi--;
  return hi - lo + 1;
}

export function formatNumber(def: FieldDef, v: number | bigint): string {
  // A masked field is as wide as its mask: MPLS's 20-bit label prints as 0x003e8.
  const digits = Math.max(1, Math.ceil((def.mask ? maskWidth(def.mask) : def.bits || 8) / 4));
  const h = typeof v === 'bigint' ? v.toString(16).padStart(digits, '0') : hex(Number(v), digits);
  switch (def.base) {
    case 'hex':
      return '0x' + h;
    case 'dec_hex':
      return `${v} (0x${h})`;
    case 'hex_dec':
      return `0x${h} (${v})`;
    case 'oct':
      return '0' + v.toString(8);
    default:
      return String(v);
  }
}

/** The value as Wireshark shows it after "Name: " (value strings applied). */
export function formatValue(def: FieldDef, v: FieldValue): string {
  if (v === null) return '';
  switch (def.type) {
    case 'ipv4':
      return ipv4ToString(v as number);
    case 'ipv6':
      return ipv6ToString(v as Uint8Array);
    case 'ether':
      return hexBytes(v as Uint8Array);
    case 'bytes': {
      // Wireshark labels at most 36 bytes of a byte field, then an ellipsis; none is "<MISSING>".
      const b = v as Uint8Array;
      if (!b.length) return '<MISSING>';
      return b.length > 36 ? hexBytes(b.subarray(0, 36), '') + '\u2026' : hexBytes(b, '');
    }
    case 'bool': {
      const t = def.tfs ?? ['True', 'False'];
      return v ? t[0] : t[1];
    }
    case 'uint':
    case 'int':
    case 'framenum': {
      const n = v as number | bigint;
      const s = def.vals?.get(Number(n));
      const num = formatNumber(def, n);
      const withUnit = def.unit ? num + def.unit : num;
      return s !== undefined ? `${s} (${num})` : withUnit;
    }
    case 'reltime':
      return `${(v as number).toFixed(9)} seconds`;
    default:
      return String(v);
  }
}

/**
 * Wireshark's bit-pattern prefix for a masked field, e.g. ".... ..1. = " for the SYN bit.
 * `bits` is the width of the containing word.
 */
export function bitPattern(mask: number, bits: number, value: number): string {
  let s = '';
  for (let i = bits - 1; i >= 0; i--) {
    const bit = 2 ** i;
    const inMask = Math.floor(mask / bit) % 2 === 1;
    s += inMask ? (Math.floor(value / bit) % 2 === 1 ? '1' : '0') : '.';
    if (i % 4 === 0 && i !== 0) s += ' ';
  }
  return s + ' = ';
}

/** The default tree label of a field: "Name: value". */
export function fieldLabel(def: FieldDef, v: FieldValue): string {
  if (def.type === 'protocol' || def.type === 'none') return def.name;
  return `${def.name}: ${formatValue(def, v)}`;
}
